"""Admin pages: staff accounts and their roles, API tokens, the mail outbox, backups."""
from flask import Blueprint

from portal.accounts.roles import protect_blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
protect_blueprint(bp, "admin")
# Who may use each route (see docs/security.md); the authorization matrix test checks it.
ACCESS = dict.fromkeys(("admin.users", "admin.update_user", "admin.tokens", "admin.revoke_token",
                        "admin.outbox", "admin.send_reset", "admin.backups"), "admin")

from portal.web.admin import backup_views, token_views, views  # noqa: E402,F401
