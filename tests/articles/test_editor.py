"""Web authoring: create, publish, archive, preview, conflicts, failed writes, revisions."""
from __future__ import annotations

import threading

import pytest

from portal.articles import authoring, store
from portal.articles.revisions import Revision
from portal.extensions import db

pytestmark = pytest.mark.db

BODY = "## 如何修改收货地址？\n\n在订单详情页修改。\n\n## 发货后还能改吗？\n\n联系客服。\n\n## 地址填错了怎么办？\n\n尽快联系客服。"


def _form(**overrides):
    data = {"title": "修改收货地址", "slug": "change-address", "category": "配送与物流",
            "tags": "地址, 配送", "aliases": "改地址\n地址写错了", "lang": "zh-Hans",
            "audience": "public", "body": BODY, "action": "publish"}
    data.update(overrides)
    return data


@pytest.fixture
def editor(make_user, login, client):
    return login(make_user("editor"))


def test_create_and_publish_stores_the_article_and_a_revision(app, client, editor):
    response = client.post("/editor/new", data=_form())
    assert response.status_code == 302 and response.headers["Location"] == "/editor/articles/change-address"
    text = _stored(app, "change-address.md")
    assert "title: 修改收货地址" in text and "status: published" in text
    assert "- 地址写错了" in text and "## 发货后还能改吗？" in text
    page = client.get("/articles/change-address").get_data(as_text=True)
    assert 'id="发货后还能改吗"' in page
    with app.app_context():
        [revision] = authoring.revisions("change-address")
        assert revision.author_label == editor.email and revision.action == "publish"


def test_save_as_draft_is_hidden_from_customers(app, client, editor):
    client.post("/editor/new", data=_form(action="draft"))
    assert "status: draft" in _stored(app, "change-address.md")
    assert client.get("/articles/change-address").status_code == 404


def test_invalid_input_is_answered_and_nothing_is_lost(app, client, editor):
    response = client.post("/editor/new", data=_form(title="", slug="bad slug!"))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "如何修改收货地址" in html  # the body typed is still in the form
    with app.app_context():
        assert store.live_files() == []


def test_duplicate_slug_is_refused(app, client, sample_articles, editor):
    response = client.post("/editor/new", data=_form(slug="refunds"))
    assert response.status_code == 400
    assert "refunds" in response.get_data(as_text=True)
    assert "退款与退货" in _stored(app, "orders/refunds.md")
    assert _stored(app, "refunds.md") is None


def test_preview_uses_the_public_renderer_and_sanitizer(client, editor):
    response = client.post("/editor/preview", data={"body": "## 问题？\n\n<script>x()</script>**粗**"})
    html = response.get_json()["html"]
    assert 'id="问题"' in html and "<strong>粗</strong>" in html and "<script" not in html


def test_edit_keeps_the_path_and_slug(app, client, sample_articles, editor):
    page = client.get("/editor/articles/refunds").get_data(as_text=True)
    assert "退款与退货" in page
    response = client.post("/editor/articles/refunds", data=_form(
        title="退款与退货（新版）", slug="refunds", base_fingerprint=_fingerprint(app, "refunds"),
        category="订单与支付"))
    assert response.status_code == 302
    assert "退款与退货（新版）" in _stored(app, "orders/refunds.md")
    assert _stored(app, "refunds.md") is None


def test_second_concurrent_save_is_refused_with_a_diff(app, client, sample_articles, editor):
    opened_by_both = _fingerprint(app, "refunds")
    first = client.post("/editor/articles/refunds", data=_form(
        title="第一位编辑的标题", base_fingerprint=opened_by_both))
    assert first.status_code == 302
    second = client.post("/editor/articles/refunds", data=_form(
        title="第二位编辑的标题", base_fingerprint=opened_by_both))
    assert second.status_code == 409
    html = second.get_data(as_text=True)
    assert "其他人" in html or "Someone else" in html
    assert "第一位编辑的标题" in html and "第二位编辑的标题" in html  # diff and kept text
    assert "第一位编辑的标题" in _stored(app, "orders/refunds.md")


