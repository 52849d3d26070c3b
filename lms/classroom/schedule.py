"""Scheduling sessions, and the lists of them people see.

Times are typed as a Jakarta date and start and end times and stored in UTC. A session
is edited until it starts (afterwards it is what happened) and cancelled until it ends.
Which modules a session may credit: any current module but the final quiz's, which is
still taken in Melek (it is the post-test, and what a certificate vouches for)."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import literal, or_, select
from sqlalchemy.orm import Session, selectinload

from lms.classroom import codes
from lms.core import clock
from lms.learning.catalogue import published_filter
from lms.models import ClassSeat, ClassSession, Course, Employee, Module, Opd
from lms.pretest.taking import final_quiz

RECENT = timedelta(days=30)  # how long ended sessions stay in the lists


def creditable(course: Course) -> list[Module]:
    final = final_quiz(course)
    return [m for m in course.current_modules if final is None or m.id != final.id]


def credited_modules(cs: ClassSession) -> list[Module]:
    allowed = {m.id for m in creditable(cs.course)}
    return [m for m in cs.modules if m.id in allowed]


def moment(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=clock.JAKARTA).astimezone(UTC)


@dataclass
class Plan:
    """What the form says, checked by the view's form and `problems`."""
    day: date
    starts: time
    ends: time
    place: str
    capacity: int
    facilitator: Employee
    module_ids: list[int]
    audience: Opd | None
    right: str

    @property
    def starts_at(self) -> datetime:
        return moment(self.day, self.starts)

    @property
    def ends_at(self) -> datetime:
        return moment(self.day, self.ends)


def problems(plan: Plan, cs: ClassSession | None, taken: int) -> list[str]:
    """Codes of what is wrong with `plan` (as a new session, or as an edit of `cs`)."""
    found = []
    if plan.ends <= plan.starts:
        found.append("end_before_start")
    moved = cs is None or cs.starts_at != plan.starts_at
    if moved and plan.starts_at <= clock.now():
        found.append("in_the_past")
    if plan.capacity < max(taken, 1):
        found.append("capacity_below_taken")
    return found


def _apply(session: Session, cs: ClassSession, plan: Plan) -> None:
    cs.starts_at, cs.ends_at = plan.starts_at, plan.ends_at
    cs.place, cs.capacity = plan.place.strip(), plan.capacity
    cs.facilitator_id = plan.facilitator.id
    cs.audience_opd_id = plan.audience.id if plan.audience else None
    cs.scheduled_as = plan.right
    allowed = {m.id: m for m in creditable(cs.course)}
    cs.modules = [allowed[i] for i in plan.module_ids if i in allowed]
    session.flush()


def create(session: Session, course: Course, plan: Plan, by: Employee) -> ClassSession:
    cs = ClassSession(course=course, scheduled_by_id=by.id, place="", capacity=1,
                      facilitator_id=plan.facilitator.id, scheduled_as=plan.right,
                      starts_at=plan.starts_at, ends_at=plan.ends_at)
    session.add(cs)
    _apply(session, cs, plan)
    return cs


def editable(cs: ClassSession, now: datetime | None = None) -> bool:
    return cs.cancelled_at is None and (now or clock.now()) < cs.starts_at


def cancellable(cs: ClassSession, now: datetime | None = None) -> bool:
    return cs.cancelled_at is None and (now or clock.now()) <= cs.ends_at


def edit(session: Session, cs: ClassSession, plan: Plan) -> bool:
    """Whether the date, times or place changed: a move, which the people signed up are
    told by email (nudges.class_notices)."""
    moved = (cs.starts_at, cs.ends_at, cs.place) != (plan.starts_at, plan.ends_at,
                                                     plan.place.strip())
    if moved:
        cs.moves, cs.moved_at = cs.moves + 1, clock.now()
    _apply(session, cs, plan)
    return moved


def cancel(session: Session, cs: ClassSession) -> None:
    cs.cancelled_at = clock.now()
    session.flush()


def find(session: Session, session_id: int) -> ClassSession | None:
    return session.scalars(select(ClassSession).where(ClassSession.id == session_id)
                           .options(selectinload(ClassSession.modules))).first()


def _base():
    return (select(ClassSession).join(Course, Course.id == ClassSession.course_id)
            .outerjoin(Opd, Opd.id == ClassSession.audience_opd_id)
            .where(*published_filter())
            .options(selectinload(ClassSession.course).selectinload(Course.modules))
            .order_by(ClassSession.starts_at, ClassSession.id))


def open_now(session: Session, now: datetime) -> list[ClassSession]:
    """Sessions whose check-in is open at `now`."""
    query = _base().where(ClassSession.cancelled_at.is_(None),
                          ClassSession.starts_at <= now + codes.OPENS_BEFORE,
                          ClassSession.ends_at >= now)
    return [cs for cs in session.scalars(query) if codes.is_open(cs, now)]


def upcoming_for(session: Session, person: Employee, course: Course | None = None,
                 now: datetime | None = None) -> list[ClassSession]:
    """Sessions not yet ended, not cancelled, whose audience includes `person`."""
    now = now or clock.now()
    query = _base().where(ClassSession.cancelled_at.is_(None), ClassSession.ends_at >= now,
                          or_(ClassSession.audience_opd_id.is_(None),
                              literal(person.opd.path).like(Opd.path + "%")))
    if course is not None:
        query = query.where(ClassSession.course_id == course.id)
    return list(session.scalars(query))


def seats_of(session: Session, person: Employee,
             now: datetime | None = None) -> list[tuple[ClassSession, ClassSeat]]:
    """`person`'s places, cancelled sessions included, recent and coming."""
    now = now or clock.now()
    query = (_base().add_columns(ClassSeat)
             .join(ClassSeat, ClassSeat.session_id == ClassSession.id)
             .where(ClassSeat.employee_id == person.id, ClassSession.ends_at >= now - RECENT))
    return [(cs, seat) for cs, seat in session.execute(query)]


def managed_by(session: Session, person: Employee, scope_condition=None,
               now: datetime | None = None) -> list[ClassSession]:
    """Recent and coming sessions `person` scheduled or facilitates (every one for an
    admin); with `scope_condition` (HR), also those whose audience reaches into it."""
    now = now or clock.now()
    query = _base().where(ClassSession.ends_at >= now - RECENT)
    if not person.has_role("admin"):
        mine = [ClassSession.scheduled_by_id == person.id,
                ClassSession.facilitator_id == person.id]
        if scope_condition is not None:
            mine += [ClassSession.audience_opd_id.is_(None), scope_condition]
        query = query.where(or_(*mine))
    return list(session.scalars(query))
