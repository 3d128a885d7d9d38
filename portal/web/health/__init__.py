"""Health checks for load balancers and orchestrators: no login, no cookies, JSON only."""
from flask import Blueprint

bp = Blueprint("health", __name__)
ACCESS = {"health.healthz": "anyone", "health.readyz": "anyone"}  # load balancers, no login

from portal.web.health import views  # noqa: E402,F401
