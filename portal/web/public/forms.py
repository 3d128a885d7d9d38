"""Customer forms: feedback, ask a question, reply to a ticket, get the ticket links again."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional

from portal.web.common import TICKET_CATEGORY_CHOICES


class VoteForm(FlaskForm):
    """Helpful / not helpful, with an optional reason for "not helpful"."""

    anchor = HiddenField()
    helpful = HiddenField(validators=[DataRequired()])
    reason = RadioField(_l("What was wrong?"), validators=[Optional()], choices=[
        SelectChoice("outdated", _l("Outdated")), SelectChoice("unclear", _l("Unclear")),
        SelectChoice("not_answered", _l("Didn't answer my question")),
        SelectChoice("other", _l("Other"))])
    comment = TextAreaField(_l("Tell us more (optional)"), validators=[Length(max=2000)])


class AskForm(FlaskForm):
    """Ask a question when self-service did not help; `website` is a honeypot for bots."""

    subject = StringField(_l("Subject"), validators=[
        DataRequired(_l("Please give your question a short subject.")), Length(max=200)])
    body = TextAreaField(_l("Your question"), validators=[
        DataRequired(_l("Please describe your question.")), Length(max=5000)])
    email = EmailField(_l("E-mail for our answer"), validators=[
        DataRequired(_l("We need an e-mail address to answer you.")),
        Email(_l("This is not a valid e-mail address.")), Length(max=254)])
    name = StringField(_l("Your name (optional)"), validators=[Length(max=120)])
    category = SelectField(_l("Topic"), choices=TICKET_CATEGORY_CHOICES)
    website = StringField(_l("Leave this field empty"), validators=[Length(max=200)])


class ReplyForm(FlaskForm):
    """The customer's answer on the private ticket page."""

    body = TextAreaField(_l("Your reply"), validators=[
        DataRequired(_l("Please write a reply.")), Length(max=5000)])


class ResendLinkForm(FlaskForm):
    """"Send me my link again": the address the questions were asked from."""

    email = EmailField(_l("Your e-mail address"), validators=[
        DataRequired(_l("We need an e-mail address to answer you.")),
        Email(_l("This is not a valid e-mail address.")), Length(max=254)])
