"""Staff account management."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.accounts import resets, users as accounts
from portal.web.admin import bp
from portal.web.admin.forms import NewUserForm, ResetLinkForm, UpdateUserForm


@bp.route("/users", methods=["GET", "POST"])
def users():
    """List staff accounts and add one."""
    form = NewUserForm(prefix="new")
    if form.validate_on_submit():
        try:
            accounts.create_user(form.email.data, form.password.data, form.role.data,
                                 form.display_name.data or "")
        except accounts.AccountError as exc:
            form.email.errors.append(str(exc))
        else:
            flash(_("Account %(email)s created.", email=form.email.data), "info")
            return redirect(url_for(".users"))
    rows = [(user, UpdateUserForm(prefix=f"u{user.id}", role=user.role))
            for user in accounts.list_users()]
    return render_template("admin/users.html", form=form, rows=rows, reset_form=ResetLinkForm())


@bp.route("/users/<int:user_id>/reset", methods=["POST"])
def send_reset(user_id: int):
    """E-mail the account a one-time link to choose a new password."""
    user = accounts.get_user(user_id) or abort(404)
    if not ResetLinkForm().validate_on_submit():
        abort(400)
    resets.send_reset_link(user)
    flash(_("A password reset link was sent to %(email)s.", email=user.email), "info")
    return redirect(url_for(".users"))


@bp.route("/users/<int:user_id>", methods=["POST"])
def update_user(user_id: int):
    """Change a role, or disable / enable an account."""
    user = accounts.get_user(user_id) or abort(404)
    form = UpdateUserForm(prefix=f"u{user.id}")
    if not form.validate_on_submit():
        abort(400)
    active = {"1": True, "0": False}.get(form.active.data)
    try:
        accounts.update_user(user, role=form.role.data, active=active, acting=current_user)
    except accounts.AccountError as exc:
        flash(str(exc), "error")
    else:
        flash(_("Account %(email)s updated.", email=user.email), "info")
    return redirect(url_for(".users"))
