"""Choosing whom to send set-password links to, and whose activation letters to print."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from lms.core.forms import Form


class AccessLinksForm(Form):
    opd = SelectField(_l("OPD (with the units under it)"))
    without_password = BooleanField(_l("Only people who have no password yet"), default=True)
    nips = TextAreaField(_l("Or these NIPs, one per line (the OPD is then not used)"),
                         validators=[Length(max=200_000)])
    again = BooleanField(_l("Send again to people who were sent a link recently"))


class LettersForm(Form):
    opd = SelectField(_l("OPD (with the units under it)"), validators=[DataRequired()])
    with_password = BooleanField(_l("Also people who already have a password"))
    again = BooleanField(_l("Print again for people whose letter is still valid (their "
                            "old letter stops working)"))
