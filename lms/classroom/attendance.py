"""Recording who came: a code typed on a phone, or the facilitator's ticks; and the credit
that follows (the modules the session covered, completed through learning.progress, so
course completion, JP, certificates and reports follow as for online study).

A code check-in is for people with a place or inside the session's audience (a walk-in
gets a free place, if one is left), once per person; wrong codes are counted per person
in the database, MAX_MISSES per MISS_WINDOW. Ticks are taken from when check-in opens
until TICK_DAYS after the end (a paper list entered the next days). A tick can be taken
back while the course is not completed: exactly the module completions this attendance
made are withdrawn (not those done online, nor those another attended session covers);
once the course is completed, its completion, JP and certificate stand, as for online
study."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from lms.classroom import access, codes, schedule, seats
from lms.core import clock
from lms.core.database import lock_key
from lms.learning import progress
from lms.models import (
    ClassSeat,
    ClassSession,
    ClassSessionModule,
    CodeMiss,
    Employee,
    Enrollment,
    ModuleProgress,
)

MAX_MISSES = 5
MISS_WINDOW = timedelta(minutes=15)
TICK_DAYS = 7

RECORDED, ALREADY, WRONG, THROTTLED, NOTHING_OPEN, FULL = (
    "recorded", "already", "wrong", "throttled", "nothing_open", "full")


@dataclass
class CheckIn:
    outcome: str
    cs: ClassSession | None = None
    tries_left: int = 0


def _misses(session: Session, employee_id: int, now: datetime) -> int:
    return session.scalar(select(func.count(CodeMiss.id)).where(
        CodeMiss.employee_id == employee_id, CodeMiss.at > now - MISS_WINDOW))


def check_in(session: Session, secret: str, person: Employee, typed: str,
             now: datetime | None = None) -> CheckIn:
    """`person` typed a code: find which of the sessions open for them it belongs to
    and record their attendance. Flushes; the caller commits."""
    now = now or clock.now()
    lock_key(session, "classroom-code", str(person.id))  # one person's tries in a row
    misses = _misses(session, person.id, now)
    if misses >= MAX_MISSES:
        return CheckIn(THROTTLED)
    mine = set(session.scalars(select(ClassSeat.session_id)
                               .where(ClassSeat.employee_id == person.id)))
    candidates = [cs for cs in schedule.open_now(session, now)
                  if cs.id in mine or access.in_audience(cs, person.opd.path)]
    if not candidates:
        return CheckIn(NOTHING_OPEN)
    code = codes.normalise(typed)
    found = next((cs for cs in candidates if codes.matches(secret, cs.id, code, now)), None)
    if found is None:
        session.add(CodeMiss(employee_id=person.id, at=now))
        session.flush()
        return CheckIn(WRONG, tries_left=MAX_MISSES - misses - 1)
    if found.id not in mine and seats.take(session, found, person, now=now) == seats.FULL:
        return CheckIn(FULL, found)
    seat = seats.seat_of(session, found.id, person.id)
    if not mark(session, found, seat, "code", now):
        return CheckIn(ALREADY, found)
    return CheckIn(RECORDED, found)


def mark(session: Session, cs: ClassSession, seat: ClassSeat, via: str,
         now: datetime | None = None) -> bool:
    """Attended, once (a conditional UPDATE: two presses record one), and credited."""
    now = now or clock.now()
    done = session.execute(update(ClassSeat).where(
        ClassSeat.id == seat.id, ClassSeat.attended_at.is_(None))
        .values(attended_at=now, attended_via=via)
        .execution_options(synchronize_session=False)).rowcount
    if done != 1:
        return False
    session.refresh(seat)
    seat.credited = _credit(session, cs, seat.employee_id, now)
    session.flush()
    return True


def _credit(session: Session, cs: ClassSession, employee_id: int, at: datetime) -> list[int]:
    modules = schedule.credited_modules(cs)
    before = progress.completed_module_ids(session, employee_id, [m.id for m in modules])
    for module in modules:
        if module.id not in before:
            progress.complete_module(session, employee_id, module, at)
    return [m.id for m in modules if m.id not in before]


def may_tick(cs: ClassSession, now: datetime) -> bool:
    return (cs.cancelled_at is None and codes.opens_at(cs) <= now
            <= cs.ends_at + timedelta(days=TICK_DAYS))


@dataclass
class Ticks:
    marked: list[ClassSeat]
    unmarked: list[ClassSeat]
    kept: list[ClassSeat]  # could not be taken back: the course is completed


def apply_ticks(session: Session, cs: ClassSession, present: set[int], shown: set[int],
                now: datetime | None = None) -> Ticks:
    """The facilitator's form: `present` are the ids of the ticked seats, `shown` those
    the form showed ticked (only these can be taken back)."""
    now = now or clock.now()
    result = Ticks([], [], [])
    for seat in seats.roster(session, cs):
        if seat.id in present and seat.attended_at is None:
            if mark(session, cs, seat, "tick", now):
                result.marked.append(seat)
        elif seat.id in shown and seat.id not in present and seat.attended_at is not None:
            (result.unmarked if undo(session, cs, seat) else result.kept).append(seat)
    return result


def undo(session: Session, cs: ClassSession, seat: ClassSeat) -> bool:
    """Take back an attendance and the completions it made; False (nothing changed) when
    the course is already completed."""
    completed = session.scalar(select(Enrollment.completed_at).where(
        Enrollment.employee_id == seat.employee_id, Enrollment.course_id == cs.course_id))
    if completed is not None:
        return False
    elsewhere = set(session.scalars(
        select(ClassSessionModule.module_id)
        .join(ClassSeat, ClassSeat.session_id == ClassSessionModule.session_id)
        .where(ClassSeat.employee_id == seat.employee_id, ClassSeat.id != seat.id,
               ClassSeat.attended_at.is_not(None))))
    withdrawn = [m for m in seat.credited or [] if m not in elsewhere]
    if withdrawn:
        session.execute(update(ModuleProgress).where(
            ModuleProgress.employee_id == seat.employee_id,
            ModuleProgress.module_id.in_(withdrawn))
            .values(completed_at=None).execution_options(synchronize_session="fetch"))
        progress.recount(session, cs.course_id, seat.employee_id)
    seat.attended_at, seat.attended_via, seat.credited = None, None, []
    session.flush()
    return True
