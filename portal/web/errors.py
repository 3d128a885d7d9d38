"""Error pages in the site's style and the reader's language: a lost customer still sees
the search box, and every status a person can meet (400, 403, 404, 429, 500) says in
their words what happened and what to do next.

An error page must never fail in turn (the server would then answer a bare 500 without
our security headers), so the last-resort handler falls back to plain text.
"""
from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from portal.search.base import SearchUnavailable

log = logging.getLogger(__name__)

EXPLANATIONS = {
    400: (_l("This request could not be completed"),
          _l("The form may have expired or something in it was not understood. "
             "Go back, reload the page and try again.")),
    403: (_l("You may not open this page"),
          _l("Your account does not have access to this page. Sign in with another "
             "account or go back to the help center.")),
    429: (_l("Too many requests"),
          _l("You tried this too often in a short time. Please wait a little and try "
             "again.")),
}
GENERIC = (_l("This request could not be completed"),
           _l("Please go back and try again."))


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def render_error(exc: HTTPException):
    """The localized page for an HTTP error (the 404 page offers a search)."""
    if exc.code == 404:
        return render_template("errors/404.html", error=exc), 404
    title, explanation = EXPLANATIONS.get(exc.code, GENERIC)
    return render_template("errors/error.html", error=exc, title=title,
                           explanation=explanation), exc.code


def render_csrf_failure(exc: CSRFError):
    """The page for an expired or forged form: say so, and how to go on."""
    log.info("CSRF check failed on %s: %s", request.path, exc.description)
    return render_template("errors/csrf.html"), 400


def register(app: Flask) -> None:
    """Attach the 404, 500 and generic HTTP error handlers."""

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if _wants_json():
            return jsonify(error=exc.name, message=exc.description), exc.code
        return render_error(exc)

    app.register_error_handler(CSRFError, render_csrf_failure)

    @app.errorhandler(SearchUnavailable)
    def search_rebuilding(exc: SearchUnavailable):
        log.warning("search unavailable on %s: %s", request.path, exc)
        headers = {"Retry-After": str(exc.retry_after)}
        if _wants_json():
            return jsonify(error="Service Unavailable",
                           message=_("Search is being rebuilt. Try again in a minute.")), \
                503, headers
        return render_template("errors/rebuilding.html"), 503, headers

    @app.errorhandler(Exception)
    def server_error(exc: Exception):
        log.exception("unhandled error on %s", request.path)
        if _wants_json():
            return jsonify(error="Internal Server Error"), 500
        try:
            return render_template("errors/500.html"), 500
        except Exception:  # the page itself failed: plain text, headers still added
            log.exception("the error page failed on %s", request.path)
            return _("Something went wrong"), 500, {"Content-Type": "text/plain; charset=utf-8"}
