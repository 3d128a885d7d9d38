"""Staff accounts: creating, authenticating and managing them, for the web and the CLI."""
from __future__ import annotations

import functools

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from portal.extensions import db
from portal.accounts.models import ROLES, User
from portal.database import utcnow

MIN_PASSWORD = 10


class AccountError(ValueError):
    """A request about an account that cannot be done; the message says why."""


def normalize_email(email: str) -> str:
    """E-mail addresses compare case-insensitively."""
    return (email or "").strip().lower()


def is_email(email: str) -> bool:
    """Whether the text is an e-mail address, by the same rules as every form (email-validator)."""
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def find_by_email(email: str) -> User | None:
    """The account with this address, if any."""
    return db.session.scalar(select(User).where(func.lower(User.email) == normalize_email(email)))


def create_user(email: str, password: str, role: str, display_name: str = "") -> User:
    """A new active staff account; refuses bad addresses, weak passwords and duplicates."""
    email = normalize_email(email)
    if not is_email(email):
        raise AccountError(_("%(email)s is not an e-mail address.", email=email))
    if role not in ROLES:
        raise AccountError(_("Unknown role %(role)s (allowed: %(roles)s).", role=role,
                                     roles=", ".join(ROLES)))
    if len(password or "") < MIN_PASSWORD:
        raise AccountError(_("The password needs at least %(num)d characters.", num=MIN_PASSWORD))
    if find_by_email(email):
        raise AccountError(_("An account for %(email)s exists already.", email=email))
    user = User(email=email, role=role, display_name=display_name.strip(), active=True)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active account these credentials open, else None (never says which part failed).

    An unknown address costs the same password hash as a known one, so the time taken
    does not tell which accounts exist. A successful login gets a new session token: the
    remember-me cookie differs on every login and older cookies stop working.
    """
    user = find_by_email(email)
    if user is None:
        check_password_hash(_stand_in_hash(), password or "")
        return None
    if not user.check_password(password or "") or not user.active:
        return None
    user.last_login_at = utcnow()
    user.rotate_session_token()
    db.session.commit()
    return user


def get_user(user_id: int) -> User | None:
    """The account with this id, if any (a signed-in session or an admin's choice)."""
    return db.session.get(User, user_id)
@functools.lru_cache(maxsize=1)
def _stand_in_hash() -> str:
    """A hash made the same way as real ones, checked when the account is unknown."""
    return generate_password_hash("no account has this password")


def user_for_session(session_id: str) -> User | None:
    """The account a session or remember-me cookie names, only while its token is current
    (logout and password changes replace the token, ending the session everywhere)."""
    user_id, _, token = (session_id or "").partition(":")
    if not user_id.isdigit() or len(user_id) > 18:
        return None
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.holds_session(token) else None


def end_sessions(user: User) -> None:
    """Sign the account out everywhere: every session and remember-me cookie stops working."""
    user.rotate_session_token()
    db.session.commit()


def list_users() -> list[User]:
    """Every staff account, by e-mail."""
    return list(db.session.scalars(select(User).order_by(User.email)))


def update_user(user: User, *, role: str | None = None, active: bool | None = None,
                acting: User | None = None) -> User:
    """Change role or active flag; an admin cannot demote or disable their own account."""
    if role is not None and role not in ROLES:
        raise AccountError(_("Unknown role %(role)s (allowed: %(roles)s).", role=role,
                                     roles=", ".join(ROLES)))
    if acting is not None and acting.id == user.id and (
            (role is not None and role != "admin") or active is False):
        raise AccountError(_("You cannot demote or disable your own account."))
    if role is not None:
        user.role = role
    if active is not None:
        user.active = active
    db.session.commit()
    return user
