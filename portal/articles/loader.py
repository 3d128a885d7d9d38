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
from portal.articles.render import (escape_raw_text_tags, intro, render_markdown,
                                    split_questions, split_sources, to_text)

_SLUG = re.compile(SLUG_PATTERN)
_IGNORED_FILES = {"readme.md"}
# The front matter an article may hold; anything else is a typo or a key that would be
# silently ignored, so it is reported.
KNOWN_KEYS = ("title", "slug", "category", "tags", "aliases", "lang", "status", "audience",
              "updated", "translation_of")
# Dates the portal can store, compare and show in any time zone (a day of margin on
# each side of what Python represents would still overflow in display arithmetic).
EARLIEST_UPDATE = datetime(1970, 1, 1, tzinfo=timezone.utc)
LATEST_UPDATE = datetime(9000, 1, 1, tzinfo=timezone.utc)


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
        unknown = sorted(str(key) for key in meta if key not in KNOWN_KEYS)
        if unknown:
            raise ArticleError(f"unknown front matter key {unknown[0]!r} "
                               f"(allowed: {', '.join(KNOWN_KEYS)})", key=unknown[0])
        title = _text(meta, "title")
        if not title:
            raise ArticleError("missing title", 1)
        slug = _text(meta, "slug") or Path(relpath).stem
        if not _SLUG.match(slug):
            raise ArticleError(f"slug {slug!r} may hold only letters, digits, - and _",
                               key="slug")
        status = _choice(meta, "status", STATUSES, "published")
        audience = _choice(meta, "audience", AUDIENCES, "public")
        lang = _choice(meta, "lang", LANGUAGES, "zh-Hans")
        tags, aliases = _strings(meta, "tags"), _strings(meta, "aliases")
        category, translation_of = _text(meta, "category"), _text(meta, "translation_of")
        updated = _updated(meta.get("updated"), mtime)
    except ArticleError as exc:
        if exc.line is None and exc.key:
            exc.line = _key_line(text, exc.key)
        raise

    body = post.content
    html = render_markdown(body)
    body_start = text.count("\n", 0, text.find(body)) if body else 0
    warnings = tuple(Problem(relpath, "warning: a raw <script>, <style> or similar tag is "
                                      "shown as text", body_start + line)
                     for line in escape_raw_text_tags(body)[1])
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
        category=category, tags=tags, aliases=aliases,
        lang=lang, status=status, audience=audience,
        body_markdown=body, html=html, questions=questions,
        updated=updated,
        fingerprint=hashlib.sha1(data).hexdigest(),
        translation_of=translation_of or None,
        intro_html=intro(html), warnings=warnings,
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


def _text(meta: dict, key: str) -> str:
    value = meta.get(key)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ArticleError(f"{key} must be a text, not {_kind(value)}", key=key)
    return str(value).strip()


def _kind(value) -> str:
    return {dict: "a mapping", list: "a list", bool: "true/false"}.get(type(value),
                                                                    type(value).__name__)


def _strings(meta: dict, key: str) -> tuple[str, ...]:
    value = meta.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise ArticleError(f"{key} must be a list of texts", key=key)
    items = [_text({key: item}, key) for item in value]
    return tuple(item for item in items if item)


def _choice(meta: dict, key: str, allowed: tuple[str, ...], default: str) -> str:
    value = meta.get(key)
    if value is None:
        return default
    if not isinstance(value, str) or value.strip() not in allowed:
        raise ArticleError(f"unknown {key} {value!r} (allowed: {', '.join(allowed)})", key=key)
    return value.strip()


def _key_line(text: str, key: str) -> int | None:
    match = re.search(rf"^{re.escape(key)}\s*:", text, re.M)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _updated(value, mtime: float) -> datetime:
    """When the article last changed, in UTC: the front matter's date, else the file's."""
    if value is None:
        return clamp_update(datetime.fromtimestamp(min(max(mtime, 0), 2 ** 33), tz=timezone.utc))
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ArticleError(f"updated {value!r} is not a date (use YYYY-MM-DD)",
                               key="updated") from None
    if isinstance(value, datetime):
        try:
            value = value.astimezone(timezone.utc) if value.tzinfo else \
                value.replace(tzinfo=timezone.utc)
        except OverflowError:
            raise ArticleError(f"updated {value.isoformat()} is out of range",
                               key="updated") from None
    elif isinstance(value, date):
        value = datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
    else:
        raise ArticleError(f"updated must be a date, not {_kind(value)}", key="updated")
    if not EARLIEST_UPDATE <= value < LATEST_UPDATE:
        raise ArticleError(f"updated {value.date().isoformat()} is out of range "
                           f"({EARLIEST_UPDATE.year}–{LATEST_UPDATE.year - 1})", key="updated")
    return value


def clamp_update(value: datetime) -> datetime:
    """A date moved into the range every time zone can show, so no page overflows."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return min(max(value, EARLIEST_UPDATE), LATEST_UPDATE)
