"""The portal's scheduled jobs and how often each runs across the whole cluster."""
from __future__ import annotations

from flask import Flask

from portal import services
from portal.backup import scheduled as backups
from portal.articles.folder import FolderWatcher
from portal.feedback import retention, rollup
from portal.i18n import portal_timezone
from portal.insights import digest, periodsums
from portal.jobs.runner import Job
from portal.search import following
from portal.suggestions import service as suggesting
from portal.tickets import mail, retention as ticket_retention

MAIL_EVERY_SECONDS = 2.0
WATCH_EVERY_SECONDS = 2.0
LOG_ROLLUP_EVERY_SECONDS = 3600.0


def scheduled_jobs(app: Flask) -> list[Job]:
    """This node's index follower and (where PORTAL_WATCH_ARTICLES) folder watcher; mail
    delivery, log roll-ups and (unless turned off) the insights roll-up and Monday digest,
    suggestion recomputation and the erasure of long-solved tickets' personal data."""
    jobs = []
    if app.config["WATCH_ARTICLES"]:  # first, so a file edited on disk is indexed this tick
        watcher = FolderWatcher(app.config["ARTICLES_DIR"])
        jobs.append(Job("articles-watch", WATCH_EVERY_SECONDS, lambda _app: watcher.run_once(),
                        local=True))
    jobs += [Job("index-follow", app.config["INDEX_FOLLOW_SECONDS"], _follow_index, local=True),
             Job("mail", MAIL_EVERY_SECONDS, _deliver_mail),
            Job("log-rollup", LOG_ROLLUP_EVERY_SECONDS, _roll_up_logs)]
    if app.config["INSIGHTS_INTERVAL"] > 0:
        jobs += [Job("insights-rollup", app.config["INSIGHTS_INTERVAL"], _roll_up_days),
                 Job("insights-digest", app.config["INSIGHTS_INTERVAL"], _send_digest)]
    if app.config["SUGGESTIONS_INTERVAL"] > 0:
        jobs.append(Job(suggesting.JOB_NAME, app.config["SUGGESTIONS_INTERVAL"], _recompute_suggestions))
    jobs += backups.scheduled_jobs(app)
    if app.config["TICKET_RETENTION_DAYS"] > 0:
        jobs.append(Job("ticket-retention", ticket_retention.JOB_EVERY_SECONDS,
                        _erase_solved_tickets))
    return jobs


def _follow_index(app: Flask) -> None:
    following.catch_up(app.extensions["portal.search"], app.extensions["portal.articles"],
                       app.config["INDEX_DIR"])


def _erase_solved_tickets(app: Flask) -> None:
    ticket_retention.erase_solved(app.config["TICKET_RETENTION_DAYS"])


def _deliver_mail(_app: Flask) -> None:
    mail.deliver_due()


def _roll_up_logs(app: Flask) -> None:
    retention.prune(app.config["LOG_RETENTION_DAYS"], tz=portal_timezone())


def _roll_up_days(_app: Flask) -> None:
    rollup.roll_up_pending(portal_timezone())
    periodsums.precompute(portal_timezone())


def _send_digest(_app: Flask) -> None:
    digest.send_if_due(portal_timezone(), services.articles().visible(("public", "internal"),
                                                                      ("published",)))


def _recompute_suggestions(_app: Flask) -> None:
    suggesting.run_and_store(services.articles().visible(("public", "internal"), ("published",)))
