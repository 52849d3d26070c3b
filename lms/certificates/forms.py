"""The certificates' forms: the settings (admins) and revoking a certificate."""

import re

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from lms.certificates import settings
from lms.certificates.register import REASON_MAX
from lms.core.forms import Form


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _digits_only(value):
    # A NIP is often copied with spaces between its parts (19700101 199503 1 001).
    return re.sub(r"[\s.]", "", value) if isinstance(value, str) else value


def _pattern(_form, field):
    problem = settings.pattern_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


class ImageField(FileField):
    """An optional image upload; once validated, `bytes` holds what was uploaded (or
    None)."""

    bytes = None


def _image(_form, field):
    """A real PNG or JPEG of at most 512 KB, judged by its bytes, never by its name."""
    field.bytes = None
    upload = field.data
    if not upload or not getattr(upload, "filename", ""):
        return
    data = upload.read(settings.MAX_IMAGE_BYTES + 1)
    problem = settings.image_problem(data)
    if problem:
        raise ValidationError(problem)
    field.bytes = data


ACCEPT = {"accept": "image/png,image/jpeg"}


class CertificateSettingsForm(Form):
    organiser = StringField(_l("Organiser"), filters=[_strip],
                            validators=[DataRequired(), Length(max=200)])
    signer_name = StringField(_l("Name of the signing official"), filters=[_strip],
                              validators=[DataRequired(), Length(max=200)])
    signer_nip = StringField(_l("NIP of the signing official (optional)"),
                             filters=[_digits_only],
                             render_kw={"inputmode": "numeric", "autocomplete": "off"},
                             validators=[
                                 Optional(), Regexp(r"^\d{18}$", message=_l(
                                     "A NIP has 18 digits."))])
    signer_position = StringField(_l("Position of the signing official"), filters=[_strip],
                                  validators=[DataRequired(), Length(max=200)])
    number_pattern = StringField(_l("Number pattern"), filters=[_strip],
                                 validators=[DataRequired(), _pattern])
    signature_image = ImageField(_l("Signature image (PNG or JPEG, at most 512 KB; "
                                    "optional)"), validators=[_image], render_kw=ACCEPT)
    remove_signature = BooleanField(_l("Remove the signature image"))
    emblem_image = ImageField(_l("Emblem (PNG or JPEG, at most 512 KB; optional)"),
                              validators=[_image], render_kw=ACCEPT)
    remove_emblem = BooleanField(_l("Remove the emblem"))


class RevokeForm(Form):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(),
                                                     Length(max=REASON_MAX)])
