"""The weekly digest for HR: completion of each mandatory course in the officer's scope,
what changed since the last digest, and who is overdue. Read from the same maintained
counts and lists as HR's report pages, so the email and the pages never disagree.

One digest per officer and ISO week, claimed like a reminder before it is sent: run
twice in a week, or on two hosts, it goes out once."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from lms.core import clock
from lms.core.upsert import dialect_insert
from lms.hr import lists, queries
from lms.hr.filters import parse
from lms.models import Employee, Enrollment, Opd, OpdHead, Requirement, RoleGrant
from lms.models.nudges import FAILED, NO_EMAIL, SENDING, SENT, Digest
from lms.org.scope import Scope, hr_scope

OVERDUE_SHOWN = 20  # names in the email; the rest are behind the link


@dataclass
class CourseLine:
    course_id: int
    slug: str
    title: str
    assigned: int
    completed: int
    overdue: int
    done_this_week: int
    percent: int | None
    previous_percent: int | None = None  # in the last digest, when there was one

    @property
    def change(self) -> int | None:
        if self.percent is None or self.previous_percent is None:
            return None
        return self.percent - self.previous_percent


@dataclass
class Report:
    scope_name: str
    week: str
    today: date
    lines: list[CourseLine]
    overdue: list[tuple[lists.DetailRow, int]]  # with days late, latest due first
    overdue_total: int
    since: date | None = None  # the date of the digest compared with
    figures: dict = field(default_factory=dict)


def week_of(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def scope_name(scope: Scope, city: str) -> str:
    return city if scope.city_wide else ", ".join(r.name for r in scope.roots)


def report(session: Session, scope: Scope, *, city: str, previous: Digest | None = None,
           today: date | None = None) -> Report:
    """The digest of `scope` as of `today` (Jakarta), compared with `previous`."""
    today = today or clock.today()
    f = parse(session, scope, MultiDict())
    f.today = today
    courses = queries.mandatory_courses(session, f)
    rows = queries.rows_for(session, scope.roots, f, [c.id for c in courses])
    columns, _grand = queries.column_totals(rows)
    week_ago = clock.now() - timedelta(days=7)
    done = dict(session.execute(
        select(Requirement.course_id, func.count())
        .join(Enrollment, and_(Enrollment.employee_id == Requirement.employee_id,
                               Enrollment.course_id == Requirement.course_id))
        .join(Opd, Opd.id == Requirement.opd_id)
        .where(scope.condition(Opd.path), Enrollment.completed_at >= week_ago)
        .group_by(Requirement.course_id)).all())
    before = (previous.figures or {}) if previous else {}
    lines = []
    for c in courses:
        counts = columns.get(c.id)
        if counts is None or not counts.assigned:
            continue
        was = before.get(str(c.id), {})
        lines.append(CourseLine(c.id, c.slug, c.title, counts.assigned, counts.completed,
                                counts.overdue, done.get(c.id, 0), counts.percent,
                                was.get("percent")))
    late = parse(session, scope, MultiDict({"status": "overdue", "urut": "due"}))
    late.today = today
    overdue, _more = lists.detail_page(session, late)
    return Report(scope_name=scope_name(scope, city), week=week_of(today), today=today,
                  lines=lines,
                  overdue=[(r, (today - r.due_date).days) for r in overdue[:OVERDUE_SHOWN]],
                  overdue_total=sum(line.overdue for line in lines),
                  since=clock.jakarta(previous.created_at).date() if previous else None,
                  figures={str(line.course_id): {"percent": line.percent,
                                                 "completed": line.completed,
                                                 "assigned": line.assigned}
                           for line in lines})


def recipients(session: Session) -> list[Employee]:
    """Active HR officers, each once, whatever number of grants they hold."""
    ids = select(RoleGrant.employee_id).where(RoleGrant.role == "hr")
    return list(session.scalars(select(Employee).where(Employee.id.in_(ids), Employee.active)
                                .order_by(Employee.id)))


def previous(session: Session, employee_id: int, week: str) -> Digest | None:
    return session.scalars(select(Digest).where(Digest.employee_id == employee_id,
                                                Digest.week < week, Digest.state == SENT)
                           .order_by(Digest.week.desc())).first()


def head_recipients(session: Session) -> list[tuple[Employee, Scope]]:
    """The current heads of OPDs (the nodes right under the city) who are active and have
    an email, each with the OPDs they head as their digest's scope."""
    found: dict[int, tuple[Employee, Scope]] = {}
    for node, person in session.execute(
            select(Opd, Employee).join(OpdHead, and_(OpdHead.opd_id == Opd.id,
                                                     OpdHead.ended_on.is_(None)))
            .join(Employee, Employee.id == OpdHead.employee_id)
            .where(Opd.depth == 1, Employee.active, Employee.email.is_not(None),
                   Employee.email != "")
            .order_by(Employee.id, Opd.path)):
        found.setdefault(person.id, (person, Scope([], city_wide=False)))[1].roots.append(node)
    return list(found.values())


@dataclass
class Pending:
    employee: Employee
    scope: Scope
    previous: Digest | None
    as_head: bool = False  # a head of an OPD, not an officer: the email says so


def pending(session: Session, week: str) -> list[Pending]:
    """Officers, then heads of OPDs who are not officers, whose digest of `week` has not
    gone out (or only failed). One digest a week per person: an officer who also heads
    an OPD gets their officer's."""
    handled = set(session.scalars(select(Digest.employee_id).where(
        Digest.week == week, Digest.state != FAILED)))
    found, officers = [], set()
    for person in recipients(session):
        officers.add(person.id)
        if person.id in handled:
            continue
        scope = hr_scope(session, person)
        if scope is not None and scope.roots:
            found.append(Pending(person, scope, previous(session, person.id, week)))
    for person, scope in head_recipients(session):
        if person.id not in officers and person.id not in handled:
            found.append(Pending(person, scope, previous(session, person.id, week),
                                 as_head=True))
    return found


def claim(session: Session, employee: Employee, week: str, figures: dict) -> bool:
    """Take this week's digest of `employee` for this run (caller commits before
    sending); False when another run has it or it went out."""
    state = SENDING if employee.email else NO_EMAIL
    key = {"employee_id": employee.id, "week": week}
    taken = session.execute(
        dialect_insert(session)(Digest.__table__).values(
            **key, state=state, email=employee.email, figures=figures, attempts=1,
            created_at=clock.now())
        .on_conflict_do_nothing(index_elements=list(key))
            .returning(Digest.__table__.c.id)).first() is not None
    if not taken and employee.email:
        taken = session.execute(
            update(Digest).where(Digest.employee_id == employee.id, Digest.week == week,
                                 Digest.state == FAILED)
            .values(state=SENDING, figures=figures, attempts=Digest.attempts + 1,
                    error=None)).rowcount
    return bool(taken) and state == SENDING


def record(session: Session, employee_id: int, week: str, state: str,
           error: str | None = None) -> None:
    """How a claimed digest went (the states of a reminder: lms.nudges.reminders)."""
    session.execute(update(Digest).where(Digest.employee_id == employee_id,
                                         Digest.week == week, Digest.state == SENDING)
                    .values(state=state, error=error[:300] if error else None,
                            sent_at=clock.now() if state == SENT else None))
