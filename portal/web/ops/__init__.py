"""The ops (运营) pages: failed-search queue, suggestions, review, insights and problems.

Editors and admins only, except the insights page and its ticket CSV, where agents see
their own tickets' numbers."""
from flask import Blueprint

from portal.accounts.roles import protect_blueprint

bp = Blueprint("ops", __name__, url_prefix="/ops")
protect_blueprint(bp, "editor", open_to={"ops.insights": ("agent",),
                                         "ops.insights_csv": ("agent",)})
# Who may use each route (see docs/security.md); the authorization matrix test checks it.
ACCESS = dict.fromkeys(("ops.queue", "ops.bulk", "ops.link", "ops.draft", "ops.escalate",
                        "ops.review_list", "ops.resolve_flag", "ops.suggestions",
                        "ops.recompute", "ops.create_draft", "ops.add_aliases", "ops.dismiss",
                        "ops.match_articles", "ops.create_problem", "ops.problem_list",
                        "ops.problem_detail", "ops.digest_preference"), "editor")
ACCESS.update(dict.fromkeys(("ops.insights", "ops.insights_csv"), "agent editor"))

from portal.web.ops import (insights_views, problem_views, review_views,  # noqa: E402,F401
                            suggestion_views, views)
