"""Candidate-ticket queue pages and actions."""
from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from portal.articles import authoring, picker
from portal import services
from portal.web.common import ConfirmForm, redirect_local
from portal.feedback import queue as candidates
from portal.web.common import bounded_int
from portal.web.ops import bp

PER_PAGE = 50


@bp.route("/queue")
def queue():
    """Failed searches grouped by normalized query, with filters, sorting and paging."""
    status = request.args.get("status", "active")
    assignee = request.args.get("assignee", "all")
    page = max(1, request.args.get("page", 1, type=bounded_int))
    rows, total = candidates.queue(
        status=status, assignee_id=current_user.id if assignee == "me" else None,
        unassigned=assignee == "unassigned", text=request.args.get("q", "").strip().lower(),
        sort=request.args.get("sort", "searches"), limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    return render_template("ops/queue.html", rows=rows, total=total, page=page,
                           pages=max(1, -(-total // PER_PAGE)),
                           statuses=candidates.STATUSES, sorts=candidates.SORTS,
                           confirm=ConfirmForm(), args=request.args)


def _keys() -> list[str]:
    keys = [key for key in request.form.getlist("key") if key]
    if not keys or not ConfirmForm().validate_on_submit():
        abort(400)
    return keys


@bp.route("/queue/bulk", methods=["POST"])
def bulk():
    """Assign, start, dismiss or reopen one or many rows."""
    keys, action = _keys(), request.form.get("action")
    if action == "assign_me":
        candidates.assign(keys, current_user)
    elif action == "unassign":
        candidates.assign(keys, None)
    elif action in ("in_progress", "open"):
        candidates.set_status(keys, action)
    elif action == "dismiss":
        candidates.set_status(keys, "dismissed", reason=request.form.get("reason", ""))
    else:
        abort(400)
    flash(ngettext("%(num)d row updated.", "%(num)d rows updated.", len(keys)), "info")
    return redirect_local(request.form.get("next"), url_for(".queue"))


@bp.route("/articles/match")
def match_articles():
    """Articles whose slug, title or alias contains `q`, for the pickers' type-ahead."""
    found = picker.match_articles(services.articles().visible(("public", "internal"),
                                                              ("published", "draft")),
                                  request.args.get("q", "")[:100])
    return jsonify(results=[{"slug": a.slug, "title": a.title} for a in found])


@bp.route("/queue/link", methods=["POST"])
def link():
    """Add the query (as customers typed it) as an alias of an article; re-indexed at once."""
    key = _keys()[0]
    slug = request.form.get("slug", "").strip()
    phrase = candidates.top_phrasing(key)
    try:
        authoring.add_aliases(services.articles(), slug, [phrase], author=current_user)
    except authoring.SaveError as exc:
        flash(str(exc), "error")
        return redirect(url_for(".queue"))
    candidates.mark_linked(key, slug)
    flash(_("“%(query)s” now finds the article %(slug)s.", query=phrase, slug=slug), "info")
    return redirect(url_for(".queue"))


@bp.route("/queue/draft", methods=["POST"])
def draft():
    """Start a draft article pre-filled from the query."""
    key = _keys()[0]
    phrase = candidates.top_phrasing(key)
    candidates.set_status([key], "drafted", assignee=current_user)
    return redirect(url_for("editor.new", title=phrase, alias=phrase))


@bp.route("/queue/escalate", methods=["POST"])
def escalate():
    """Turn the query into a ticket for agents."""
    key = _keys()[0]
    ticket = candidates.escalate(key)
    flash(_("Ticket #%(id)d created.", id=ticket.id), "info")
    return redirect(url_for(".queue"))
