"""The insights page and its CSV exports: numbers for editors, own numbers for agents."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import services
from portal.insights import content, digest, export, overview, reports, searches
from portal.insights.periods import PRESETS, Filters
from portal.i18n import portal_timezone
from portal.database import utcnow
from portal.web.ops import bp
from portal.web.ops.forms import DigestForm


def filters() -> Filters:
    """The page's filters from the query string, days in the portal's time zone."""
    tz = portal_timezone()
    return Filters.from_args(request.args, utcnow().astimezone(tz).date(), tz)


def agent_scope() -> int | None:
    """Agents see their own tickets' numbers; editors and admins everything."""
    return None if current_user.has_role("editor") else current_user.id


def published_articles():
    """Published articles, public and internal, that content numbers are about."""
    return services.articles().visible(("public", "internal"), ("published",))


@bp.route("/insights")
def insights():
    """What customers need, what the manual fixes, what the product must fix."""
    f = filters()
    repo = services.articles()
    articles = published_articles()
    return render_template(
        "ops/insights.html", f=f, presets=PRESETS, numbers=overview.dashboard(
            f, articles, agent_scope()), agent_only=agent_scope() is not None,
        categories=repo.categories(articles), export_args=f.as_args(),
        rising_min=searches.RISING_MIN, fall_min=content.FALL_MIN,
        digest_form=DigestForm(wanted=digest.wants_digest(current_user)))


@bp.route("/insights/<report>.csv")
def insights_csv(report: str):
    """One report as CSV with the page's filters (agents: their tickets only)."""
    agent_id = agent_scope()
    if report not in reports.COLUMNS:
        abort(404)
    if agent_id is not None and report not in reports.AGENT_REPORTS:
        abort(403)
    f = filters()
    body = export.to_csv(reports.COLUMNS[report],
                         reports.rows(report, f, published_articles(), agent_id))
    name = f"{report}-{f.start.isoformat()}-{f.end.isoformat()}.csv"
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/insights/digest", methods=["POST"])
def digest_preference():
    """Opt in to or out of the weekly digest."""
    form = DigestForm()
    if not form.validate_on_submit():
        abort(400)
    digest.set_wanted(current_user, form.wanted.data)
    flash(_("You will get the weekly digest.") if form.wanted.data
          else _("You will no longer get the weekly digest."), "info")
    return redirect(url_for(".insights"))
