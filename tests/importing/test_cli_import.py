"""`portal import …`: a dry run saves nothing and reports; a real run saves through the
editor's save (a revision per article, action "import"); existing addresses are kept."""
from __future__ import annotations

import json

from sqlalchemy import select

from portal.articles import store
from portal.articles.revisions import Revision
from portal.extensions import db


def test_zendesk_dry_run_then_import(app, runner, sample_articles, zendesk_export, tmp_path):
    before = sorted(p.name for p in sample_articles.rglob("*.md"))
    report = tmp_path / "dry.json"
    result = runner.invoke(args=["import", "zendesk", str(zendesk_export), "--dry-run",
                                 "--report", str(report)])
    assert result.exit_code == 0, result.output
    assert "would create 4 articles, 2 items left out" in result.output
    assert sorted(p.name for p in sample_articles.rglob("*.md")) == before
    data = json.loads(report.read_text("utf-8"))
    assert data["dry_run"] and sorted(a["slug"] for a in data["would_create"]) == [
        "zd-101", "zd-101-en", "zd-101-zh-hant", "zd-102"]
    assert {p["origin"] for p in data["problems"]} == {"article 103 (es)", "article 104 (zh-cn)"}

    report = tmp_path / "real.json"
    result = runner.invoke(args=["import", "zendesk", str(zendesk_export),
                                 "--report", str(report)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert store.content("zd-101.md") is not None
        repo = app.extensions["portal.articles"]
        repo.refresh()
        assert repo.get("zd-101-en").translation_of == "zd-101"
        actions = {r.slug: r.action for r in db.session.scalars(select(Revision))}
    assert actions["zd-101"] == "import"
    assert len(json.loads(report.read_text("utf-8"))["created"]) == 4

    again = runner.invoke(args=["import", "zendesk", str(zendesk_export), "--report",
                                str(tmp_path / "again.json")])
    assert "created 0 articles" in again.output and "exists already" in again.output


def test_csv_internal_and_markdown_folder(app, runner, articles_dir, tmp_path):
    csv_file = tmp_path / "canned.csv"
    csv_file.write_text("question,answer,category,tags\n客户催退款怎么回复？,先安抚。,话术,退款\n",
                        "utf-8-sig")
    result = runner.invoke(args=["import", "csv", str(csv_file), "--internal",
                                 "--report", str(tmp_path / "csv.json")])
    assert result.exit_code == 0, result.output
    repo = app.extensions["portal.articles"]
    with app.app_context():
        repo.refresh()
    article = repo.get("ke-hu-cui-tui-kuan-zen-me-hui-fu")
    assert article.audience == "internal" and article.category == "话术"

    folder = tmp_path / "docs"
    (folder / "guide").mkdir(parents=True)
    (folder / "guide" / "start.md").write_text("# Getting started\n\n## First step?\n\nDo it.\n")
    result = runner.invoke(args=["import", "markdown", str(folder), "--lang", "en", "--draft",
                                 "--report", str(tmp_path / "md.json")])
    assert result.exit_code == 0, result.output
    with app.app_context():
        repo.refresh()
    start = repo.get("start")
    assert (start.title, start.lang, start.status, start.category) == (
        "Getting started", "en", "draft", "guide")
