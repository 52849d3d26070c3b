"""Certificates for completions that have none: the ones completed before certificates
existed (and the demo's). In order of completion, so numbers follow it within a year."""

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from lms.certificates.issue import issue
from lms.core import clock
from lms.core.database import lock_key
from lms.models import Certificate, Enrollment


def _without_certificate():
    return (select(Enrollment)
            .outerjoin(Certificate, and_(Certificate.employee_id == Enrollment.employee_id,
                                         Certificate.course_id == Enrollment.course_id))
            .where(Enrollment.completed_at.is_not(None), Certificate.id.is_(None)))


def pending(session: Session) -> int:
    query = _without_certificate().with_only_columns(Enrollment.id)
    return session.scalar(select(func.count()).select_from(query.subquery()))


def _has_certificate(session: Session, enrollment: Enrollment) -> bool:
    return session.scalar(select(Certificate.id).where(
        Certificate.employee_id == enrollment.employee_id,
        Certificate.course_id == enrollment.course_id)) is not None


def issue_next(session: Session, batch: int) -> tuple[int, int]:
    """Issue certificates for the next `batch` completions without one. Returns (looked
    at, issued): fewer issued than looked at when another process issued some first.
    Nothing looked at means nothing is left. Flushes only."""
    found = list(session.scalars(_without_certificate()
                                 .order_by(Enrollment.completed_at, Enrollment.id)
                                 .limit(batch)))
    made = 0
    for enrollment in found:
        # The lock issue() takes (a transaction holds it again at no cost): under it,
        # whether another process issued this one meanwhile is certain.
        lock_key(session, "certificate", str(clock.year_of(enrollment.completed_at)))
        if not _has_certificate(session, enrollment):
            issue(session, enrollment)
            made += 1
    return len(found), made
