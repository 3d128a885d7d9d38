"""The JSON API (`/api/v1`): search, type-ahead and articles for widgets and helpdesks.

Anonymous callers read public content. Other helpdesks send an API token (see
portal.apitokens); requests with a token are rate-limited per token.
"""
from flask import Blueprint, current_app, request

from portal.accounts import tokens as apitokens
from portal.extensions import csrf, limiter

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Who may use each route (see docs/security.md); the authorization matrix test checks it.
# Reading is open (a read token adds internal articles); writing needs a read-write token.
ACCESS = {"api.search": "anyone", "api.suggest": "anyone", "api.article": "anyone",
          "api.links": "write-token", "api.openapi": "anyone",
          "api.insights": "insights-token"}
csrf.exempt(bp)
limiter.limit(lambda: current_app.config["API_RATE_LIMIT"],
              key_func=lambda: apitokens.rate_limit_key(request),
              exempt_when=lambda: apitokens.bearer(request) is None)(bp)

from portal.web.api import openapi, views  # noqa: E402,F401
