"""Access-log lines without personal data: queries masked, ticket tokens cut.

A search for "发票 138.0013.8000" or a customer's private ticket link must not end up in
the web server's access log any more than in the database. Both servers the portal runs
under write the request line through here: the development server (`portal run`,
werkzeug's logger, filtered) and gunicorn (the logger class in gunicorn.conf.py, which
redacts URL_ATOMS; gunicorn is a server-only dependency, so it is not imported here).
"""
from __future__ import annotations

import logging
import re
from urllib.parse import quote_plus, unquote_plus

from portal.text.privacy import mask

_TICKET_TOKEN = re.compile(r"(?<=/tickets/)(?!\d+(?:[/?#\s]|$))[^/?#\s]+")
_QUERY_VALUE = re.compile(r"(?:^|(?<=[?&;]))([^=&;\s#/]*=)([^&;\s#]*)")
# The gunicorn atoms that hold the URL or parts of it (the request line, path, query,
# the Referer and the raw environ values).
URL_ATOMS = ("r", "U", "q", "f", "{referer}i", "{raw_uri}e", "{request_uri}e",
              "{query_string}e", "{path_info}e")


def redact(text: str) -> str:
    """A request line, URL or query string with ticket tokens cut and query values
    masked (see portal.text.privacy)."""
    if not text or text == "-":
        return text
    text = _TICKET_TOKEN.sub("[token]", text)
    return _QUERY_VALUE.sub(_mask_value, text)


def _mask_value(match: re.Match) -> str:
    value = unquote_plus(match.group(2))
    masked = mask(value)
    return match.group(1) + (match.group(2) if masked == value else quote_plus(masked, safe="[]"))


class RedactingFilter(logging.Filter):
    """For werkzeug's request log: the request line (first argument) redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and record.args and isinstance(record.args[0], str):
            record.args = (redact(record.args[0]), *record.args[1:])
        return True


def install() -> None:
    """Redact the development server's request log (once per process)."""
    werkzeug = logging.getLogger("werkzeug")
    if not any(isinstance(f, RedactingFilter) for f in werkzeug.filters):
        werkzeug.addFilter(RedactingFilter())
