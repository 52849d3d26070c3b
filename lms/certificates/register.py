"""The certificates HR and admins see: one person's, those of an OPD's staff in a year,
and revoking one. Who counts as "an OPD's staff" is decided by the employee's current
OPD (a person who moved takes their certificates along), as in every other report."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from lms.certificates import issue
from lms.core import clock
from lms.models import Certificate, Course, Employee, Enrollment, Opd
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


def replace(session: Session, cert: Certificate, reason: str,
            by: Employee) -> Certificate | None:
    """Revoke `cert` and issue its corrected replacement in one go (issue.replace); None,
    and nothing changed, when it was already revoked (by someone else a moment ago, or
    replaced already: a revoked certificate is corrected once, from the valid one)."""
    enrollment = session.scalars(select(Enrollment).where(
        Enrollment.employee_id == cert.employee_id, Enrollment.course_id == cert.course_id,
        Enrollment.completed_at.is_not(None))).first()
    if enrollment is None or not revoke(session, cert, reason, by):
        return None
    return issue.replace(session, cert, enrollment)


@dataclass(frozen=True)
class Detail:
    label: str
    printed: str
    now: str

    @property
    def differs(self) -> bool:
        return self.printed != self.now


def as_recorded(cert: Certificate) -> list[Detail]:
    """What the certificate printed about its holder beside what a corrected one would
    print: the HR record now."""
    person = cert.employee
    return [Detail(_l("Name"), cert.name, person.name), Detail(_l("NIP"), cert.nip, person.nip),
            Detail(_l("Position"), cert.position, person.position or ""),
            Detail(_l("OPD"), cert.opd_name, person.opd.name)]


def replacement_of(session: Session, cert: Certificate) -> Certificate | None:
    return session.scalars(select(Certificate).where(
        Certificate.replaces_id == cert.id)).first()


def revoker(scope: Scope | None, user: Employee) -> str | None:
    """How `user` may revoke certificates: as "hr" (city-wide HR, who sees everyone), as
    "admin", or not at all (an OPD's HR may not)."""
    if scope is not None and scope.city_wide:
        return "hr"
    return "admin" if user.has_role("admin") else None
