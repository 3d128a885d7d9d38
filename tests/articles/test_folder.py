"""Markdown files stay first-class: import, byte-stable export, and the folder watcher."""
from __future__ import annotations

import pytest

from portal.articles import authoring, store
from portal.articles.folder import FolderWatcher

from ..factories import rewrite_article, write_article

pytestmark = pytest.mark.db

SOURCE = "---\ntitle: 网页上写的\nslug: from-web\n---\n\n## 问？\n\n答。\n"


def _watch(app, watcher: FolderWatcher):
    with app.app_context():
        return watcher.run_once()


def _revisions(app, slug: str):
    with app.app_context():
        return authoring.revisions(slug)


def test_import_takes_new_and_changed_files_once_and_never_deletes(app, articles_dir, runner):
    write_article(articles_dir, "a.md", "甲", "## 问？\n\n答。", slug="a")
    write_article(articles_dir, "sub/b.md", "乙", "## 问？\n\n答。", slug="b")
    first = runner.invoke(args=["articles", "import"])
    assert first.exit_code == 0, first.output
    assert "2 created" in first.output
    assert "0 created, 0 updated" in runner.invoke(args=["articles", "import"]).output
    rewrite_article(articles_dir, "a.md", "甲（新）", "## 问？\n\n新答。", slug="a")
    (articles_dir / "sub" / "b.md").unlink()
    dry = runner.invoke(args=["articles", "import", "--dry-run"])
    assert "would import: 0 created, 1 updated" in dry.output
    assert [r.action for r in _revisions(app, "a")] == ["import"]  # the dry run wrote nothing
    assert "0 created, 1 updated, 0 deleted" in runner.invoke(args=["articles", "import"]).output
    assert [r.action for r in _revisions(app, "a")] == ["import", "import"]
    with app.app_context():
        assert store.content("sub/b.md") is not None  # an import never deletes


def test_import_reports_a_file_changed_in_the_portal_and_on_disk(app, articles_dir, runner,
                                                               make_user):
    write_article(articles_dir, "a.md", "甲", "## 问？\n\n答。", slug="a")
    runner.invoke(args=["articles", "import"])
    editor = make_user("editor")
    with app.app_context():
        repo = app.extensions["portal.articles"]
        repo.refresh()
        fields = authoring.ArticleFields.from_article(repo.get("a"))
        fields.title = "网页上改的"
        authoring.save_article(repo, fields, author=editor,
                               base_fingerprint=repo.get("a").fingerprint, existing_slug="a")
    rewrite_article(articles_dir, "a.md", "磁盘上改的", "## 问？\n\n答。", slug="a")
    result = runner.invoke(args=["articles", "import"])
    assert result.exit_code == 1 and "a.md: changed in the portal and in the folder" in result.output
    with app.app_context():
        assert "网页上改的" in store.content("a.md")


def test_export_writes_the_stored_bytes_and_only_what_differs(app, runner, tmp_path, make_user):
    with app.app_context():
        authoring.save_source(app.extensions["portal.articles"], SOURCE,
                              author=make_user("editor"), base_fingerprint=None)
    out = tmp_path / "exported"
    first = runner.invoke(args=["articles", "export", "--dir", str(out)])
    assert first.exit_code == 0 and "1 written" in first.output
    assert (out / "from-web.md").read_bytes() == SOURCE.encode("utf-8")
    stamp = (out / "from-web.md").stat().st_mtime_ns
    assert "0 written, 1 unchanged" in runner.invoke(
        args=["articles", "export", "--dir", str(out)]).output
    assert (out / "from-web.md").stat().st_mtime_ns == stamp  # git sees no change


