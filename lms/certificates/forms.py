"""Revoking a certificate."""

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from lms.certificates.register import REASON_MAX
from lms.core.forms import Form


class RevokeForm(Form):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(),
                                                     Length(max=REASON_MAX)])
