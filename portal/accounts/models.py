"""Staff accounts. Customers stay anonymous; only staff sign in."""
from __future__ import annotations

import hmac
import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from portal.extensions import db
from portal.database import UTCDateTime, utcnow

ROLES = ("admin", "editor", "agent")
TOKEN_SCOPES = ("read", "read-write", "insights:read")
CONTENT_SCOPES = ("read", "read-write")  # may read internal articles


class User(UserMixin, db.Model):
    """A staff member with one role; admins may do everything editors and agents do."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Part of every session and remember-me cookie: a new one (each login, logout and
    # password change) ends every session and cookie made with the old one.
    session_token: Mapped[str | None] = mapped_column(String(64), nullable=True)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses disabled accounts
        return self.active

    @property
    def name(self) -> str:
        """What other staff see: the display name, else the e-mail address."""
        return self.display_name or self.email

    def set_password(self, password: str) -> None:
        """Store a salted scrypt hash, never the password; sessions opened with the old
        password end."""
        self.password_hash = generate_password_hash(password)
        self.rotate_session_token()

    def rotate_session_token(self) -> None:
        """End every session and remember-me cookie of this account."""
        self.session_token = secrets.token_urlsafe(32)

    def get_id(self) -> str:
        """What Flask-Login keeps in the session and the remember-me cookie: the id and
        the current session token."""
        return f"{self.id}:{self.session_token}"

    def holds_session(self, token: str) -> bool:
        """True when a cookie's token is this account's current one (constant time)."""
        return bool(self.session_token) and hmac.compare_digest(self.session_token, token)

    def check_password(self, password: str) -> bool:
        """True when the password matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    def has_role(self, *roles: str) -> bool:
        """True for one of the roles, and always for admins."""
        return self.role == "admin" or self.role in roles


class ApiToken(db.Model):
    """A bearer token for the JSON API; only the SHA-256 hash of the secret is kept."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))  # first characters, to recognise it
    scope: Mapped[str] = mapped_column(String(16))  # read | read-write | insights:read
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    created_by = relationship("User")

    @property
    def active(self) -> bool:
        """Not revoked: the token still opens the API."""
        return self.revoked_at is None
