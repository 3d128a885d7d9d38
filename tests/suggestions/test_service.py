"""Suggestions inside the portal: the CLI, stored runs, and the ops page actions end to end."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from portal.accounts.models import User
from portal.articles import authoring, store
from portal.jobs.runner import JobRunner
from portal.jobs.schedule import scheduled_jobs
from portal.suggestions import service as suggesting
from portal.extensions import db
from portal.suggestions.models import SuggestionRun

from ..factories import write_article

pytestmark = pytest.mark.db

BROWSER = {"User-Agent": "Mozilla/5.0 Chrome/120"}
REFUND_TEXTS = ["怎么申请退款", "怎么申请退款", "如何申請退款", "如何申請退款呢",
                "how do I get a refund", "how can I get a refund"]
UNRELATED = ["量子纠缠传送门", "量子纠缠传送门坏了", "量子纠缠传送门打不开"]


@pytest.fixture
def refund_articles(articles_dir):
    write_article(articles_dir, "refunds.md", "退款与退货",
                  "## 如何申请退款？\n\n在「我的订单」点击申请退款。\n\n## 退款多久到账？\n\n1-3 个工作日。",
                  slug="refunds", category="订单与支付", tags=["退款"])
    write_article(articles_dir, "refunds-en.md", "Refunds and returns",
                  "## How do I request a refund?\n\nOpen My orders and tap Request refund.\n\n"
                  "## When will I get my money back?\n\nWithin 1-3 working days.",
                  slug="refunds-en", lang="en", translation_of="refunds", category="订单与支付")
    return articles_dir


def _write_jsonl(path, texts):
    path.write_text("\n".join(json.dumps({"text": t}, ensure_ascii=False) for t in texts) + "\n",
                    "utf-8")


def test_cli_groups_a_file_against_the_articles(runner, refund_articles, tmp_path):
    source, output = tmp_path / "in.jsonl", tmp_path / "out.json"
    _write_jsonl(source, REFUND_TEXTS + UNRELATED + ["今天天气怎么样"])
    result = runner.invoke(args=["suggest", "--input", str(source), "--output", str(output),
                                 "--articles", str(refund_articles)])
    assert result.exit_code == 0, result.output
    data = json.loads(output.read_text("utf-8"))
    assert len(data["assignments"]) == len(REFUND_TEXTS) + len(UNRELATED) + 1
    groups = {g["id"]: g for g in data["groups"]}
    refund_groups = {data["assignments"][i] for i in range(len(REFUND_TEXTS))}
    unrelated_group = data["assignments"][len(REFUND_TEXTS)]
    assert unrelated_group not in refund_groups and unrelated_group != -1
    for gid in refund_groups:  # every refund phrasing points at the refunds article
        assert groups[gid]["nearest"]["article"] == "refunds"
        assert groups[gid]["action"] == "add_aliases"
        assert groups[gid]["title"] in REFUND_TEXTS
    assert groups[unrelated_group]["action"] == "new_article"
    assert data["assignments"][-1] == -1  # a one-off is noise
    first = output.read_bytes()
    runner.invoke(args=["suggest", "--input", str(source), "--output", str(output),
                        "--articles", str(refund_articles)])
    assert output.read_bytes() == first


def test_cli_names_the_bad_line(runner, tmp_path):
    source = tmp_path / "bad.jsonl"
    source.write_text('{"text": "ok"}\n{"text": \n', "utf-8")
    result = runner.invoke(args=["suggest", "--input", str(source), "--output", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert result.output == "Error: line 2: not valid JSON (Expecting value)\n"


def _failed_searches(app, texts):
    for text in texts:
        app.test_client().get("/search", query_string={"q": text}, headers=BROWSER)
    app.extensions["portal.signals"].flush()


@pytest.fixture
def editor_client(app, make_user, login, client):
    login(make_user("editor"))
    return client


def test_run_over_portal_signals_and_create_draft_from_the_page(app, runner, refund_articles,
                                                                 editor_client):
    _failed_searches(app, UNRELATED * 2)
    result = runner.invoke(args=["suggest", "run"])
    assert result.exit_code == 0, result.output
    page = editor_client.get("/ops/suggestions").get_data(as_text=True)
    assert "量子纠缠传送门" in page
    with app.app_context():
        run = db.session.scalar(select(SuggestionRun))
        group = run.result["groups"][0]
    response = editor_client.post("/ops/suggestions/draft", data={"run": run.id, "group": group["id"]})
    assert response.status_code == 302 and "/editor/articles/" in response.headers["Location"]
    slug = response.headers["Location"].rsplit("/", 1)[1]
    with app.app_context():
        text = store.content(f"{slug}.md")
    assert "status: draft" in text and f"title: {group['title']}" in text
    assert text.count("\n## ") >= 1 and "量子纠缠传送门坏了" in text  # heading or alias
    assert editor_client.get(f"/editor/articles/{slug}").status_code == 200


def test_add_aliases_from_the_page_makes_search_find_the_article(app, refund_articles, editor_client):
    _failed_searches(app, ["量子纠缠传送门"] * 3 + ["量子纠缠传送门坏了"] * 2)
    with app.app_context():
        run = suggesting.run_and_store(app.extensions["portal.articles"].visible())
        group = run.result["groups"][0]
    form = {"run": run.id, "group": group["id"], "slug": "refunds-en"}
    confirmation = editor_client.post("/ops/suggestions/aliases", data=form)
    assert confirmation.status_code == 200 and "量子纠缠传送门坏了" in confirmation.get_data(as_text=True)
    assert "量子纠缠传送门坏了" not in _stored(app, "refunds-en.md")
    response = editor_client.post("/ops/suggestions/aliases", data={
        **form, "confirmed": "1", "phrase": [text for text, _ in group["phrasings"]]})
    assert response.status_code == 302
    assert "量子纠缠传送门坏了" in _stored(app, "refunds-en.md")
    hits = app.test_client().get("/api/v1/search?q=量子纠缠传送门").get_json()["results"]
    assert hits and hits[0]["article"] == "refunds-en"


def test_dismissed_group_stays_away_until_it_grows_by_half(app, refund_articles, editor_client):
    _failed_searches(app, UNRELATED * 2)
    with app.app_context():
        run = suggesting.run_and_store(app.extensions["portal.articles"].visible())
        group = run.result["groups"][0]
    editor_client.post("/ops/suggestions/dismiss", data={"run": run.id, "group": group["id"]})
    assert "量子纠缠传送门" not in editor_client.get("/ops/suggestions").get_data(as_text=True)
    _failed_searches(app, UNRELATED[:2])  # 8 texts: less than half again as many as 6
    with app.app_context():
        suggesting.run_and_store(app.extensions["portal.articles"].visible())
    assert "量子纠缠传送门" not in editor_client.get("/ops/suggestions").get_data(as_text=True)
    _failed_searches(app, UNRELATED[:1])  # 9 texts: grown by half
    with app.app_context():
        suggesting.run_and_store(app.extensions["portal.articles"].visible())
    assert "量子纠缠传送门" in editor_client.get("/ops/suggestions").get_data(as_text=True)


def test_recompute_is_done_by_the_job_runner(app, refund_articles, editor_client):
    _failed_searches(app, UNRELATED * 2)
    response = editor_client.post("/ops/suggestions/run")
    assert response.status_code == 302
    own = (["articles-watch"] if app.config["WATCH_ARTICLES"] else []) + ["index-follow"]
    assert JobRunner(app, scheduled_jobs(app)).run_pending() == own + [
        "mail", "log-rollup", "insights-rollup", "insights-digest", suggesting.JOB_NAME]
    with app.app_context():
        [group] = suggesting.latest_run().result["groups"]
    assert group["title"] in UNRELATED and group["size"] == 6


def test_suggestions_page_needs_an_editor(client, make_user, login):
    assert client.get("/ops/suggestions").status_code == 302
    login(make_user("agent"))
    assert client.get("/ops/suggestions").status_code == 403


def test_draft_slug_is_readable_pinyin_and_unique():
    taken = {"tui-kuan-zen-me-shen-qing"}
    assert suggesting.draft_slug("退款怎么申请？", taken.__contains__) == "tui-kuan-zen-me-shen-qing-2"
    assert suggesting.draft_slug("How do I pay?", set().__contains__) == "how-do-i-pay"


def test_aliases_never_carry_personal_data_into_the_type_ahead(app, refund_articles, editor_client):
    """Issue 18, finding 4: a phone number written with dots reached /api/v1/suggest."""
    with_phone = "发票 138.0013.8000"
    group = {"id": 0, "title": "发票", "phrasings": [["发票 开错了", 3], [with_phone, 2]]}
    assert suggesting.alias_choices(group) == (["发票 开错了"], 1)
    with app.app_context():
        editor = db.session.scalar(select(User))
        authoring.add_aliases(app.extensions["portal.articles"], "refunds", [with_phone, "发票 开错了"],
                              author=editor)
        text = store.content(app.extensions["portal.articles"].get("refunds").path)
    assert "发票 开错了" in text and "138" not in text
    suggestions = app.test_client().get("/api/v1/suggest?q=发票 138").get_data(as_text=True)
    assert "0013" not in suggestions


def test_the_confirmation_page_leaves_out_phrasings_with_personal_data(app, refund_articles,
                                                                       editor_client):
    _failed_searches(app, ["量子纠缠传送门"] * 3 + ["量子纠缠传送门 138.0013.8000"] * 2)
    with app.app_context():
        run = suggesting.run_and_store(app.extensions["portal.articles"].visible())
        group = run.result["groups"][0]
    page = editor_client.post("/ops/suggestions/aliases", data={
        "run": run.id, "group": group["id"], "slug": "refunds"}).get_data(as_text=True)
    assert "0013" not in page


def _stored(app, path: str) -> str:
    with app.app_context():
        return store.content(path)
