"""Signing staff in and out, and the role checks every staff route uses."""
from flask import Blueprint

bp = Blueprint("auth", __name__)
# Who may use each route (see docs/security.md); the authorization matrix test checks it.
ACCESS = {"auth.login": "anyone", "auth.logout": "signed-in", "auth.forgot_password": "anyone",
          "auth.reset_password": "anyone"}

from portal.web.auth import views  # noqa: E402,F401
