"""Role checks on the server for every staff route.

A customer (not signed in) is sent to the login page; a signed-in member of staff
without the role gets 403. Admins pass every check.
"""
from __future__ import annotations

import functools

from flask import abort, request
from flask_login import current_user

from portal.extensions import login_manager


def role_required(*roles: str):
    """Decorate a view so only these roles (and admins) reach it."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def protect_blueprint(bp, *roles: str, open_to: dict[str, tuple[str, ...]] | None = None) -> None:
    """Apply role_required to every route of a blueprint, so none can be forgotten;
    `open_to` names endpoints that more roles may reach (each then checks what they see)."""
    wider = open_to or {}

    @bp.before_request
    def _check_role():
        return role_required(*roles, *wider.get(request.endpoint, ()))(lambda: None)()


def is_staff() -> bool:
    """True when the reader is a signed-in agent, editor or admin."""
    return bool(current_user.is_authenticated and current_user.has_role("agent", "editor"))
