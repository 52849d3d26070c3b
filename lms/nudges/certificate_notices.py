"""A replaced certificate, told by email to its holder: the old number no longer checks
as valid, so whoever uploaded it to SIASN must upload the corrected one.

Claimed before sending like every message (lms.nudges.claims), once per new certificate.
Replacements of the last week are told: a replacement is rare and the command runs every
few minutes, so a week covers any pause of the timer without mailing people, on the first
run, about corrections made long ago."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, aliased

from lms.models import Certificate, Employee
from lms.models.nudges import CertificateNotice
from lms.nudges import claims

TOLD_WITHIN = timedelta(days=7)


@dataclass
class Notice:
    certificate_id: int
    employee_id: int
    nip: str
    name: str
    email: str | None
    locale: str | None
    title: str  # the course's, as the certificate prints it
    number: str
    old_number: str
    reason: str | None
    code: str  # the new certificate's
    kind: str = "replaced"


def pending(session: Session, now: datetime) -> list[Notice]:
    """Valid replacements issued within TOLD_WITHIN whose notice has not gone out (or only
    was refused), oldest first."""
    old = aliased(Certificate)
    told = exists().where(CertificateNotice.certificate_id == Certificate.id,
                          claims.done(CertificateNotice, Employee.email))
    rows = session.execute(
        select(Certificate.id, Employee.id, Employee.nip, Employee.name, Employee.email,
               Employee.locale, Certificate.course_title, Certificate.number, old.number,
               old.revoked_reason, Certificate.code)
        .select_from(Certificate)
        .join(old, old.id == Certificate.replaces_id)
        .join(Employee, Employee.id == Certificate.employee_id)
        .where(Certificate.replaces_id.is_not(None), Certificate.revoked_at.is_(None),
               Certificate.issued_at >= now - TOLD_WITHIN, Employee.active, ~told)
        .order_by(Certificate.issued_at, Certificate.id))
    return [Notice(*row) for row in rows]


def key(n: Notice) -> dict:
    return {"certificate_id": n.certificate_id}


def claim(session: Session, n: Notice) -> bool:
    """Take this notice for this run (nudges.claims.claim)."""
    return claims.claim(session, CertificateNotice, key(n), n.email,
                        employee_id=n.employee_id)


def record(session: Session, n: Notice, state: str, error: str | None = None) -> None:
    """How a claimed notice went (nudges.claims.record)."""
    claims.record(session, CertificateNotice, key(n), state, error)
