"""Login and logout pages; failed logins are rate-limited and get one generic message."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from portal.accounts import users as accounts
from portal.extensions import limiter, login_manager
from portal.accounts.models import User
from portal.web.auth import bp
from portal.web.auth.forms import LoginForm
from portal.web.common import redirect_local


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The signed-in account of this session, if still there."""
    return accounts.get_user(int(user_id)) if user_id.isdigit() else None


def _login_failed(response) -> bool:
    """Only failed attempts (the form shown again) count against the limit."""
    return request.method == "POST" and response.status_code != 302


def _home_for(user: User) -> str:
    if user.has_role("editor"):
        return url_for("editor.index")
    return url_for("public.home")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: limiter_setting(), methods=["POST"], deduct_when=_login_failed)
def login():
    """The staff sign-in page."""
    if current_user.is_authenticated:
        return redirect_local(request.args.get("next"), _home_for(current_user))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            return redirect_local(request.args.get("next"), _home_for(user))
        flash(_("Wrong e-mail address or password."), "error")
        status = 401
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


def limiter_setting() -> str:
    """How many failed logins an address may try (config LOGIN_RATE_LIMIT)."""
    from flask import current_app

    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign out (POST with a CSRF token, so no link can sign someone out)."""
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("public.home"))