def test_a_file_edited_on_disk_becomes_exactly_one_revision(app, articles_dir, client):
    watcher = FolderWatcher(articles_dir)
    write_article(articles_dir, "disk.md", "磁盘上的文章", "## 问？\n\n答。", slug="disk")
    _watch(app, watcher)
    rewrite_article(articles_dir, "disk.md", "磁盘上改过的文章", "## 问？\n\n新答。", slug="disk")
    report = _watch(app, watcher)
    assert report.updated == ["disk.md"]
    assert _watch(app, watcher).changed is False  # nothing new: nothing recorded
    assert _watch(app, FolderWatcher(articles_dir)).changed is False  # nor after a restart
    revisions = _revisions(app, "disk")
    assert [r.author_label for r in revisions] == ["disk", "disk"]
    assert "磁盘上改过的文章" in revisions[0].content


def test_a_web_edit_is_written_back_to_its_file(app, articles_dir, make_user):
    watcher = FolderWatcher(articles_dir)
    write_article(articles_dir, "keep.md", "保留", "## 问？\n\n答。", slug="keep")
    _watch(app, watcher)
    with app.app_context():
        authoring.save_source(app.extensions["portal.articles"], SOURCE,
                              author=make_user("editor"), base_fingerprint=None)
    assert _watch(app, watcher).written == ["from-web.md"]
    assert (articles_dir / "from-web.md").read_text("utf-8") == SOURCE
    assert _watch(app, watcher).changed is False
    assert [r.action for r in _revisions(app, "from-web")] == ["save"]  # not a "disk" one too


def test_a_deleted_file_is_deleted_but_an_empty_or_missing_folder_deletes_nothing(
        app, articles_dir, tmp_path):
    watcher = FolderWatcher(articles_dir)
    write_article(articles_dir, "a.md", "甲", "## 问？\n\n答。", slug="a")
    write_article(articles_dir, "b.md", "乙", "## 问？\n\n答。", slug="b")
    _watch(app, watcher)
    (articles_dir / "b.md").unlink()
    assert _watch(app, watcher).deleted == ["b.md"]
    (articles_dir / "a.md").unlink()  # the folder is empty now: an unmounted volume?
    assert _watch(app, watcher).deleted == []
    with app.app_context():
        assert store.content("a.md") is not None and store.content("b.md") is None
        assert FolderWatcher(tmp_path / "missing").run_once().deleted == []
        assert store.content("a.md") is not None


def test_a_broken_file_keeps_the_stored_version_and_editors_see_why(app, articles_dir, client,
                                                                  make_user, login):
    watcher = FolderWatcher(articles_dir)
    write_article(articles_dir, "good.md", "好文章", "## 问题？\n\n答案。", slug="good")
    _watch(app, watcher)
    rewrite_article(articles_dir, "good.md", "好文章", "## 问题？\n\n答案。", slug="good",
                    status="live")
    (articles_dir / "new-broken.md").write_text("---\ntitle: [\n---\n", "utf-8")
    _watch(app, watcher)
    assert client.get("/articles/good").status_code == 200  # the stored version serves
    login(make_user("editor"))
    listing = client.get("/editor/").get_data(as_text=True)
    assert "good.md" in listing and "unknown status" in listing and "new-broken.md" in listing
    rewrite_article(articles_dir, "good.md", "好文章（修好了）", "## 问题？\n\n答案。", slug="good")
    (articles_dir / "new-broken.md").unlink()
    _watch(app, watcher)
    listing = client.get("/editor/").get_data(as_text=True)
    assert "unknown status" not in listing and "new-broken.md" not in listing
    assert "好文章（修好了）" in client.get("/articles/good").get_data(as_text=True)


def test_writes_are_numbered_in_order_and_followed_from_any_number(app, make_user):
    author = make_user("editor")
    with app.app_context():
        start = store.latest_sequence()
        repo = app.extensions["portal.articles"]
        authoring.save_source(repo, SOURCE, author=author, base_fingerprint=None)
        authoring.save_source(repo, SOURCE.replace("from-web", "second"), author=author,
                              base_fingerprint=None)
        changes = store.changes_since(start)
        assert [c.path for c in changes] == ["from-web.md", "second.md"]
        assert [c.seq for c in changes] == [start + 1, start + 2]
        assert store.changes_since(start + 2) == []
