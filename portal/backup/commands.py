"""`portal backup create|restore|list` and `portal export searches|tickets`."""
from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from portal.backup import analysis
from portal.backup.archive import BackupError, create_backup, default_name
from portal.backup.restore import RestoreError, restore_database, unpacked
from portal.backup.scheduled import backup_dir, list_backups


class TerminalProgress:
    """A progress bar on stdout when it is a terminal, else silence (cron, logs, pipes)."""

    def __init__(self, label: str):
        self.label = label
        self.bar = None

    def start(self, total: int) -> None:
        if sys.stdout.isatty():
            self.bar = click.progressbar(length=max(total, 1), label=self.label)
            self.bar.__enter__()

    def advance(self, rows: int) -> None:
        if self.bar is not None:
            self.bar.update(rows)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


backup_cli = click.Group("backup", help="Back up and restore the whole help centre.")


@backup_cli.command("create")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Archive to write (default: a dated .tar.gz in PORTAL_BACKUP_DIR, else here).")
@click.option("--include-secrets", is_flag=True,
              help="Also keep staff password hashes and session tokens (API tokens never).")
@with_appcontext
def create(output: Path | None, include_secrets: bool) -> None:
    """Write every table, the articles and a manifest into one archive."""
    if output is None:
        output = (backup_dir(current_app) or Path.cwd()) / default_name()
    progress = TerminalProgress("Backing up")
    try:
        result = create_backup(output, include_secrets=include_secrets, progress=progress)
    except (BackupError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        progress.close()
    rows = sum(result.tables.values())
    click.echo(f"wrote {result.path} ({result.size} bytes): {rows} rows in "
               f"{len(result.tables)} tables, {result.articles} articles, schema "
               f"{result.schema_revision}, {result.seconds:.1f}s")


@backup_cli.command("restore")
@click.argument("archive", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
@with_appcontext
def restore(ctx: click.Context, archive: Path) -> None:
    """Restore an archive into an empty database, then rebuild the search index."""
    from portal.cli import rebuild_index

    progress = TerminalProgress("Restoring")
    try:
        with unpacked(archive) as (work, manifest):
            result = restore_database(work, manifest, progress=progress)
            progress.close()
            message = (f"{result.tables.get('articles', 0)} article files restored with the "
                       "database; the watcher writes them to an empty PORTAL_ARTICLES_DIR, or "
                       "run `portal articles export --dir DIR`")
    except RestoreError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        progress.close()
    migrated = ("" if result.schema_revision == result.migrated_to
                else f", migrated from {result.schema_revision} to {result.migrated_to}")
    click.echo(f"restored {sum(result.tables.values())} rows in {len(result.tables)} tables"
               f"{migrated}; {message}")
    if not manifest.get("include_secrets"):
        click.echo("staff passwords were not in the archive: give each account a new one "
                   "with `portal users reset-password EMAIL`")
    click.echo("API tokens are never backed up: create new ones with `portal tokens create`")
    ctx.invoke(rebuild_index)


@backup_cli.command("list")
@click.option("--dir", "folder", type=click.Path(file_okay=False, path_type=Path),
              help="Folder to list (default: PORTAL_BACKUP_DIR).")
@with_appcontext
def list_command(folder: Path | None) -> None:
    """The archives in the backup folder, newest first, with size and age."""
    folder = folder or backup_dir(current_app)
    if folder is None:
        raise click.UsageError("PORTAL_BACKUP_DIR is not set: pass --dir")
    now = datetime.now(timezone.utc)
    for backup in list_backups(folder):
        hours = (now - backup.modified).total_seconds() / 3600
        click.echo(f"{backup.name}\t{backup.size}\t{backup.modified:%Y-%m-%d %H:%M}Z\t"
                   f"{hours:.1f}h ago")


@click.command("export")
@click.argument("kind", type=click.Choice(analysis.KINDS))
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Only rows created on or after this day (UTC), YYYY-MM-DD.")
@click.option("--format", "fmt", type=click.Choice(analysis.FORMATS), default="csv",
              show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (default: standard output).")
@with_appcontext
def export_command(kind: str, since: datetime | None, fmt: str, output: Path | None) -> None:
    """Searches or tickets for analysis, personal data masked as in the insights reports."""
    day = since.date() if since else None
    if output is None:
        count = analysis.write(kind, fmt, day, sys.stdout.buffer)
        sys.stdout.flush()
    else:
        with open(output, "wb") as out:
            count = analysis.write(kind, fmt, day, out)
    click.echo(f"exported {count} {kind}", err=True)
