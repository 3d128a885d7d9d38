"""Measure the insights page and its CSV exports on a large portal (run by hand).

Generates searches (default 1M, over 180 days) and tickets (default 100k, over a year,
each with a customer message and most with a reply, a fifth of the replies linking an
article), votes and problems in a fresh SQLite file (or an empty PostgreSQL database
with --database-url), rolls the finished days up as the background job does, then times
GET /ops/insights and each GET /ops/insights/<report>.csv for the last 90 days as an
editor through the Flask test client. Prints p50/p95 in milliseconds for docs/performance.md.
After the roll-up it precomputes the preset periods' query sums as the insights job does,
and also times a language filter and a custom 90-day range (not precomputed).

    .venv/bin/python bench/insights_bench.py --searches 1000000 --tickets 100000 --requests 20
"""
from __future__ import annotations

import argparse
import os
import random
import secrets
import shutil
import sys
import tempfile
import time
from datetime import timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from portal import create_app  # noqa: E402
from portal.articles.folder import import_folder  # noqa: E402
from portal.accounts import users as accounts  # noqa: E402
from portal.database import utcnow  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.feedback import rollup  # noqa: E402
from portal.feedback.models import SearchLog, Vote  # noqa: E402
from portal.feedback.searchlog import normalize  # noqa: E402
from portal.i18n import portal_timezone  # noqa: E402
from portal.insights import periodsums, problems  # noqa: E402
from portal.insights.models import ProblemTicket  # noqa: E402
from portal.insights.reports import COLUMNS  # noqa: E402
from portal.tickets.models import TICKET_CATEGORIES, ArticleLink, Ticket, TicketMessage  # noqa: E402
from search_http_bench import machine, percentiles  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORDS = ("退款", "发票", "账号", "登錄", "密码", "物流", "优惠券", "会员", "积分", "地址", "订单",
         "支付", "换货", "保修", "开票", "快递", "取消", "修改", "绑定", "手机号")
LANGS = ("zh-Hans", "zh-Hans", "zh-Hans", "zh-Hant", "en")
CHUNK = 20_000


def vocabulary(size: int, rng: random.Random) -> list[str]:
    """Distinct queries of one to three words, many of them rare."""
    found: set[str] = set()
    while len(found) < size:
        found.add(" ".join(rng.sample(WORDS, rng.randint(1, 3))) + ("" if rng.random() < .7
                                                                    else f" {rng.randint(1, 99)}"))
    return sorted(found)


