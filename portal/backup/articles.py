"""The articles' Markdown inside a backup: the one place that decides where it comes from.

Today the articles are files in PORTAL_ARTICLES_DIR, so a backup copies the source file
of every valid article (and `categories.yml`). When the articles move into the database,
`articles_markdown` becomes the database export (what `portal articles export` writes)
and `restore_articles_markdown` has nothing left to do: the articles table is restored
with every other table.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from portal import services
from portal.articles.categories import CATEGORIES_FILE
from portal.articles.loader import article_files
from portal.files import write_atomic


def articles_markdown(tmpdir: Path) -> int:
    """Write every valid article as Markdown under tmpdir (its path relative to the
    articles folder kept); the number of articles written."""
    repository = services.articles()
    root = repository.root
    tmpdir = Path(tmpdir)
    tmpdir.mkdir(parents=True, exist_ok=True)
    written = 0
    for article in sorted(repository.articles.values(), key=lambda a: a.path):
        source = root / article.path
        target = tmpdir / article.path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        written += 1
    if (root / CATEGORIES_FILE).is_file():
        shutil.copyfile(root / CATEGORIES_FILE, tmpdir / CATEGORIES_FILE)
    return written


def restore_articles_markdown(folder: Path, articles_dir: Path) -> tuple[int, str]:
    """Put a backup's Markdown articles into an articles folder that holds none yet.

    Returns (files written, a sentence for the operator). A folder that already holds
    articles is left exactly as it is: the operator decides which version wins.
    """
    folder, articles_dir = Path(folder), Path(articles_dir)
    if not folder.is_dir():
        return 0, "the archive holds no articles"
    if articles_dir.is_dir() and article_files(articles_dir):
        return 0, (f"{articles_dir} already holds articles: left unchanged (the archive's "
                   f"articles are under articles/ inside it)")
    written = 0
    for source in sorted(p for p in folder.rglob("*") if p.is_file()):
        target = articles_dir / source.relative_to(folder)
        write_atomic(target, source.read_bytes())
        written += 1
    return written, f"wrote {written} article files to {articles_dir}"
