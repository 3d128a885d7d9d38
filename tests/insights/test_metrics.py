"""Known traffic → each metric's exact value, on SQLite and PostgreSQL, with days cut at
midnight in the portal's time zone (Asia/Shanghai), from the raw log and from roll-ups."""
from __future__ import annotations

from datetime import timedelta

import pytest

from portal.extensions import db
from portal.feedback import rollup
from portal.insights import content, overview, problems, searches, sqltime, tickets
from portal.insights.periods import Filters

from ..factories import (DAY1, DAY2, INSIGHTS_TZ, local_time, reply_row, search_row, ticket_row,
                         vote_row)

pytestmark = pytest.mark.db

PERIOD = Filters(start=DAY1, end=DAY2, tz=INSIGHTS_TZ, preset="custom")


def known_searches() -> None:
    search_row("登錄 密碼", local_time(DAY1, 10), session="a", lang="zh-Hant", opened="login-hant")
    search_row("登录 密码", local_time(DAY1, 11), session="b")                       # no click
    search_row("退款 13800138000 到账", local_time(DAY1, 23, 59), results=0, session="b")  # zero, last minute
    search_row("退款", local_time(DAY2, 0, 0), results=2, session="c", failure="none_helped")
    search_row("退款", local_time(DAY2, 9), session="c", opened="refunds")
    search_row("退款", local_time(DAY2, 9), staff=True, session="staff")            # never counts
    search_row("退款", local_time(DAY2, 9), bot=True, session="bot")                # never counts
    search_row("退款", local_time(DAY1, 9) - timedelta(days=1), session="d")        # before the period
    db.session.commit()


@pytest.fixture
def traffic(sample_articles, app):
    with app.app_context():
        known_searches()
        yield app


def test_daily_searches_split_at_local_midnight(traffic):
    with traffic.app_context():
        days = searches.Window(PERIOD).daily()
    assert days == [
        {"date": DAY1, "searches": 3, "sessions": 2, "zero_result": 1, "no_click": 1,
         "none_helped": 0, "opened": 1},
        {"date": DAY2, "searches": 2, "sessions": 1, "zero_result": 0, "no_click": 0,
         "none_helped": 1, "opened": 1}]
    rates = searches.totals(days)
    assert rates["searches"] == 5
    assert rates["zero_result_rate"] == pytest.approx(1 / 5)
    assert rates["no_click_rate"] == pytest.approx(1 / 5)
    assert rates["none_helped_rate"] == pytest.approx(1 / 5)


def test_roll_ups_give_the_same_numbers_as_the_raw_log(traffic):
    with traffic.app_context():
        window = searches.Window(PERIOD)
        raw = (window.daily(), window.query_counts(), window.article_views())
        rolled = rollup.roll_up_pending(INSIGHTS_TZ, now=local_time(DAY2 + timedelta(days=1), 3))
        assert rolled == 3  # the day before the period, and both days of it
        assert rollup.rolled_days(DAY1, DAY2) == {DAY1, DAY2}
        db.session.execute(db.text("DELETE FROM search_log"))  # only the roll-ups remain
        db.session.commit()
        window = searches.Window(PERIOD)
        assert not window.live
        assert (window.daily(), window.query_counts(), window.article_views()) == raw


def test_a_day_is_rolled_up_only_once_it_has_settled(traffic):
    with traffic.app_context():
        assert rollup.roll_up_pending(INSIGHTS_TZ, now=local_time(DAY2 + timedelta(days=1), 1)) == 2
        assert rollup.rolled_days(DAY1, DAY2) == {DAY1}


def test_queries_are_folded_masked_and_ranked(traffic):
    with traffic.app_context():
        top = searches.Window(PERIOD).queries()
        failed = searches.Window(PERIOD).queries(order="failed")
    assert [(row.query, row.searches) for row in top] == [
        ("登录 密码", 2), ("退款", 2), ("退款 [phone] 到账", 1)]
    assert [(row.query, row.zero_result, row.no_click, row.none_helped) for row in failed] == [
        ("登录 密码", 0, 1, 0), ("退款", 0, 0, 1), ("退款 [phone] 到账", 1, 0, 0)]


