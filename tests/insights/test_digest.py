"""The weekly digest: last week's numbers to editors through the outbox, once per week,
with a per-user opt-out, from the CLI and from the background job."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from portal.accounts.models import User
from portal.extensions import db
from portal.feedback import rollup
from portal.database import utcnow
from portal.insights import digest, problems
from portal.jobs import schedule
from portal.insights.models import DigestSent
from portal.tickets import mail
from portal.tickets.models import OutboxMessage

from ..factories import INSIGHTS_TZ, local_time, search_row, ticket_row

MONDAY = date(2026, 11, 23)  # the digest covers 16–22 November


def outbox(app) -> list[OutboxMessage]:
    with app.app_context():
        mail.wait_until_sent()
        return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.recipient)))


def week_of_trouble(editor_id: int) -> None:
    for n in range(6):
        search_row("退款 到账", local_time(date(2026, 11, 20), 10, n), results=0, session=f"s{n}")
    problem = problems.create("支付回调失败", "bug", status="fixed")
    problem.fixed_at = local_time(date(2026, 11, 18), 9)
    item = ticket_row(local_time(date(2026, 11, 19), 9))
    db.session.commit()
    problems.attach(item, problem, db.session.get(User, editor_id))


def test_digest_goes_to_editors_who_did_not_opt_out(sample_articles, app, make_user):
    editor, admin, quiet = make_user("editor"), make_user("admin"), make_user("editor")
    make_user("agent")
    with app.app_context():
        week_of_trouble(editor.id)
        digest.set_wanted(db.session.get(User, quiet.id), False)
        articles = app.extensions["portal.articles"].visible(("public", "internal"), ("published",))
        assert digest.send(MONDAY, INSIGHTS_TZ, articles) == 2
        assert digest.send(MONDAY, INSIGHTS_TZ, articles) is None  # once per week
    messages = outbox(app)
    assert sorted(m.recipient for m in messages) == sorted([editor.email, admin.email])
    body = messages[0].body
    assert "2026-11-16" in messages[0].subject and "2026-11-22" in messages[0].subject
    assert "退款 到账" in body           # top failed query
    assert "(0 → 6)" in body            # rising
    assert "支付回调失败" in body        # recurring problem
    assert "range=custom&start=2026-11-16&end=2026-11-22" in body


def test_opting_in_again_and_the_page_switch(client, login, app, make_user):
    editor = make_user("editor")
    login(editor)
    assert client.post("/ops/insights/digest", data={}).status_code == 302
    with app.app_context():
        assert not digest.wants_digest(db.session.get(User, editor.id))
        assert digest.recipients() == []
    client.post("/ops/insights/digest", data={"wanted": "y"})
    with app.app_context():
        assert [u.id for u in digest.recipients()] == [editor.id]


def test_due_only_from_monday_morning(app, make_user):
    make_user("editor")
    with app.app_context():
        sunday_night = local_time(MONDAY, 7, 59)
        assert digest.send_if_due(INSIGHTS_TZ, [], now=sunday_night) is None
        assert digest.send_if_due(INSIGHTS_TZ, [], now=local_time(MONDAY, 8)) == 1
        assert digest.send_if_due(INSIGHTS_TZ, [], now=local_time(MONDAY + timedelta(days=2), 8)) is None
        assert db.session.get(DigestSent, MONDAY).recipients == 1


def test_cli_sends_this_weeks_digest_once(app, runner, make_user):
    make_user("editor")
    first = runner.invoke(args=["insights", "digest"])
    assert first.exit_code == 0 and "digest sent to 1 editors" in first.output
    assert "sent already" in runner.invoke(args=["insights", "digest"]).output
    assert "digest sent to 1" in runner.invoke(args=["insights", "digest", "--again"]).output
    assert len(outbox(app)) == 2


def test_cli_rollup(app, runner):
    with app.app_context():
        search_row("退款", local_time(date(2026, 11, 20), 10))
        db.session.commit()
    result = runner.invoke(args=["insights", "rollup"])
    assert result.exit_code == 0 and "rolled up" in result.output
    with app.app_context():
        assert rollup.rolled_days(date(2026, 11, 20), date(2026, 11, 20)) == {date(2026, 11, 20)}


def test_the_worker_rolls_up_finished_days_and_sends_the_digest_when_due(app, make_user):
    editor = make_user("editor")
    with app.app_context():
        search_row("退款", local_time(date(2026, 11, 21), 10))
        db.session.commit()
        jobs = {job.name: job for job in schedule.scheduled_jobs(app)}
        jobs["insights-rollup"].run(app)
        assert rollup.rolled_days(date(2026, 11, 21), date(2026, 11, 21)) == {date(2026, 11, 21)}
        jobs["insights-digest"].run(app)  # this week's Monday 08:00 has passed: it goes out
        monday = digest.week_of(utcnow(), INSIGHTS_TZ)
        due = utcnow() >= local_time(monday, 8)
        assert (db.session.get(DigestSent, monday) is not None) == due
    assert [m.recipient for m in outbox(app)] == ([editor.email] if due else [])


def test_insights_jobs_can_be_turned_off(make_app):
    app = make_app(INSIGHTS_INTERVAL=0)
    names = {job.name for job in schedule.scheduled_jobs(app)}
    assert "insights-rollup" not in names and "insights-digest" not in names
