"""What the settings page shows before anything is issued: the number the next
certificate would get with a pattern, and a sample certificate made with the settings
(so an admin sees the layout, and an image that cannot be drawn is refused while the
admin is still on the page, not when a learner completes a course)."""

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.certificates import pdf, settings
from lms.core import clock
from lms.models import Certificate

SAMPLE_CODE = "0000000000000000"


def next_number(session: Session, pattern: str) -> str:
    """The number the next certificate completed now would get (reads only: another
    completion may take it first)."""
    today = clock.today()
    last = session.scalar(select(func.max(Certificate.sequence))
                          .where(Certificate.year == today.year)) or 0
    return settings.number(pattern, today.year, today.month, last + 1)


def certificate(session: Session, chosen) -> Certificate:
    """A certificate as `chosen` would print it, for a person who does not exist (never
    added to the session)."""
    today = clock.today()
    return Certificate(
        code=SAMPLE_CODE, number=next_number(session, chosen.number_pattern),
        name="CONTOH — BUKAN SERTIFIKAT", nip="199001012020011001",
        position="Pengadministrasi Umum", opd_name="Kelurahan Contoh",
        course_title="Judul Kursus Contoh", jp=4,
        started_on=date(today.year, today.month, 1), completed_on=today,
        organiser=chosen.organiser, signer_name=chosen.signer_name,
        signer_nip=chosen.signer_nip, signer_position=chosen.signer_position,
        issued_at=clock.now())


def render(session: Session, chosen, url: str, *, signature: bytes | None,
           emblem: bytes | None) -> bytes:
    return pdf.certificate(certificate(session, chosen), url, signature=signature,
                           emblem=emblem)


def cannot_draw(session: Session, chosen, url: str, *, signature: bytes | None = None,
                emblem: bytes | None = None) -> bool:
    """True when a certificate with these images cannot be drawn (a file that starts
    like a PNG or JPEG but is not one)."""
    try:
        render(session, chosen, url, signature=signature, emblem=emblem)
    except Exception:  # noqa: BLE001 - whatever the image library raises
        return True
    return False
