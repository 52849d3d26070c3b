"""The admin's forms; the learner's answers are read from the posted fields (one per
item, as the quiz reads its answers) behind an EmptyForm's CSRF check."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField

from lms.core.forms import Form


class UploadForm(Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="kuesioner", **kwargs)

    upload = FileField(_l("Questionnaire (the downloaded zip, or kuesioner.md)"), validators=[
        FileRequired(), FileAllowed(["zip", "md"], _l("Only .zip or .md files."))])
    overwrite = BooleanField(_l("Replace the current version even if it changed since "
                                "this file was downloaded"))


class SettingsForm(Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="pengaturan", **kwargs)

    required = BooleanField(_l("Learners must answer the evaluation before they can "
                               "download the certificate of a course completed from now on"))
