from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange
from wtforms.widgets import CheckboxInput, ListWidget

from lms.core.bounds import sane_day
from lms.core.forms import Form

MAX_CAPACITY = 500


class Checkboxes(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ScheduleForm(Form):
    day = DateField(_l("Date"), validators=[DataRequired(), sane_day])
    starts = TimeField(_l("Start time (WIB)"), validators=[DataRequired()])
    ends = TimeField(_l("End time (WIB)"), validators=[DataRequired()])
    place = StringField(_l("Place"), validators=[DataRequired(), Length(max=200)])
    capacity = IntegerField(_l("Seats"), validators=[
        InputRequired(), NumberRange(min=1, max=MAX_CAPACITY)])
    facilitator = StringField(_l("Facilitator's NIP"),
                              validators=[DataRequired(), Length(max=32)])
    modules = Checkboxes(_l("Modules the session covers"), coerce=int)
    audience = SelectField(_l("Who may sign up"), validate_choice=True)


class NipForm(Form):
    nip = StringField(_l("NIP"), validators=[DataRequired(), Length(max=32)])


class CodeForm(Form):
    code = StringField(_l("Attendance code (6 digits)"),
                       validators=[DataRequired(), Length(max=20)],
                       render_kw={"inputmode": "numeric", "autocomplete": "one-time-code",
                                  "pattern": "[0-9 ]*"})


class TickForm(Form):
    present = Checkboxes(_l("Present"), coerce=int, validate_choice=True)
    # The seats the form showed ticked: only those can be taken back, so a code check-in
    # made while the form was open is not undone by saving it.
    shown = SelectMultipleField(coerce=int, validate_choice=True)
