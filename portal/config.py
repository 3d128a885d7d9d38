"""Settings from environment variables, with defaults that run the demo out of the box.

Every variable is documented in the README. Paths default to folders of the current
working directory (the repository root when run with `make run`).
"""
from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

from portal.files import create_exclusive, private_folder


def _env_path(name: str, default: str) -> str:
    return os.path.abspath(os.environ.get(name) or default)


def _secure_cookies() -> bool:
    """Cookies only over HTTPS when the portal is served over HTTPS (PORTAL_BASE_URL),
    unless PORTAL_SECURE_COOKIES says otherwise."""
    chosen = os.environ.get("PORTAL_SECURE_COOKIES")
    if chosen is not None:
        return chosen == "1"
    return (os.environ.get("PORTAL_BASE_URL") or "").lower().startswith("https://")


def _flag(value: str | None) -> bool | None:
    return None if value in (None, "") else value.strip().lower() in ("1", "true", "yes", "on")


def watch_articles(settings: dict) -> bool:
    """Whether this node's job runner keeps ARTICLES_DIR and the database in step."""
    chosen = settings.get("WATCH_ARTICLES")
    if chosen is not None:
        return bool(chosen)
    return not str(settings["SQLALCHEMY_DATABASE_URI"]).startswith("postgresql")


