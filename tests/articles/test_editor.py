"""Web authoring: create, publish, archive, preview, conflicts, failed writes, revisions."""
from __future__ import annotations

import errno
import os
import threading
from pathlib import Path

import pytest

from portal.articles import authoring
from portal.articles.revisions import Revision
from portal.files import file_lock

from ..factories import REFUNDS_BODY, rewrite_article, write_article

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


def test_create_and_publish_writes_the_file_and_a_revision(app, client, articles_dir, editor):
    response = client.post("/editor/new", data=_form())
    assert response.status_code == 302 and response.headers["Location"] == "/editor/articles/change-address"
    text = (articles_dir / "change-address.md").read_text("utf-8")
    assert "title: 修改收货地址" in text and "status: published" in text
    assert "- 地址写错了" in text and "## 发货后还能改吗？" in text
    page = client.get("/articles/change-address").get_data(as_text=True)
    assert 'id="发货后还能改吗"' in page
    with app.app_context():
        [revision] = authoring.revisions("change-address")
        assert revision.author_label == editor.email and revision.action == "publish"


def test_save_as_draft_is_hidden_from_customers(client, articles_dir, editor):
    client.post("/editor/new", data=_form(action="draft"))
    assert "status: draft" in (articles_dir / "change-address.md").read_text("utf-8")
    assert client.get("/articles/change-address").status_code == 404


def test_invalid_input_is_answered_and_nothing_is_lost(client, articles_dir, editor):
    response = client.post("/editor/new", data=_form(title="", slug="bad slug!"))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "如何修改收货地址" in html  # the body typed is still in the form
    assert not list(articles_dir.glob("*.md"))


def test_duplicate_slug_is_refused(client, sample_articles, editor):
    response = client.post("/editor/new", data=_form(slug="refunds"))
    assert response.status_code == 400
    assert "refunds" in response.get_data(as_text=True)
    assert "退款与退货" in (sample_articles / "orders/refunds.md").read_text("utf-8")


def test_preview_uses_the_public_renderer_and_sanitizer(client, editor):
    response = client.post("/editor/preview", data={"body": "## 问题？\n\n<script>x()</script>**粗**"})
    html = response.get_json()["html"]
    assert 'id="问题"' in html and "<strong>粗</strong>" in html and "<script" not in html


def test_edit_keeps_the_path_and_slug(client, sample_articles, editor):
    page = client.get("/editor/articles/refunds").get_data(as_text=True)
    assert "退款与退货" in page
    fp = _fingerprint(sample_articles / "orders/refunds.md")
    response = client.post("/editor/articles/refunds", data=_form(
        title="退款与退货（新版）", slug="refunds", base_fingerprint=fp, category="订单与支付"))
    assert response.status_code == 302
    assert "退款与退货（新版）" in (sample_articles / "orders/refunds.md").read_text("utf-8")
    assert not (sample_articles / "refunds.md").exists()


def test_second_concurrent_save_is_refused_with_a_diff(client, sample_articles, editor):
    path = sample_articles / "orders/refunds.md"
    opened_by_both = _fingerprint(path)
    first = client.post("/editor/articles/refunds", data=_form(
        title="第一位编辑的标题", base_fingerprint=opened_by_both))
    assert first.status_code == 302
    second = client.post("/editor/articles/refunds", data=_form(
        title="第二位编辑的标题", base_fingerprint=opened_by_both))
    assert second.status_code == 409
    html = second.get_data(as_text=True)
    assert "其他人" in html or "Someone else" in html
    assert "第一位编辑的标题" in html and "第二位编辑的标题" in html  # diff and kept text
    assert "第一位编辑的标题" in path.read_text("utf-8")


def test_failed_write_leaves_the_old_file_intact(client, sample_articles, editor, monkeypatch):
    """The disk fills up while the new version is flushed."""
    path = sample_articles / "orders/refunds.md"
    real_fsync = os.fsync

    def disk_full(fd):  # the write reached the temp file; the disk is full on flush
        if os.path.basename(os.readlink(f"/proc/self/fd/{fd}")).startswith(".refunds.md."):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", disk_full)
    _assert_failed_write_keeps_file(client, path, "No space left on device")


def test_a_folder_the_new_version_cannot_be_written_to_keeps_the_old_file(client, articles_dir,
                                                                         editor):
    """The file system refuses the temporary file beside the article, even for root.

    (File permissions would be the everyday cause, but root, which CI runs as, ignores
    them.) The article's name takes the longest name the file system allows, so a
    temporary name built from it cannot be created in that folder.
    """
    name = "r" * (os.pathconf(articles_dir, "PC_NAME_MAX") - len(".md")) + ".md"
    path = write_article(articles_dir, name, "退款与退货", REFUNDS_BODY, slug="refunds")
    _assert_failed_write_keeps_file(client, path, "File name too long")


def _assert_failed_write_keeps_file(client, path: Path, reason: str):
    before = path.read_bytes()
    response = client.post("/editor/articles/refunds", data=_form(
        title="不会保存的标题", base_fingerprint=_fingerprint(path)))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert f"文章未能写入（{reason}）。原有版本未受影响；您的内容仍保留在下方。" in html
    assert "不会保存的标题" in html  # the editor's text is still in the form
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_archive_and_restore_from_archive(client, sample_articles, editor):
    assert client.post("/editor/articles/refunds/status", data={"to": "archive"}).status_code == 302
    assert client.get("/articles/refunds").status_code == 404
    client.post("/editor/articles/refunds/status", data={"to": "restore"})
    assert "status: draft" in (sample_articles / "orders/refunds.md").read_text("utf-8")


