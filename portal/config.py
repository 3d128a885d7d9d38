"""Settings from environment variables, with defaults that run the demo out of the box.

Every variable is documented in the README. Paths default to folders of the current
working directory (the repository root when run with `make run`).
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from portal.files import create_exclusive, private_folder


def _env_path(name: str, default: str) -> str:
    return os.path.abspath(os.environ.get(name) or default)


def from_environment(instance_path: str) -> dict:
    """The configuration the environment asks for."""
    return {
        "ARTICLES_DIR": _env_path("PORTAL_ARTICLES_DIR", "articles"),
        "INDEX_DIR": _env_path("PORTAL_INDEX_DIR", "search_index"),
        "SQLALCHEMY_DATABASE_URI": os.environ.get("DATABASE_URL")
        or "sqlite:///" + os.path.join(instance_path, "portal.sqlite3"),
        "BASE_URL": (os.environ.get("PORTAL_BASE_URL") or "http://127.0.0.1:5000").rstrip("/"),
        "REDIS_URL": os.environ.get("REDIS_URL") or None,
        "RESCAN_SECONDS": float(os.environ.get("PORTAL_RESCAN_SECONDS", "2")),
        "BABEL_DEFAULT_LOCALE": "zh_Hans",
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("PORTAL_TIMEZONE", "Asia/Shanghai"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("PORTAL_SECURE_COOKIES", "0") == "1",
        "REMEMBER_COOKIE_SECURE": os.environ.get("PORTAL_SECURE_COOKIES", "0") == "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "SQLALCHEMY_TRACK_MODIFICATIONS": False,
        "RATELIMIT_HEADERS_ENABLED": True,
        "SUGGESTIONS_INTERVAL": float(os.environ.get("PORTAL_SUGGESTIONS_INTERVAL", "3600")),
        "SEARCH_LOGGING": os.environ.get("PORTAL_SEARCH_LOGGING", "1") != "0",
        "LOG_RETENTION_DAYS": int(os.environ.get("PORTAL_LOG_RETENTION_DAYS", "180")),
        "ASK_RATE_LIMIT": os.environ.get("PORTAL_ASK_RATE_LIMIT", "5 per hour;20 per day"),
        "VOTE_RATE_LIMIT": os.environ.get("PORTAL_VOTE_RATE_LIMIT", "30 per minute"),
        "BOT_SEARCH_RATE": os.environ.get("PORTAL_BOT_SEARCH_RATE", "30/minute"),
        "LOGIN_RATE_LIMIT": os.environ.get("PORTAL_LOGIN_RATE_LIMIT", "5 per minute;20 per hour"),
        "JSON_AS_ASCII": False,
        "API_RATE_LIMIT": os.environ.get("PORTAL_API_RATE_LIMIT", "120 per minute"),
        "MAIL_SERVER": os.environ.get("PORTAL_MAIL_SERVER") or None,
        "MAIL_PORT": int(os.environ.get("PORTAL_MAIL_PORT", "25")),
        "MAIL_USE_TLS": os.environ.get("PORTAL_MAIL_USE_TLS", "0") == "1",
        "MAIL_USERNAME": os.environ.get("PORTAL_MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("PORTAL_MAIL_PASSWORD") or None,
        "MAIL_SENDER": os.environ.get("PORTAL_MAIL_SENDER", "help@localhost"),
        "MAIL_TIMEOUT": float(os.environ.get("PORTAL_MAIL_TIMEOUT", "10")),
    }


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
