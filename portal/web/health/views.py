"""/healthz: the process answers. /readyz: it can serve (database up, schema current)."""
from __future__ import annotations

from flask import jsonify

from portal import serving
from portal.extensions import limiter
from portal.web.health import bp


@bp.route("/healthz")
@limiter.exempt
def healthz():
    """200 while the process runs; touches neither the database nor the index."""
    return jsonify(status="alive")


@bp.route("/readyz")
@limiter.exempt
def readyz():
    """200 when this worker should get traffic, else 503; the details either way."""
    ready, details = serving.readiness()
    return jsonify(status="ready" if ready else "not ready", **details), 200 if ready else 503
