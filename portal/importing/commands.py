"""`portal import zendesk|markdown|csv`: a dry run reports, a real run saves; both write
a report file of what was (or would be) created and every item left out."""
from __future__ import annotations

import json
import time
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

import click
from flask.cli import with_appcontext

from portal import services
from portal.accounts import users as accounts
from portal.articles.authoring import SaveError
from portal.articles.loader import ArticleError, parse_article
from portal.files import write_atomic
from portal.importing import csv_qa, markdown_folder, zendesk
from portal.importing.model import Conversion, ImportProblem
from portal.importing.sink import save_imported

import_cli = click.Group("import", help="Import articles from other help desks.")


def _common(command):
    command = click.option("--dry-run", is_flag=True,
                           help="Report what would be created; save nothing.")(command)
    command = click.option("--report", "report_path",
                           type=click.Path(dir_okay=False, path_type=Path),
                           default="import-report.json", show_default=True,
                           help="Where to write the report (JSON).")(command)
    command = click.option("--draft", is_flag=True,
                           help="Import every article as a draft.")(command)
    command = click.option("--author", "author_email", default=None,
                           help="Staff e-mail the revisions are recorded under.")(command)
    return command


def run_import(kind: str, source: str, conversion: Conversion, *, dry_run: bool,
               report_path: Path, author_email: str | None) -> dict:
    """Validate each converted article, save it (unless a dry run), write the report."""
    author = None
    if author_email:
        author = accounts.find_by_email(author_email)
        if author is None:
            raise click.ClickException(f"no staff account {author_email}")
    repo = services.articles()
    done, problems = [], list(conversion.problems)
    for item in conversion.articles:
        try:
            parse_article(item.source.encode("utf-8"), f"{item.slug}.md", time.time())
        except ArticleError as exc:
            problems.append(ImportProblem(item.origin, f"not a valid article: {exc}"))
            continue
        if repo.get(item.slug) is not None:
            problems.append(ImportProblem(item.origin, f"an article {item.slug!r} exists already"))
            continue
        if not dry_run:
            try:
                save_imported(repo, item.source, author)
            except SaveError as exc:
                problems.append(ImportProblem(item.origin, str(exc)))
                continue
        entry = asdict(item)
        entry.pop("source")
        done.append(entry)
    report = {
        "importer": kind, "source": source, "dry_run": dry_run,
        "finished_at": datetime.now(timezone.utc).isoformat(),
        "would_create" if dry_run else "created": done,
        "problems": [asdict(problem) for problem in problems],
    }
    write_atomic(report_path, json.dumps(report, ensure_ascii=False, indent=1).encode("utf-8"))
    for problem in problems:
        click.echo(f"{problem.origin}: {problem.message}"
                   + ("" if problem.skipped else " (imported)"), err=True)
    verb = "would create" if dry_run else "created"
    skipped = sum(1 for p in problems if p.skipped)
    click.echo(f"{verb} {len(done)} articles, {skipped} items left out; report: {report_path}")
    return report


@import_cli.command("zendesk")
@click.argument("folder", type=click.Path(file_okay=False, exists=True, path_type=Path))
@_common
@with_appcontext
def import_zendesk(folder: Path, dry_run: bool, report_path: Path, draft: bool,
                   author_email: str | None) -> None:
    """A Zendesk Help Center export: JSON files of articles, sections and categories."""
    data, problems = zendesk.read_export(folder)
    conversion = zendesk.convert(data, draft=draft)
    conversion.problems[:0] = problems
    run_import("zendesk", str(folder), conversion, dry_run=dry_run, report_path=report_path,
               author_email=author_email)


@import_cli.command("markdown")
@click.argument("folder", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--lang", type=click.Choice(["zh-Hans", "zh-Hant", "en"]), default="zh-Hans",
              show_default=True, help="Language of files that do not say.")
@_common
@with_appcontext
def import_markdown(folder: Path, lang: str, dry_run: bool, report_path: Path, draft: bool,
                    author_email: str | None) -> None:
    """A folder of Markdown (Raneto, MkDocs): folder = category, file name = slug."""
    conversion = markdown_folder.convert(markdown_folder.read_folder(folder), lang=lang,
                                         draft=draft)
    run_import("markdown", str(folder), conversion, dry_run=dry_run, report_path=report_path,
               author_email=author_email)


@import_cli.command("csv")
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--internal", is_flag=True, help="Agents' canned replies (audience: internal).")
@click.option("--lang", type=click.Choice(["zh-Hans", "zh-Hant", "en"]), default="zh-Hans",
              show_default=True, help="Language of rows that do not say.")
@_common
@with_appcontext
def import_csv(file: Path, internal: bool, lang: str, dry_run: bool, report_path: Path,
               draft: bool, author_email: str | None) -> None:
    """A CSV of question, answer, category, tags: one article per row."""
    text, note = csv_qa.decode(file.read_bytes())
    conversion = csv_qa.convert(text, internal=internal, lang=lang, draft=draft)
    if note:
        conversion.problems.insert(0, ImportProblem(str(file), note, skipped=False))
    run_import("csv", str(file), conversion, dry_run=dry_run, report_path=report_path,
               author_email=author_email)
