"""Help-centre sections and their names in each UI language.

Articles name their category in front matter (by its simplified-Chinese name or its
slug); `articles/categories.yml` gives each one a URL slug, an order, and names and
descriptions per language, so an English reader sees "Orders & payment" for 订单与支付.
A category missing from that file still works, named as written.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from markdown.extensions.toc import slugify_unicode

log = logging.getLogger(__name__)
CATEGORIES_FILE = "categories.yml"


@dataclass(frozen=True)
class Category:
    """A section of the help centre."""

    key: str
    slug: str
    order: int = 1000
    names: dict = field(default_factory=dict, compare=False, hash=False)
    descriptions: dict = field(default_factory=dict, compare=False, hash=False)

    def name(self, lang: str) -> str:
        """The name in the reader's language, else the key as written."""
        return self.names.get(lang) or self.key

    def description(self, lang: str) -> str:
        """The one-line description in the reader's language, if any."""
        return self.descriptions.get(lang) or self.descriptions.get("zh-Hans") or ""


def load_categories(root: Path) -> dict[str, Category]:
    """Categories declared in root's categories.yml by key (see parse_categories)."""
    path = Path(root) / CATEGORIES_FILE
    if not path.exists():
        return {}
    try:
        return parse_categories(path.read_bytes(), str(path))
    except OSError as exc:
        log.warning("%s ignored: %s", path, exc)
        return {}


def parse_categories(data: bytes, where: str = CATEGORIES_FILE) -> dict[str, Category]:
    """Categories declared in a categories.yml text; a broken file is logged, not fatal."""
    try:
        parsed = yaml.safe_load(data.decode("utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        log.warning("%s ignored: %s", where, exc)
        return {}
    if not isinstance(parsed, dict):
        log.warning("%s ignored: expected a mapping of category names", where)
        return {}
    categories = {}
    for key, spec in parsed.items():
        spec = spec if isinstance(spec, dict) else {}
        try:
            order = int(spec.get("order", 1000))
        except (TypeError, ValueError):
            order = 1000
        categories[str(key)] = Category(
            key=str(key), slug=str(spec.get("slug") or slugify_unicode(str(key), "-")),
            order=order, names=dict(spec.get("names") or {}),
            descriptions=dict(spec.get("descriptions") or {}))
    return categories


def category_for(key: str, declared: dict[str, Category]) -> Category:
    """The declared category for an article's category value, or an implicit one."""
    if key in declared:
        return declared[key]
    for category in declared.values():
        if key == category.slug or key in category.names.values():
            return category
    return Category(key=key, slug=slugify_unicode(key, "-") or "uncategorized")
