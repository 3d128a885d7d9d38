"""Staff accounts: creating, authenticating and managing them, for the web and the CLI."""
from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import func, select

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
    """The active account these credentials open, else None (never says which part failed)."""
    user = find_by_email(email)
    if user is None or not user.active or not user.check_password(password or ""):
        return None
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def get_user(user_id: int) -> User | None:
    """The account with this id, if any (a signed-in session or an admin's choice)."""
    return db.session.get(User, user_id)


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
