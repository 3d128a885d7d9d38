"""The question every report answers for: which days, which language, which category.

Days are calendar days in the portal's time zone; a range of the last 7, 30 or 90 days
ends today, a custom one is clamped to at most a year. Nothing from the URL is trusted:
unknown values fall back to the last 30 days, all languages, all categories.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone
from typing import Mapping
from zoneinfo import ZoneInfo

PRESETS = (7, 30, 90)
DEFAULT_DAYS = 30
MAX_DAYS = 366
LANGS = ("zh-Hans", "zh-Hant", "en")


@dataclass(frozen=True)
class Filters:
    """A date range (inclusive local days) and optional language and category."""

    start: date
    end: date
    tz: ZoneInfo
    lang: str = ""
    category: str = ""
    preset: str = str(DEFAULT_DAYS)

    @classmethod
    def from_args(cls, args: Mapping[str, str], today: date, tz: ZoneInfo) -> "Filters":
        """Read `range` (7, 30, 90 or custom with `start`/`end`), `language` and `category`."""
        preset = args.get("range", str(DEFAULT_DAYS))
        start = end = None
        if preset == "custom":
            start, end = _iso(args.get("start")), _iso(args.get("end"))
        if start is None or end is None:
            preset = preset if preset in {str(n) for n in PRESETS} else str(DEFAULT_DAYS)
            end, start = today, today - timedelta(days=int(preset) - 1)
        start, end = min(start, end), max(start, end)
        start = max(start, end - timedelta(days=MAX_DAYS - 1))
        lang = args.get("language", "")  # not `lang`: that one picks the interface language
        return cls(start=start, end=end, tz=tz, lang=lang if lang in LANGS else "",
                   category=(args.get("category") or "")[:100], preset=preset)

    @property
    def days(self) -> list[date]:
        """Every day of the range, oldest first."""
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]

    def bounds(self) -> tuple[datetime, datetime]:
        """The UTC instants where the range starts and where the day after it starts."""
        start = datetime.combine(self.start, time(), self.tz)
        end = datetime.combine(self.end + timedelta(days=1), time(), self.tz)
        return start.astimezone(timezone.utc), end.astimezone(timezone.utc)

    def previous(self) -> "Filters":
        """The range of the same length just before this one (for rising and falling)."""
        length = self.end - self.start + timedelta(days=1)
        return replace(self, start=self.start - length, end=self.end - length)

    def local_day(self, moment: datetime) -> date:
        """The portal-time-zone day of a UTC instant."""
        return moment.astimezone(self.tz).date()

    def as_args(self) -> dict[str, str]:
        """The query-string form, for links that keep the filters (CSV, JSON)."""
        args = {"range": self.preset}
        if self.preset == "custom":
            args |= {"start": self.start.isoformat(), "end": self.end.isoformat()}
        if self.lang:
            args["language"] = self.lang
        if self.category:
            args["category"] = self.category
        return args


def _iso(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return None
