"""Places in a session: signing up, giving a place back, HR adding people by NIP.

Capacity holds under parallel requests: taking a place locks the session's row first
(SELECT … FOR UPDATE on PostgreSQL; on SQLite every writing request already begins with
BEGIN IMMEDIATE), then counts and inserts; a second press by the same person meets the
unique (session, employee) pair and takes nothing."""

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, contains_eager

from lms.classroom import access
from lms.core import clock
from lms.models import ClassSeat, ClassSession, Employee, Opd
from lms.org.scope import Scope

TAKEN, ALREADY, FULL, CLOSED, OUTSIDE, UNKNOWN = (
    "taken", "already", "full", "closed", "outside", "unknown")


def seat_of(session: Session, session_id: int, employee_id: int) -> ClassSeat | None:
    return session.scalars(select(ClassSeat).where(
        ClassSeat.session_id == session_id, ClassSeat.employee_id == employee_id)).first()


def taken(session: Session, session_id: int) -> int:
    return session.scalar(select(func.count(ClassSeat.id))
                          .where(ClassSeat.session_id == session_id))


def taken_by_session(session: Session, ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    return dict(session.execute(select(ClassSeat.session_id, func.count(ClassSeat.id))
                                .where(ClassSeat.session_id.in_(ids))
                                .group_by(ClassSeat.session_id)).all())


def _lock(session: Session, cs: ClassSession) -> None:
    session.scalars(select(ClassSession.id).where(ClassSession.id == cs.id)
                    .with_for_update()).one()


def take(session: Session, cs: ClassSession, employee: Employee,
         by: Employee | None = None, now: datetime | None = None) -> str:
    """A place for `employee` (`by`: who added them, None when they signed up
    themselves). Open until the session ends, so a walk-in can still get a free place.
    Flushes."""
    now = now or clock.now()
    if cs.cancelled_at is not None or now > cs.ends_at:
        return CLOSED
    if not access.in_audience(cs, employee.opd.path):
        return OUTSIDE
    _lock(session, cs)
    if seat_of(session, cs.id, employee.id) is not None:
        return ALREADY
    if taken(session, cs.id) >= cs.capacity:
        return FULL
    try:
        with session.begin_nested():
            session.add(ClassSeat(session_id=cs.id, employee_id=employee.id,
                                  signed_up_at=now, added_by_id=by.id if by else None))
    except IntegrityError:
        return ALREADY
    return TAKEN


def give_back(session: Session, cs: ClassSession, employee_id: int,
              now: datetime | None = None) -> bool:
    """Cancel one's place: only before the session starts, and never an attended one."""
    now = now or clock.now()
    if now >= cs.starts_at:
        return False
    return session.execute(delete(ClassSeat).where(
        ClassSeat.session_id == cs.id, ClassSeat.employee_id == employee_id,
        ClassSeat.attended_at.is_(None))).rowcount == 1


def add_by_nip(session: Session, cs: ClassSession, nip: str, by: Employee,
               scope: Scope | None, runs: bool) -> tuple[str, Employee | None]:
    """HR (inside `scope`) or whoever runs the session (`runs`) adds someone by NIP."""
    employee = access.employee_by_nip(session, nip)
    if employee is None:
        return UNKNOWN, None
    if not runs and (scope is None or not scope.contains(employee.opd)):
        return UNKNOWN, None  # outside HR's scope: as if nobody had that NIP
    return take(session, cs, employee, by), employee


def roster(session: Session, cs: ClassSession, scope: Scope | None = None) -> list[ClassSeat]:
    """The people with a place, by name, with their unit; only those inside `scope`
    when given (HR who do not run the session)."""
    query = (select(ClassSeat).join(Employee, Employee.id == ClassSeat.employee_id)
             .join(Opd, Opd.id == Employee.opd_id).where(ClassSeat.session_id == cs.id)
             .options(contains_eager(ClassSeat.employee).contains_eager(Employee.opd))
             .order_by(Employee.name, Employee.id))
    if scope is not None:
        query = query.where(scope.condition())
    return list(session.scalars(query))
