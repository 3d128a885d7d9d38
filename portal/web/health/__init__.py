"""Health checks for load balancers and orchestrators: no login, no cookies, JSON only."""
from flask import Blueprint

bp = Blueprint("health", __name__)

from portal.web.health import views  # noqa: E402,F401
