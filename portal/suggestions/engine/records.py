"""The plain records that go into and come out of the suggestion engine.

They hold no behaviour beyond turning a result into JSON, so a batch job, the CLI and
the ops page can all build and read them without importing the engine's numerics.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class Signal:
    """One short text someone typed: a failed search, a "did not help" reason, a subject."""

    text: str
    weight: float = 1.0
    time: datetime | None = None
    session: str | None = None
    kind: str = "search"


@dataclass
class ArticleRef:
    """An existing article or question (anchor) that a group may already be answered by.

    `text` is what the article says about the question: title, question, aliases and
    the start of the answer. Separate lines are matched one by one, so put each alias
    on its own line.
    """

    article: str
    anchor: str
    text: str
    unhelpful_ratio: float = 0.0


@dataclass
class Nearest:
    """The closest article anchor to a group and how similar it is (cosine, 0..1)."""

    article: str
    anchor: str
    score: float


@dataclass
class Group:
    """One recurring question, described for the ops page."""

    id: int
    title: str
    size: int
    weight: float
    phrasings: list[tuple[str, int]]
    nearest: Nearest | None
    action: str
    sessions: int
    trend: dict[str, int]
    key: str

    def to_json(self) -> dict:
        """The group as plain JSON types, in the documented field order."""
        return {
            "id": self.id,
            "title": self.title,
            "size": self.size,
            "weight": self.weight,
            "phrasings": [[text, count] for text, count in self.phrasings],
            "nearest": None if self.nearest is None else {
                "article": self.nearest.article,
                "anchor": self.nearest.anchor,
                "score": self.nearest.score,
            },
            "action": self.action,
            "sessions": self.sessions,
            "trend": dict(self.trend),
            "key": self.key,
        }


@dataclass
class SuggestionResult:
    """Groups in rank order, and for every input signal its group id or -1 (noise)."""

    assignments: list[int] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)

    def to_json(self) -> dict:
        """The whole result as plain JSON types, ready for json.dump."""
        return {
            "assignments": list(self.assignments),
            "groups": [group.to_json() for group in self.groups],
        }