def test_history_diff_and_restore_of_an_old_revision(app, client, articles_dir, editor):
    client.post("/editor/new", data=_form(title="第一版"))
    fp = _fingerprint(articles_dir / "change-address.md")
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
    assert "title: 第一版" in (articles_dir / "change-address.md").read_text("utf-8")
    with app.app_context():
        newest = authoring.revisions("change-address")[0]
        assert newest.action == f"restore #{first.id}" and newest.content == first.content


def test_changes_made_on_disk_are_recorded_as_disk_revisions(app, client, articles_dir, editor):
    write_article(articles_dir, "disk.md", "磁盘上的文章", "## 问？\n\n答。")
    client.get("/")  # the next scan notices the new file
    rewrite_article(articles_dir, "disk.md", "磁盘上改过的文章", "## 问？\n\n新答。")
    client.get("/")
    with app.app_context():
        revisions = authoring.revisions("disk")
    assert [r.author_label for r in revisions] == ["disk", "disk"]
    assert "磁盘上改过的文章" in revisions[0].content


def test_a_save_in_flight_is_not_also_recorded_by_another_worker(make_app, articles_dir,
                                                                 make_user):
    """Worker B notices the file worker A is saving; it waits for A's revision, adds none."""
    worker_a, worker_b = make_app(), make_app()
    author = make_user("editor")
    lock = file_lock(authoring.write_lock_path(worker_a.instance_path), timeout=10)
    with lock:  # worker A inside save_source: file written, revision not yet stored
        path = write_article(articles_dir, "race.md", "并发保存", "## 问？\n\n答。", slug="race")
        scan = threading.Thread(target=worker_b.extensions["portal.articles"].refresh)
        scan.start()
        scan.join(timeout=0.5)
        assert scan.is_alive(), "the disk scan must wait for the save in flight"
        with worker_a.app_context():
            authoring.record_revision("race", path.name, path.read_text("utf-8"),
                                      author=author, action="save")
    scan.join(timeout=10)
    with worker_a.app_context():
        assert [r.author_label for r in authoring.revisions("race")] == [author.email]


def test_editor_list_filters_and_searches(client, sample_articles, editor):
    html = client.get("/editor/?status=draft").get_data(as_text=True)
    assert "未发布的草稿" in html and "退款与退货" not in html
    html = client.get("/editor/?audience=internal").get_data(as_text=True)
    assert "退款安抚话术" in html and "发票说明" not in html
    html = client.get("/editor/?q=帳號").get_data(as_text=True)  # folded: matches 帐号/帳號
    assert "登入問題" in html and "发票说明" not in html


def test_editor_list_shows_broken_files(client, sample_articles, editor):
    (sample_articles / "broken.md").write_text("---\ntitle: [\n---\n", "utf-8")
    assert "broken.md" in client.get("/editor/").get_data(as_text=True)


def _fingerprint(path: Path) -> str:
    return authoring.fingerprint(path.read_bytes())


def test_revision_model_keeps_full_text(app, client, articles_dir, editor):
    client.post("/editor/new", data=_form())
    with app.app_context():
        from portal.extensions import db
        revision = db.session.query(Revision).filter_by(slug="change-address").one()
        assert revision.content == (articles_dir / "change-address.md").read_text("utf-8")


def test_the_editor_refuses_ill_typed_front_matter_like_the_loader(app, articles_dir):
    source = "---\ntitle: 内部\nslug: sneaky\naudience: [internal]\n---\n\n## 问？\n\n答。\n"
    with app.app_context(), pytest.raises(authoring.SaveError, match="unknown audience"):
        authoring.save_source(app.extensions["portal.articles"], source, author=None,
                              base_fingerprint=None, lock_path=articles_dir / "x.lock")
    assert not (articles_dir / "sneaky.md").exists()


def test_two_editors_creating_the_same_new_address_never_overwrite(make_app, make_user,
                                                                    articles_dir):
    """Issue 18, finding 5: the "address taken" check runs inside the write lock."""
    worker = make_app()
    author = make_user("editor")
    mine = "---\ntitle: 我的版本\nslug: twin\n---\n\n## 问？\n\n我的答案。\n"
    outcome = []

    def second_editor():
        with worker.app_context():
            try:
                authoring.save_source(worker.extensions["portal.articles"],
                                      mine.replace("我的", "另一个"), author=author,
                                      base_fingerprint=None,
                                      lock_path=authoring.write_lock_path(worker.instance_path))
            except authoring.SaveError as exc:
                outcome.append(str(exc))

    with file_lock(authoring.write_lock_path(worker.instance_path), timeout=10):
        save = threading.Thread(target=second_editor)
        save.start()
        save.join(timeout=0.5)
        assert save.is_alive(), "the second save must wait for the first one's lock"
        (articles_dir / "twin.md").write_text(mine, "utf-8")  # the first editor's save
    save.join(timeout=10)
    assert (articles_dir / "twin.md").read_text("utf-8") == mine
    assert outcome and "twin" in outcome[0]
