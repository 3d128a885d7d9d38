"""Absolute addresses that leave the site (e-mails, inserted links, the private ticket link).

They must point where the portal really answers: `PORTAL_BASE_URL` when the operator set
one (behind a proxy), else the host the current request came to, so `PORT=5077 make run`
hands out port 5077 links. Outside a request (CLI, background jobs) the setting or the
local default is used.
"""
from __future__ import annotations

from flask import current_app, has_request_context, request

LOCAL_DEFAULT = "http://127.0.0.1:5000"


def base_url() -> str:
    """Scheme and host (no trailing slash) for links customers and staff receive."""
    configured = current_app.config.get("BASE_URL")
    if configured:
        return configured.rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    return LOCAL_DEFAULT


def external(path: str) -> str:
    """The absolute form of a site path such as `/tickets/<token>`."""
    return base_url() + path
