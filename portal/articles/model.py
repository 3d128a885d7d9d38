"""The article content model: plain immutable data that every other part reads.

Articles live as Markdown files in `articles/`; these classes are what a file becomes
after parsing and validation, so pages, search and editors agree on one shape.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

LANGUAGES = ("zh-Hans", "zh-Hant", "en")
STATUSES = ("draft", "published", "archived")
AUDIENCES = ("public", "internal")
# An article's address: letters (any script), digits, "-" and "_", at most 120 characters.
SLUG_PATTERN = r"^[\w][\w-]{0,119}$"


@dataclass(frozen=True)
class Question:
    """One second-level heading of an article and the answer under it."""

    anchor: str
    text: str
    answer_html: str
    answer_text: str
    answer_markdown: str


@dataclass(frozen=True)
class Article:
    """A validated article; `fingerprint` is the hash of the file's bytes."""

    slug: str
    title: str
    path: str
    category: str
    tags: tuple[str, ...]
    aliases: tuple[str, ...]
    lang: str
    status: str
    audience: str
    body_markdown: str
    html: str
    questions: tuple[Question, ...]
    updated: datetime
    fingerprint: str
    translation_of: str | None = None
    intro_html: str = ""
    warnings: tuple["Problem", ...] = ()
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def is_public(self) -> bool:
        """Customers may see it: published and meant for the public."""
        return self.status == "published" and self.audience == "public"

    @property
    def text(self) -> str:
        """All answer text, for search and similarity."""
        return "\n".join(q.answer_text for q in self.questions)

    def question(self, anchor: str) -> Question | None:
        """The question with this anchor, if the article has one."""
        return next((q for q in self.questions if q.anchor == anchor), None)


@dataclass(frozen=True)
class Problem:
    """Why a file was left out of the site: the path, the reason and a line when known."""

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"
