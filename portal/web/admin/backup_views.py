"""Admin page for backups: the archives `portal worker` keeps and the last failure."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import current_app, render_template

from portal.backup import scheduled
from portal.web.admin import bp


@bp.route("/backups")
def backups():
    """Scheduled backups with their size and age, the last success and the last failure."""
    return render_template("admin/backups.html", overview=scheduled.overview(current_app),
                           now=datetime.now(timezone.utc))
