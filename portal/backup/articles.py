"""The articles' Markdown inside a backup: what `portal articles export` would write.

The articles table is backed up and restored with every other table; the Markdown copy
in the archive is for people (read it, diff it, import it elsewhere), written from the
same snapshot as the tables so the two always agree.
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Connection

from portal.articles.stored import StoredArticle
from portal.files import inside, write_atomic


def articles_markdown(tmpdir: Path, conn: Connection) -> int:
    """Write every live article file (and categories.yml) under tmpdir at its stored path,
    byte for byte, read through the backup's snapshot connection; the files written."""
    tmpdir = Path(tmpdir)
    written = 0
    rows = conn.execute(select(StoredArticle.path, StoredArticle.content)
                        .where(StoredArticle.deleted.is_(False)).order_by(StoredArticle.path))
    for path, content in rows:
        try:
            target = inside(tmpdir, path)
        except ValueError:
            continue  # a stored path that would leave the folder is never written
        write_atomic(target, content.encode("utf-8"))
        written += 1
    return written
