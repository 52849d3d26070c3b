"""The certificates HR and admins see: one person's, those of an OPD's staff in a year,
and revoking one. Who counts as "an OPD's staff" is decided by the employee's current
OPD (a person who moved takes their certificates along), as in every other report."""

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from lms.core import clock
from lms.models import Certificate, Course, Employee, Opd
from lms.org.scope import Scope

REASON_MAX = 300


def selection(where, year: int):
    """SELECT … FROM certificate joined to its holder, their current OPD and the course:
    the valid certificates of `year` whose holder's OPD matches `where` (an SQL condition
    on Opd.path, such as `Scope.condition()`). Active employees only, like the reports."""
    return (select().select_from(Certificate)
            .join(Employee, Employee.id == Certificate.employee_id)
            .join(Opd, Opd.id == Employee.opd_id)
            .join(Course, Course.id == Certificate.course_id)
            .where(where, Employee.active, Certificate.year == year,
                   Certificate.revoked_at.is_(None)))


def subtree(node: Opd):
    """SQL: the node and everything under it."""
    return Scope([node], city_wide=False).condition()


def count(session: Session, where, year: int) -> int:
    return session.scalar(selection(where, year).add_columns(func.count(Certificate.id)))


def held_by(session: Session, employee_id: int) -> list[Certificate]:
    """A person's certificates, newest first (revoked ones too: the page says so)."""
    return list(session.scalars(
        select(Certificate).where(Certificate.employee_id == employee_id)
        .order_by(Certificate.completed_on.desc(), Certificate.id.desc())))


def in_scope(session: Session, scope: Scope, code: str) -> Certificate | None:
    """The certificate with this code when its holder works inside `scope` now."""
    return session.scalars(
        select(Certificate).join(Employee, Employee.id == Certificate.employee_id)
        .join(Opd, Opd.id == Employee.opd_id)
        .where(Certificate.code == code, scope.condition())).first()


def by_code(session: Session, code: str) -> Certificate | None:
    return session.scalars(select(Certificate).where(Certificate.code == code)).first()


def revoke(session: Session, cert: Certificate, reason: str, by: Employee) -> bool:
    """Revoke `cert` now; False (and nothing changed) when it already was. A conditional
    UPDATE decides, so of two revocations at once only the first counts and its reason
    stands."""
    done = session.execute(
        update(Certificate).where(Certificate.id == cert.id, Certificate.revoked_at.is_(None))
        .values(revoked_at=clock.now(), revoked_reason=reason[:REASON_MAX],
                revoked_by_id=by.id)
        .execution_options(synchronize_session=False)).rowcount == 1
    session.refresh(cert)
    return done


def revoker(scope: Scope | None, user: Employee) -> str | None:
    """How `user` may revoke certificates: as "hr" (city-wide HR, who sees everyone), as
    "admin", or not at all (an OPD's HR may not)."""
    if scope is not None and scope.city_wide:
        return "hr"
    return "admin" if user.has_role("admin") else None
