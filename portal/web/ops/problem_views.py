"""Problems: root causes editors track from open to fixed, with their tickets over time."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from portal.insights import problems
from portal.web.ops import bp
from portal.web.ops.forms import ProblemForm
from portal.web.ops.insights_views import filters


@bp.route("/problems", methods=["GET", "POST"])
def problem_list():
    """Every problem, recurring ones first, and the form for a new one."""
    form = ProblemForm()
    if form.validate_on_submit():
        problem = problems.create(form.title.data, form.kind.data, form.owner.data or "",
                                  form.note.data or "", form.status.data)
        flash(_("Problem #%(id)d created.", id=problem.id), "info")
        return redirect(url_for(".problem_detail", problem_id=problem.id))
    return render_template("ops/problems.html", rows=problems.rows(filters()), form=form,
                           f=filters()), 400 if form.errors else 200


@bp.route("/problems/<int:problem_id>", methods=["GET", "POST"])
def problem_detail(problem_id: int):
    """One problem: edit it, see its tickets per week and the tickets themselves."""
    problem = problems.get(problem_id) or abort(404)
    form = ProblemForm(obj=problem)
    if form.validate_on_submit():
        problems.update(problem, title=form.title.data, kind=form.kind.data,
                        status=form.status.data, owner=form.owner.data or "",
                        note=form.note.data or "")
        flash(_("Problem saved."), "info")
        return redirect(url_for(".problem_detail", problem_id=problem.id))
    row = next(r for r in problems.rows() if r.problem.id == problem.id)
    return render_template("ops/problem.html", problem=problem, row=row, form=form,
                           weeks=problems.weekly_tickets(problem, filters()),
                           tickets=problems.linked_tickets(problem)), 400 if form.errors else 200
