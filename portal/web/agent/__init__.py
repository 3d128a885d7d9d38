"""The agents' (客服) console: inbox, ticket view with suggested articles, reply composer.

Every route is for agents (and admins). Flagging an article is for all staff, because
editors read articles too; that one endpoint also admits editors.
"""
from flask import Blueprint, request

from portal.accounts.roles import role_required

bp = Blueprint("agent", __name__, url_prefix="/agent")
EDITORS_TOO = frozenset({"agent.flag_article"})
# Who may use each route (see docs/security.md); the authorization matrix test checks it.
ACCESS = {**dict.fromkeys(("agent.tickets", "agent.ticket", "agent.reply", "agent.update",
                           "agent.insert", "agent.search", "agent.preview",
                           "agent.attach_problem"), "agent"),
          **dict.fromkeys(EDITORS_TOO, "agent editor")}


@bp.before_request
def _check_role():
    """Runs before every route of the blueprint, so no route can forget its role check."""
    roles = ("agent", "editor") if request.endpoint in EDITORS_TOO else ("agent",)
    return role_required(*roles)(lambda: None)()


from portal.web.agent import views  # noqa: E402,F401
