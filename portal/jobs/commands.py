"""`portal worker` (the scheduled jobs, one process per node) and `portal run` (the
development server with the same jobs in a thread, so one machine needs one process)."""
from __future__ import annotations

import signal
import threading

import click
from flask import current_app
from flask.cli import ScriptInfo, run_command, with_appcontext
from werkzeug.serving import is_running_from_reloader

from portal.jobs.runner import JobRunner
from portal.jobs.schedule import scheduled_jobs


@click.command("worker")
@click.option("--tick", type=click.FloatRange(min=0.05), default=1.0, show_default=True,
              help="Seconds between two looks for due jobs.")
@click.option("--once", is_flag=True, help="Run the due jobs once and exit (cron, tests).")
@with_appcontext
def worker_command(tick: float, once: bool) -> None:
    """Run scheduled jobs (mail, log roll-ups, suggestions) until SIGTERM; safe on every node."""
    app = current_app._get_current_object()
    runner = JobRunner(app, scheduled_jobs(app), tick=tick)
    if once:
        click.echo(" ".join(runner.run_pending()) or "nothing due")
        return
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    runner.run_until(stop)
    app.extensions["portal.signals"].flush()


@click.pass_context
def _run_with_jobs(ctx: click.Context, **options) -> None:
    reloading = options.get("reload")
    if reloading is None:
        reloading = ctx.ensure_object(ScriptInfo).load_app().debug
    if not reloading or is_running_from_reloader():  # the serving process, not the watcher
        app = ctx.ensure_object(ScriptInfo).load_app()
        JobRunner(app, scheduled_jobs(app)).start_thread()
    ctx.invoke(run_command, **options)


run_with_jobs_command = click.Command(
    "run", callback=_run_with_jobs, params=run_command.params,
    help="Run the development server, with the scheduled jobs in a thread of it.")
