"""Business hours: reply and resolution times counted only while the team works.

A ticket asked on Friday at 17:00 and answered on Monday at 10:00 waited 65 calendar
hours but only two working hours; a support lead compares the team with its promise in
working hours. `PORTAL_BUSINESS_HOURS` ("09:00-18:00") opens those hours Monday to
Friday in the portal's time zone (`PORTAL_TIMEZONE`); unset, times stay calendar hours.

Working time between two instants is W(end) − W(start), where W(t) counts the working
seconds from a fixed Monday midnight to t: whole weeks × 5 days, whole weekdays, and the
open part of t's own day. W only needs t's local wall-clock seconds since that Monday,
so for a time zone that keeps one UTC offset (Asia/Shanghai) the database computes it in
the same ranked query as calendar times; a zone with daylight saving time is computed
here, ticket by ticket.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, case, cast, func

EPOCH = datetime(2001, 1, 1)  # a Monday, local wall-clock time
WEEK, DAY = 7 * 86400, 86400
_HOURS = re.compile(r"^\s*([01]?\d|2[0-4]):([0-5]\d)\s*-\s*([01]?\d|2[0-4]):([0-5]\d)\s*$")


@dataclass(frozen=True)
class BusinessHours:
    """Opening and closing time (seconds after local midnight), Monday to Friday."""

    opens: int
    closes: int

    @classmethod
    def parse(cls, value: "str | BusinessHours | None") -> "BusinessHours | None":
        """"09:00-18:00" → BusinessHours; empty → None (calendar hours); else ValueError."""
        if isinstance(value, BusinessHours) or not value:
            return value or None
        match = _HOURS.match(value)
        if not match:
            raise ValueError(f"PORTAL_BUSINESS_HOURS must look like 09:00-18:00, not {value!r}")
        oh, om, ch, cm = map(int, match.groups())
        opens, closes = oh * 3600 + om * 60, ch * 3600 + cm * 60
        if not 0 <= opens < closes <= DAY:
            raise ValueError(f"PORTAL_BUSINESS_HOURS must open before it closes: {value!r}")
        return cls(opens, closes)

    @property
    def per_day(self) -> int:
        """Working seconds in one weekday."""
        return self.closes - self.opens

    def label(self) -> str:
        """"09:00–18:00", for the page."""
        return f"{self.opens // 3600:02d}:{self.opens % 3600 // 60:02d}–" \
               f"{self.closes // 3600:02d}:{self.closes % 3600 // 60:02d}"

    def worked(self, local_seconds: float) -> float:
        """W: working seconds from EPOCH to a moment given as local seconds since EPOCH."""
        weeks, rest = divmod(local_seconds, WEEK)
        day, seconds = divmod(rest, DAY)
        today = 0.0 if day >= 5 else min(max(seconds - self.opens, 0.0), float(self.per_day))
        return weeks * 5 * self.per_day + min(day, 5) * self.per_day + today

    def between(self, start: datetime, end: datetime, tz: ZoneInfo) -> float:
        """Working seconds from `start` to `end` (UTC instants) in the time zone."""
        return self.worked(_local_seconds(end, tz)) - self.worked(_local_seconds(start, tz))

    def sql_worked(self, local_seconds, sqlite: bool):
        """W in SQL, from an expression of local seconds since EPOCH (never negative)."""
        def floor(value):
            # CAST truncates, which is floor for the non-negative values asked for here
            return cast(value, Integer) if sqlite else func.floor(value)

        weeks = floor(local_seconds / WEEK)
        rest = local_seconds - weeks * WEEK
        day = floor(rest / DAY)
        seconds = rest - day * DAY
        today = case((seconds <= self.opens, 0), (seconds >= self.closes, self.per_day),
                     else_=seconds - self.opens)
        return weeks * (5 * self.per_day) + case(
            (day >= 5, 5 * self.per_day), else_=day * self.per_day + today)


def _local_seconds(moment: datetime, tz: ZoneInfo) -> float:
    local = moment.astimezone(tz).replace(tzinfo=None)
    return (local - EPOCH).total_seconds()


def epoch_instant(tz: ZoneInfo) -> datetime:
    """EPOCH as a UTC instant (its local Monday midnight in `tz`)."""
    return EPOCH.replace(tzinfo=tz).astimezone(timezone.utc)


def one_offset(tz: ZoneInfo, until: date) -> bool:
    """True when the zone kept one UTC offset from EPOCH to a year after `until`, so
    seconds since EPOCH's instant are local wall-clock seconds (the database can count)."""
    offsets = {tz.utcoffset(datetime(year, month, 1)) for year in range(EPOCH.year, until.year + 2)
               for month in (1, 4, 7, 10)}
    return len(offsets) == 1