def from_environment(instance_path: str) -> dict:
    """The configuration the environment asks for."""
    return {
        "ARTICLES_DIR": _env_path("PORTAL_ARTICLES_DIR", "articles"),
        "INDEX_DIR": _env_path("PORTAL_INDEX_DIR", "search_index"),
        "SQLALCHEMY_DATABASE_URI": os.environ.get("DATABASE_URL")
        or "sqlite:///" + os.path.join(instance_path, "portal.sqlite3"),
        "BASE_URL": (os.environ.get("PORTAL_BASE_URL") or "").rstrip("/"),  # "": the request's host
        "REDIS_URL": os.environ.get("REDIS_URL") or None,
        "RESCAN_SECONDS": float(os.environ.get("PORTAL_RESCAN_SECONDS", "2")),
        # None: on with SQLite (one machine), off with PostgreSQL (a cluster names its one
        # docs-as-code node); see watch_articles().
        "WATCH_ARTICLES": _flag(os.environ.get("PORTAL_WATCH_ARTICLES")),
        "INDEX_FOLLOW_SECONDS": float(os.environ.get("PORTAL_INDEX_FOLLOW_SECONDS", "1")),
        "BABEL_DEFAULT_LOCALE": "zh_Hans",
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("PORTAL_TIMEZONE", "Asia/Shanghai"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _secure_cookies(),
        "REMEMBER_COOKIE_SECURE": _secure_cookies(),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "SQLALCHEMY_TRACK_MODIFICATIONS": False,
        "RATELIMIT_HEADERS_ENABLED": True,
        "SUGGESTIONS_INTERVAL": float(os.environ.get("PORTAL_SUGGESTIONS_INTERVAL", "3600")),
        "INSIGHTS_INTERVAL": float(os.environ.get("PORTAL_INSIGHTS_INTERVAL", "900")),
        "BUSINESS_HOURS": os.environ.get("PORTAL_BUSINESS_HOURS", ""),  # "": calendar hours
        "SEARCH_LOGGING": os.environ.get("PORTAL_SEARCH_LOGGING", "1") != "0",
        "TICKET_RETENTION_DAYS": int(os.environ.get("PORTAL_TICKET_RETENTION_DAYS", "0")),
        "PASSWORD_RESET_SECONDS": int(os.environ.get("PORTAL_PASSWORD_RESET_SECONDS", "3600")),
        "LOG_RETENTION_DAYS": int(os.environ.get("PORTAL_LOG_RETENTION_DAYS", "180")),
        "ASK_RATE_LIMIT": os.environ.get("PORTAL_ASK_RATE_LIMIT", "5 per hour;20 per day"),
        "VOTE_RATE_LIMIT": os.environ.get("PORTAL_VOTE_RATE_LIMIT", "30 per minute"),
        "RESEND_RATE_LIMIT": os.environ.get("PORTAL_RESEND_RATE_LIMIT", "3 per hour;10 per day"),
        "BOT_SEARCH_RATE": os.environ.get("PORTAL_BOT_SEARCH_RATE", "30/minute"),
        "LOGIN_RATE_LIMIT": os.environ.get("PORTAL_LOGIN_RATE_LIMIT", "5 per minute;20 per hour"),
        "LOGIN_ADDRESS_RATE_LIMIT": os.environ.get("PORTAL_LOGIN_ADDRESS_RATE_LIMIT",
                                                   "60 per minute;300 per hour"),
        "ASK_OPEN_RATE_LIMIT": os.environ.get("PORTAL_ASK_OPEN_RATE_LIMIT", "30 per hour"),
        "WORKERS": int(os.environ.get("PORTAL_WORKERS") or os.environ.get("WEB_CONCURRENCY")
                       or 1),
        "API_RATE_LIMIT": os.environ.get("PORTAL_API_RATE_LIMIT", "120 per minute"),
        "MAIL_SERVER": os.environ.get("PORTAL_MAIL_SERVER") or None,
        "MAIL_PORT": int(os.environ.get("PORTAL_MAIL_PORT", "25")),
        "MAIL_USE_TLS": os.environ.get("PORTAL_MAIL_USE_TLS", "0") == "1",
        "MAIL_USERNAME": os.environ.get("PORTAL_MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("PORTAL_MAIL_PASSWORD") or None,
        "MAIL_SENDER": os.environ.get("PORTAL_MAIL_SENDER", "help@localhost"),
        "MAIL_TIMEOUT": float(os.environ.get("PORTAL_MAIL_TIMEOUT", "10")),
        "PROXY_HOPS": int(os.environ.get("PORTAL_PROXY_HOPS", "0")),
        "EXIT_FLUSH_SECONDS": float(os.environ.get("PORTAL_EXIT_FLUSH_SECONDS", "10")),
        "BACKUP_DIR": (os.path.abspath(os.environ["PORTAL_BACKUP_DIR"])
                       if os.environ.get("PORTAL_BACKUP_DIR") else ""),  # "": no scheduled backups
        "BACKUP_KEEP": int(os.environ.get("PORTAL_BACKUP_KEEP", "7")),
        "BACKUP_INTERVAL": float(os.environ.get("PORTAL_BACKUP_INTERVAL", "86400")),
    }


def instance_dir() -> str | None:
    """PORTAL_INSTANCE_DIR (the secret key and SQLite file), else None for ./instance."""
    return _env_path("PORTAL_INSTANCE_DIR", "") if os.environ.get("PORTAL_INSTANCE_DIR") else None


def secret_key(instance_path: str) -> str:
    """SECRET_KEY from the environment, else one generated once and kept in instance/.

    Workers started together may all find no key: each offers its own, exactly one is
    created (exclusively, mode 0600) and every worker then uses the one on disk.
    """
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        private_folder(instance_path)
        create_exclusive(path, secrets.token_hex(32).encode(), mode=0o600)
    return path.read_text().strip()


# Every rate limit setting; each is a `limits` string such as "5 per minute;20 per hour".
RATE_LIMIT_SETTINGS = ("LOGIN_RATE_LIMIT", "LOGIN_ADDRESS_RATE_LIMIT", "API_RATE_LIMIT",
                       "ASK_RATE_LIMIT", "ASK_OPEN_RATE_LIMIT", "VOTE_RATE_LIMIT",
                       "BOT_SEARCH_RATE")


def share_limits_between_workers(config: dict) -> None:
    """Without a shared store (Redis), each worker counts alone: divide every limit by the
    number of workers (WORKERS), so together they never allow more than configured."""
    workers = int(config.get("WORKERS") or 1)
    if workers <= 1 or not config.get("RATELIMIT_STORAGE_URI", "").startswith("memory://"):
        return
    for key in RATE_LIMIT_SETTINGS:
        if config.get(key):
            config[key] = divide_limit(config[key], workers)


def divide_limit(limit: str, workers: int) -> str:
    """"120 per minute;1000/day" for one of `workers` workers: each amount divided, at least 1."""
    return re.sub(r"(?<![\w.])(\d+)(?=\s*(?:per|/))",
                  lambda match: str(max(1, int(match.group(1)) // workers)), limit)