def test_a_database_refusing_the_write_keeps_the_old_version(app, client, sample_articles,
                                                            editor):
    """The database fails the transaction (a full disk, a lost connection): a real
    refusal, made by a trigger, not a stand-in for our code."""
    before = _stored(app, "orders/refunds.md")
    with app.app_context():
        revisions_before = len(authoring.revisions("refunds"))
        with db.engine.begin() as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("CREATE TRIGGER full_disk BEFORE UPDATE ON articles "
                                     "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
            else:
                conn.exec_driver_sql(
                    "CREATE FUNCTION full_disk() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION "
                    "'database or disk is full'; END $$ LANGUAGE plpgsql")
                conn.exec_driver_sql("CREATE TRIGGER full_disk BEFORE UPDATE ON articles "
                                     "FOR EACH ROW EXECUTE FUNCTION full_disk()")
    response = client.post("/editor/articles/refunds", data=_form(
        title="不会保存的标题", base_fingerprint=_fingerprint(app, "refunds")))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "文章未能写入（database or disk is full）。原有版本未受影响；您的内容仍保留在下方。" in html
    assert "不会保存的标题" in html  # the editor's text is still in the form
    assert _stored(app, "orders/refunds.md") == before
    with app.app_context():
        assert len(authoring.revisions("refunds")) == revisions_before
        assert store.latest_sequence() == app.extensions["portal.articles"].token


def test_archive_and_restore_from_archive(app, client, sample_articles, editor):
    assert client.post("/editor/articles/refunds/status", data={"to": "archive"}).status_code == 302
    assert client.get("/articles/refunds").status_code == 404
    client.post("/editor/articles/refunds/status", data={"to": "restore"})
    assert "status: draft" in _stored(app, "orders/refunds.md")


def test_history_diff_and_restore_of_an_old_revision(app, client, editor):
    client.post("/editor/new", data=_form(title="第一版"))
    fp = _fingerprint(app, "change-address")
    client.post("/editor/articles/change-address", data=_form(title="第二版", base_fingerprint=fp))
    with app.app_context():
        second, first = authoring.revisions("change-address")
    history = client.get("/editor/articles/change-address/history").get_data(as_text=True)
    assert editor.email in history and f"/revisions/{first.id}/restore" in history
    diff = client.get(f"/editor/articles/change-address/diff?a={first.id}&b={second.id}")
    assert "-title: 第一版" in diff.get_data(as_text=True)
    assert "+title: 第二版" in diff.get_data(as_text=True)
    restored = client.post(f"/editor/articles/change-address/revisions/{first.id}/restore")
    assert restored.status_code == 302
    assert "title: 第一版" in _stored(app, "change-address.md")
    with app.app_context():
        newest = authoring.revisions("change-address")[0]
        assert newest.action == f"restore #{first.id}" and newest.content == first.content


def test_a_save_on_one_worker_is_served_by_another(make_app, make_user):
    """Two workers (or nodes) share the database: no file, no lock, no restart."""
    worker_a, worker_b = make_app(), make_app()
    author = make_user("editor")
    source = "---\ntitle: 新文章\nslug: fresh\n---\n\n## 问？\n\n答。\n"
    with worker_a.app_context():
        authoring.save_source(worker_a.extensions["portal.articles"], source, author=author,
                              base_fingerprint=None)
    assert worker_b.test_client().get("/articles/fresh").status_code == 200


def test_two_workers_saving_one_article_at_once_one_wins(make_app, make_user, sample_articles):
    """Both opened the same version; exactly one save lands, the other is a conflict, and
    exactly one revision is added."""
    workers = [make_app(), make_app()]
    author = make_user("editor")
    with workers[0].app_context():
        base = workers[0].extensions["portal.articles"].get("refunds")
        before = len(authoring.revisions("refunds"))
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def save(worker, title):
        with worker.app_context():
            fields = authoring.ArticleFields.from_article(base)
            fields.title = title
            start.wait()
            try:
                authoring.save_article(worker.extensions["portal.articles"], fields,
                                       author=author, base_fingerprint=base.fingerprint,
                                       existing_slug="refunds")
                outcomes.append("saved")
            except authoring.EditConflict:
                outcomes.append("conflict")

    threads = [threading.Thread(target=save, args=(w, f"编辑 {i}")) for i, w in enumerate(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["conflict", "saved"]
    with workers[0].app_context():
        assert len(authoring.revisions("refunds")) == before + 1


def test_editor_list_filters_and_searches(client, sample_articles, editor):
    html = client.get("/editor/?status=draft").get_data(as_text=True)
    assert "未发布的草稿" in html and "退款与退货" not in html
    html = client.get("/editor/?audience=internal").get_data(as_text=True)
    assert "退款安抚话术" in html and "发票说明" not in html
    html = client.get("/editor/?q=帳號").get_data(as_text=True)  # folded: matches 帐号/帳號
    assert "登入問題" in html and "发票说明" not in html


def _stored(app, path: str) -> str | None:
    with app.app_context():
        return store.content(path)


def _fingerprint(app, slug: str) -> str:
    with app.app_context():
        app.extensions["portal.articles"].refresh()
        return app.extensions["portal.articles"].get(slug).fingerprint


def test_revision_model_keeps_full_text(app, client, editor):
    client.post("/editor/new", data=_form())
    with app.app_context():
        revision = db.session.query(Revision).filter_by(slug="change-address").one()
        assert revision.content == store.content("change-address.md")


def test_the_editor_refuses_ill_typed_front_matter_like_the_loader(app):
    source = "---\ntitle: 内部\nslug: sneaky\naudience: [internal]\n---\n\n## 问？\n\n答。\n"
    with app.app_context(), pytest.raises(authoring.SaveError, match="unknown audience"):
        authoring.save_source(app.extensions["portal.articles"], source, author=None,
                              base_fingerprint=None)
    with app.app_context():
        assert store.content("sneaky.md") is None


def test_two_editors_creating_the_same_new_address_never_overwrite(make_app, make_user):
    """Issue 18, finding 5: the "address taken" check runs inside the write transaction."""
    workers = [make_app(), make_app()]
    author = make_user("editor")
    mine = "---\ntitle: 我的版本\nslug: twin\n---\n\n## 问？\n\n我的答案。\n"
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def create(worker, text):
        with worker.app_context():
            start.wait()
            try:
                authoring.save_source(worker.extensions["portal.articles"], text, author=author,
                                      base_fingerprint=None)
                outcomes.append(text)
            except authoring.SaveError as exc:
                outcomes.append(str(exc))

    texts = [mine, mine.replace("我的", "另一个")]
    threads = [threading.Thread(target=create, args=pair) for pair in zip(workers, texts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    [winner] = [text for text in outcomes if text in texts]
    [refusal] = [text for text in outcomes if text not in texts]
    assert "twin" in refusal
    with workers[0].app_context():
        assert store.content("twin.md") == winner
        assert len(authoring.revisions("twin")) == 1
