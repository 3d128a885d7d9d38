"""Admin pages: staff accounts and their roles, API tokens, the mail outbox."""
from flask import Blueprint

from portal.accounts.roles import protect_blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
protect_blueprint(bp, "admin")

from portal.web.admin import token_views, views  # noqa: E402,F401
