"""Zendesk Help Center export (the JSON of its articles, sections and categories API,
saved as files) → articles.

Each Zendesk article becomes one article: its HTML body sanitised and converted to
Markdown, one `##` question per heading (or the title as the one question), its section
(else its category) as the category, its labels as tags. The same article in several
locales (records sharing an id, or sideloaded `translations`) becomes a translation
group: the source locale's version is the original (`zd-<id>`), the others point at it
with `translation_of` (`zd-<id>-en`, `zd-<id>-zh-hant`).
"""
from __future__ import annotations

import json
from pathlib import Path

from portal.articles.authoring import ArticleFields
from portal.importing.html import as_questions, html_to_markdown
from portal.importing.locales import portal_language
from portal.importing.model import (Conversion, ImportedArticle, ImportProblem, article_source,
                                    split_tags)

COLLECTIONS = ("articles", "sections", "categories", "translations")


def read_export(folder: Path) -> tuple[dict[str, list[dict]], list[ImportProblem]]:
    """Every JSON file below the folder, sorted into articles, sections and categories by
    its top-level key (so paged files such as articles-2.json are all read)."""
    found: dict[str, list[dict]] = {key: [] for key in COLLECTIONS}
    problems = []
    for path in sorted(Path(folder).rglob("*.json")):
        origin = str(path.relative_to(folder))
        try:
            data = json.loads(path.read_text("utf-8-sig"))
        except (OSError, ValueError) as exc:
            problems.append(ImportProblem(origin, f"not readable JSON: {exc}"))
            continue
        keys = [key for key in COLLECTIONS if isinstance(data, dict)
                and isinstance(data.get(key), list)]
        if not keys:
            problems.append(ImportProblem(origin, "no articles, sections or categories list"))
        for key in keys:
            found[key] += [item for item in data[key] if isinstance(item, dict)]
    return found, problems


def convert(data: dict[str, list[dict]], *, draft: bool = False) -> Conversion:
    """Articles from the export's lists; every article or translation left out is a problem."""
    result = Conversion()
    categories = {item.get("id"): item for item in data.get("categories", [])}
    sections = {item.get("id"): item for item in data.get("sections", [])}
    groups: dict[object, list[dict]] = {}
    for item in data.get("articles", []):
        groups.setdefault(item.get("id"), []).append(item)
        for translation in item.get("translations") or []:
            if (isinstance(translation, dict)
                    and translation.get("source_type", "Article") == "Article"):
                groups[item.get("id")].append({**item, **translation, "translations": None})
    for item in data.get("translations", []):
        if item.get("source_type", "Article") == "Article" and item.get("source_id") in groups:
            base = groups[item["source_id"]][0]
            groups[item["source_id"]].append({**base, **item, "id": base.get("id"),
                                              "translations": None})
    for article_id, records in groups.items():
        _convert_group(article_id, records, categories, sections, draft, result)
    return result


def _convert_group(article_id, records: list[dict], categories: dict, sections: dict,
                   draft: bool, result: Conversion) -> None:
    base = f"zd-{article_id}"
    source_locale = (records[0].get("source_locale") or records[0].get("locale") or "").lower()
    records = sorted(records, key=lambda r: (r.get("locale", "").lower() != source_locale))
    by_lang: dict[str, dict] = {}
    for record in records:
        origin = f"article {article_id} ({record.get('locale') or 'no locale'})"
        lang = portal_language(record.get("locale"))
        if lang is None:
            result.problems.append(ImportProblem(origin, f"locale {record.get('locale')!r} is "
                                                         "not zh-Hans, zh-Hant or en"))
        elif lang in by_lang:
            kept = by_lang[lang].get("locale")
            result.problems.append(ImportProblem(
                origin, f"a second {lang} version (the {kept} one is kept)"))
        else:
            by_lang[lang] = record
    original_slug = ""
    for lang, record in by_lang.items():
        origin = f"article {article_id} ({record.get('locale')})"
        title = " ".join(str(record.get("title") or "").split())
        if not title:
            result.problems.append(ImportProblem(origin, "no title"))
            continue
        markdown = html_to_markdown(str(record.get("body") or ""))
        if not markdown.strip():
            result.problems.append(ImportProblem(origin, "empty body"))
            continue
        body, questions = as_questions(title, markdown)
        category = _category(record, sections, categories, origin, result)
        slug = base if not original_slug else f"{base}-{lang.lower()}"
        fields = ArticleFields(
            title=title, body=body, slug=slug, category=category,
            tags=split_tags(record.get("label_names")), lang=lang, audience="public",
            status="draft" if draft or record.get("draft") else "published",
            translation_of=original_slug)
        kept = {key: record[key] for key in ("id", "html_url", "locale", "source_locale",
                                             "created_at", "updated_at", "author_id")
                if record.get(key) not in (None, "")}
        result.articles.append(ImportedArticle(
            origin=origin, slug=slug, title=title, lang=lang, category=category,
            tags=fields.tags, questions=questions, translation_of=original_slug,
            source=article_source(fields, {"zendesk": kept} if kept else None)))
        if not original_slug:
            original_slug = slug


def _category(record: dict, sections: dict, categories: dict, origin: str,
              result: Conversion) -> str:
    section = sections.get(record.get("section_id"))
    if section is None:
        if record.get("section_id") is not None:
            result.problems.append(ImportProblem(origin, f"section {record.get('section_id')} "
                                                         "is not in the export: no category",
                                                 skipped=False))
        return ""
    name = " ".join(str(section.get("name") or "").split())
    if name:
        return name
    category = categories.get(section.get("category_id")) or {}
    return " ".join(str(category.get("name") or "").split())
