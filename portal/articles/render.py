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
# Elements whose content the HTML parser reads as raw text up to their closing tag: an
# unclosed one would swallow (and the sanitizer then drop) the rest of the article.
_RAW_TEXT_TAG = re.compile(r"<(/?)(script|style|textarea|title|iframe|noscript|noembed|"
                           r"noframes|xmp|plaintext|template|svg|math)\b|(<!--)|(-->)", re.I)
_CODE_SPAN = re.compile(r"(?<!\\)(`+)(.+?)(?<!`)\1(?!`)")  # Python-Markdown's code span
# A fenced code block as Python-Markdown reads one: only a language or {attributes} may
# follow the opening fence, and the same fence must close it.
_CODE_FENCE = re.compile(r"^(`{3,}|~{3,})[ ]*(?:\{[^\n]*\}|\.?[\w#.+-]*)?[ ]*(?:hl_lines=\S*)?[ ]*$")
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
    """Sanitized HTML for a Markdown text; cached by the text itself.

    An unclosed raw-text tag (`<script>`, `<style>`, `<!--`, …) would swallow the rest of
    the article, so it is escaped and shows as typed: once in the source, so the Markdown
    after it still renders, and once more in the HTML, for what the source scan cannot
    see. A closed `<script>…</script>` is left to the sanitizer, which drops it as a unit.
    """
    md = markdown.Markdown(extensions=_EXTENSIONS, extension_configs=_EXTENSION_CONFIGS)
    converted = md.convert(escape_raw_text_tags(source)[0])
    return sanitize(_escape_unclosed(converted, list(_tags_in(converted, 0))))


def escape_raw_text_tags(source: str) -> tuple[str, list[int]]:
    """The Markdown source with every unclosed raw-text tag outside code escaped, and the
    lines (1-based) holding any raw-text tag, for `articles check` to warn about."""
    lines, tags, offset = source.split("\n"), [], 0
    fenced = _fenced_lines(lines)
    for number, line in enumerate(lines, start=1):
        if number not in fenced:
            code = [span.span() for span in _CODE_SPAN.finditer(line)]
            tags += [(offset + position, name, closing, number)
                     for position, name, closing in _tags_in(line, 0)
                     if not any(start <= position < end for start, end in code)]
        offset += len(line) + 1
    return _escape_unclosed(source, tags), sorted({tag[3] for tag in tags})


def _tags_in(text: str, offset: int):
    """(position, tag name, is closing) of each raw-text tag or comment mark in text."""
    for tag in _RAW_TEXT_TAG.finditer(text):
        if tag.group(2):
            yield offset + tag.start(), tag.group(2).lower(), bool(tag.group(1))
        else:  # an HTML comment swallows what follows up to its end just the same
            yield offset + tag.start(), "!--", bool(tag.group(4))


def _escape_unclosed(text: str, tags: list[tuple]) -> str:
    """text with the `<` of each opening tag that no later closing tag ends escaped."""
    closed_later: set[str] = set()
    pieces, end = [], len(text)
    for position, name, closing, *_ in reversed(tags):
        if closing:
            closed_later.add(name)
        elif name not in closed_later:
            pieces += [text[position + 1:end], "&lt;"]
            end = position
    return text[:end] + "".join(reversed(pieces))


def _fenced_lines(lines: list[str]) -> set[int]:
    """Line numbers (1-based) of closed fenced code blocks, fences included."""
    fenced, opened = set(), None
    for number, line in enumerate(lines, start=1):
        match = _CODE_FENCE.match(line)
        if opened is None and match:
            opened = (number, match.group(1))
        elif opened is not None and line.rstrip() == opened[1]:
            fenced.update(range(opened[0], number + 1))
            opened = None
    return fenced


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
