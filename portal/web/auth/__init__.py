"""Signing staff in and out, and the role checks every staff route uses."""
from flask import Blueprint

bp = Blueprint("auth", __name__)

from portal.web.auth import views  # noqa: E402,F401
