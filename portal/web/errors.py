"""Error pages in the site's style: a lost customer still sees the search box.

An error page must never fail in turn (the server would then answer a bare 500 without
our security headers), so the last-resort handler falls back to plain text.
"""
from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from portal.search.base import SearchUnavailable

log = logging.getLogger(__name__)


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def register(app: Flask) -> None:
    """Attach the 404, 500 and generic HTTP error handlers."""

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if _wants_json():
            return jsonify(error=exc.name, message=exc.description), exc.code
        template = "errors/404.html" if exc.code == 404 else "errors/error.html"
        return render_template(template, error=exc), exc.code

    @app.errorhandler(CSRFError)
    def csrf_failed(exc: CSRFError):
        log.info("CSRF check failed on %s: %s", request.path, exc.description)
        return render_template("errors/csrf.html"), 400

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
