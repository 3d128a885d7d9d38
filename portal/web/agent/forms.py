"""Agent forms: the reply composer, the ticket's status/topic/assignee, and article flags."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from portal.web.common import FLAG_REASON_NAMES, TICKET_CATEGORY_CHOICES
from portal.tickets.conversation import MAX_BODY

STATUS_CHOICES = [SelectChoice("open", _l("Open")), SelectChoice("pending", _l("Pending")),
                  SelectChoice("solved", _l("Solved"))]


class ReplyForm(FlaskForm):
    """A public reply or an internal note, in Markdown, with an optional status change."""

    body = TextAreaField(_l("Message (Markdown)"), validators=[
        DataRequired(_l("Write something first.")), Length(max=MAX_BODY)])
    kind = RadioField(_l("Send as"), default="reply", choices=[
        SelectChoice("reply", _l("Public reply (e-mailed to the customer)")),
        SelectChoice("note", _l("Internal note (staff only)"))])
    status = SelectField(_l("Then set the status to"), validators=[Optional()], choices=[
        SelectChoice("", _l("Automatic (pending after a reply)")), *STATUS_CHOICES])


class TicketUpdateForm(FlaskForm):
    """Status, topic and assignee, from the inbox row or the ticket page."""

    status = SelectField(_l("Status"), choices=STATUS_CHOICES)
    category = SelectField(_l("Topic"), choices=TICKET_CATEGORY_CHOICES)
    assignee = SelectField(_l("Assignee"), choices=[])  # filled with the agents by the view
    next = HiddenField()


class FlagForm(FlaskForm):
    """Tell the editors an article or one of its questions needs work."""

    slug = HiddenField(validators=[DataRequired(), Length(max=120)])
    anchor = HiddenField(validators=[Length(max=300)])
    reason = SelectField(_l("What is wrong?"), choices=[
        SelectChoice(reason, label) for reason, label in FLAG_REASON_NAMES.items()])
    note = TextAreaField(_l("Note for the editors"), validators=[Length(max=5000)])
    ticket_id = HiddenField()
    next = HiddenField()


class ProblemAttachForm(FlaskForm):
    """Which product problem this ticket came from ("" detaches it)."""

    problem = SelectField(_l("Came from problem"), choices=[])  # filled by the view
    next = HiddenField()
