"""A folder of Markdown (Raneto, MkDocs, or plain notes in git) → articles.

Folder = category, file name = slug, first `#` heading = title (or the front matter's
title). Front matter may be YAML between `---` lines (MkDocs, newer Raneto) or Raneto's
`/* Title: … */` block, or absent. Fields the portal knows are used; every other field
is kept as a comment in the article's front matter. A file named `page.en.md` beside
`page.md` is the English translation of `page` (mkdocs-static-i18n's layout).
"""
from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

import yaml

from portal.articles.authoring import ArticleFields
from portal.articles.model import AUDIENCES, LANGUAGES, STATUSES
from portal.importing.html import as_questions
from portal.importing.locales import portal_language
from portal.importing.model import (Conversion, ImportedArticle, ImportProblem, article_source,
                                    slugify, split_tags, unique_slug, valid_slug)

SUFFIXES = (".md", ".markdown")
_RANETO_META = re.compile(r"\A\s*/\*(.*?)\*/\s*", re.S)
_YAML_META = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_TITLE = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.M)
_USED = {"title", "slug", "category", "tags", "aliases", "lang", "status", "audience",
         "translation_of"}


def read_folder(folder: Path) -> dict[str, str | bytes]:
    """{relative path: text} of every Markdown file below the folder (hidden ones skipped);
    a file that is not UTF-8 is kept as bytes for the converter to report."""
    files: dict[str, str | bytes] = {}
    for path in sorted(Path(folder).rglob("*")):
        relative = path.relative_to(folder)
        if (not path.is_file() or path.suffix.lower() not in SUFFIXES
                or any(part.startswith((".", "_")) for part in relative.parts)):
            continue
        data = path.read_bytes()
        try:
            files[relative.as_posix()] = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            files[relative.as_posix()] = data
    return files


def split_meta(text: str) -> tuple[dict, str, str | None]:
    """(front matter, the rest, a problem) for YAML front matter, a Raneto block or none."""
    match = _YAML_META.match(text)
    if match:
        try:
            meta = yaml.safe_load(match.group(1)) or {}
        except yaml.YAMLError as exc:
            return {}, text[match.end():], (f"front matter is not valid YAML "
                                            f"({exc.__class__.__name__}): ignored")
        if not isinstance(meta, dict):
            return {}, text[match.end():], "front matter is not a mapping: ignored"
        return {str(k): v for k, v in meta.items()}, text[match.end():], None
    match = _RANETO_META.match(text)
    if match:
        meta = {}
        for line in match.group(1).splitlines():
            key, sep, value = line.partition(":")
            if sep and key.strip():
                meta[key.strip().lower()] = value.strip()
        return meta, text[match.end():], None
    return {}, text, None


def convert(files: dict[str, str | bytes], *, lang: str = "zh-Hans",
            draft: bool = False) -> Conversion:
    """Articles from {relative path: text}."""
    result = Conversion()
    taken: set[str] = set()
    originals: dict[str, str] = {}  # folder/stem of an original → its slug
    ordered = sorted(files, key=lambda p: (_locale_suffix(p) is not None, p))
    for relpath in ordered:
        text = files[relpath]
        if isinstance(text, bytes):
            result.problems.append(ImportProblem(relpath, "not valid UTF-8"))
            continue
        item = _convert_file(relpath, text, lang, draft, taken, originals, result)
        if item is not None:
            result.articles.append(item)
    return result


def _locale_suffix(relpath: str) -> str | None:
    stem = PurePosixPath(relpath).stem
    head, dot, tail = stem.rpartition(".")
    return portal_language(tail) if dot and head else None


def _convert_file(relpath: str, text: str, default_lang: str, draft: bool, taken: set[str],
                  originals: dict[str, str], result: Conversion) -> ImportedArticle | None:
    path = PurePosixPath(relpath)
    meta, body, problem = split_meta(text.replace("\r\n", "\n"))
    if problem:
        result.problems.append(ImportProblem(relpath, problem, skipped=False))
    suffix_lang = _locale_suffix(relpath)
    stem = path.stem.rpartition(".")[0] if suffix_lang else path.stem
    key = (path.parent / stem).as_posix()

    title = " ".join(str(meta.get("title") or "").split())
    heading = _TITLE.search(body)
    if heading and not body[:heading.start()].strip():
        title = title or heading.group(1).strip()
        body = body[heading.end():]
    if not title:
        title = stem.replace("-", " ").replace("_", " ").strip() or stem
        result.problems.append(ImportProblem(relpath, f"no title: using {title!r}", skipped=False))
    if not body.strip():
        result.problems.append(ImportProblem(relpath, "empty body"))
        return None

    if stem.lower() in ("index", "readme"):
        stem = path.parent.name or "home"
    wanted = str(meta.get("slug") or "").strip() or stem
    if suffix_lang:
        wanted = f"{originals.get(key, slugify(stem, 'page'))}-{suffix_lang.lower()}"
    if not valid_slug(wanted):
        wanted = slugify(wanted, f"page-{len(taken) + 1}")
    slug = unique_slug(wanted, taken)
    if slug != wanted:
        result.problems.append(ImportProblem(relpath, f"slug {wanted!r} is used by another file: "
                                                      f"imported as {slug!r}", skipped=False))

    article_lang = suffix_lang or _choice(meta.get("lang"), LANGUAGES, default_lang,
                                          portal_language(str(meta.get("lang") or "")))
    category = " ".join(str(meta.get("category") or path.parent.name or "").split())
    translation_of = (originals.get(key, "") if suffix_lang
                      else str(meta.get("translation_of") or "").strip())
    status = "draft" if draft else _choice(meta.get("status"), STATUSES, "published")
    if str(meta.get("draft", "")).lower() in ("true", "yes", "1"):
        status = "draft"
    body, questions = as_questions(title, body)
    fields = ArticleFields(
        title=title, body=body, slug=slug, category=category,
        tags=split_tags(meta.get("tags") or meta.get("keywords")),
        aliases=split_tags(meta.get("aliases")), lang=article_lang,
        audience=_choice(meta.get("audience"), AUDIENCES, "public"), status=status,
        translation_of=translation_of)
    kept = {k: _plain(v) for k, v in meta.items() if k not in _USED}
    if not suffix_lang:
        originals[key] = slug
    return ImportedArticle(origin=relpath, slug=slug, title=title, lang=article_lang,
                           category=category, tags=fields.tags, questions=questions,
                           translation_of=translation_of, source=article_source(fields, kept))


def _choice(value, allowed: tuple[str, ...], default: str, mapped: str | None = None) -> str:
    value = str(value or "").strip()
    if value in allowed:
        return value
    return mapped or default


def _plain(value):
    """A front matter value as YAML can write it back (dates as ISO text)."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)
