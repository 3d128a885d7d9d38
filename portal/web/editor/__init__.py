"""The editors' (运营) workspace: write, preview, publish and restore articles."""
from flask import Blueprint

from portal.accounts.roles import protect_blueprint

bp = Blueprint("editor", __name__, url_prefix="/editor")
protect_blueprint(bp, "editor")
# Who may use each route (see docs/security.md); the authorization matrix test checks it.
ACCESS = dict.fromkeys(("editor.index", "editor.new", "editor.edit", "editor.change_status",
                        "editor.preview", "editor.history", "editor.diff", "editor.restore"),
                       "editor")

from portal.web.editor import views  # noqa: E402,F401
