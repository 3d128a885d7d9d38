"""The article form: front matter as fields, the body as Markdown."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from portal.articles.model import LANGUAGES, SLUG_PATTERN
from portal.i18n import LANGUAGE_NAMES


class ArticleForm(FlaskForm):
    """Everything an editor may set on an article."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    slug = StringField(_l("Address (slug)"), validators=[
        Optional(), Regexp(SLUG_PATTERN, message=_l("Use letters, digits, - and _ only."))])
    category = StringField(_l("Category"), validators=[Length(max=100)])
    tags = StringField(_l("Tags (comma separated)"), validators=[Length(max=500)])
    aliases = TextAreaField(_l("Other ways people ask (one per line)"),
                            validators=[Length(max=5000)])
    lang = SelectField(_l("Language"), choices=[SelectChoice(code, LANGUAGE_NAMES[code])
                                                for code in LANGUAGES])
    audience = SelectField(_l("Audience"), choices=[
        SelectChoice("public", _l("Public (customers)")),
        SelectChoice("internal", _l("Internal (agents' canned reply)"))],
        validate_choice=True)
    body = TextAreaField(_l("Questions and answers (Markdown)"), validators=[Length(max=200_000)])
    base_fingerprint = HiddenField()
    translation_of = HiddenField()

