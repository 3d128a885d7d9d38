"""Describing one group for ops: its title, phrasings, reach, trend and a stable key.

Everything shown is something a person actually typed; nothing is generated.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from portal.suggestions.engine.records import Signal

WEEK = timedelta(days=7)
KEY_PHRASINGS = 3


def as_typed(text: str) -> str:
    """The original text for display: as typed, only white space tidied."""
    return " ".join(text.split())


@dataclass
class Summary:
    """What describes a group before it is matched to articles and ranked."""

    title: str
    phrasings: list[tuple[str, int]]
    size: int
    weight: float
    sessions: int
    trend: dict[str, int]
    key: str

    def rank(self) -> tuple:
        """Sort key: the searches it would save first, then reach, then growth."""
        return (-self.weight, -self.sessions, -self.trend["last_7"], -self.size, self.key)


def as_utc(moment: datetime) -> datetime:
    """Aware UTC time; a naive time is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def resolve_now(now: datetime | None, signals: Sequence[Signal]) -> datetime:
    """The trend's reference time: as given, else the latest signal, else the clock."""
    if now is not None:
        return as_utc(now)
    times = [as_utc(signal.time) for signal in signals if signal.time is not None]
    return max(times) if times else datetime.now(timezone.utc)


def summarise(members: Sequence[Sequence[Signal]], folded: Sequence[str],
              centrality: Sequence[float], now: datetime) -> Summary:
    """Describe a group from its distinct folded texts.

    members[i] are the signals whose folded text is folded[i]; centrality[i] is that
    text's mean similarity to the group. The title is the distinct text typed most
    often, the most central one among equals, in its most common original spelling.
    """
    order = sorted(range(len(folded)), key=lambda i: (-len(members[i]), -centrality[i], folded[i]))
    signals = [signal for group in members for signal in group]
    spelled = Counter(as_typed(signal.text) for signal in members[order[0]])
    phrasings = Counter(as_typed(signal.text) for signal in signals)
    return Summary(
        title=min(spelled, key=lambda text: (-spelled[text], text)),
        phrasings=sorted(phrasings.items(), key=lambda item: (-item[1], item[0])),
        size=len(signals),
        weight=round(sum(signal.weight for signal in signals), 6),
        sessions=len({signal.session for signal in signals if signal.session}),
        trend=_trend(signals, now),
        key=_key(folded[i] for i in order[:KEY_PHRASINGS]),
    )


def _trend(signals: Sequence[Signal], now: datetime) -> dict[str, int]:
    """Texts in the 7 days up to `now` and in the 7 days before; later ones are ignored."""
    trend = {"last_7": 0, "previous_7": 0}
    for signal in signals:
        if signal.time is None:
            continue
        age = now - as_utc(signal.time)
        if timedelta(0) <= age < WEEK:
            trend["last_7"] += 1
        elif WEEK <= age < 2 * WEEK:
            trend["previous_7"] += 1
    return trend


def _key(leading_folded: Iterable[str]) -> str:
    """Hash of the group's leading folded phrasings, sorted, so it survives re-runs."""
    joined = "\n".join(sorted(leading_folded))
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:16]
