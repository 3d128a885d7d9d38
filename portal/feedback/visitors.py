"""Who is searching: an anonymous session id, and whether it is staff or a bot.

Staff searches and bots are kept apart from customers' statistics. A bot is a known
crawler user agent or a client searching faster than a person can read.
"""
from __future__ import annotations

import re
import secrets
import threading
import time
from collections import deque

from cachetools import TTLCache
from flask import Flask, current_app, g, request, session
from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from portal.accounts.roles import is_staff

_BOT_AGENTS = re.compile(
    r"bot|crawl|spider|slurp|curl|wget|python-requests|httpx|aiohttp|go-http-client|"
    r"java/|okhttp|headless|phantomjs|scrapy|libwww|httpclient|monitor|check_http",
    re.IGNORECASE)
SESSION_KEY = "sid"


class LocalRateCounter:
    """Per-process moving-window counts for one worker, when no shared store is set.

    The `limits` memory storage starts a timer thread on every hit, which costs a search
    several milliseconds; recent hit times per address in a bounded TTL cache cost
    microseconds. With Redis configured, `limits` and the shared store are used instead.
    """

    def __init__(self, max_addresses: int = 100_000):
        self._hits: TTLCache = TTLCache(maxsize=max_addresses, ttl=3600)
        self._lock = threading.Lock()

    def hit(self, item: RateLimitItem, *identifiers: str) -> bool:
        """Count one hit; False when the window already holds `item.amount` hits."""
        window = item.get_expiry()
        now = time.monotonic()
        key = "/".join(identifiers)
        with self._lock:
            hits = self._hits.get(key)
            if hits is None:
                hits = self._hits[key] = deque()
            while hits and hits[0] <= now - window:
                hits.popleft()
            allowed = len(hits) < item.amount
            hits.append(now)
            return allowed


def init_app(app: Flask) -> None:
    """A search-rate counter per app: shared in Redis when configured, else per process."""
    uri = app.config["RATELIMIT_STORAGE_URI"]
    app.extensions["portal.search_rate"] = (
        LocalRateCounter() if uri.startswith("memory://")
        else MovingWindowRateLimiter(storage_from_string(uri)))


def anonymous_id() -> str:
    """A random id for this browser session, created on first use; no personal data."""
    sid = session.get(SESSION_KEY)
    if not sid:
        sid = session[SESSION_KEY] = secrets.token_hex(16)
    return sid


def is_bot_agent(user_agent: str | None) -> bool:
    """True for missing or crawler-like user agents."""
    return not user_agent or bool(_BOT_AGENTS.search(user_agent))


def is_bot() -> bool:
    """A crawler user agent, or more searches per minute from one address than a person makes."""
    if is_bot_agent(request.headers.get("User-Agent")):
        return True
    return not within_rate("bot-search", current_app.config["BOT_SEARCH_RATE"])


def within_rate(name: str, limit: str) -> bool:
    """Count one `name` event from this address; False once it exceeds `limit`. For
    signals that must be counted quietly (the reader's page never turns into a 429)."""
    try:
        counter = current_app.extensions["portal.search_rate"]
        return counter.hit(parse(limit), name, request.remote_addr or "-")
    except Exception:  # the rate store (Redis) being down must not break the request
        return True


def visitor_kind() -> tuple[bool, bool]:
    """(is_staff, is_bot) for the current request; a helpdesk's API token counts as staff."""
    return is_staff() or g.get("api_token") is not None, is_bot()
