"""Login, logout and password reset pages; failed logins are rate-limited and get one
generic message, and a reset request never tells whether the address has an account."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user

from portal.accounts import resets, users as accounts
from portal.extensions import limiter, login_manager
from portal.accounts.models import User
from portal.web.auth import bp
from portal.web.auth.forms import ForgotPasswordForm, LoginForm, NewPasswordForm
from portal.web.common import redirect_local


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The signed-in account of this session, while the session is still current."""
    return accounts.user_for_session(session_id)


def _login_failed(response) -> bool:
    """Only failed attempts (the form shown again) count against the limit."""
    return request.method == "POST" and response.status_code != 302


def _home_for(user: User) -> str:
    """Each role starts where its work is: admins at accounts, editors at articles,
    agents at the ticket inbox."""
    return url_for({"admin": "admin.users", "editor": "editor.index",
                    "agent": "agent.tickets"}.get(user.role, "public.home"))


def _account_and_address() -> str:
    """Failed logins count per account and address: guessing one account's password
    never locks out the other people behind the same address."""
    email = accounts.normalize_email(request.form.get("email", ""))[:254]
    return f"{get_remote_address()}|{email}"


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: limiter_setting(), key_func=_account_and_address, methods=["POST"],
               deduct_when=_login_failed)
@limiter.limit(lambda: current_app.config["LOGIN_ADDRESS_RATE_LIMIT"], methods=["POST"],
               deduct_when=_login_failed)
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
    """How many failed logins an account may take from one address (LOGIN_RATE_LIMIT)."""
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign out (POST with a CSRF token, so no link can sign someone out); the session and
    remember-me cookie end on the server too, so a copied cookie stops working."""
    accounts.end_sessions(current_user)
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("public.home"))


@bp.route("/login/forgot", methods=["GET", "POST"])
@limiter.limit(lambda: limiter_setting(), methods=["POST"])
def forgot_password():
    """Ask for a reset link by e-mail; the answer is the same whether the account exists."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = accounts.find_by_email(form.email.data)
        if user is not None and user.active:
            resets.send_reset_link(user)
        flash(_("If this address has an account, a link to choose a new password is on "
                "its way."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form), (400 if request.method == "POST" else 200)


@bp.route(resets.RESET_PATH + "<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password through a signed one-time link."""
    user = resets.user_for_token(token)
    if user is None:  # the page to ask for a new link, saying why
        return render_template("auth/forgot.html", form=ForgotPasswordForm(formdata=None),
                               problem=_("This password link is invalid, used or expired. "
                                         "Ask for a new one.")), 400
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            resets.set_new_password(user, form.password.data)
        except accounts.AccountError as exc:
            form.password.errors.append(str(exc))
        else:
            flash(_("Your new password is set. Sign in with it."), "info")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form, user=user), \
        (400 if request.method == "POST" else 200)
