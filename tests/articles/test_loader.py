"""Article files: parsing, questions and anchors, and every validation failure."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from portal.articles.loader import load_folder

from ..factories import REFUNDS_BODY, write_article


def test_front_matter_and_questions_are_parsed(articles_dir):
    write_article(articles_dir, "refunds.md", "退款与退货", REFUNDS_BODY, slug="refunds",
                  category="订单与支付", tags=["退款"], aliases=["钱什么时候退回来"])
    result = load_folder(articles_dir)
    assert result.problems == []
    article = result.articles["refunds"]
    assert (article.title, article.category, article.lang) == ("退款与退货", "订单与支付", "zh-Hans")
    assert (article.status, article.audience) == ("published", "public")
    assert article.tags == ("退款",) and article.aliases == ("钱什么时候退回来",)
    assert [q.text for q in article.questions] == ["如何申请退款？", "退款多久到账？", "如何申请退款？"]
    assert "1-3 个工作日" in article.questions[1].answer_text
    assert article.questions[1].answer_markdown == "原路退回，一般 1-3 个工作日到账。"


def test_chinese_anchors_are_kept_and_unique(articles_dir):
    write_article(articles_dir, "refunds.md", "退款", REFUNDS_BODY)
    article = load_folder(articles_dir).articles["refunds"]
    anchors = [q.anchor for q in article.questions]
    assert anchors[0] == "如何申请退款" and anchors[1] == "退款多久到账"
    assert len(set(anchors)) == 3
    assert f'id="{anchors[2]}"' in article.html


def test_slug_defaults_to_file_name_and_sub_folders_work(articles_dir):
    write_article(articles_dir, "shipping/delivery-time.md", "配送时间", "只有一个回答。")
    article = load_folder(articles_dir).articles["delivery-time"]
    assert article.path == "shipping/delivery-time.md"
    assert article.questions == ()


def _problems(folder):
    return {p.path: p for p in load_folder(folder).problems}


def test_missing_title(articles_dir):
    write_article(articles_dir, "a.md", None, "正文", category="x")
    problem = _problems(articles_dir)["a.md"]
    assert "missing title" in problem.message


def test_unknown_status_audience_and_lang_name_their_line(articles_dir):
    write_article(articles_dir, "s.md", "标题", status="live")
    write_article(articles_dir, "a.md", "标题", audience="everyone")
    write_article(articles_dir, "l.md", "标题", lang="fr")
    problems = _problems(articles_dir)
    assert "unknown status 'live'" in problems["s.md"].message and problems["s.md"].line == 3
    assert "unknown audience 'everyone'" in problems["a.md"].message
    assert "unknown lang 'fr'" in problems["l.md"].message


def test_broken_yaml_reports_the_line(articles_dir):
    (articles_dir / "broken.md").write_text("---\ntitle: ok\ntags: [a, b\n---\nbody\n", "utf-8")
    problem = _problems(articles_dir)["broken.md"]
    assert "not valid YAML" in problem.message
    assert problem.line == 3
    assert str(problem).startswith("broken.md:3: ")


def test_non_utf8_bytes_report_the_line(articles_dir):
    (articles_dir / "gbk.md").write_bytes("---\ntitle: 退款\n---\n".encode("gbk"))
    problem = _problems(articles_dir)["gbk.md"]
    assert "not valid UTF-8" in problem.message and problem.line == 2


def test_missing_front_matter(articles_dir):
    (articles_dir / "plain.md").write_text("# 只是正文\n", "utf-8")
    assert "missing front matter" in _problems(articles_dir)["plain.md"].message


def test_duplicate_slug_keeps_the_first_and_reports_the_second(articles_dir):
    write_article(articles_dir, "a.md", "第一篇", slug="same")
    write_article(articles_dir, "b.md", "第二篇", slug="same")
    result = load_folder(articles_dir)
    assert result.articles["same"].title == "第一篇"
    [problem] = result.problems
    assert problem.path == "b.md" and "duplicate slug 'same'" in problem.message
    assert "a.md" in problem.message


def test_bad_slug_and_bad_list(articles_dir):
    write_article(articles_dir, "a.md", "标题", slug="../etc/passwd")
    write_article(articles_dir, "b.md", "标题", tags={"not": "a list"})
    problems = _problems(articles_dir)
    assert "slug" in problems["a.md"].message
    assert "tags must be a list" in problems["b.md"].message


def test_one_bad_file_never_hides_the_others(articles_dir):
    for i in range(5):
        write_article(articles_dir, f"good{i}.md", f"好文章 {i}", f"## 问题 {i}？\n\n答案。")
    (articles_dir / "bad.md").write_text("---\ntitle: [\n---\n", "utf-8")
    result = load_folder(articles_dir)
    assert len(result.articles) == 5 and [p.path for p in result.problems] == ["bad.md"]


def test_hidden_and_non_markdown_files_are_ignored(articles_dir):
    write_article(articles_dir, ".hidden.md", "隐藏")
    write_article(articles_dir, ".git/x.md", "版本库")
    (articles_dir / "categories.yml").write_text("订单与支付: {slug: orders}\n", "utf-8")
    (articles_dir / "notes.txt").write_text("not an article", "utf-8")
    result = load_folder(articles_dir)
    assert result.articles == {} and result.problems == []


# --- issue 18: dates (finding 1) and a strict front-matter schema (finding 3) ----------

def test_out_of_range_dates_are_rejected_with_path_and_line(articles_dir):
    (articles_dir / "far.md").write_text("---\ntitle: 远\nupdated: 9999-12-31 23:00:00\n---\n",
                                         "utf-8")
    (articles_dir / "old.md").write_text("---\ntitle: 旧\nupdated: 0001-01-01\n---\n", "utf-8")
    problems = _problems(articles_dir)
    assert "out of range" in problems["far.md"].message and problems["far.md"].line == 3
    assert "out of range" in problems["old.md"].message and problems["old.md"].line == 3


def test_dates_are_stored_in_utc(articles_dir):
    (articles_dir / "tz.md").write_text("---\ntitle: 时区\nupdated: 2026-11-29T08:00:00+08:00\n"
                                        "---\n", "utf-8")
    updated = load_folder(articles_dir).articles["tz"].updated
    assert updated.utcoffset() == timedelta(0)
    assert updated == datetime(2026, 11, 29, 0, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("line, reason", [
    ("audience: [internal]", "unknown audience"),
    ("audience: {internal: true}", "unknown audience"),
    ("status: [draft]", "unknown status"),
    ("status: true", "unknown status"),
    ("lang: [en]", "unknown lang"),
    ("audiance: internal", "unknown front matter key 'audiance'"),
    ("title2: x", "unknown front matter key 'title2'"),
    ("category: [a, b]", "category must be a text"),
    ("tags: [[a]]", "tags must be a text"),
    ("aliases: {a: b}", "aliases must be a list"),
    ("slug: {x: 1}", "slug must be a text"),
    ("updated: yesterday", "not a date"),
    ("updated: [2026-01-01]", "updated must be a date"),
])
def test_ill_typed_or_unknown_front_matter_is_an_error(articles_dir, line, reason):
    (articles_dir / "bad.md").write_text(f"---\ntitle: 标题\n{line}\n---\n## 问？\n\n答。\n",
                                         "utf-8")
    result = load_folder(articles_dir)
    assert result.articles == {}
    [problem] = result.problems
    assert reason in problem.message and problem.line == 3
