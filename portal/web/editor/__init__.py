"""The editors' (运营) workspace: write, preview, publish and restore articles."""
from flask import Blueprint

from portal.accounts.roles import protect_blueprint

bp = Blueprint("editor", __name__, url_prefix="/editor")
protect_blueprint(bp, "editor")

from portal.web.editor import views  # noqa: E402,F401
