"""The OPD tree's forms: one node, and the CSV import."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from lms.core.forms import Form
from lms.models.org import OPD_KINDS
from lms.org.tree import code_problem, name_problem

OPD_KIND_LABELS = {"kota": _l("City"), "sekretariat": "Sekretariat", "inspektorat": "Inspektorat",
               "dinas": "Dinas", "badan": "Badan", "kecamatan": "Kecamatan",
               "kelurahan": "Kelurahan", "unit": _l("Unit (bidang, bagian, UPTD, school…)")}


def _org_rule(problem, trim: bool = False):
    """A field validator from the rule the CSV import applies too (org/tree.py)."""
    def check(_form, field):
        value = field.data or ""
        message = problem(value.strip() if trim else value)
        if message:
            raise ValidationError(message)
    return check


class OpdForm(Form):
    code = StringField(_l("Code"), validators=[DataRequired(), _org_rule(code_problem)])
    name = StringField(_l("Name"), validators=[DataRequired(),
                                               _org_rule(name_problem, trim=True)])
    kind = SelectField(_l("Kind"), choices=[(k, OPD_KIND_LABELS[k]) for k in OPD_KINDS])
    parent = SelectField(_l("Under"))


class ImportForm(Form):
    file = FileField(_l("CSV file"), validators=[
        FileRequired(), FileAllowed(["csv", "txt"], _l("Only CSV files.")),
        FileSize(2 * 1024 * 1024, message=_l("The file is larger than 2 MB."))])


class HeadForm(Form):
    nip = StringField(_l("NIP of the new head"), validators=[DataRequired(), Length(max=40)])


class LeaderSettingsForm(Form):
    show_head_completion = BooleanField(_l(
        "Show staff, on a mandatory course's page, whether their own head has completed it"))
