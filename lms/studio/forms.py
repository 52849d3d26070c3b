from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from lms.content.audio import MAX_AUDIO_BYTES
from lms.content.tree import MAX_TREE_BYTES
from lms.content.validate import LIMITS
from lms.core.forms import Form

QUESTION_TYPE_LABELS = {"single": _l("One right answer"), "multiple": _l("Several right answers"),
               "truefalse": _l("True or false (Benar/Salah)"),
               "text": _l("Short text answer")}
OPTION_ROWS = 10  # module_text.MAX_FORM_OPTIONS: longer questions use the raw editor


class NewCourseForm(Form):
    title = StringField(_l("Course title"), validators=[DataRequired(), Length(max=200)])
    # Optional: made from the title when empty (studio.creation.folder_name).
    slug = StringField(_l("Folder name (optional)"), validators=[
        Optional(), Length(max=100),
        Regexp(r"^[a-z0-9][a-z0-9-]*$",
               message=_l("Lower-case letters, digits and '-' only, e.g. 'sisumaker-lanjut'."))])


class CourseForm(Form):
    version = HiddenField()
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    summary = TextAreaField(_l("Summary (one or two sentences)"),
                            validators=[DataRequired(), Length(max=500)])
    jp = IntegerField(_l("Training hours (JP) credited"), validators=[
        InputRequired(message=_l("Choose how many JP the course credits.")),
        NumberRange(*LIMITS["jp"])])
    course_version = StringField(_l("Version"), validators=[DataRequired(), Length(max=40)])
    published = BooleanField(_l("Shown in the catalogue"))
    order = IntegerField(_l("Order in the catalogue"),
                         validators=[Optional(), NumberRange(*LIMITS["order"])])
    description = TextAreaField(_l("Introduction (Markdown)"), render_kw={"rows": 12})


class ModuleForm(Form):
    version = HiddenField()
    title = StringField(_l("Module title"), validators=[DataRequired(), Length(max=200)])
    minutes = IntegerField(_l("Reading time (minutes)"),
                           validators=[InputRequired(), NumberRange(*LIMITS["minutes"])])
    body = TextAreaField(_l("Content (Markdown)"), render_kw={"rows": 22})
    # The quiz fields are only on the page once the module has questions.
    pass_mark = IntegerField(_l("Pass mark (1–100)"), default=70,
                             validators=[Optional(), NumberRange(min=1, max=100)])
    attempts = IntegerField(_l("Attempts allowed (0: no limit)"), default=0,
                            validators=[Optional(), NumberRange(*LIMITS["attempts"])])
    shuffle = BooleanField(_l("Shuffle questions and options"))
    draw = IntegerField(_l("Questions drawn per attempt (empty: all)"),
                        validators=[Optional(), NumberRange(min=1, max=200)])


class NewModuleForm(Form):
    title = StringField(_l("New module title"), validators=[DataRequired(), Length(max=200)])


class OptionForm(Form):
    class Meta:
        csrf = False

    text = StringField(_l("Option"), validators=[Length(max=500)])
    correct = BooleanField(_l("Right answer"))


class QuestionForm(Form):
    version = HiddenField()
    kind = RadioField(_l("Kind of question"), choices=list(QUESTION_TYPE_LABELS.items()),
                      default="single")
    # What each kind of question needs is checked by studio.module_text.gaps, in these
    # fields' words.
    prompt = TextAreaField(_l("Question (Markdown; the first line is the question)"),
                           validators=[Length(max=5000)],
                           render_kw={"rows": 4})
    options = FieldList(FormField(OptionForm), min_entries=4,
                        max_entries=OPTION_ROWS)
    truefalse = RadioField(_l("The right answer"), choices=[("Benar", "Benar"),
                                                            ("Salah", "Salah")],
                           validators=[Optional()])
    accepted = TextAreaField(_l("Accepted answers, one per line"), render_kw={"rows": 3})
    explanation = TextAreaField(_l("Explanation shown after grading (Markdown)"),
                                validators=[Length(max=5000)], render_kw={"rows": 4})


class FileTextForm(Form):
    version = HiddenField()
    text = TextAreaField(_l("File content"), render_kw={"rows": 30})


class UploadForm(Form):
    # Each kind's own limit (2 MB for an image) is checked with its content (check_file).
    image = FileField(_l("Image (PNG, JPEG, GIF, SVG or WebP, at most 2 MB) or audio (MP3 "
                         "or Ogg, at most 5 MB)"), validators=[
        FileRequired(), FileSize(MAX_AUDIO_BYTES, message=_l("The file is larger than 5 MB."))])


class PublishForm(Form):
    """Shares the course page with ImportForm: the prefix keeps their field ids apart."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="terbit", **kwargs)

    message = StringField(_l("What changed (for the revision history)"),
                          validators=[DataRequired(), Length(max=500)])
    overwrite = BooleanField(_l("I have compared the versions: publish my draft over the "
                                "newer revision"))


class ImportForm(Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="zip", **kwargs)

    archive = FileField(_l("Course zip (one folder in the courses/ format)"), validators=[
        FileRequired(), FileAllowed(["zip"], _l("Only .zip files.")),
        FileSize(MAX_TREE_BYTES, message=_l("The zip is larger than 30 MB."))])
    message = StringField(_l("What changed in the zip (for the revision history)"),
                          validators=[DataRequired(), Length(max=500)])
    overwrite = BooleanField(_l("Replace the browser's version even if it changed too"))


class OwnerForm(Form):
    nip = StringField(_l("NIP of the trainer"), validators=[
        DataRequired(), Regexp(r"^\d{18}$", message=_l("A NIP has 18 digits."))])
