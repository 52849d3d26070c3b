"""Issuing a certificate when a course is completed: exactly once per person and course,
numbered in sequence within the Jakarta year, and rendered (and signed, with a key) once,
in the completion's own transaction; and its corrected replacement, when HR asks."""

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.certificates import codes, pdf, settings, signing
from lms.core import clock
from lms.core.database import lock_key
from lms.core.web import external_url
from lms.models import Certificate, Enrollment


def verification_url(code: str) -> str:
    return external_url("verification.show", code=code)


# A session whose `info` holds this issues nothing on completion (the demo's seeding, which
# completes courses person by person and then numbers them all in completion order).
DEFERRED = "certificates_deferred"


def issue(session: Session, enrollment: Enrollment) -> Certificate | None:
    """The certificate of a completed enrolment, made now if it has none. Safe to call
    twice and from two transactions at once: the lock (PostgreSQL) or the write lock
    (SQLite) orders them, and the second finds the first's."""
    if session.info.get(DEFERRED):
        return None
    year = clock.year_of(enrollment.completed_at)
    # One lock per year numbers certificates without gaps or doubles; it also covers
    # the check for an existing certificate.
    lock_key(session, "certificate", str(year))
    # A revoked certificate counts too: it never silently comes back as a new one (only
    # `replace` makes a second, on purpose). The valid one first, when there are two.
    existing = session.scalars(select(Certificate).where(
        Certificate.employee_id == enrollment.employee_id,
        Certificate.course_id == enrollment.course_id)
        .order_by(Certificate.revoked_at.is_not(None), Certificate.id.desc())).first()
    if existing is not None:
        return existing
    return _make(session, enrollment, year)


def replace(session: Session, old: Certificate, enrollment: Enrollment) -> Certificate:
    """A corrected certificate for revoked `old`: a new number and code, what the HR
    record says today (the name, NIP, position and OPD that were corrected) and today's
    settings; the course's dates and JP stay those of the completion. The caller has
    revoked `old` in this transaction (the partial unique index refuses a second valid
    certificate otherwise)."""
    lock_key(session, "certificate", str(old.year))
    cert = _make(session, enrollment, old.year)
    cert.replaces_id = old.id
    return cert


def _make(session: Session, enrollment: Enrollment, year: int) -> Certificate:
    """Number, fill in and render a certificate; under the year's lock."""
    sequence = (session.scalar(select(func.max(Certificate.sequence))
                               .where(Certificate.year == year)) or 0) + 1
    chosen = settings.current(session)
    person, course = enrollment.employee, enrollment.course
    completed = clock.jakarta(enrollment.completed_at)
    cert = Certificate(
        code=codes.new_code(), year=year, sequence=sequence,
        number=settings.number(chosen.number_pattern, year, completed.month, sequence),
        employee_id=person.id, course_id=course.id, name=person.name, nip=person.nip,
        position=person.position or "", opd_name=person.opd.name, course_title=course.title,
        jp=enrollment.jp_awarded if enrollment.jp_awarded is not None else course.jp,
        started_on=clock.jakarta(enrollment.started_at).date(), completed_on=completed.date(),
        organiser=chosen.organiser, signer_name=chosen.signer_name,
        signer_nip=chosen.signer_nip, signer_position=chosen.signer_position,
        issued_at=clock.now())
    render(cert, chosen)
    session.add(cert)
    session.flush()
    return cert


def render(cert: Certificate, chosen) -> None:
    """Make the certificate's PDF (signed when a key is configured)."""
    document = pdf.certificate(cert, verification_url(cert.code),
                               signature=chosen.signature_image, emblem=chosen.emblem_image)
    signer = signing.signer_from(current_app.config)
    if signer is not None:
        document = signing.sign(document, signer, f"Sertifikat Melek {cert.number}")
    cert.pdf, cert.signed = document, signer is not None


def codes_by_course(session: Session, employee_id: int) -> dict[int, str]:
    """{course id: certificate code} of one person's valid certificates, for links."""
    return dict(session.execute(select(Certificate.course_id, Certificate.code).where(
        Certificate.employee_id == employee_id, Certificate.revoked_at.is_(None))).all())