def test_language_filter_uses_the_customers_language(traffic):
    with traffic.app_context():
        hant = Filters(start=DAY1, end=DAY2, tz=INSIGHTS_TZ, lang="zh-Hant", preset="custom")
        assert [row["searches"] for row in searches.Window(hant).daily()] == [1, 0]
        assert [row.query for row in searches.Window(hant).queries()] == ["登录 密码"]


def test_rising_needs_a_minimum_and_growth(app):
    with app.app_context():
        for n in range(6):
            search_row("发票", local_time(DAY2, 10, n), session=f"r{n}")
        for n in range(2):
            search_row("发票", local_time(DAY1, 10, n) - timedelta(days=2), session=f"p{n}")
        for n in range(4):  # grew from nothing, but too few
            search_row("物流", local_time(DAY2, 11, n), session=f"w{n}")
        db.session.commit()
        rows = searches.rising(searches.Window(PERIOD), searches.Window(PERIOD.previous()))
    assert [(row.query, row.previous, row.searches) for row in rows] == [("发票", 2, 6)]


def test_ticket_numbers(app, make_user):
    agent = make_user("agent")
    with app.app_context():
        first = ticket_row(local_time(DAY1, 10), category="bug", first_reply=local_time(DAY1, 12),
                       solved=local_time(DAY2, 6), assignee_id=agent.id)
        ticket_row(local_time(DAY1, 10), first_reply=local_time(DAY1, 14), searched=True, session="b")
        late = ticket_row(local_time(DAY2, 23, 59), session="c")
        ticket_row(local_time(DAY2, 23, 59) + timedelta(minutes=1))  # the next local day: outside
        reply_row(late, local_time(DAY2, 23, 59), author_id=agent.id, links=("refunds",))
        db.session.commit()

        daily = {(row["date"], row["category"]): (row["created"], row["solved"])
                 for row in tickets.daily(PERIOD)}
        assert daily[(DAY1, "bug")] == (1, 0) and daily[(DAY2, "bug")] == (0, 1)
        assert daily[(DAY1, "usage")] == (1, 0) and daily[(DAY2, "usage")] == (1, 0)
        times = tickets.times(PERIOD)
        assert (times["first_response_median"], times["first_response_p90"]) == (2.0, 4.0)
        assert times["first_response_count"] == 3
        assert (times["resolution_median"], times["resolution_p90"]) == (20.0, 20.0)
        assert tickets.by_status(PERIOD) == {"open": 2, "pending": 0, "solved": 1}
        assert tickets.manual_share(PERIOD) == {"replies": 3, "linked": 1, "share": 1 / 3}
        assert tickets.customer_tickets(PERIOD) == {
            "asked": 3, "sessions": 2, "total": 3, "from_failed_search": 1}
        by_category = {row["category"]: row["created"] for row in tickets.by_category(PERIOD)}
        assert by_category["bug"] == 1 and by_category["usage"] == 2

        mine = tickets.daily(PERIOD, agent_id=agent.id)
        assert sum(row["created"] for row in mine) == 1
        assert tickets.manual_share(PERIOD, agent_id=agent.id)["linked"] == 1
        assert tickets.times(PERIOD, agent_id=agent.id)["first_response_count"] == 1
        assert first.solved_at is not None


def test_percentile_is_nearest_rank():
    assert tickets.percentile([5, 1, 3, 2, 4, 6, 7, 8, 9, 10], 0.9) == 9
    assert tickets.percentile([], 0.9) is None


