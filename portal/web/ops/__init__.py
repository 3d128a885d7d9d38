"""The ops (运营) queue: failed searches to turn into aliases, drafts or tickets."""
from flask import Blueprint

from portal.accounts.roles import protect_blueprint

bp = Blueprint("ops", __name__, url_prefix="/ops")
protect_blueprint(bp, "editor")
# Who may use each route (see docs/security.md); the authorization matrix test checks it.
ACCESS = dict.fromkeys(("ops.queue", "ops.bulk", "ops.link", "ops.draft", "ops.escalate",
                        "ops.review_list", "ops.resolve_flag", "ops.suggestions",
                        "ops.recompute", "ops.create_draft", "ops.add_aliases", "ops.dismiss",
                        "ops.match_articles"),
                       "editor")

from portal.web.ops import review_views, suggestion_views, views  # noqa: E402,F401
