"""Deadline reminders: who is due a reminder today, claiming each one just before it is
sent, and recording how it went.

A reminder is claimed by inserting its row (unique per person, course, due date and
step) in a commit of its own right before the mail server is asked, one message at a
time; only the run whose insert landed sends it. Re-runs and a second host therefore
never send a step twice, and a run that dies (killed, rebooted) while a message is with
the mail server leaves that one row "sending": it may or may not have arrived, and it is
never repeated (HR sees it as not confirmed). A message the server refused is "failed"
and tried again by the next run while its step is still the latest."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, joinedload

from lms.models import Course, Employee, Enrollment, Module, ModuleProgress, Opd, Requirement
from lms.models.nudges import FAILED, NO_EMAIL, Reminder
from lms.nudges import claims, schedule


@dataclass
class Due:
    employee_id: int
    nip: str
    name: str
    email: str | None
    locale: str | None
    course_id: int
    slug: str
    title: str
    due_date: date
    step: int
    today: date  # the Jakarta day the reminder is for: its words count from it
    started: bool = False
    next_key: str | None = None  # the module to open next, once started


def pending(session: Session, today: date, before: tuple[int, ...], every: int) -> list[Due]:
    """Every reminder whose step has come and has not gone out (or only failed), for
    mandatory courses not completed by active employees, earliest due date first."""
    last = (select(func.max(Reminder.step))
            .where(Reminder.employee_id == Requirement.employee_id,
                   Reminder.course_id == Requirement.course_id,
                   Reminder.due_date == Requirement.due_date, Reminder.state != FAILED)
            .scalar_subquery())
    query = (select(Employee.id, Employee.nip, Employee.name, Employee.email, Employee.locale,
                    Course.id, Course.slug, Course.title, Requirement.due_date,
                    Enrollment.id.is_not(None), last)
             .select_from(Requirement)
             .join(Employee, Employee.id == Requirement.employee_id)
             .join(Course, Course.id == Requirement.course_id)
             .outerjoin(Enrollment, and_(Enrollment.employee_id == Requirement.employee_id,
                                         Enrollment.course_id == Requirement.course_id))
             .where(Employee.active, Course.published, Course.retired_at.is_(None),
                    Enrollment.completed_at.is_(None),
                    Requirement.due_date <= today + timedelta(
                        days=schedule.horizon(today, before)))
             .order_by(Requirement.due_date, Employee.id, Course.id))
    found = []
    for *fields, due_date, started, sent in session.execute(query):
        offset = schedule.step(due_date, today, before, every)
        if offset is not None and (sent is None or offset > sent):
            found.append(Due(*fields, due_date=due_date, step=offset, today=today,
                             started=bool(started)))
    return found


def add_next_modules(session: Session, batch: list[Due]) -> None:
    """Set each reminder's link: the first current module its reader has not done."""
    course_ids = {d.course_id for d in batch}
    modules: dict[int, list[Module]] = {}
    for m in session.scalars(select(Module).where(Module.course_id.in_(course_ids),
                                                  Module.retired_at.is_(None))
                             .order_by(Module.position)):
        modules.setdefault(m.course_id, []).append(m)
    done = set(session.execute(
        select(ModuleProgress.employee_id, ModuleProgress.module_id).where(
            ModuleProgress.employee_id.in_({d.employee_id for d in batch}),
            ModuleProgress.module_id.in_([m.id for ms in modules.values() for m in ms]),
            ModuleProgress.completed_at.is_not(None))).all())
    for d in batch:
        if d.started:
            d.next_key = next((m.key for m in modules.get(d.course_id, [])
                               if (d.employee_id, m.id) not in done), None)


def claim(session: Session, d: Due) -> bool:
    """Take this reminder for this run (in the caller's write transaction, committed
    before it is sent): False when another run took it or it went out, or the course was
    completed since the list was read. People without an email address are recorded at
    once as listed for HR."""
    if session.scalar(select(Enrollment.completed_at).where(
            Enrollment.employee_id == d.employee_id, Enrollment.course_id == d.course_id)):
        return False
    return claims.claim(session, Reminder, _key(d), d.email)


def _key(d: Due) -> dict:
    return {"employee_id": d.employee_id, "course_id": d.course_id, "due_date": d.due_date,
            "step": d.step}


def record(session: Session, d: Due, state: str, error: str | None = None) -> None:
    """How a claimed reminder went (nudges.claims.record)."""
    claims.record(session, Reminder, _key(d), state, error)


def of_employee(session: Session, employee_id: int, limit: int = 50) -> list[Reminder]:
    """The reminders of one person, newest first (HR's page of that employee)."""
    return list(session.scalars(select(Reminder).where(Reminder.employee_id == employee_id)
                                .options(joinedload(Reminder.course))
                                .order_by(Reminder.created_at.desc(), Reminder.id.desc())
                                .limit(limit)))


@dataclass
class Listed:
    nip: str
    name: str
    opd: str
    course: str
    due_date: date
    step: int
    state: str
    at: object


def without_email(session: Session, scope, offset: int, limit: int) -> list[Listed]:
    """People in `scope` a reminder could not reach who still have no email address and
    whose course is still not done, one row per person and course, nearest deadline first."""
    query = (select(Employee.nip, Employee.name, Opd.name, Course.title, Reminder.due_date,
                    func.max(Reminder.step), func.min(Reminder.state),
                    func.max(Reminder.created_at))
             .select_from(Reminder)
             .join(Employee, Employee.id == Reminder.employee_id)
             .join(Opd, Opd.id == Employee.opd_id)
             .join(Course, Course.id == Reminder.course_id)
             .join(Requirement, and_(Requirement.employee_id == Reminder.employee_id,
                                     Requirement.course_id == Reminder.course_id,
                                     Requirement.due_date == Reminder.due_date))
             .outerjoin(Enrollment, and_(Enrollment.employee_id == Reminder.employee_id,
                                         Enrollment.course_id == Reminder.course_id))
             .where(Reminder.state == NO_EMAIL, scope.condition(Opd.path), Employee.active,
                    func.coalesce(Employee.email, "") == "", Course.published,
                    Course.retired_at.is_(None), Enrollment.completed_at.is_(None))
             .group_by(Employee.id, Employee.nip, Employee.name, Opd.name, Course.id,
                       Course.title, Reminder.due_date)
             .order_by(Reminder.due_date, Employee.name, Employee.id, Course.id)
             .offset(offset).limit(limit))
    return [Listed(*row) for row in session.execute(query)]


def recent(session: Session, scope, since, offset: int, limit: int) -> list[Listed]:
    """Reminders of people in `scope` since `since`, newest first."""
    query = (select(Employee.nip, Employee.name, Opd.name, Course.title, Reminder.due_date,
                    Reminder.step, Reminder.state, Reminder.created_at)
             .select_from(Reminder)
             .join(Employee, Employee.id == Reminder.employee_id)
             .join(Opd, Opd.id == Employee.opd_id)
             .join(Course, Course.id == Reminder.course_id)
             .where(scope.condition(Opd.path), Reminder.created_at >= since)
             .order_by(Reminder.created_at.desc(), Reminder.id.desc())
             .offset(offset).limit(limit))
    return [Listed(*row) for row in session.execute(query)]
