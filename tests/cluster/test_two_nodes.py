"""Issue 13 on two real nodes: what a save, a file edit, two editors, restarts, the job
leases, a SIGTERM during a slow database, mail, a held index and the proxy do."""
from __future__ import annotations

import re
import threading

import requests
import sqlalchemy as sa
from filelock import FileLock

from .nodes import PASSWORD, csrf_token, wait_for

SYNC_SECONDS = 5  # a change must reach every node within this (issue 13)
FINGERPRINT = re.compile(r'name="base_fingerprint"[^>]*value="([0-9a-f]*)"')


def _db(cluster):
    url = cluster["nodes"][0].env["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1)
    return sa.create_engine(url)


def _scalar(cluster, sql: str, **params):
    engine = _db(cluster)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(sql), params).scalar()
    finally:
        engine.dispose()


def _signed_in(node, email: str = "editor@example.com") -> requests.Session:
    session = requests.Session()
    token = csrf_token(session.get(node.url + "/login").text)
    response = session.post(node.url + "/login", data={
        "csrf_token": token, "email": email, "password": PASSWORD},
        allow_redirects=False)
    assert response.status_code == 302, response.text[:500]
    return session


def _article_form(session, node, path: str, **fields) -> dict:
    response = session.get(node.url + path)
    assert response.status_code == 200, (node.name, path, response.status_code, response.text[:300])
    page = response.text
    base = {"title": "", "slug": "", "category": "订单与支付", "tags": "", "aliases": "",
            "lang": "zh-Hans", "audience": "public", "body": "", "action": "publish",
            "csrf_token": csrf_token(page)}
    fingerprint = FINGERPRINT.search(page)
    if fingerprint:
        base["base_fingerprint"] = fingerprint.group(1)
    return {**base, **fields}


def _hits(node, query: str) -> list[str]:
    answer = requests.get(node.url + "/api/v1/search", params={"q": query}, timeout=10)
    return [hit["article"] for hit in answer.json()["results"]] if answer.ok else []


def test_both_concurrent_upgrades_succeeded(cluster):
    assert [code for code, _output in cluster["upgrades"]] == [0, 0], cluster["upgrades"]


def test_a_save_on_a_is_served_and_found_on_b_within_seconds(cluster):
    a, b = cluster["nodes"]
    editor = _signed_in(a)
    form = _article_form(editor, a, "/editor/new", title="集群测试文章", slug="cluster-save",
                         body="## 星际穿越优惠券怎么用？\n\n在结算页选择星际穿越优惠券。")
    assert editor.post(a.url + "/editor/new", data=form, allow_redirects=False).status_code == 302
    wait_for(lambda: requests.get(b.url + "/articles/cluster-save", timeout=5).status_code == 200,
             SYNC_SECONDS, "node B did not serve the article saved on node A")
    wait_for(lambda: "cluster-save" in _hits(b, "星际穿越优惠券"), SYNC_SECONDS,
             "node B's search did not find the article saved on node A")


def test_a_watched_file_edit_is_one_revision_and_reaches_both_nodes(cluster):
    a, b = cluster["nodes"]
    wait_for(lambda: requests.get(b.url + "/articles/refunds", timeout=5).status_code == 200,
             SYNC_SECONDS * 6, "the demo articles never reached node B")
    [path] = [p for p in a.articles.rglob("*.md") if "slug: refunds\n" in p.read_text("utf-8")]
    before = _scalar(cluster, "SELECT count(*) FROM revisions WHERE slug = 'refunds'")
    path.write_text(path.read_text("utf-8").replace("## ", "## 月球仓库发货吗？\n\n会。\n\n## ", 1),
                    "utf-8")
    for node in (a, b):
        wait_for(lambda node=node: "refunds" in _hits(node, "月球仓库"), SYNC_SECONDS,
                 f"node {node.name} did not find the edit made to the watched file")
    assert _scalar(cluster, "SELECT count(*) FROM revisions WHERE slug = 'refunds'") == before + 1