def chunks(rows):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def generate(n_searches: int, n_tickets: int, slugs: list[str], seed: int = 7) -> None:
    """Bulk-insert the synthetic traffic (committed in chunks)."""
    rng = random.Random(seed)
    now = utcnow()
    queries = vocabulary(5000, rng)
    weights = [1 / (rank + 1) for rank in range(len(queries))]  # a long tail
    normalized = {q: normalize(q) for q in queries}

    def searches():
        picked = rng.choices(queries, weights, k=n_searches)
        for n, query in enumerate(picked):
            when = now - timedelta(seconds=rng.randint(0, 180 * 86400))
            results = 0 if rng.random() < .12 else rng.randint(1, 20)
            opened = rng.choice(slugs) if results and rng.random() < .55 else None
            yield dict(public_id=secrets.token_hex(16), query=query, normalized=normalized[query],
                       result_count=results, page=1, locale=rng.choice(LANGS), lang_filter=None,
                       category_filter=None, session_id=f"s{n // 3}", source="page",
                       is_staff=rng.random() < .02, is_bot=rng.random() < .03,
                       failure=None if results else "no_results", opened_slug=opened,
                       opened_anchor="" if opened else None,
                       opened_at=when + timedelta(seconds=30) if opened else None, created_at=when)

    for batch in chunks(searches()):
        db.session.execute(insert(SearchLog), batch)
        db.session.commit()
    db.session.execute(insert(Vote), [dict(
        slug=rng.choice(slugs), anchor="", helpful=rng.random() < .7, reason=None, comment="",
        session_id=f"v{n}", created_at=now - timedelta(seconds=rng.randint(0, 180 * 86400)))
        for n in range(n_searches // 20)])
    db.session.commit()

    first_id = (db.session.scalar(select(Ticket.id).order_by(Ticket.id.desc()).limit(1)) or 0) + 1
    tickets, messages, links = [], [], []
    for n in range(n_tickets):
        created = now - timedelta(seconds=rng.randint(0, 365 * 86400))
        replied = created + timedelta(minutes=rng.randint(5, 3000)) if rng.random() < .9 else None
        solved = replied + timedelta(hours=rng.randint(1, 96)) if replied and rng.random() < .7 else None
        tickets.append(dict(id=first_id + n, token=secrets.token_urlsafe(16), subject="问题",
                            email="c@example.com", customer_name="", category=rng.choice(TICKET_CATEGORIES),
                            status="solved" if solved else "open", locale=rng.choice(LANGS),
                            source="ask", session_id=f"s{rng.randint(0, n_searches // 3)}",
                            trail={"searches": [], "votes": []}, created_at=created,
                            updated_at=solved or created, first_reply_at=replied, solved_at=solved))
        messages.append(dict(ticket_id=first_id + n, kind="customer", body="help", created_at=created))
        if replied:
            messages.append(dict(ticket_id=first_id + n, kind="reply", body="answer",
                                 created_at=replied))
    for batch in chunks(tickets):
        db.session.execute(insert(Ticket), batch)
    for batch in chunks(messages):
        db.session.execute(insert(TicketMessage), batch)
    db.session.commit()
    for message_id, ticket_id, when in db.session.execute(select(
            TicketMessage.id, TicketMessage.ticket_id, TicketMessage.created_at)
            .where(TicketMessage.kind == "reply")):
        if rng.random() < .2:
            links.append(dict(slug=rng.choice(slugs), anchor="", source="reply", ticket_id=ticket_id,
                              message_id=message_id, created_at=when))
    for batch in chunks(links):
        db.session.execute(insert(ArticleLink), batch)
    for n in range(50):
        problems.create(f"问题 {n}", "bug", status="fixed" if n % 3 == 0 else "open")
    db.session.execute(insert(ProblemTicket), [dict(problem_id=1 + n % 50, ticket_id=first_id + n,
                                                    attached_at=now) for n in range(0, n_tickets, 20)])
    db.session.commit()


def timed(client, path: str, requests: int) -> list[float]:
    samples = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(path)
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200, (path, response.status_code)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--searches", type=int, default=1_000_000)
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=20, help="timed requests per URL")
    parser.add_argument("--database-url", help="an empty PostgreSQL database (default: SQLite)")
    parser.add_argument("--business-hours", default="09:00-18:00",
                        help="also time the dashboard with these PORTAL_BUSINESS_HOURS ('' skips)")
    parser.add_argument("--keep", metavar="DIR",
                        help="keep the generated portal in DIR and reuse it when run again")
    args = parser.parse_args()
    workdir = args.keep or tempfile.mkdtemp(prefix="insights-bench-")
    os.makedirs(workdir, exist_ok=True)
    try:
        measure(args, workdir)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


def measure(args, workdir: str) -> None:
    """Build the portal in `workdir`, fill it, roll it up and time the URLs."""
    settings = {
        "ARTICLES_DIR": os.path.join(ROOT, "articles"), "INDEX_DIR": os.path.join(workdir, "index"),
        "SQLALCHEMY_DATABASE_URI": args.database_url or f"sqlite:///{workdir}/bench.sqlite3",
        "SECRET_KEY": "bench", "RESCAN_SECONDS": 3600, "RATELIMIT_ENABLED": False,
        "WTF_CSRF_ENABLED": False, "TESTING": True}
    app = create_app(settings)
    with app.app_context():
        upgrade()
        if db.session.scalar(select(SearchLog.id).limit(1)) is None:
            import_folder(settings["ARTICLES_DIR"])  # the demo articles, into the database
            app.extensions["portal.articles"].refresh()
            slugs = [a.slug for a in app.extensions["portal.articles"].visible()]
            start = time.perf_counter()
            generate(args.searches, args.tickets, slugs)
            print(f"generated {args.searches:,} searches, {args.tickets:,} tickets "
                  f"in {time.perf_counter() - start:.0f} s", flush=True)
            accounts.create_user("bench-editor@example.com", "bench password 1", "editor")
        start = time.perf_counter()
        days = rollup.roll_up_pending(portal_timezone())
        print(f"rolled up {days} days in {time.perf_counter() - start:.0f} s", flush=True)
        start = time.perf_counter()
        periods = periodsums.precompute(portal_timezone())  # what the insights job does next
        print(f"precomputed {periods} periods' query sums in {time.perf_counter() - start:.1f} s",
              flush=True)
        today = utcnow().astimezone(portal_timezone()).date()
    client = signed_in(app)
    print(f"machine: {machine()}; database: {'PostgreSQL' if args.database_url else 'SQLite'}")
    # A custom 90-day range is not precomputed: its query sums come from the daily table.
    custom = (f"range=custom&start={(today - timedelta(days=95)).isoformat()}"
              f"&end={(today - timedelta(days=6)).isoformat()}")
    print("| URL | first ms | p50 ms | p95 ms |\n|---|---|---|---|")
    for path in ["/ops/insights?range=90", "/ops/insights?range=90&language=zh-Hant",
                 f"/ops/insights?{custom}", *(f"/ops/insights/{r}.csv?range=90" for r in COLUMNS)]:
        first = timed(client, path, 1)[0]  # also the warm-up: templates, the article repository
        p50, p95, _p99 = percentiles(timed(client, path, args.requests))
        print(f"| `{path}` | {first * 1000:.0f} | {p50:.0f} | {p95:.0f} |", flush=True)
    if args.business_hours:  # the same dashboard counting reply times in business hours
        client = signed_in(create_app({**settings, "BUSINESS_HOURS": args.business_hours}))
        path = "/ops/insights?range=90"
        first = timed(client, path, 1)[0]
        p50, p95, _p99 = percentiles(timed(client, path, args.requests))
        print(f"| `{path}`, `PORTAL_BUSINESS_HOURS={args.business_hours}` | {first * 1000:.0f} "
              f"| {p50:.0f} | {p95:.0f} |", flush=True)


def signed_in(app):
    """A test client signed in as the bench's editor."""
    client = app.test_client()
    assert client.post("/login", data={"email": "bench-editor@example.com",
                                       "password": "bench password 1"}).status_code == 302
    return client


if __name__ == "__main__":
    main()
