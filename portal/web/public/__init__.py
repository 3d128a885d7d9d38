"""The public help centre: what customers browse and read."""
from flask import Blueprint

bp = Blueprint("public", __name__)

from portal.web.public import signal_views, views  # noqa: E402,F401  (routes register on import)
