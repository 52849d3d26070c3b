from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileSize
from wtforms import DateField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from lms.core.bounds import sane_day
from lms.i18n import Form

PROOF_TYPES = ["pdf", "jpg", "jpeg", "png"]
PROOF_MAX_BYTES = 2 * 1024 * 1024


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


class ExternalTrainingForm(Form):
    title = StringField(_l("Training title"), validators=[DataRequired(), Length(max=200)])
    organiser = StringField(_l("Organiser"), validators=[DataRequired(), Length(max=200)])
    start_date = DateField(_l("Start date"), validators=[DataRequired(), sane_day])
    end_date = DateField(_l("End date"), validators=[DataRequired(), sane_day])
    jp = IntegerField(_l("JP"), validators=[InputRequired(), NumberRange(min=1, max=500)])
    proof = FileField(_l("Proof (PDF, JPG or PNG, at most 2 MB; optional)"), validators=[
        FileAllowed(PROOF_TYPES, _l("Only PDF, JPG or PNG files.")),
        FileSize(PROOF_MAX_BYTES, message=_l("The file is larger than 2 MB."))])

    def validate_end_date(self, field):
        if self.start_date.data and field.data and field.data < self.start_date.data:
            from wtforms.validators import ValidationError
            raise ValidationError(_l("The end date is before the start date."))
