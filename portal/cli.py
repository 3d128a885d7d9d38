"""The `portal` command: content checks, index, users and data jobs for ops.

Built on Flask's click integration, so `portal …` and `flask --app portal …` are the
same commands with the same configuration.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, routes_command, shell_command, with_appcontext

from portal.accounts import users as accounts
from portal.articles.loader import load_folder
from portal.accounts.models import ROLES
from portal.backup.commands import backup_cli, export_command
from portal.importing.commands import import_cli
from portal.jobs.commands import run_with_jobs_command, worker_command

articles_cli = click.Group("articles", help="Check, import and export the Markdown articles.")


@articles_cli.command("check")
@click.option("--dir", "folder", type=click.Path(file_okay=False, path_type=Path),
              help="Articles folder (default: the configured PORTAL_ARTICLES_DIR).")
@with_appcontext
def check_articles(folder: Path | None) -> None:
    """Report every broken article file; exit 1 when there is one."""
    folder = folder or Path(current_app.config["ARTICLES_DIR"])
    if not folder.is_dir():
        raise click.ClickException(f"{folder} is not a folder")
    result = load_folder(folder)
    for problem in result.problems:
        click.echo(str(problem), err=True)
    for article in result.articles.values():
        for warning in article.warnings:
            click.echo(str(warning), err=True)
    questions = sum(len(a.questions) for a in result.articles.values())
    click.echo(f"{len(result.articles)} articles ({questions} questions) OK, "
               f"{len(result.problems)} with problems in {folder}")
    if result.problems:
        raise SystemExit(1)


@articles_cli.command("import")
@click.option("--dir", "folder", type=click.Path(file_okay=False, path_type=Path),
              help="Folder to import (default: the configured PORTAL_ARTICLES_DIR).")
@click.option("--dry-run", is_flag=True, help="Report what would change; change nothing.")
@with_appcontext
def import_articles(folder: Path | None, dry_run: bool) -> None:
    """Files → database: each new or changed file one revision; exit 1 on a problem."""
    from portal.articles.folder import import_folder

    folder = folder or Path(current_app.config["ARTICLES_DIR"])
    report = import_folder(folder, dry_run=dry_run)
    for line in report.problems + report.conflicts:
        click.echo(line, err=True)
    click.echo(("would import: " if dry_run else "") + report.summary() + f" ({folder})")
    if report.problems or report.conflicts:
        raise SystemExit(1)


@articles_cli.command("export")
@click.option("--dir", "folder", type=click.Path(file_okay=False, path_type=Path),
              required=True, help="Folder to write the articles into (created if missing).")
@with_appcontext
def export_articles(folder: Path) -> None:
    """Database → files, byte for byte: only files whose text differs are written."""
    from portal.articles.folder import export_folder

    watched = Path(current_app.config["ARTICLES_DIR"]).resolve()
    report = export_folder(folder, mark=folder.resolve() == watched)
    click.echo(f"{len(report.written)} written, {report.unchanged} unchanged ({folder})")


users_cli = click.Group("users", help="Manage staff accounts.")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True, help="The account's role.")
@click.option("--name", default="", help="Display name shown to other staff.")
@with_appcontext
def create_user(email: str, role: str, name: str) -> None:
    """Create a staff account; the password comes from a prompt or standard input."""
    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        user = accounts.create_user(email, password, role, name)
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"created {user.email} ({user.role})")


@users_cli.command("list")
@with_appcontext
def list_users() -> None:
    """Every staff account with its role and state."""
    for user in accounts.list_users():
        state = "active" if user.active else "disabled"
        click.echo(f"{user.email}\t{user.role}\t{state}")


@users_cli.command("reset-password")
@click.argument("email")
@with_appcontext
def reset_password(email: str) -> None:
    """Print (and e-mail) a one-time link for this account to choose a new password."""
    from portal.accounts import resets
    from portal.tickets import mail

    user = accounts.find_by_email(email)
    if user is None or not user.active:
        raise click.ClickException(f"no active account for {email}")
    resets.send_reset_link(user)
    mail.wait_until_sent()
    click.echo(resets.reset_link(user))


index_cli = click.Group("index", help="The search index.")


@index_cli.command("rebuild")
@with_appcontext
def rebuild_index() -> None:
    """Build a fresh index beside the live one from the database, then swap it in."""
    from portal.search import following

    repo = current_app.extensions["portal.articles"]
    repo.refresh()
    total = sum(1 + len(article.questions) for article in repo.articles.values())
    with click.progressbar(length=total, label="Indexing", file=sys.stderr) as bar:
        done = [0]

        def progress(count: int) -> None:
            bar.update(count - done[0])
            done[0] = count

        count = following.rebuild(current_app.extensions["portal.search"], repo,
                                  current_app.config["INDEX_DIR"], progress=progress)
    click.echo(f"indexed {count} documents from {len(repo.articles)} articles")


@index_cli.command("sync")
@with_appcontext
def sync_index() -> None:
    """Bring this node's index up to the database's latest change (the follower's work)."""
    from portal.search import following

    repo = current_app.extensions["portal.articles"]
    changed = following.catch_up(current_app.extensions["portal.search"], repo,
                                 current_app.config["INDEX_DIR"])
    click.echo(f"index at change {repo.token or 0} "
               f"({'updated' if changed else 'already current'}, {len(repo.articles)} articles)")


@click.group("suggest", invoke_without_command=True)
@click.option("--input", "input_path", type=click.Path(dir_okay=False, path_type=Path),
              help="JSON Lines of {\"text\", \"weight\"?, \"time\"?, \"session\"?}.")
@click.option("--output", "output_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the groups as JSON.")
@click.option("--articles", "articles_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Articles to compare with (default: the configured PORTAL_ARTICLES_DIR).")
@click.pass_context
@with_appcontext
def suggest_cli(ctx, input_path: Path | None, output_path: Path | None,
                articles_dir: Path | None) -> None:
    """Group recurring questions from a file (or `portal suggest run` over the portal's signals)."""
    if ctx.invoked_subcommand is not None:
        return
    if not input_path or not output_path:
        raise click.UsageError("give --input and --output, or use `portal suggest run`")
    from portal.suggestions import service as suggesting
    from portal.files import write_atomic
    from portal.suggestions.engine import SignalFormatError, cluster, read_jsonl

    try:
        signals = read_jsonl(input_path)
    except (SignalFormatError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
    folder = articles_dir or Path(current_app.config["ARTICLES_DIR"])
    articles = [a for a in load_folder(folder).articles.values() if a.status == "published"]
    result = cluster(signals, suggesting.article_refs(articles),
                     progress=lambda line: click.echo(line, err=True))
    write_atomic(output_path, json.dumps(result.to_json(), ensure_ascii=False, indent=1).encode())
    click.echo(f"{len(result.groups)} groups from {len(signals)} texts → {output_path}", err=True)


@suggest_cli.command("run")
@with_appcontext
def suggest_run() -> None:
    """Recompute suggestions over the portal's own signals and store them for the ops page."""
    from portal.suggestions import service as suggesting

    repo = current_app.extensions["portal.articles"]
    run = suggesting.run_and_store(repo.visible(("public", "internal"), ("published",)))
    click.echo(f"{len(run.result['groups'])} groups from {run.signal_count} signals "
               f"in {run.seconds:.1f}s (run #{run.id})")


logs_cli = click.Group("logs", help="Search log housekeeping.")


@logs_cli.command("prune")
@click.option("--days", type=click.IntRange(min=1), default=None,
              help="Keep raw searches this many days (default PORTAL_LOG_RETENTION_DAYS, 180).")
@with_appcontext
def prune_logs(days: int | None) -> None:
    """Roll raw searches older than the retention period into daily counts."""
    from portal.feedback import retention
    from portal.i18n import portal_timezone

    days = days or current_app.config["LOG_RETENTION_DAYS"]
    rolled, deleted = retention.prune(days, tz=portal_timezone())
    click.echo(f"rolled {deleted} searches older than {days} days into {rolled} daily counts")


tokens_cli = click.Group("tokens", help="API tokens for scripts, CI and other helpdesks.")
_TOKEN_SCOPES = {"read": "read", "write": "read-write"}


@tokens_cli.command("create")
@click.argument("name")
@click.option("--scope", type=click.Choice(sorted(_TOKEN_SCOPES)), required=True,
              help="read: search and articles; write: also record links.")
@with_appcontext
def create_token(name: str, scope: str) -> None:
    """Create a token; its secret is printed once, as the last line, and never again."""
    from portal.accounts import tokens

    token, secret = tokens.create(name, _TOKEN_SCOPES[scope], created_by=None)
    click.echo(f"created token {token.name!r} ({token.scope}); keep the secret below, it "
               f"cannot be shown again", err=True)
    click.echo(secret)


@tokens_cli.command("revoke")
@click.argument("name")
@with_appcontext
def revoke_token(name: str) -> None:
    """Revoke every active token with this name; exit 1 when there is none."""
    from portal.accounts import tokens

    count = tokens.revoke_named(name)
    if not count:
        raise click.ClickException(f"no active token named {name!r}")
    click.echo(f"revoked {count} token(s) named {name!r}")


tickets_cli = click.Group("tickets", help="Ticket housekeeping.")


@tickets_cli.command("erase-solved")
@click.option("--days", type=click.IntRange(min=1), default=None,
              help="Erase personal data of tickets solved this many days ago "
                   "(default PORTAL_TICKET_RETENTION_DAYS).")
@with_appcontext
def erase_solved_tickets(days: int | None) -> None:
    """Erase the contact data and mask the messages of long-solved tickets."""
    from portal.tickets import retention

    days = days or current_app.config["TICKET_RETENTION_DAYS"]
    if not days:
        raise click.UsageError("ticket retention is off: set PORTAL_TICKET_RETENTION_DAYS "
                               "or pass --days")
    erased = retention.erase_solved(days)
    click.echo(f"erased personal data of {erased} tickets solved more than {days} days ago")


insights_cli = click.Group("insights", help="Ops insights: daily roll-ups and the weekly digest.")


@insights_cli.command("rollup")
@with_appcontext
def insights_rollup() -> None:
    """Roll up every finished day's searches for the insights reports, and precompute the
    query sums of the page's preset ranges."""
    from portal.feedback import rollup
    from portal.i18n import portal_timezone
    from portal.insights import periodsums

    click.echo(f"rolled up {rollup.roll_up_pending(portal_timezone())} days")
    click.echo(f"precomputed {periodsums.precompute(portal_timezone())} periods")


@insights_cli.command("digest")
@click.option("--again", is_flag=True, help="Send even if this week's digest went already.")
@with_appcontext
def insights_digest(again: bool) -> None:
    """Send the weekly digest (last week's numbers) to editors who did not opt out."""
    from portal.database import utcnow
    from portal.i18n import portal_timezone
    from portal.insights import digest
    from portal.tickets import mail

    tz = portal_timezone()
    repo = current_app.extensions["portal.articles"]
    sent = digest.send(digest.week_of(utcnow(), tz), tz,
                       repo.visible(("public", "internal"), ("published",)), again=again)
    mail.wait_until_sent()
    click.echo("this week's digest was sent already (use --again)" if sent is None
               else f"digest sent to {sent} editors")


def register_commands(app: Flask) -> None:
    """Attach every command group to the app's CLI."""
    app.cli.add_command(articles_cli)
    app.cli.add_command(tokens_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(logs_cli)
    app.cli.add_command(index_cli)
    app.cli.add_command(suggest_cli)
    app.cli.add_command(worker_command)
    app.cli.add_command(tickets_cli)
    app.cli.add_command(insights_cli)
    app.cli.add_command(backup_cli)
    app.cli.add_command(export_command)
    app.cli.add_command(import_cli)


def _create_app():
    from portal import create_app

    return create_app()


main = FlaskGroup(create_app=_create_app, add_version_option=False, add_default_commands=False,
                  help="Help Portal management commands.")
main.add_command(run_with_jobs_command)  # Flask's run, plus the scheduled jobs
main.add_command(shell_command)
main.add_command(routes_command)
