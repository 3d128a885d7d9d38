"""The seeded protocols behind bench/eval_search.py: query halves, abstention and typos.

Why: figures tuned on the queries they are reported on flatter the engine. Every
parameter (the confidence threshold included) is chosen on one seeded half of a
corpus's dev queries and reported on the other; both halves are printed. The abstention
protocol removes a seeded half of the articles (on StackFAQ whole threads, i.e. every
answer a query counts as relevant) so that some queries have no answer left: those
must come back not confident, the others confident. The typo protocol applies 1–2
seeded character edits to each English query.
"""
from __future__ import annotations

import random
import string

SEED = 16


def halves(queries: list[dict], seed: int = SEED) -> tuple[list[dict], list[dict]]:
    """A seeded split of the queries into two halves (A for choosing, B for reporting)."""
    shuffled = list(queries)
    random.Random(seed).shuffle(shuffled)
    middle = len(shuffled) // 2
    return shuffled[:middle], shuffled[middle:]


def remove_half(corpus: str, docs: list, queries: list[dict], seed: int = SEED):
    """(kept documents, qid → whether any relevant article is left) after removing a
    seeded half of the articles; on StackFAQ a whole thread (its category) at a time."""
    def group(doc):
        return doc.category if corpus == "stackfaq" else doc.slug

    groups = sorted({group(doc) for doc in docs})
    removed = set(random.Random(seed).sample(groups, len(groups) // 2))
    kept = [doc for doc in docs if group(doc) not in removed]
    kept_slugs = {doc.slug for doc in kept}
    answerable = {row["qid"]: bool(kept_slugs & set(row["relevant"])) for row in queries}
    return kept, answerable


def balanced_accuracy(records: list[tuple[float, bool, bool]], threshold: float) -> float:
    """Mean of the confident rate on answerable queries and the not-confident rate on
    the others; records are (confidence, answerable, top hit relevant)."""
    answerable = [c >= threshold for c, expected, _ in records if expected]
    unanswerable = [c < threshold for c, expected, _ in records if not expected]
    rates = [sum(part) / len(part) for part in (answerable, unanswerable) if part]
    return sum(rates) / len(rates) if rates else 0.0


def precision_of_confident(records: list[tuple[float, bool, bool]], threshold: float) -> float:
    """P@1 over the queries answered confidently (a confident unanswerable one is wrong)."""
    confident = [relevant for c, _, relevant in records if c >= threshold]
    return sum(confident) / len(confident) if confident else 0.0


def best_threshold(per_corpus: list[list[tuple[float, bool, bool]]]) -> float:
    """The threshold with the best mean balanced accuracy over the corpora's records."""
    candidates = sorted({round(c, 4) for records in per_corpus for c, _, _ in records})
    return max(candidates or [0.0], key=lambda t: (
        sum(balanced_accuracy(records, t) for records in per_corpus), -t))


def misspell(text: str, rng: random.Random) -> str:
    """`text` with one or two character edits (delete, insert, replace, swap) inside
    its words of four letters or more; text without such words is returned as is."""
    for _ in range(rng.choice((1, 2))):
        words = [(i, w) for i, w in enumerate(text.split(" ")) if sum(map(str.isalpha, w)) >= 4]
        if not words:
            return text
        index, word = rng.choice(words)
        at = rng.randrange(1, len(word) - 1)
        letter = rng.choice(string.ascii_lowercase)
        word = rng.choice((word[:at] + word[at + 1:],
                           word[:at] + letter + word[at:],
                           word[:at] + letter + word[at + 1:],
                           word[:at - 1] + word[at] + word[at - 1] + word[at + 1:]))
        parts = text.split(" ")
        parts[index] = word
        text = " ".join(parts)
    return text
