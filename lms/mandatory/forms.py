"""Assigning a mandatory course."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from lms.core.bounds import sane_day
from lms.core.forms import Form

HEADS_FIRST_MAX = 90  # days; more would be a separate assignment for the heads


class AssignmentForm(Form):
    course = SelectField(_l("Course"), validators=[InputRequired()])
    target = RadioField(_l("Who must take it"), default="opd", choices=[
        ("opd", _l("Everyone in an OPD or unit (and the units under it)")),
        ("type", _l("One employment type")),
        ("list", _l("A list of employees (NIP)"))], validators=[InputRequired()])
    opd = SelectField(_l("OPD or unit"), validators=[Optional()])
    employment_type = SelectField(_l("Employment type"), validators=[Optional()])
    nips = TextAreaField(_l("NIPs, one per line"), validators=[Optional(), Length(max=200000)])
    due_date = DateField(_l("Due date"), validators=[DataRequired(), sane_day])
    heads_first_days = IntegerField(_l("Heads first, by days"), default=0, validators=[
        Optional(), NumberRange(min=0, max=HEADS_FIRST_MAX)])
