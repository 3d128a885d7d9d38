"""HTML from another help desk → safe Markdown questions.

The HTML is sanitised first with nh3 (the sanitiser the site renders with): scripts,
styles, event attributes and any link that is not http, https or mailto are dropped.
markdownify then writes Markdown; text that would read as raw HTML is escaped, so the
Markdown cannot smuggle markup back in. Headings become the article's `##` questions.
"""
from __future__ import annotations

import re

import nh3
from markdownify import markdownify

_TAGS = {"a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em",
         "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre",
         "s", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
         "tr", "u", "ul"}
_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "td": {"colspan"},
               "th": {"colspan"}}
_URL_SCHEMES = {"http", "https", "mailto"}
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$")
_FENCE = re.compile(r"^(```|~~~)")


def clean_html(html: str) -> str:
    """Only formatting survives: no script, style, event attribute or unsafe URL."""
    return nh3.clean(html or "", tags=_TAGS, attributes=_ATTRIBUTES, url_schemes=_URL_SCHEMES,
                     clean_content_tags={"script", "style"}, link_rel=None)


def html_to_markdown(html: str) -> str:
    """Sanitised HTML as Markdown with ATX headings; raw < and > in text are escaped."""
    text = markdownify(clean_html(html), heading_style="ATX", bullets="-",
                       escape_misc=False, escape_asterisks=False, escape_underscores=False,
                       strip=["span", "div"])
    return _escape_raw_html(text).strip()


def _escape_raw_html(markdown: str) -> str:
    """Angle brackets outside code become entities: text never turns back into tags."""
    out, in_fence = [], False
    for line in markdown.splitlines():
        if _FENCE.match(line.strip()):
            in_fence = not in_fence
            out.append(line)
            continue
        if in_fence:
            out.append(line)
            continue
        pieces = re.split(r"(`[^`]*`)", line)
        out.append("".join(p if p.startswith("`") and p.endswith("`") and len(p) > 1
                           else p.replace("<", "&lt;").replace(">", "&gt;") for p in pieces))
    return "\n".join(out)


def as_questions(title: str, markdown: str) -> tuple[str, list[str]]:
    """The body with one `##` per heading of the source's top level (deeper headings one
    level below), or the title as the one question when the text has no heading; and
    the questions. Text before the first heading stays as the article's introduction."""
    lines = markdown.replace("\r\n", "\n").split("\n")
    levels, in_fence = [], False
    for line in lines:
        if _FENCE.match(line.strip()):
            in_fence = not in_fence
        elif not in_fence and (match := _HEADING.match(line)) and match.group(2).strip():
            levels.append(len(match.group(1)))
    if not levels:
        body = markdown.strip()
        return f"## {title.strip()}\n\n{body}".rstrip() + "\n", [title.strip()]
    top = min(levels)
    out, questions, in_fence = [], [], False
    for line in lines:
        if _FENCE.match(line.strip()):
            in_fence = not in_fence
        elif not in_fence and (match := _HEADING.match(line)) and match.group(2).strip():
            level = min(2 + len(match.group(1)) - top, 6)
            heading = match.group(2).strip()
            if level == 2:
                questions.append(heading)
            line = f"{'#' * level} {heading}"
        out.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip() + "\n", questions
