"""Admin pages for the portal's outside connections: API tokens and the mail outbox."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from portal.accounts import tokens as apitokens
from portal.tickets import mail
from portal.web.admin import bp


class NewTokenForm(FlaskForm):
    """Name a token after the helpdesk that will use it, and choose what it may do."""

    name = StringField(_l("Name (which helpdesk uses it)"),
                       validators=[DataRequired(), Length(max=120)])
    scope = SelectField(_l("Scope"), choices=[
        SelectChoice("read", _l("Read: search, including internal articles")),
        SelectChoice("read-write", _l("Read and write: also record article links")),
        SelectChoice("insights:read", _l("Insights: read the ops reports only"))])


class RevokeForm(FlaskForm):
    """A CSRF-protected revoke button."""


@bp.route("/tokens", methods=["GET", "POST"])
def tokens():
    """List tokens and create one; a new token's secret is shown on this response only."""
    form = NewTokenForm()
    secret = None
    if form.validate_on_submit():
        token, secret = apitokens.create(form.name.data, form.scope.data, current_user)
        flash(_("Token “%(name)s” created. Copy it now: it will not be shown again.",
                name=token.name), "info")
        form = NewTokenForm(formdata=None)
    page = render_template("admin/tokens.html", form=form, secret=secret,
                           tokens=apitokens.all_tokens(), revoke_form=RevokeForm())
    return page, {"Cache-Control": "no-store"}


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
def revoke_token(token_id: int):
    """Revoke a token at once; helpdesks using it get 401 from then on."""
    token = apitokens.get_token(token_id) or abort(404)
    if not RevokeForm().validate_on_submit():
        abort(400)
    apitokens.revoke(token)
    flash(_("Token “%(name)s” revoked.", name=token.name), "info")
    return redirect(url_for(".tokens"))


@bp.route("/outbox")
def outbox():
    """E-mails not delivered by SMTP: held (no server configured) or failed, with the error."""
    return render_template("admin/outbox.html", messages=mail.outbox())
