"""The `portal` command: content checks, index, users and data jobs for ops.

Built on Flask's click integration, so `portal …` and `flask --app portal …` are the
same commands with the same configuration.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from . import accounts
from .content.loader import load_folder
from .models import ROLES

articles_cli = click.Group("articles", help="Check and list the Markdown articles.")


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
    questions = sum(len(a.questions) for a in result.articles.values())
    click.echo(f"{len(result.articles)} articles ({questions} questions) OK, "
               f"{len(result.problems)} with problems in {folder}")
    if result.problems:
        raise SystemExit(1)


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


def register_commands(app: Flask) -> None:
    """Attach every command group to the app's CLI."""
    app.cli.add_command(articles_cli)
    app.cli.add_command(users_cli)


def _create_app():
    from . import create_app

    return create_app()


main = FlaskGroup(create_app=_create_app, add_version_option=False,
                  help="Help Portal management commands.")
