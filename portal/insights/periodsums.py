"""Query sums per period, precomputed: the page's slowest number made a lookup.

Top, failed and rising queries need every normalized query's sums over a period and the
period before it. Summed from the daily roll-ups that is a grouped scan of ~185,000 rows
per 90-day period at a million searches (150–400 ms each on a shared two-core machine).
The insights job (after rolling up the finished days) stores those sums once for each
preset range (last 7, 30, 90 days and the periods before them), for all languages and
each language; a report looks them up by the range of rolled days it needs and a
fingerprint of those days (how many, and when the last was rolled), so a day rolled up
again (late marks, a prune) makes the stored sums stale and unused. Anything not stored
(a custom range, a category) is summed from the daily table as before: same numbers.
"""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, insert, select, update

from portal.database import utcnow
from portal.extensions import db
from portal.feedback import rollup
from portal.feedback.models import DailyQueryStat
from portal.insights.models import PeriodQuerySums
from portal.insights.periods import LANGS, PRESETS, Filters

QUERY_MEASURES = rollup.MEASURES


def fingerprint(rolled: dict[date, datetime]) -> str:
    """Which state of the daily tables a period's sums were taken from."""
    return f"{len(rolled)}/{max(rolled.values()).isoformat()}" if rolled else "0"


def _key(f: Filters, rolled: dict[date, datetime]) -> tuple[date, date, str, str]:
    return min(rolled), max(rolled), f.lang, f.category


def summed(f: Filters) -> dict[str, list[int]]:
    """Normalized query → [searches, zero_result, no_click, none_helped] over the period's
    rolled-up days, summed from the daily table."""
    conditions = [DailyQueryStat.day >= f.start, DailyQueryStat.day <= f.end]
    if f.lang:
        conditions.append(DailyQueryStat.lang == f.lang)
    if f.category:
        conditions.append(DailyQueryStat.category == f.category)
    columns = [func.sum(getattr(DailyQueryStat, m)) for m in QUERY_MEASURES]
    return {query: [int(n or 0) for n in sums] for query, *sums in db.session.execute(
        select(DailyQueryStat.normalized, *columns).where(*conditions)
        .group_by(DailyQueryStat.normalized))}


def query_sums(f: Filters, rolled: dict[date, datetime]) -> dict[str, list[int]]:
    """The period's query sums over its rolled-up days (`rolled`: day → when rolled up):
    stored ones when they are still current, else summed now."""
    if not rolled:
        return {}
    first, last, lang, category = _key(f, rolled)
    stored = db.session.execute(select(PeriodQuerySums.fingerprint, PeriodQuerySums.sums).where(
        PeriodQuerySums.first_day == first, PeriodQuerySums.last_day == last,
        PeriodQuerySums.lang == lang, PeriodQuerySums.category == category)).first()
    if stored is not None and stored.fingerprint == fingerprint(rolled):
        return {query: list(counts) for query, counts in stored.sums.items()}
    return summed(f)


def preset_periods(today: date, tz: ZoneInfo) -> list[Filters]:
    """The periods the page's preset ranges ask for today: each preset, all languages and
    each language, and the period before each (for rising queries)."""
    found = []
    for days in PRESETS:
        for lang in ("", *LANGS):
            f = Filters.from_args({"range": str(days), "language": lang}, today, tz)
            found += [f, f.previous()]
    return found


def precompute(tz: ZoneInfo, now: datetime | None = None) -> int:
    """Store the query sums of today's preset periods that are missing or stale, and drop
    the ones no preset asks for any more; returns how many were (re)computed. Run by the
    insights job right after rolling up (once across the cluster, under its lease)."""
    today = (now or utcnow()).astimezone(tz).date()
    wanted, built = set(), 0
    for f in preset_periods(today, tz):
        rolled = rollup.rolled_state(f.start, f.end)
        if not rolled:
            continue
        key = _key(f, rolled)
        wanted.add(key)
        first, last, lang, category = key
        stored = db.session.execute(select(PeriodQuerySums.id, PeriodQuerySums.fingerprint).where(
            PeriodQuerySums.first_day == first, PeriodQuerySums.last_day == last,
            PeriodQuerySums.lang == lang, PeriodQuerySums.category == category)).first()
        if stored is not None and stored.fingerprint == fingerprint(rolled):
            continue  # current: not even its sums are read
        values = dict(fingerprint=fingerprint(rolled), sums=summed(f), built_at=utcnow())
        if stored is None:
            db.session.execute(insert(PeriodQuerySums).values(
                first_day=first, last_day=last, lang=lang, category=category, **values))
        else:
            db.session.execute(update(PeriodQuerySums).where(PeriodQuerySums.id == stored.id)
                               .values(**values))
        built += 1
    stale = [row_id for row_id, *key in db.session.execute(select(
        PeriodQuerySums.id, PeriodQuerySums.first_day, PeriodQuerySums.last_day,
        PeriodQuerySums.lang, PeriodQuerySums.category)) if tuple(key) not in wanted]
    if stale:
        db.session.execute(delete(PeriodQuerySums).where(PeriodQuerySums.id.in_(stale)))
    db.session.commit()
    return built
