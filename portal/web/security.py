"""Security headers on every response: no outside origin, no framing, no sniffing, and
no copy of a staff, sign-in or ticket page in any cache.

The portal loads nothing from a CDN, so the content security policy can forbid every
origin but our own; templates therefore keep scripts and styles in static files.
"""
from __future__ import annotations

from flask import Flask, request

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


# Pages that show staff data, a sign-in form or a customer's private ticket.
PRIVATE_BLUEPRINTS = frozenset({"auth", "editor", "ops", "agent", "admin"})
PRIVATE_ENDPOINTS = frozenset({"public.ticket"})


def is_private_page() -> bool:
    """True for a request whose answer no browser or proxy may keep."""
    return request.blueprint in PRIVATE_BLUEPRINTS or request.endpoint in PRIVATE_ENDPOINTS


def register(app: Flask) -> None:
    """Add the headers to every response."""

    @app.after_request
    def add_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if is_private_page():
            response.headers["Cache-Control"] = "no-store"
        return response
