"""The employee import and the role grant."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize
from wtforms import BooleanField, SelectField

from lms.core.forms import Form
from lms.people.roles import ROLE_LABELS

IMPORT_MAX_BYTES = 10 * 1024 * 1024  # an HR export of ~100,000 employees


class EmployeeImportForm(Form):
    file = FileField(_l("CSV or XLSX file"), validators=[
        FileRequired(), FileAllowed(["csv", "txt", "xlsx"], _l("Only CSV or XLSX files.")),
        FileSize(IMPORT_MAX_BYTES, message=_l("The file is larger than 10 MB."))])
    deactivate_missing = BooleanField(_l("Deactivate active employees who are not in the "
                                         "file"))


class GrantForm(Form):
    role = SelectField(_l("Role"), choices=list(ROLE_LABELS.items()))
    opd = SelectField(_l("OPD or unit"))
