from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from ..i18n import Form
from ..models.org import KINDS

IMPORT_MAX_BYTES = 10 * 1024 * 1024  # an HR export of ~100,000 employees

KIND_LABELS = {"kota": _l("City"), "sekretariat": "Sekretariat", "inspektorat": "Inspektorat",
               "dinas": "Dinas", "badan": "Badan", "kecamatan": "Kecamatan",
               "kelurahan": "Kelurahan", "unit": _l("Unit (bidang, bagian, UPTD, school…)")}


class OpdForm(Form):
    code = StringField(_l("Code"), validators=[
        DataRequired(), Length(max=32),
        Regexp(r"^[A-Za-z0-9][A-Za-z0-9.\-_]*$",
               message=_l("Letters, digits, '.', '-' and '_' only."))])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=[(k, KIND_LABELS[k]) for k in KINDS])
    parent = SelectField(_l("Under"))


class EmployeeImportForm(Form):
    file = FileField(_l("CSV or XLSX file"), validators=[
        FileRequired(), FileAllowed(["csv", "txt", "xlsx"], _l("Only CSV or XLSX files.")),
        FileSize(IMPORT_MAX_BYTES, message=_l("The file is larger than 10 MB."))])
    deactivate_missing = BooleanField(_l("Deactivate active employees who are not in the "
                                         "file"))


class ImportForm(Form):
    file = FileField(_l("CSV file"), validators=[
        FileRequired(), FileAllowed(["csv", "txt"], _l("Only CSV files.")),
        FileSize(2 * 1024 * 1024, message=_l("The file is larger than 2 MB."))])


class GrantForm(Form):
    role = SelectField(_l("Role"), choices=[("trainer", _l("Trainer")), ("hr", _l("HR")),
                                            ("admin", _l("Admin"))])
    opd = SelectField(_l("HR may see"))
