"""The champion's grant (HR's employee page), a pendampingan record, the JP setting."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from lms.champions.assisted import MAX_MINUTES, MIN_MINUTES
from lms.core.bounds import sane_day
from lms.core.forms import Form


class ChampionGrantForm(Form):
    unit = SelectField(_l("Unit this Duta Digital serves"), validators=[DataRequired()])


class AssistedForm(Form):
    token = HiddenField(validators=[DataRequired(), Length(min=16, max=64)])
    unit = SelectField(_l("Unit"))
    held_on = DateField(_l("Date of the session"), validators=[DataRequired(), sane_day])
    minutes = IntegerField(_l("Minutes"), validators=[
        InputRequired(), NumberRange(min=MIN_MINUTES, max=MAX_MINUTES)])
    course = SelectField(_l("Course (optional)"), validators=[Optional()])
    topic = StringField(_l("Topic (if not a course, or to say more)"),
                        validators=[Optional(), Length(max=200)])
    nips = TextAreaField(_l("NIP of the colleagues helped, one per line"),
                         validators=[DataRequired(), Length(max=5000)])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not (self.topic.data or "").strip() and not self.course.data:
            self.topic.errors = [*self.topic.errors, _l("Choose a course or write the topic.")]
            return False
        return valid


class SettingsForm(Form):
    jp_enabled = BooleanField(_l("Pendampingan earns JP"))
    minutes_per_jp = IntegerField(_l("Minutes per JP"), validators=[
        InputRequired(), NumberRange(min=15, max=120)])
    yearly_cap = IntegerField(_l("At most this many JP per person per year (empty: no cap)"),
                              validators=[Optional(), NumberRange(min=1, max=100)])