def test_two_editors_on_two_nodes_one_saves_one_gets_a_conflict(cluster):
    a, b = cluster["nodes"]
    editors = [_signed_in(a), _signed_in(b, "editor2@example.com")]  # two people
    forms = [_article_form(session, node, "/editor/articles/cluster-save", title=f"编辑 {node.name}",
                           slug="cluster-save", body="## 问？\n\n答。")
             for session, node in zip(editors, (a, b))]
    assert forms[0]["base_fingerprint"] == forms[1]["base_fingerprint"]
    before = _scalar(cluster, "SELECT count(*) FROM revisions WHERE slug = 'cluster-save'")
    start, codes = threading.Barrier(2), []

    def save(session, node, form):
        start.wait()
        codes.append(session.post(node.url + "/editor/articles/cluster-save", data=form,
                                  allow_redirects=False).status_code)

    threads = [threading.Thread(target=save, args=args)
               for args in zip(editors, (a, b), forms)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(codes) == [302, 409]
    assert _scalar(cluster, "SELECT count(*) FROM revisions WHERE slug = 'cluster-save'") == before + 1


def test_a_login_on_a_works_on_b(cluster):
    a, b = cluster["nodes"]
    session = _signed_in(a)
    assert session.get(b.url + "/editor/", allow_redirects=False).status_code == 200


def test_clients_behind_the_proxy_are_limited_separately(cluster):
    a, _b = cluster["nodes"]

    def failed_login(address: str) -> int:
        session = requests.Session()
        headers = {"X-Forwarded-For": address}
        token = csrf_token(session.get(a.url + "/login", headers=headers).text)
        return session.post(a.url + "/login", headers=headers, data={
            "csrf_token": token, "email": f"nobody-{address}@example.com", "password": "wrong"},
            allow_redirects=False).status_code

    assert [failed_login("198.51.100.7") for _ in range(4)] == [401, 401, 401, 429]
    assert failed_login("203.0.113.9") == 401


def test_one_suggestions_run_per_interval_across_both_nodes(cluster):
    wait_for(lambda: _scalar(cluster, "SELECT count(*) FROM suggestion_runs") >= 3, 30,
             "the suggestions job did not run")
    engine = _db(cluster)
    with engine.connect() as conn:
        times = [row[0] for row in conn.execute(sa.text(
            "SELECT created_at FROM suggestion_runs ORDER BY created_at"))]
    engine.dispose()
    gaps = [(later - earlier).total_seconds() for earlier, later in zip(times, times[1:])]
    assert min(gaps) > 1.5, gaps  # PORTAL_SUGGESTIONS_INTERVAL is 2 s on both nodes


def test_searches_answer_while_a_rebuild_holds_the_index(cluster):
    _a, b = cluster["nodes"]
    with FileLock(str(b.base / "search_index" / "WRITE.lock"), timeout=10):
        answers = [requests.get(b.url + "/api/v1/search", params={"q": "退款"}, timeout=5)
                   for _ in range(5)]
    assert all(answer.status_code == 200 and answer.json()["results"] for answer in answers)


def test_mail_reaches_the_sink_exactly_once_across_two_workers_and_restarts(cluster, smtp_sink):
    a, b = cluster["nodes"]
    session = requests.Session()
    token = csrf_token(session.get(b.url + "/login/forgot").text)
    assert session.post(b.url + "/login/forgot", data={"csrf_token": token,
                                                       "email": "editor@example.com"},
                        allow_redirects=False).status_code == 302
    wait_for(lambda: smtp_sink.messages, 30, "the reset e-mail never reached the SMTP sink")
    a.restart()
    b.restart()
    assert _scalar(cluster, "SELECT count(*) FROM mail_outbox WHERE status = 'sent'") == 1
    assert len(smtp_sink.messages) == 1


def test_restarts_add_no_revision(cluster):
    a, b = cluster["nodes"]
    before = _scalar(cluster, "SELECT count(*) FROM revisions")
    a.restart()
    b.restart()
    wait_for(lambda: requests.get(b.url + "/readyz", timeout=5).status_code == 200, 30,
             "node B not ready after its restart")
    assert _scalar(cluster, "SELECT count(*) FROM revisions") == before


def test_searches_made_before_a_sigterm_during_a_slow_database_are_stored(cluster):
    _a, b = cluster["nodes"]
    engine = _db(cluster)
    before = _scalar(cluster, "SELECT count(*) FROM search_log")
    with engine.connect() as slow:  # the database stalls every search log write
        slow.execute(sa.text("LOCK TABLE search_log IN ACCESS EXCLUSIVE MODE"))
        for number in range(40):
            assert requests.get(b.url + "/search", params={"q": f"退款 {number}"},
                                headers={"X-Forwarded-For": f"192.0.2.{number + 1}"},
                                timeout=10).status_code == 200
        web = b.processes[0]
        web.send_signal(15)  # SIGTERM to gunicorn's master: workers flush, then exit
        threading.Timer(2.0, slow.rollback).start()  # the database recovers in time
        web.wait(timeout=60)
    engine.dispose()
    assert _scalar(cluster, "SELECT count(*) FROM search_log") == before + 40
    b.restart()
