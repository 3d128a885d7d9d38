"""The public help centre: what customers browse and read."""
from flask import Blueprint

bp = Blueprint("public", __name__)

from . import signal_views, views  # noqa: E402,F401  (routes register on import)