def test_reply_and_resolution_times_rank_an_even_count_in_the_database(app):
    with app.app_context():
        for hours in (7, 1, 10, 3, 5, 6, 2, 9, 4, 8):  # ten tickets, unsorted
            created = local_time(DAY1, 8)
            solved = created + timedelta(hours=hours, minutes=30) if hours <= 4 else None
            ticket_row(created, first_reply=created + timedelta(hours=hours), solved=solved)
        ticket_row(local_time(DAY1, 8))  # never answered: not counted
        db.session.commit()
        times = tickets.times(PERIOD)
    assert times["first_response_count"] == 10
    assert times["first_response_median"] == 5.5      # (5 + 6) / 2
    assert times["first_response_p90"] == 9.0         # the 9th of 10 (nearest rank)
    assert times["resolution_count"] == 4
    assert times["resolution_median"] == 3.0          # 1.5, 2.5, 3.5, 4.5 h: (2.5 + 3.5) / 2
    assert times["resolution_p90"] == 4.5             # the 4th of 4


def test_after_a_failed_search_follows_the_trail_and_escalation(app):
    from portal.tickets.models import Ticket

    with app.app_context():
        ticket_row(local_time(DAY1, 9), searched=True, session="s1")
        ticket_row(local_time(DAY1, 9), session="s2")  # an empty trail
        escalated = ticket_row(local_time(DAY1, 9))
        escalated.source = "escalated"
        db.session.commit()
        assert tickets.customer_tickets(PERIOD) == {
            "asked": 2, "sessions": 2, "total": 3, "from_failed_search": 2}
        assert db.session.scalars(db.select(Ticket.after_search).order_by(Ticket.id)).all() == [
            True, False, True]


def test_content_numbers(traffic):
    with traffic.app_context():
        for helpful, reason in ((True, None), (True, None), (False, "unclear")):
            vote_row("refunds", helpful, local_time(DAY1, 12), reason)
        vote_row("refunds", False, local_time(DAY1, 12) - timedelta(days=3), "outdated")  # before
        for n in range(6):  # invoice was read before, and not now: its traffic fell
            search_row("发票", local_time(DAY1, 8) - timedelta(days=1), session=f"i{n}", opened="invoice")
        tk = ticket_row(local_time(DAY1, 10))
        reply_row(tk, local_time(DAY1, 11), links=("refunds", "invoice"))
        db.session.commit()
        visible = traffic.extensions["portal.articles"].visible(("public", "internal"), ("published",))
        rows = {row.slug: row for row in content.articles(searches.Window(PERIOD), searches.Window(PERIOD.previous()), visible)}
        assert (rows["refunds"].views, rows["refunds"].helpful, rows["refunds"].not_helpful,
                rows["refunds"].links) == (1, 2, 1, 1)
        assert rows["refunds"].helpful_ratio == pytest.approx(2 / 3)
        assert rows["login-hant"].views == 1
        assert (rows["invoice"].views, rows["invoice"].previous_views) == (0, 6)
        all_rows = list(rows.values())
        assert [row.slug for row in content.falling(all_rows)] == ["invoice"]
        assert [row.slug for row in content.never_opened(all_rows)] == [
            "invoice", "password-en", "refund-canned"]
        assert content.summary(all_rows)["reasons"] == [("unclear", 1)]
        assert "secret-draft" not in rows
        hant = Filters(start=DAY1, end=DAY2, tz=INSIGHTS_TZ, lang="zh-Hant", preset="custom")
        assert [row.slug for row in content.articles(searches.Window(hant), searches.Window(hant.previous()), visible)] == ["login-hant"]


def test_self_service_score(traffic):
    with traffic.app_context():
        ticket_row(local_time(DAY2, 10), session="c")
        db.session.commit()
        visible = traffic.extensions["portal.articles"].visible(("public", "internal"), ("published",))
        numbers = overview.dashboard(PERIOD, visible)
    assert numbers["self_service"] == {"views_per_ticket": 2.0, "sessions_without_ticket": 2 / 3}


