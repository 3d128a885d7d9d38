"""The public help centre: what customers browse and read."""
from flask import Blueprint

bp = Blueprint("public", __name__)
# Who may use each route (see docs/security.md); the authorization matrix test checks it.
# A ticket page is open to whoever holds its link: the unguessable token is the key.
ACCESS = dict.fromkeys(("public.home", "public.category", "public.article", "public.search",
                        "public.switch_language", "public.vote", "public.open_result",
                        "public.none_helped", "public.ask", "public.ask_suggest",
                        "public.ask_open", "public.ticket", "public.resend_links"), "anyone")

from portal.web.public import signal_views, views  # noqa: E402,F401  (routes register on import)
