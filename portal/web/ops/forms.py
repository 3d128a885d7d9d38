"""Ops forms: a problem's fields, and the digest opt-out switch."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

KIND_CHOICES = [SelectChoice("bug", _l("Bug")), SelectChoice("configuration", _l("Configuration")),
                SelectChoice("feature_gap", _l("Feature gap")),
                SelectChoice("missing_article", _l("Missing article"))]
STATUS_CHOICES = [SelectChoice("open", _l("Open")), SelectChoice("in_progress", _l("In progress")),
                  SelectChoice("fixed", _l("Fixed"))]


class ProblemForm(FlaskForm):
    """Title, kind, status, owner (free text) and a note."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    kind = SelectField(_l("Kind"), choices=KIND_CHOICES)
    status = SelectField(_l("Status"), choices=STATUS_CHOICES)
    owner = StringField(_l("Owner"), validators=[Length(max=120)])
    note = TextAreaField(_l("Note"), validators=[Length(max=5000)])


class DigestForm(FlaskForm):
    """Whether this member of staff gets the weekly insights e-mail."""

    wanted = BooleanField(_l("Send me the weekly insights e-mail"))
