"""Precomputed period query sums: the same numbers as summing the daily roll-ups, read only
while no day of the period was rolled up again, on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from portal.extensions import db
from portal.feedback import rollup
from portal.insights import periodsums, searches
from portal.insights.models import PeriodQuerySums
from portal.insights.periods import Filters

from ..factories import DAY1, DAY2, INSIGHTS_TZ, local_time, search_row

pytestmark = pytest.mark.db

NOW = local_time(DAY2 + timedelta(days=1), 3)  # 03:00 on 22 November: the 21st has settled
TODAY = DAY2 + timedelta(days=1)
LAST_7 = Filters.from_args({"range": "7"}, TODAY, INSIGHTS_TZ)  # 16–22 November


@pytest.fixture
def rolled(sample_articles, app):
    with app.app_context():
        search_row("退款", local_time(DAY1, 10), results=0, session="a")
        search_row("退款", local_time(DAY1, 11), session="b")                     # no click
        search_row("登錄", local_time(DAY2, 10), lang="zh-Hant", session="c")     # no click
        search_row("发票", local_time(DAY1, 10) - timedelta(days=7), session="d")  # 13 Nov
        db.session.commit()
        assert rollup.roll_up_pending(INSIGHTS_TZ, now=NOW) == 9  # 13–21 November
        yield app


def stored_keys() -> set[tuple]:
    return set(db.session.execute(select(PeriodQuerySums.first_day, PeriodQuerySums.last_day,
                                         PeriodQuerySums.lang)).all())


def test_precomputed_sums_are_the_daily_sums_and_are_read(rolled):
    with rolled.app_context():
        summed = searches.Window(LAST_7).query_counts()
        assert summed == {"退款": [2, 1, 1, 0], "登录": [1, 0, 1, 0]}
        # For all languages and each: the last 7 days (rolled: 16–21 November), the 7
        # before (13–15), and the last 30 and 90 days, whose rolled days are the same
        # (13–21), so one stored sum serves both; the 30 and 90 before have none.
        assert periodsums.precompute(INSIGHTS_TZ, now=NOW) == 3 * 4
        assert periodsums.precompute(INSIGHTS_TZ, now=NOW) == 0  # all current
        assert searches.Window(LAST_7).query_counts() == summed
        previous = searches.Window(LAST_7.previous()).query_counts()
        assert previous == {"发票": [1, 0, 1, 0]}
        hant = Filters.from_args({"range": "7", "language": "zh-Hant"}, TODAY, INSIGHTS_TZ)
        assert searches.Window(hant).query_counts() == {"登录": [1, 0, 1, 0]}

        # Proof that the page reads the stored sums: change them behind its back.
        first, last = min(LAST_7.days), DAY2  # the rolled days of the period
        db.session.execute(update(PeriodQuerySums).where(
            PeriodQuerySums.first_day == first, PeriodQuerySums.last_day == last,
            PeriodQuerySums.lang == "").values(sums={"stored": [9, 0, 0, 0]}))
        db.session.commit()
        assert searches.Window(LAST_7).query_counts() == {"stored": [9, 0, 0, 0]}


def test_a_day_rolled_up_again_makes_the_stored_sums_stale(rolled):
    with rolled.app_context():
        periodsums.precompute(INSIGHTS_TZ, now=NOW)
        search_row("退款", local_time(DAY1, 12), session="e")  # a late row, then DAY1 again
        db.session.commit()
        rollup.roll_up_day(DAY1, INSIGHTS_TZ)
        db.session.commit()
        assert searches.Window(LAST_7).query_counts() == {"退款": [3, 1, 2, 0],
                                                         "登录": [1, 0, 1, 0]}
        # the stored sums holding 20 November (16–21 and 13–21; four language choices)
        assert periodsums.precompute(INSIGHTS_TZ, now=NOW) == 2 * 4
        assert searches.Window(LAST_7).query_counts() == {"退款": [3, 1, 2, 0],
                                                         "登录": [1, 0, 1, 0]}


def test_periods_no_preset_asks_for_any_more_are_dropped(rolled):
    with rolled.app_context():
        periodsums.precompute(INSIGHTS_TZ, now=NOW)
        assert (min(LAST_7.days), DAY2, "") in stored_keys()
        later = NOW + timedelta(days=30)
        periodsums.precompute(INSIGHTS_TZ, now=later)
        keys = stored_keys()
        assert (min(LAST_7.days), DAY2, "") not in keys
        # 30 days later: last 7 days hold no rolled day; 30 days: 23 Nov–22 Dec, none either;
        # their previous periods and the 90 days reach back to the rolled days.
        assert {(first, last) for first, last, lang in keys if lang == ""} == {
            (DAY1 - timedelta(days=7), DAY2)}


def test_custom_ranges_and_categories_are_summed_from_the_daily_table(rolled):
    with rolled.app_context():
        periodsums.precompute(INSIGHTS_TZ, now=NOW)
        custom = Filters(start=DAY1, end=DAY2, tz=INSIGHTS_TZ, preset="custom")
        assert searches.Window(custom).query_counts() == {"退款": [2, 1, 1, 0],
                                                         "登录": [1, 0, 1, 0]}
        category = Filters.from_args({"range": "7", "category": "订单与支付"}, TODAY, INSIGHTS_TZ)
        assert searches.Window(category).query_counts() == {}