def test_fixed_problem_with_new_tickets_is_recurring(app, make_user):
    agent = make_user("agent")
    with app.app_context():
        from portal.accounts.models import User

        user = db.session.get(User, agent.id)
        problem = problems.create("支付回调失败", "bug", owner="支付组")
        before = ticket_row(local_time(DAY1, 10))
        problems.attach(before, problem, user)
        problems.update(problem, title=problem.title, kind="bug", status="fixed",
                        owner="支付组", note="")
        problem.fixed_at = local_time(DAY1, 12)
        db.session.commit()
        assert problems.recurring(PERIOD) == []
        after = ticket_row(local_time(DAY2, 10))
        problems.attach(after, problem, user)
        [row] = problems.recurring(PERIOD)
        assert (row.tickets, row.in_period, row.since_fix) == (2, 2, 1)
        assert problems.weekly_tickets(problem, PERIOD) == [(DAY1 - timedelta(days=DAY1.weekday()), 2)]
        problems.update(problem, title=problem.title, kind="bug", status="in_progress",
                        owner="", note="")
        assert problem.fixed_at is None and problems.recurring(PERIOD) == []


def test_replies_and_status_changes_stamp_the_ticket_times(app, make_user):
    from portal.accounts.models import User
    from portal.tickets import asking, conversation

    agent = make_user("agent")
    with app.test_request_context():
        user = db.session.get(User, agent.id)
        item = asking.create_ticket(subject="退款", body="怎么退款", email="", category="usage",
                                    locale="zh-Hans", session_id="")
        assert (item.first_reply_at, item.solved_at) == (None, None)
        first = conversation.reply(item, "请看 /articles/refunds", user, status="solved")
        assert item.first_reply_at == first.created_at and item.solved_at is not None
        conversation.reply(item, "补充", user)
        assert item.first_reply_at == first.created_at and item.solved_at is None
        asking.customer_reply(item, "还是不行")
        conversation.update(item, status="solved", category="bug", assignee=None)
        assert item.solved_at is not None


def test_pruning_old_searches_keeps_their_numbers(traffic):
    from portal.feedback import retention

    with traffic.app_context():
        before = searches.Window(PERIOD).daily()
        later = local_time(DAY2 + timedelta(days=200), 12)
        assert retention.prune(180, now=later, tz=INSIGHTS_TZ)[1] == 8  # every raw row
        assert db.session.scalar(db.select(db.func.count()).select_from(db.table("search_log"))) == 0
        assert searches.Window(PERIOD).daily() == before


def test_ticket_days_across_a_daylight_saving_change(app):
    from datetime import date, datetime, timezone
    from zoneinfo import ZoneInfo

    berlin = ZoneInfo("Europe/Berlin")  # clocks went back on 2026-10-25
    autumn = Filters(start=date(2026, 10, 24), end=date(2026, 10, 26), tz=berlin, preset="custom")
    summer = Filters(start=date(2026, 7, 1), end=date(2026, 7, 2), tz=berlin, preset="custom")
    assert not sqltime.fixed_offset(autumn) and sqltime.fixed_offset(summer)
    with app.app_context():
        for when in (datetime(2026, 10, 25, 22, 59, tzinfo=timezone.utc),   # 23:59 on the 25th
                     datetime(2026, 10, 25, 23, 0, tzinfo=timezone.utc),    # 00:00 on the 26th
                     datetime(2026, 7, 1, 21, 59, tzinfo=timezone.utc),     # 23:59 on 1 July
                     datetime(2026, 7, 1, 22, 0, tzinfo=timezone.utc)):     # 00:00 on 2 July
            ticket_row(when)
        db.session.commit()
        created = {row["date"].isoformat(): row["created"]
                   for row in tickets.daily(autumn) + tickets.daily(summer) if row["category"] == "usage"}
    assert created == {"2026-10-24": 0, "2026-10-25": 1, "2026-10-26": 1,
                       "2026-07-01": 1, "2026-07-02": 1}
