"""Forms for managing staff accounts."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length

from portal.accounts.models import ROLES
from portal.accounts.users import MIN_PASSWORD
from portal.labels import LABELS

# The new-account form starts at the least privilege: a support agent.
LEAST_PRIVILEGE_FIRST = tuple(sorted(ROLES, key=("agent", "editor", "admin").index))

ROLE_CHOICES = [SelectChoice(role, LABELS[role]) for role in LEAST_PRIVILEGE_FIRST]


class NewUserForm(FlaskForm):
    """Add a staff account."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    display_name = StringField(_l("Display name"), validators=[Length(max=120)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    password = PasswordField(_l("Initial password"), validators=[DataRequired(), Length(min=MIN_PASSWORD, max=200)])


class UpdateUserForm(FlaskForm):
    """Change one account's role or switch it on or off."""

    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    active = HiddenField()


class ResetLinkForm(FlaskForm):
    """Send an account its password reset link (a button: the CSRF token is the form)."""
