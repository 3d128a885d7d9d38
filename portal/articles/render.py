"""Markdown → safe HTML, split into questions.

Articles are written by staff but are still untrusted input: a pasted `<script>` or
`onerror=` must never run in a customer's browser, so every render goes through nh3.
Rendering is cached by the Markdown text itself, so a request never re-renders an
unchanged article.
"""
from __future__ import annotations

import functools
import html
import re

import markdown
import nh3
from markdown.extensions.toc import slugify_unicode

_EXTENSIONS = ["tables", "fenced_code", "toc", "admonition", "sane_lists", "attr_list"]
_EXTENSION_CONFIGS = {"toc": {"slugify": slugify_unicode, "permalink": False}}

_ALLOWED_ATTRIBUTES = {
    **nh3.ALLOWED_ATTRIBUTES,
    **{h: {"id"} for h in ("h1", "h2", "h3", "h4", "h5", "h6")},
    "div": {"class"},
    "p": {"class"},
    "code": {"class"},
    "span": {"class"},
    "a": {"href", "hreflang", "title"},
    "img": {"alt", "src", "height", "width", "title"},
}
_URL_SCHEMES = {"http", "https", "mailto"}

_H2 = re.compile(r'<h2 id="([^"]*)">(.*?)</h2>', re.S)
_FENCE = re.compile(r"^(```|~~~)")
_ATX_H2 = re.compile(r"^##(?!#)\s*(.*?)\s*#*\s*$")


def sanitize(raw_html: str) -> str:
    """Remove scripts, event handlers and unsafe URLs, keep article formatting."""
    return nh3.clean(raw_html, attributes=_ALLOWED_ATTRIBUTES, url_schemes=_URL_SCHEMES,
                     link_rel="noopener noreferrer")


def to_text(fragment_html: str) -> str:
    """Plain text of an HTML fragment, for search bodies and snippets."""
    stripped = nh3.clean(fragment_html, tags=set())
    return re.sub(r"\s+", " ", html.unescape(stripped)).strip()


@functools.lru_cache(maxsize=4096)
def render_markdown(source: str) -> str:
    """Sanitized HTML for a Markdown text; cached by the text itself."""
    md = markdown.Markdown(extensions=_EXTENSIONS, extension_configs=_EXTENSION_CONFIGS)
    return sanitize(md.convert(source))


def split_questions(rendered: str) -> list[tuple[str, str, str]]:
    """(anchor, question text, answer HTML) for each second-level heading, in order."""
    parts = _H2.split(rendered)
    # parts = [before, id1, heading1, answer1, id2, heading2, answer2, …]
    return [
        (html.unescape(parts[i]), to_text(parts[i + 1]), parts[i + 2].strip())
        for i in range(1, len(parts) - 1, 3)
    ]


def intro(rendered: str) -> str:
    """The HTML before the first question (an article's introduction), if any."""
    return _H2.split(rendered, maxsplit=1)[0].strip()


def split_sources(source: str) -> list[str]:
    """Markdown source of each `## ` section's answer, ignoring headings inside fences."""
    sections: list[list[str]] = []
    in_fence = False
    for line in source.splitlines():
        if _FENCE.match(line.strip()):
            in_fence = not in_fence
        if not in_fence and _ATX_H2.match(line):
            sections.append([])
        elif sections:
            sections[-1].append(line)
    return ["\n".join(lines).strip() for lines in sections]
