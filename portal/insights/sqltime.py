"""Time arithmetic done by the database (SQLite or PostgreSQL), so reports over tens of
thousands of tickets fetch a few grouped numbers instead of parsing every timestamp."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Float, Integer, cast, func, literal

from portal.extensions import db
from portal.insights.periods import Filters


def _sqlite() -> bool:
    return db.engine.dialect.name == "sqlite"


def _instant(moment: datetime):
    """A UTC instant in the form the column stores it (SQLite keeps naive UTC text)."""
    if _sqlite():
        return literal(moment.strftime("%Y-%m-%d %H:%M:%S.%f"))
    return literal(moment)


def seconds_between(earlier, later):
    """SQL: seconds from `earlier` to `later` (columns or instants)."""
    if _sqlite():
        return (func.julianday(later) - func.julianday(earlier)) * 86400.0
    return cast(func.extract("epoch", later - earlier), Float)


def seconds_since(origin: datetime, column):
    """SQL: seconds from a fixed instant to the column."""
    return seconds_between(_instant(origin), column)


def fixed_offset(f: Filters) -> bool:
    """True when the time zone keeps one UTC offset over the whole range (no DST change),
    so local days are whole 24-hour steps from the range's start."""
    offsets = {f.tz.utcoffset(datetime.combine(f.start + timedelta(days=n), datetime.min.time()))
               for n in range((f.end - f.start).days + 2)}
    return len(offsets) == 1


def day_index(f: Filters, column):
    """SQL: which day of the range (0 = its first) the column falls on; needs fixed_offset."""
    start, _end = f.bounds()
    days = seconds_since(start, column) / 86400.0
    # Only instants inside the range are asked for, so days >= 0 and truncation is floor.
    return cast(days, Integer) if _sqlite() else cast(func.floor(days), Integer)
