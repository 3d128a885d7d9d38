"""The Whoosh schema and how a SearchDocument becomes one index record.

All searchable text goes into one positional field, `all`, where each part is repeated
by its weight (title and question 3×, aliases and tags 2×, body once). That is BM25F
proper — field weights applied to term frequencies before saturation — and one
posting list per query term. The parts themselves are only stored, for display.

The derived fields analyse their own value inside Whoosh's `index()`: a record is
just the document's texts, so a multi-process writer runs jieba in its worker
processes and a rebuild uses every core.
"""
from __future__ import annotations

from collections import defaultdict

from whoosh import fields

from portal.search.whoosh.analysis import ANALYZER, english_words, subwords, terms
from portal.search.whoosh.completion import completion_keys
from portal.search.base import SearchDocument
from portal.text.fold import is_traditional, to_simplified_phrases

# Bump when fields or analysis change: an index of another version is rebuilt.
SCHEMA_VERSION = "9"

TEXT_PARTS = ("title", "question", "aliases", "tags", "body")
FIELD_WEIGHTS = {"title": 3.0, "question": 3.0, "aliases": 2.0, "tags": 2.0, "body": 1.0}
# A jieba sub-word of a longer word (护理 in 长期护理) counts half a whole word.
SUBWORD_WEIGHT = 0.5
FILTER_FIELDS = ("kind", "category", "lang", "status", "audience")


def field_terms(text: str) -> list[str]:
    """terms() plus, for traditional text, its mainland-vocabulary terms (使用者 → 用户,
    登入 → 登录) so simplified queries find it too."""
    found = terms(text)
    if is_traditional(text):
        seen = set(found)
        found += [t for t in terms(to_simplified_phrases(text)) if t not in seen]
    return found


class WeightedText(fields.TEXT):
    """The scored field; its value is the tuple of a document's TEXT_PARTS.

    A term's weight (its BM25 term frequency) is the sum of its occurrences' part
    weights — SUBWORD_WEIGHT of that for a sub-word, indexed at its word's position —
    so a title word counts like three body words without repeating any token. Parts
    are one position apart so a phrase never spans two of them.
    """

    def index(self, value, **kwargs):
        positions: dict[str, list[int]] = defaultdict(list)
        weights: dict[str, float] = defaultdict(float)
        position = 0
        for name, text in zip(TEXT_PARTS, value):
            weight = FIELD_WEIGHTS[name]
            for word in field_terms(text):
                positions[word].append(position)
                weights[word] += weight
                for sub in subwords(word):
                    positions[sub].append(position)
                    weights[sub] += SUBWORD_WEIGHT * weight
                position += 1
            position += 1
        encode = self.format.encode
        for term, where in positions.items():
            # freq (the second item) only feeds the field length: the weighted count
            frequency = max(1, round(weights[term]))
            yield term.encode("utf-8"), frequency, weights[term], encode(where)


class SpellingWords(fields.KEYWORD):
    """English words as written, for "did you mean"; the value is the texts tuple."""

    def index(self, value, **kwargs):
        words = sorted({word for text in value for word in english_words(text)})
        return super().index(words, **kwargs)


class CompletionKeys(fields.KEYWORD):
    """Type-ahead keys (head or tail, see completion.py) of the suggestible texts."""

    def __init__(self, part: int):
        super().__init__(scorable=True)  # scorable: avoids a file stat per posting on commit
        self.part = part

    def index(self, value, **kwargs):
        keys = sorted({key for text in value for key in completion_keys(text)[self.part]})
        return super().index(keys, **kwargs)


def build_schema() -> fields.Schema:
    """One scored text field; type-ahead and spelling fields; ID filters; stored parts."""
    stored = {name: fields.STORED() for name in TEXT_PARTS}
    filters = {name: fields.ID(stored=True) for name in FILTER_FIELDS}
    return fields.Schema(
        doc_id=fields.STORED(),
        slug=fields.ID(stored=True, sortable=True),
        anchor=fields.STORED(),
        fingerprint=fields.COLUMN(),
        all=WeightedText(analyzer=ANALYZER, phrase=True),
        spell=SpellingWords(scorable=True),
        complete_head=CompletionKeys(0),
        complete_tail=CompletionKeys(1),
        **stored,
        **filters,
    )


def suggestible_texts(kind: str, title: str, question: str, aliases) -> tuple[str, ...]:
    """What type-ahead may offer for a record: a question its heading; an article its title
    and its aliases. Aliases name the whole article, so they are never offered from one of
    its questions (an alias would otherwise link to an unrelated question of that article)."""
    if kind == "question":
        return (question,) if question else ()
    return tuple(text for text in (title, *aliases) if text)


def to_fields(doc: SearchDocument) -> dict:
    """The keyword arguments of writer.add_document for one SearchDocument."""
    texts = (doc.title, doc.question, "\n".join(doc.aliases), "\n".join(doc.tags), doc.body)
    suggestible = suggestible_texts(doc.kind, doc.title, doc.question, doc.aliases)
    return {
        **dict(zip(TEXT_PARTS, texts)), "doc_id": doc.doc_id, "slug": doc.slug,
        "anchor": doc.anchor, "fingerprint": doc.fingerprint.encode("utf-8"),
        "kind": doc.kind, "category": doc.category, "lang": doc.lang, "status": doc.status,
        "audience": doc.audience, "all": texts, "spell": texts,
        "complete_head": suggestible, "complete_tail": suggestible,
    }
