from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileSize
from wtforms import DateField, IntegerField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from lms.core.bounds import sane_day
from lms.core.forms import Form

PROOF_TYPES = ["pdf", "jpg", "jpeg", "png"]
PROOF_MAX_BYTES = 2 * 1024 * 1024


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
