"""A CSV of questions and answers (question, answer, category, tags) → one article per row.

The form many teams keep canned replies in. A header row is recognised in English or
Chinese (question/问题, answer/答案, category/分类, tags/标签, optional slug and lang);
without one the columns are taken in that order. Each row becomes an article whose title
is the question and whose one `##` question holds the answer; `internal=True` makes them
agents' canned replies (`audience: internal`).
"""
from __future__ import annotations

import csv
import io

from portal.articles.authoring import ArticleFields
from portal.articles.model import LANGUAGES
from portal.importing.locales import portal_language
from portal.importing.model import (Conversion, ImportedArticle, ImportProblem, article_source,
                                    slugify, split_tags, unique_slug, valid_slug)

HEADERS = {
    "question": ("question", "问题", "問題", "title", "标题", "標題"),
    "answer": ("answer", "答案", "回答", "答复", "答覆", "reply", "body"),
    "category": ("category", "分类", "分類", "类别", "類別"),
    "tags": ("tags", "标签", "標籤", "tag", "labels"),
    "slug": ("slug",),
    "lang": ("lang", "language", "locale", "语言", "語言"),
}
POSITIONAL = ("question", "answer", "category", "tags")


def decode(data: bytes) -> tuple[str, str | None]:
    """The file's text: UTF-8 (with or without BOM), else GB 18030 (Excel in China); and
    a note when it was not UTF-8."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace"), "not UTF-8: read as GB 18030"


def _header(row: list[str]) -> dict[str, int] | None:
    found = {}
    for index, cell in enumerate(row):
        name = cell.strip().lower()
        for key, names in HEADERS.items():
            if name in names and key not in found:
                found[key] = index
    return found if {"question", "answer"} <= set(found) else None


def convert(text: str, *, internal: bool = False, lang: str = "zh-Hans",
            draft: bool = False) -> Conversion:
    """Articles from the CSV text."""
    result = Conversion()
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    if not rows:
        return result
    columns = _header(rows[0])
    first_line = 2 if columns else 1
    columns = columns or {key: index for index, key in enumerate(POSITIONAL)}
    taken: set[str] = set()
    for number, row in enumerate(rows[first_line - 1:], start=first_line):
        origin = f"line {number}"
        if not any(cell.strip() for cell in row):
            continue

        def value(key: str) -> str:
            index = columns.get(key)
            return row[index].strip() if index is not None and index < len(row) else ""

        question = " ".join(value("question").split())
        answer = value("answer").replace("\r\n", "\n")
        if not question:
            result.problems.append(ImportProblem(origin, "no question"))
            continue
        if not answer.strip():
            result.problems.append(ImportProblem(origin, "no answer"))
            continue
        row_lang = value("lang")
        row_lang = row_lang if row_lang in LANGUAGES else (portal_language(row_lang) or lang)
        wanted = value("slug") or slugify(question, f"qa-{number}")
        if not valid_slug(wanted):
            wanted = slugify(wanted, f"qa-{number}")
        slug = unique_slug(wanted, taken)
        fields = ArticleFields(title=question, body=f"## {question}\n\n{answer.strip()}\n",
                               slug=slug, category=" ".join(value("category").split()),
                               tags=split_tags(value("tags")), lang=row_lang,
                               audience="internal" if internal else "public",
                               status="draft" if draft else "published")
        result.articles.append(ImportedArticle(
            origin=origin, slug=slug, title=question, lang=row_lang, category=fields.category,
            tags=fields.tags, questions=[question], source=article_source(fields)))
    return result
