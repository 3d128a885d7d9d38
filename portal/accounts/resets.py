"""Password reset links: signed, expiring and usable once, so a lost password never needs
an admin to type someone else's password.

The link carries the account id and a fingerprint of the current password hash, signed
with SECRET_KEY. Setting a new password changes the hash, so the link (and every older
one) stops working; links also expire after PASSWORD_RESET_SECONDS (default one hour).
Admins send one from the accounts page, staff ask for one at sign-in, and
`portal users reset-password EMAIL` prints one for the operator.
"""
from __future__ import annotations

import hashlib

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer

from portal.accounts.models import User
from portal.accounts.users import MIN_PASSWORD, AccountError
from portal.extensions import db
from portal.tickets import mail
from portal.urls import external

RESET_PATH = "/reset-password/"
_SALT = "portal.password-reset"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def _fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:20]


def reset_link(user: User) -> str:
    """The absolute one-time address that lets this account choose a new password."""
    token = _serializer().dumps({"id": user.id, "pw": _fingerprint(user)})
    return external(RESET_PATH + token)


def user_for_token(token: str) -> User | None:
    """The active account a valid, unexpired, unused link belongs to, else None."""
    try:
        data = _serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_SECONDS"])
    except BadSignature:  # also raised when the link expired
        return None
    user = db.session.get(User, data.get("id")) if isinstance(data, dict) else None
    if user is None or not user.active or data.get("pw") != _fingerprint(user):
        return None
    return user


def set_new_password(user: User, password: str) -> None:
    """Store the new password; every reset link issued before becomes useless."""
    if len(password or "") < MIN_PASSWORD:
        raise AccountError(_("The password needs at least %(num)d characters.", num=MIN_PASSWORD))
    user.set_password(password)
    db.session.commit()


def send_reset_link(user: User) -> None:
    """E-mail the account its reset link (through the outbox, like every e-mail)."""
    hours = max(1, current_app.config["PASSWORD_RESET_SECONDS"] // 3600)
    body = "\n\n".join([
        _("Hello %(name)s,", name=user.name),
        _("Someone (hopefully you or an administrator) asked to reset the password of your "
          "help center account. Choose a new password here:"),
        reset_link(user),
        _("The link works once and expires in %(num)d hours. If you did not ask for it, "
          "ignore this e-mail: your password stays as it is.", num=hours),
    ])
    mail.send(user.email, _("Reset your help center password"), body)
