"""The Suggestions page: recurring questions ranked, with one-click actions."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.articles import authoring
from portal import services
from portal.suggestions import service as suggesting
from portal.web.common import ConfirmForm, bounded_int
from portal.insights import problems
from portal.web.ops import bp


@bp.route("/suggestions")
def suggestions():
    """The newest run's groups, dismissed ones left out."""
    run = suggesting.latest_run()
    return render_template("ops/suggestions.html", run=run, groups=suggesting.visible_groups(run),
                           repo=services.articles(), alias_target=suggesting.alias_target,
                           confirm=ConfirmForm())


def _group():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    found = suggesting.find_group(request.form.get("run", type=bounded_int) or 0,
                                  request.form.get("group", type=bounded_int, default=-1))
    return found or abort(404)


@bp.route("/suggestions/run", methods=["POST"])
def recompute():
    """Recompute in the background; the page shows the new run when it is done."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    suggesting.request_run()
    flash(_("Suggestions are being recomputed; reload this page in a moment."), "info")
    return redirect(url_for(".suggestions"))


@bp.route("/suggestions/draft", methods=["POST"])
def create_draft():
    """One click: a draft pre-filled from the group, opened in the editor."""
    group = _group()
    try:
        article = suggesting.create_draft(services.articles(), group, author=current_user)
    except authoring.SaveError as exc:
        flash(str(exc), "error")
        return redirect(url_for(".suggestions"))
    flash(_("Draft created from the suggestion. Write the answers and publish."), "info")
    return redirect(url_for("editor.edit", slug=article.slug))


@bp.route("/suggestions/aliases", methods=["POST"])
def add_aliases():
    """Add the group's phrasings as aliases of the suggested or a chosen article, once an
    editor has confirmed them; phrasings holding personal data are never offered."""
    group = _group()
    slug = (request.form.get("slug") or "").strip() or suggesting.alias_target(group)
    if not slug:
        flash(_("Choose the article these phrasings belong to."), "error")
        return redirect(url_for(".suggestions"))
    choices, withheld = suggesting.alias_choices(group)
    if not request.form.get("confirmed"):
        return render_template("ops/confirm_aliases.html", group=group, slug=slug,
                               run_id=request.form.get("run", type=bounded_int), choices=choices,
                               withheld=withheld, confirm=ConfirmForm())
    phrasings = [text for text in request.form.getlist("phrase") if text in choices]
    try:
        authoring.add_aliases(services.articles(), slug, phrasings, author=current_user)
    except authoring.SaveError as exc:
        flash(str(exc), "error")
    else:
        flash(_("%(num)d phrasings added as aliases of %(slug)s.", num=len(phrasings), slug=slug),
              "info")
    return redirect(url_for(".suggestions"))


@bp.route("/suggestions/dismiss", methods=["POST"])
def dismiss():
    """Hide a group until it grows by half."""
    group = _group()
    suggesting.dismiss(group, current_user, request.form.get("reason", ""))
    flash(_("Suggestion dismissed. It comes back only if it grows by half."), "info")
    return redirect(url_for(".suggestions"))


@bp.route("/suggestions/problem", methods=["POST"])
def create_problem():
    """One click: the group becomes a problem (a missing article until someone knows better)."""
    problem = problems.from_suggestion(_group())
    flash(_("Problem #%(id)d created from the suggestion.", id=problem.id), "info")
    return redirect(url_for(".problem_detail", problem_id=problem.id))
