"""Reading and validating article files.

A bad file must never take the site down or hide the good ones: every failure here
becomes a `Problem` naming the path, the reason and, where the parser knows it, the
line, and loading carries on with the next file.
"""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

import frontmatter
import yaml

from portal.articles.model import (AUDIENCES, LANGUAGES, SLUG_PATTERN, STATUSES, Article, Problem,
                                   Question)
from portal.articles.render import intro, render_markdown, split_questions, split_sources, to_text

_SLUG = re.compile(SLUG_PATTERN)
_IGNORED_FILES = {"readme.md"}


class ArticleError(ValueError):
    """A file that cannot become an article; carries the line when one is known."""

    def __init__(self, message: str, line: int | None = None, key: str | None = None):
        super().__init__(message)
        self.line = line
        self.key = key


def article_files(root: Path) -> list[Path]:
    """Every Markdown article below root, in a stable order, hidden folders skipped."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")))
        found.extend(
            Path(dirpath, name) for name in filenames
            if name.endswith(".md") and not name.startswith((".", "_"))
            and name.lower() not in _IGNORED_FILES
        )
    return sorted(found)


def parse_article(data: bytes, relpath: str, mtime: float) -> Article:
    """Turn one file's bytes into an Article, or raise ArticleError saying why."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ArticleError(f"not valid UTF-8 (byte {exc.start})", line) from None
    text = text.lstrip("\ufeff")
    if not text.startswith("---"):
        raise ArticleError("missing front matter (the file must start with ---)", 1)
    try:
        post = frontmatter.loads(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or "broken YAML"
        raise ArticleError(f"front matter is not valid YAML: {reason}",
                           mark.line + 1 if mark else None) from None
    meta = post.metadata
    if not isinstance(meta, dict):
        raise ArticleError("front matter must be a mapping of keys to values", 2)

    try:
        title = _text(meta.get("title"))
        if not title:
            raise ArticleError("missing title", 1)
        slug = _text(meta.get("slug")) or Path(relpath).stem
        if not _SLUG.match(slug):
            raise ArticleError(f"slug {slug!r} may hold only letters, digits, - and _",
                               key="slug")
        status = _choice(meta, "status", STATUSES, "published")
        audience = _choice(meta, "audience", AUDIENCES, "public")
        lang = _choice(meta, "lang", LANGUAGES, "zh-Hans")
        tags, aliases = _strings(meta, "tags"), _strings(meta, "aliases")
    except ArticleError as exc:
        if exc.line is None and exc.key:
            exc.line = _key_line(text, exc.key)
        raise

    body = post.content
    html = render_markdown(body)
    sources = split_sources(body)
    sections = split_questions(html)
    if len(sources) != len(sections):
        sources = [""] * len(sections)
    questions = tuple(
        Question(anchor=anchor, text=heading, answer_html=answer, answer_text=to_text(answer),
                 answer_markdown=source)
        for (anchor, heading, answer), source in zip(sections, sources)
    )
    return Article(
        slug=slug, title=title, path=relpath,
        category=_text(meta.get("category")),
        tags=tags, aliases=aliases,
        lang=lang, status=status, audience=audience,
        body_markdown=body, html=html, questions=questions,
        updated=_updated(meta.get("updated"), mtime),
        fingerprint=hashlib.sha1(data).hexdigest(),
        translation_of=_text(meta.get("translation_of")) or None,
        intro_html=intro(html),
    )


@dataclass
class LoadResult:
    """The good articles by slug and the problems of the bad files."""

    articles: dict[str, Article]
    problems: list[Problem]


def resolve(parsed: list[tuple[str, Article | Problem]]) -> LoadResult:
    """Index parsed files by slug; the first path (sorted) keeps a duplicated slug."""
    articles: dict[str, Article] = {}
    problems: list[Problem] = []
    for relpath, item in sorted(parsed, key=lambda pair: pair[0]):
        if isinstance(item, Problem):
            problems.append(item)
        elif item.slug in articles:
            problems.append(Problem(relpath, f"duplicate slug {item.slug!r}, already used by "
                                             f"{articles[item.slug].path}"))
        else:
            articles[item.slug] = item
    return LoadResult(articles, problems)


def load_file(path: Path, root: Path) -> Article | Problem:
    """Parse one file, turning every failure into a Problem."""
    relpath = path.relative_to(root).as_posix()
    try:
        stat = path.stat()
        return parse_article(path.read_bytes(), relpath, stat.st_mtime)
    except ArticleError as exc:
        return Problem(relpath, str(exc), exc.line)
    except OSError as exc:
        return Problem(relpath, f"cannot be read: {exc.strerror}")


def load_folder(root: Path) -> LoadResult:
    """Load every article under root; never raises for a bad file."""
    root = Path(root)
    return resolve([(p.relative_to(root).as_posix(), load_file(p, root))
                    for p in article_files(root)])


def _text(value) -> str:
    if value is None or isinstance(value, (dict, list)):
        return ""
    return str(value).strip()


def _strings(meta: dict, key: str) -> tuple[str, ...]:
    value = meta.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise ArticleError(f"{key} must be a list of texts", key=key)
    return tuple(s for s in (_text(v) for v in value) if s)


def _choice(meta: dict, key: str, allowed: tuple[str, ...], default: str) -> str:
    value = _text(meta.get(key)) or default
    if value not in allowed:
        raise ArticleError(f"unknown {key} {value!r} (allowed: {', '.join(allowed)})", key=key)
    return value


def _key_line(text: str, key: str) -> int | None:
    match = re.search(rf"^{re.escape(key)}\s*:", text, re.M)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _updated(value, mtime: float) -> datetime:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            value = None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
    return datetime.fromtimestamp(mtime, tz=timezone.utc)
