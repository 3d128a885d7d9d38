"""API tokens: how another helpdesk proves who it is to the JSON API.

Admins create a token and see the secret once; only its SHA-256 hash is stored, so a
leaked database does not leak usable tokens. A token is read (search, including
internal articles), read-write (also record links) or insights:read (only the ops
insights reports, no internal articles); revoked tokens stop working at once.
Requests with a token are rate-limited per token.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import Request, abort
from sqlalchemy import select

from portal.extensions import db
from portal.accounts.models import CONTENT_SCOPES, TOKEN_SCOPES, ApiToken, User
from portal.database import utcnow

PREFIX = "hp_"
LAST_USED_PRECISION = timedelta(minutes=1)  # write last_used_at at most once a minute


def digest(secret: str) -> str:
    """The stored form of a token: hex SHA-256 (tokens are random, so no salt is needed)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create(name: str, scope: str, created_by: User | None) -> tuple[ApiToken, str]:
    """A new token and its secret; the secret is never stored and cannot be shown again."""
    if scope not in TOKEN_SCOPES:
        raise ValueError(f"unknown scope {scope!r}")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(name=name.strip()[:120], token_hash=digest(secret), prefix=secret[:10],
                     scope=scope, created_by_id=created_by.id if created_by else None)
    db.session.add(token)
    db.session.commit()
    return token, secret


def get_token(token_id: int) -> ApiToken | None:
    """The token with this id, if any (the admins' revoke button)."""
    return db.session.get(ApiToken, token_id)


def revoke(token: ApiToken) -> None:
    """Stop a token from opening the API; kept (revoked) so links it recorded stay attributed."""
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.commit()


def revoke_named(name: str) -> int:
    """Revoke every active token called `name` (for scripts and CI); how many were."""
    tokens = list(db.session.scalars(select(ApiToken).where(
        ApiToken.name == name.strip()[:120], ApiToken.revoked_at.is_(None))))
    for token in tokens:
        revoke(token)
    return len(tokens)


def all_tokens() -> list[ApiToken]:
    """Every token, active ones first, newest first, for the admins' page."""
    return list(db.session.scalars(select(ApiToken).order_by(
        ApiToken.revoked_at.is_not(None), ApiToken.id.desc())))


def bearer(request: Request) -> str | None:
    """The secret sent as `Authorization: Bearer <token>`, or None when no header was sent."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, secret = header.partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else ""


def authenticate(request: Request) -> ApiToken | None:
    """The request's token; None when it sent none; 401 when it is wrong or revoked."""
    secret = bearer(request)
    if secret is None:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(secret))) \
        if secret else None
    if token is None or not token.active:
        abort(401, description="A valid API token is required (Authorization: Bearer <token>).")
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        token.last_used_at = now
        db.session.commit()
    return token


def require_write(token: ApiToken | None) -> ApiToken:
    """401 without a token, 403 for a read-only one: only read-write tokens may write."""
    if token is None:
        abort(401, description="This endpoint needs an API token (Authorization: Bearer <token>).")
    if token.scope != "read-write":
        abort(403, description="This API token may only read.")
    return token


def reads_internal(token: ApiToken | None) -> bool:
    """True for a content token (read, read-write): it may read internal articles."""
    return token is not None and token.scope in CONTENT_SCOPES


def require_scope(token: ApiToken | None, scope: str) -> ApiToken:
    """401 without a token, 403 when the token was not given this scope."""
    if token is None:
        abort(401, description="This endpoint needs an API token (Authorization: Bearer <token>).")
    if token.scope != scope:
        abort(403, description=f"This API token lacks the {scope} scope.")
    return token


def rate_limit_key(request: Request) -> str:
    """Flask-Limiter key: the token's hash, so each token has its own budget."""
    return "api-token:" + digest(bearer(request) or "")
