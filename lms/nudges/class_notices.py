"""Cancelled classroom sessions, told by email to each person signed up for them.

Claimed before sending, as reminders are (lms.nudges.reminders): a notice's row (unique per
session and person) is inserted in a commit of its own right before the mail server is
asked, so re-runs and a second host never send it twice, and a row left "sending" by a run
that died is never repeated. Only sessions still ahead are told: once one has started,
whoever came knows; a refused message is tried again by the next run until then."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from lms.core import clock
from lms.models import ClassSeat, ClassSession, Course, Employee
from lms.models.nudges import ClassNotice
from lms.nudges import claims


@dataclass
class Notice:
    session_id: int
    employee_id: int
    nip: str
    name: str
    email: str | None
    locale: str | None
    slug: str
    title: str
    starts_at: datetime
    ends_at: datetime
    place: str


def pending(session: Session, now: datetime) -> list[Notice]:
    """Everyone still signed up for a cancelled session that has not started, whose notice
    has not gone out (or only was refused), soonest session first."""
    told = exists().where(ClassNotice.session_id == ClassSeat.session_id,
                          ClassNotice.employee_id == ClassSeat.employee_id,
                          claims.done(ClassNotice, Employee.email))
    rows = session.execute(
        select(ClassSession.id, Employee.id, Employee.nip, Employee.name, Employee.email,
               Employee.locale, Course.slug, Course.title, ClassSession.starts_at,
               ClassSession.ends_at, ClassSession.place)
        .select_from(ClassSeat)
        .join(ClassSession, ClassSession.id == ClassSeat.session_id)
        .join(Employee, Employee.id == ClassSeat.employee_id)
        .join(Course, Course.id == ClassSession.course_id)
        .where(ClassSession.cancelled_at.is_not(None), ClassSession.starts_at > now,
               Employee.active, ~told)
        .order_by(ClassSession.starts_at, ClassSession.id, Employee.id))
    return [Notice(*row) for row in rows]


def key(n: Notice) -> dict:
    return {"session_id": n.session_id, "employee_id": n.employee_id}


def claim(session: Session, n: Notice) -> bool:
    """Take this notice for this run (nudges.claims.claim), if the person still holds the
    seat and the session is still ahead: the list was read at the start of the run."""
    still = session.scalar(
        select(ClassSeat.id).join(ClassSession, ClassSession.id == ClassSeat.session_id)
        .where(ClassSeat.session_id == n.session_id, ClassSeat.employee_id == n.employee_id,
               ClassSession.starts_at > clock.now()))
    return still is not None and claims.claim(session, ClassNotice, key(n), n.email)


def record(session: Session, n: Notice, state: str, error: str | None = None) -> None:
    """How a claimed notice went (nudges.claims.record)."""
    claims.record(session, ClassNotice, key(n), state, error)
