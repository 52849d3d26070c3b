"""Classroom sessions cancelled or moved (a new date, time or place), told by email to each
person signed up for them.

Claimed before sending, as reminders are (lms.nudges.claims): a notice's row, unique per
session, person, kind and move, is inserted in a commit of its own right before the mail
server is asked, so re-runs and a second host never send it twice, and a row left
"sending" by a run that died is never repeated. Only sessions still ahead are told: once
one has started, whoever came knows; a refused message is tried again by the next run
until then. A move is told to those who signed up before it (whoever signed up after saw
the new details), and only the latest: two moves before a run make one message."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session

from lms.core import clock
from lms.models import ClassSeat, ClassSession, Course, Employee
from lms.models.nudges import ClassNotice
from lms.nudges import claims

CANCELLED, MOVED = "cancelled", "moved"


@dataclass
class Notice:
    kind: str
    version: int  # 0 for a cancellation, the session's count of moves for a move
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
    """Everyone still signed up for a session ahead that was cancelled, or moved since
    they signed up, whose notice has not gone out (or was refused), soonest first."""
    cancelled = and_(ClassSession.cancelled_at.is_not(None), _not_told(CANCELLED, 0))
    moved = and_(ClassSession.cancelled_at.is_(None), ClassSession.moves > 0,
                 ClassSeat.signed_up_at <= ClassSession.moved_at,
                 _not_told(MOVED, ClassSession.moves))
    rows = session.execute(
        select(ClassSession.cancelled_at.is_not(None), ClassSession.moves, ClassSession.id,
               Employee.id, Employee.nip, Employee.name, Employee.email, Employee.locale,
               Course.slug, Course.title, ClassSession.starts_at, ClassSession.ends_at,
               ClassSession.place)
        .select_from(ClassSeat)
        .join(ClassSession, ClassSession.id == ClassSeat.session_id)
        .join(Employee, Employee.id == ClassSeat.employee_id)
        .join(Course, Course.id == ClassSession.course_id)
        .where(ClassSession.starts_at > now, Employee.active, cancelled | moved)
        .order_by(ClassSession.starts_at, ClassSession.id, Employee.id))
    return [Notice(CANCELLED, 0, *rest) if is_cancelled else Notice(MOVED, moves, *rest)
            for is_cancelled, moves, *rest in rows]


def _not_told(kind: str, version):
    return ~exists().where(ClassNotice.session_id == ClassSeat.session_id,
                           ClassNotice.employee_id == ClassSeat.employee_id,
                           ClassNotice.kind == kind, ClassNotice.version == version,
                           claims.done(ClassNotice, Employee.email))


def key(n: Notice) -> dict:
    return {"session_id": n.session_id, "employee_id": n.employee_id, "kind": n.kind,
            "version": n.version}


def claim(session: Session, n: Notice) -> bool:
    """Take this notice for this run (nudges.claims.claim), if it still holds: the person
    keeps the seat, the session is ahead and (a move) not cancelled nor moved again since
    the list was read at the start of the run."""
    still = (select(ClassSeat.id).join(ClassSession, ClassSession.id == ClassSeat.session_id)
             .where(ClassSeat.session_id == n.session_id,
                    ClassSeat.employee_id == n.employee_id,
                    ClassSession.starts_at > clock.now()))
    if n.kind == MOVED:
        still = still.where(ClassSession.cancelled_at.is_(None),
                            ClassSession.moves == n.version)
    return (session.scalar(still) is not None
            and claims.claim(session, ClassNotice, key(n), n.email))


def record(session: Session, n: Notice, state: str, error: str | None = None) -> None:
    """How a claimed notice went (nudges.claims.record)."""
    claims.record(session, ClassNotice, key(n), state, error)
