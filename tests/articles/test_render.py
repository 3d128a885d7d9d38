"""Rendering: Markdown features survive, anything executable does not."""
from __future__ import annotations

import pytest

from portal.articles.render import render_markdown, split_questions, split_sources


def test_tables_fenced_code_and_admonitions_render():
    html = render_markdown(
        "| 方式 | 时间 |\n|---|---|\n| 微信 | 即时 |\n\n```python\nprint('hi')\n```\n\n"
        '!!! note "提示"\n    记得保存。\n')
    assert "<table>" in html and "<td>微信</td>" in html
    assert '<code class="language-python">' in html
    assert 'class="admonition note"' in html and "记得保存" in html


def test_scripts_and_event_handlers_never_survive():
    html = render_markdown(
        "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n"
        "[click](javascript:alert(1))\n\n<a href=\"#\" onclick=\"steal()\">x</a>\n\n"
        "<iframe src=\"https://evil.example\"></iframe>")
    lowered = html.lower()
    for bad in ("<script", "onerror", "javascript:", "onclick", "<iframe"):
        assert bad not in lowered


def test_rendering_is_cached_by_content():
    source = "## 缓存测试？\n\n内容 " + "x" * 10
    assert render_markdown(source) is render_markdown(source)


def test_questions_split_on_second_level_headings_only():
    source = "前言\n\n## 问题一？\n\n### 小节\n\n答一\n\n```\n## 不是标题\n```\n\n## 问题二？\n\n答二\n"
    sections = split_questions(render_markdown(source))
    assert [text for _, text, _ in sections] == ["问题一？", "问题二？"]
    assert "小节" in sections[0][2]
    assert split_sources(source)[0].startswith("### 小节")
    assert "## 不是标题" in split_sources(source)[0]


@pytest.mark.parametrize("tag", ["<style>", "<script>", "<textarea>", "<title>", "<svg>"])
def test_an_unclosed_raw_text_tag_is_shown_as_typed_and_never_cuts_the_article(tag):
    html = render_markdown(f"## 第一问？\n\n在页面里加 {tag} 标签会怎样\n\n## 第二问？\n\n后面的内容。")
    assert [heading for _, heading, _ in split_questions(html)] == ["第一问？", "第二问？"]
    assert "后面的内容" in html and f"&lt;{tag[1:-1]}&gt;" in html
    assert f"<{tag[1:-1]}" not in html.lower()


def test_a_closed_script_or_style_is_dropped_as_a_unit():
    html = render_markdown("## 第一问？\n\n前文 <style>a{color:red}</style> 中间\n\n<script>\nalert(1)\n"
                           "</script>\n\n## 第二问？\n\n后面的内容。")
    assert [heading for _, heading, _ in split_questions(html)] == ["第一问？", "第二问？"]
    assert "前文" in html and "中间" in html and "后面的内容" in html
    assert "color:red" not in html and "alert" not in html


def test_raw_text_tags_inside_code_stay_code():
    html = render_markdown("用 `<style>` 定义样式：\n\n```html\n<script src=x></script>\n```\n\n结束。")
    assert "<code>&lt;style&gt;</code>" in html
    assert "&lt;script src=x&gt;&lt;/script&gt;" in html and "&amp;lt;" not in html
    assert "结束" in html
