"""The ops (运营) queue: failed searches to turn into aliases, drafts or tickets."""
from flask import Blueprint

from portal.accounts.roles import protect_blueprint

bp = Blueprint("ops", __name__, url_prefix="/ops")
protect_blueprint(bp, "editor")

from portal.web.ops import review_views, suggestion_views, views  # noqa: E402,F401
