"""The city's certificate settings: organiser, signing official, number pattern and the
optional signature and emblem images. Admins edit them; each certificate copies what it
prints at issue, so a change applies to certificates issued afterwards."""

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from lms.core import clock, files
from lms.models import CertificateSettings, Employee

DEFAULT_ORGANISER = "BKPSDM Kota Tangerang Selatan"
DEFAULT_PATTERN = "{NOMOR}/MELEK/BKPSDM/{BULAN}/{TAHUN}"
TOKENS = ("{NOMOR}", "{TAHUN}", "{BULAN}")
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
IMAGE_TYPES = ("image/png", "image/jpeg")
MAX_IMAGE_BYTES = 512 * 1024


def current(session: Session) -> CertificateSettings:
    """The saved settings, or the defaults (not added to the session: reading never
    writes)."""
    saved = session.get(CertificateSettings, 1)
    return saved or CertificateSettings(id=1, organiser=DEFAULT_ORGANISER, signer_name="",
                                        signer_nip="", signer_position="",
                                        number_pattern=DEFAULT_PATTERN)


def pattern_problem(pattern: str):
    """Why `pattern` cannot number certificates, or None. {NOMOR} (the sequence, five
    digits) and {TAHUN} must both be in it, so numbers are unique and sequential per year."""
    if "{NOMOR}" not in pattern or "{TAHUN}" not in pattern:
        return _l("The pattern must contain {NOMOR} and {TAHUN}.")
    rest = pattern
    for token in TOKENS:
        rest = rest.replace(token, "")
    if "{" in rest or "}" in rest:
        return _l("Only {NOMOR}, {TAHUN} and {BULAN} may stand in braces.")
    if not re.fullmatch(r"[A-Za-z0-9./\- ]*", rest):
        return _l("Besides the tokens, use only letters, digits, '.', '/', '-' and spaces.")
    if len(pattern) > 60:
        return _l("The pattern is longer than 60 characters.")
    return None


def number(pattern: str, year: int, month: int, sequence: int) -> str:
    return (pattern.replace("{NOMOR}", f"{sequence:05d}").replace("{TAHUN}", str(year))
            .replace("{BULAN}", ROMAN[month - 1]))


def image_problem(data: bytes):
    if len(data) > MAX_IMAGE_BYTES:
        return _l("The image is larger than 512 KB.")
    if files.sniff(data) not in IMAGE_TYPES:
        return _l("The file is not a real PNG or JPEG image.")
    return None


def save(session: Session, by: Employee, *, organiser: str, signer_name: str,
         signer_nip: str, signer_position: str, number_pattern: str,
         signature_image: bytes | None = None, emblem_image: bytes | None = None,
         remove_signature: bool = False, remove_emblem: bool = False) -> list[str]:
    """Store the settings; returns the names of the fields that changed."""
    row = session.get(CertificateSettings, 1)
    if row is None:
        row = current(session)
        session.add(row)
    changed = []
    for field, value in (("organiser", organiser), ("signer_name", signer_name),
                         ("signer_nip", signer_nip), ("signer_position", signer_position),
                         ("number_pattern", number_pattern)):
        if getattr(row, field) != value:
            setattr(row, field, value)
            changed.append(field)
    for field, data, remove in (("signature_image", signature_image, remove_signature),
                                ("emblem_image", emblem_image, remove_emblem)):
        if data:
            setattr(row, field, data)
            changed.append(field)
        elif remove and getattr(row, field) is not None:
            setattr(row, field, None)
            changed.append(field)
    if changed:
        row.updated_at, row.updated_by_id = clock.now(), by.id
    session.flush()
    return changed
