"""What a converter produces: article texts to save and the items it could not take."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml
from pypinyin import lazy_pinyin

from portal.articles.authoring import ArticleFields
from portal.articles.model import SLUG_PATTERN

_SLUG = re.compile(SLUG_PATTERN)
KEPT_FIELDS_HEADER = "# kept from the import (not used by the portal):"


@dataclass
class ImportedArticle:
    """One article ready to save: its source text and what the report says about it."""

    origin: str  # where it came from: a file, an id, a CSV line
    slug: str
    title: str
    lang: str
    category: str
    tags: list[str]
    questions: list[str]
    source: str
    translation_of: str = ""


@dataclass
class ImportProblem:
    """An item the converter could not take, or took with a change worth knowing."""

    origin: str
    message: str
    skipped: bool = True


@dataclass
class Conversion:
    """A converter's whole answer."""

    articles: list[ImportedArticle] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)


def article_source(fields: ArticleFields, kept: dict | None = None) -> str:
    """The article's text exactly as the editor writes it (ArticleFields.to_source); fields
    of the source the portal has no use for are kept as YAML comments in the front matter,
    where the loader ignores them and a person can still read them."""
    source = fields.to_source()
    if not kept:
        return source
    lines = yaml.safe_dump(kept, allow_unicode=True, sort_keys=False, width=1000,
                           default_flow_style=False).splitlines()
    comment = "\n".join([KEPT_FIELDS_HEADER] + [f"#   {line}" for line in lines])
    head, sep, rest = source.partition("\n---\n")
    return f"{head}\n{comment}{sep}{rest}"


def slugify(text: str, fallback: str) -> str:
    """An address for the article: pinyin for Chinese, letters, digits and dashes."""
    words = " ".join(lazy_pinyin(text or "")).lower()
    slug = re.sub(r"[^\w]+", "-", words, flags=re.ASCII).strip("-_")[:80].strip("-_")
    return slug if slug and _SLUG.match(slug) else fallback


def valid_slug(slug: str) -> bool:
    """True when the loader accepts this slug."""
    return bool(_SLUG.match(slug or ""))


def unique_slug(slug: str, taken: set[str]) -> str:
    """The slug, or the slug with -2, -3 … when it is taken; added to `taken`."""
    candidate, number = slug, 2
    while candidate in taken:
        candidate = f"{slug[:110]}-{number}"
        number += 1
    taken.add(candidate)
    return candidate


def split_tags(value) -> list[str]:
    """Tags from a list, or from text separated by commas, semicolons, | or 、."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        items = [str(v) for v in value]
    else:
        items = re.split(r"[,，;；|、]", str(value))
    seen: list[str] = []
    for item in items:
        item = item.strip().lstrip("#").strip()
        if item and item not in seen:
            seen.append(item)
    return seen
