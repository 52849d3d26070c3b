"""Mandatory courses: who an assignment reaches, and the requirement rows derived from it.

Requirements are derived data: rebuilt set-based for a course when its assignments change,
and per employee when an employee joins, moves or changes employment type, so a new
employee who falls under an assignment gets it without anyone acting.

New staff get a grace period: an assignment made before the employee joined Melek (their
account's `created_at`) is due for them no earlier than GRACE_DAYS after the Jakarta date
they joined. The grace is stored in `Requirement.due_date`, so the learner's pages, HR's
reports, the report counts and the reminders all read the same date.

Heads first: an assignment with `heads_first_days` is due that many days earlier for the
current heads of OPDs and units (lms.org.heads) who were already heads on that earlier
date; stored the same way, so everything downstream follows the head's date. A head
change re-derives the people it concerns (`rederive`).
"""

import re
from contextlib import contextmanager
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, and_, case, delete, exists, func, insert, or_, select, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.functions import FunctionElement

from lms.core import clock
from lms.mandatory import counts
from lms.models import (
    Assignment,
    AssignmentMember,
    Course,
    Employee,
    Opd,
    OpdHead,
    Requirement,
)
from lms.models.people import EMPLOYMENT_TYPES
from lms.org.scope import Scope

GRACE_DAYS = 30  # docs/decisions.md, "New staff and deadlines already past"


class _GraceEnd(FunctionElement):
    """SQL: the later of a due date and GRACE_DAYS after a UTC timestamp's Jakarta date."""

    type = Date()
    inherit_cache = True
    name = "grace_end"


@compiles(_GraceEnd, "postgresql")
def _grace_end_postgresql(element, compiler, **kw):
    due, joined = (compiler.process(c, **kw) for c in element.clauses)
    return (f"GREATEST({due}, CAST(timezone('Asia/Jakarta', {joined}) AS DATE) "
            f"+ {GRACE_DAYS})")


@compiles(_GraceEnd, "sqlite")
def _grace_end_sqlite(element, compiler, **kw):
    # SQLite keeps UTC as text; Jakarta is UTC+7 all year.
    due, joined = (compiler.process(c, **kw) for c in element.clauses)
    return f"max({due}, date({joined}, '+7 hours', '+{GRACE_DAYS} days'))"


class _DaysBefore(FunctionElement):
    """SQL: a date a number of days (an integer column) earlier."""

    type = Date()
    inherit_cache = True
    name = "days_before"


@compiles(_DaysBefore, "postgresql")
def _days_before_postgresql(element, compiler, **kw):
    day, days = (compiler.process(c, **kw) for c in element.clauses)
    return f"({day} - {days})"


@compiles(_DaysBefore, "sqlite")
def _days_before_sqlite(element, compiler, **kw):
    day, days = (compiler.process(c, **kw) for c in element.clauses)
    return f"date({day}, '-' || {days} || ' days')"


def due_for(assignment=Assignment, employee=Employee):
    """SQL: the date `assignment` is due for `employee`: its own, or heads_first_days
    earlier for someone who heads a node since that earlier date or before; and for an
    assignment made before the employee joined, at least GRACE_DAYS after that day."""
    early = _DaysBefore(assignment.due_date, assignment.heads_first_days)
    head_since = (select(func.min(OpdHead.started_on))
                  .where(OpdHead.employee_id == employee.id, OpdHead.ended_on.is_(None))
                  .scalar_subquery())
    own = case((and_(assignment.heads_first_days > 0, head_since <= early), early),
               else_=assignment.due_date)
    return case((assignment.created_at < employee.created_at,
                 _GraceEnd(own, employee.created_at)), else_=own)


def _reaches(assignment=Assignment, employee=Employee, employee_opd=Opd):
    """SQL: this assignment reaches this employee."""
    target = aliased(Opd)
    in_subtree = or_(assignment.opd_id.is_(None), exists(
        select(target.id).where(target.id == assignment.opd_id,
                                employee_opd.path.like(target.path + "%"))))
    right_type = or_(assignment.employment_type.is_(None),
                     assignment.employment_type == employee.employment_type)
    listed = exists(select(AssignmentMember.employee_id).where(
        AssignmentMember.assignment_id == assignment.id,
        AssignmentMember.employee_id == employee.id))
    return and_(assignment.revoked_at.is_(None), employee.active,
                or_(and_(~assignment.named, in_subtree, right_type),
                    and_(assignment.named, listed)))


def create(session: Session, *, course: Course, due_date: date, by: Employee | None,
           opd: Opd | None = None, employment_type: str | None = None,
           employee_ids: list[int] | None = None, heads_first_days: int = 0) -> Assignment:
    assignment = Assignment(course_id=course.id, due_date=due_date, opd_id=opd.id if opd else None,
                            heads_first_days=heads_first_days,
                            employment_type=employment_type, named=employee_ids is not None,
                            created_by_id=by.id if by else None)
    session.add(assignment)
    session.flush()
    for employee_id in sorted(set(employee_ids or [])):
        session.add(AssignmentMember(assignment_id=assignment.id, employee_id=employee_id))
    rebuild_course(session, course.id)
    return assignment


def revoke(session: Session, assignment: Assignment) -> None:
    assignment.revoked_at = clock.now()
    rebuild_course(session, assignment.course_id)


def rebuild_course(session: Session, course_id: int) -> None:
    """Recompute every requirement for one course from its live assignments."""
    session.flush()
    session.execute(delete(Requirement).where(Requirement.course_id == course_id))
    session.execute(insert(Requirement).from_select(
        ["employee_id", "course_id", "due_date", "opd_id"],
        _reached(Assignment.course_id == course_id)))
    counts.rebuild(session, [course_id])


def rebuild_employees(session: Session, employees) -> None:
    """Recompute the requirements of the employees whose id matches `employees` (a
    function of an id column -> condition) from every live assignment, in two
    statements: an import re-derives the people it created, moved or (de)activated."""
    session.flush()
    session.execute(delete(Requirement).where(employees(Requirement.employee_id)))
    session.execute(insert(Requirement).from_select(
        ["employee_id", "course_id", "due_date", "opd_id"], _reached(employees(Employee.id))))


def rederive(session: Session, employee_ids: list[int]) -> None:
    """Re-derive these few employees' requirements and report counts, set-based (a head
    appointed or ended: their due dates may move)."""
    ids = sorted(set(employee_ids))
    if not ids:
        return

    def group(column):
        return column.in_(ids)

    counts.shift(session, group, -1)
    rebuild_employees(session, group)
    counts.shift(session, group, +1)


def _reached(condition):
    """SQL: (employee, course, earliest due date, OPD) for every live assignment's reach."""
    return (select(Employee.id, Assignment.course_id, func.min(due_for()), Employee.opd_id)
            .select_from(Assignment)
            .join(Employee, true())
            .join(Opd, Opd.id == Employee.opd_id)
            .where(condition, _reaches())
            .group_by(Employee.id, Assignment.course_id, Employee.opd_id))


@contextmanager
def changing(session: Session, employee: Employee):
    """Wrap a change to an employee's OPD, employment type or active flag (a transfer,
    an import): their requirements follow the assignments that now reach them, and the
    report counts move with them."""
    session.flush()
    with counts.tracking(session, employee.id):
        yield
        session.flush()
        _sync_requirements(session, employee)


def _sync_requirements(session: Session, employee: Employee) -> None:
    wanted = dict(session.execute(
        select(Assignment.course_id, func.min(due_for()))
        .select_from(Assignment).join(Employee, Employee.id == employee.id)
        .join(Opd, Opd.id == Employee.opd_id)
        .where(_reaches()).group_by(Assignment.course_id)).all())
    for row in session.scalars(select(Requirement).where(
            Requirement.employee_id == employee.id)):
        if row.course_id not in wanted:
            session.delete(row)
        else:
            row.due_date, row.opd_id = wanted.pop(row.course_id), employee.opd_id
    for course_id, due in wanted.items():
        session.add(Requirement(employee_id=employee.id, course_id=course_id, due_date=due,
                                opd_id=employee.opd_id))
    session.flush()


def reached_count(session: Session, assignment: Assignment) -> int:
    return session.scalar(
        select(func.count(Employee.id)).select_from(Assignment)
        .join(Employee, true()).join(Opd, Opd.id == Employee.opd_id)
        .where(Assignment.id == assignment.id, _reaches()))


def live_in(session: Session, scope: Scope) -> list[Assignment]:
    """Live assignments HR with `scope` may see: to an OPD inside it, or (city-wide HR
    only) to the whole city. Filtered in SQL."""
    visible = scope.condition(Opd.path)
    if scope.city_wide:
        visible = or_(Assignment.opd_id.is_(None), visible)
    return list(session.scalars(
        select(Assignment).outerjoin(Opd, Opd.id == Assignment.opd_id)
        .where(Assignment.revoked_at.is_(None), visible)
        .order_by(Assignment.due_date, Assignment.id)))


def visible_to(scope: Scope, assignment: Assignment) -> bool:
    if assignment.opd is None:
        return scope.city_wide
    return scope.contains(assignment.opd)


class TargetProblem(ValueError):
    """The form's choice of who must take the course does not hold; `field` says where."""

    def __init__(self, field: str, messages: list[str]):
        super().__init__(messages[0])
        self.field, self.messages = field, messages


def create_for(session: Session, scope: Scope, *, course: Course, target: str, due_date: date,
               by: Employee, opd_code: str = "", employment_type: str = "",
               nips: str = "", heads_first_days: int = 0) -> Assignment:
    """An assignment made by HR with `scope`, for one of three targets: "opd" (a node in
    the scope, with its subtree), "type" (an employment type, within the scope) or "list"
    (NIPs, one per line, of active employees in the scope). TargetProblem otherwise."""
    common = {"course": course, "due_date": due_date, "by": by,
              "heads_first_days": heads_first_days}
    root = None if scope.city_wide else scope.roots[0]
    if heads_first_days and due_date - timedelta(days=heads_first_days) < clock.today():
        raise TargetProblem("heads_first_days", [_l(
            "Heads would be due before today: choose fewer days or a later due date.")])
    if target == "opd":
        opd = session.scalars(select(Opd).where(Opd.code == opd_code)).first()
        if opd is None or not scope.contains(opd):
            raise TargetProblem("opd", [_l("Choose an OPD or unit.")])
        city = scope.city_wide and opd.parent_id is None
        return create(session, opd=None if city else opd, **common)
    if target == "type":
        if employment_type not in EMPLOYMENT_TYPES:
            raise TargetProblem("employment_type", [_l("Choose an employment type.")])
        return create(session, opd=root, employment_type=employment_type, **common)
    ids, problems = _employees_from(session, scope, nips)
    if problems or not ids:
        raise TargetProblem("nips", problems or [_l("Write at least one NIP.")])
    return create(session, opd=root, employee_ids=ids, **common)


def _employees_from(session: Session, scope: Scope, text: str) -> tuple[list[int], list[str]]:
    wanted = {}
    for n, line in enumerate(text.splitlines(), start=1):
        nip = re.sub(r"\s+", "", line)
        if nip:
            wanted.setdefault(nip, n)
    found = {e.nip: e for e in session.scalars(
        select(Employee).join(Opd, Opd.id == Employee.opd_id)
        .where(Employee.nip.in_(list(wanted)), Employee.active, scope.condition()))}
    problems = [_l("Line %(line)d: NIP %(nip)s is not an active employee you may see.",
                   line=n, nip=nip) for nip, n in wanted.items() if nip not in found]
    return [e.id for e in found.values()], problems


def first_reached_sql(course_id, employee_id: int):
    """SQL: when the earliest live assignment of the course `course_id` (a column) that
    reaches this employee was made, as a scalar subquery (the learner's dashboard)."""
    return (select(func.min(Assignment.created_at))
            .select_from(Assignment).join(Employee, Employee.id == employee_id)
            .join(Opd, Opd.id == Employee.opd_id)
            .where(Assignment.course_id == course_id, _reaches())
            .correlate(Course).scalar_subquery())


def first_reached(session: Session, employee_id: int) -> dict[int, datetime]:
    """Per course mandatory for this employee: when the earliest live assignment that
    reaches them was made (the learner's dashboard marks recent ones as new)."""
    return dict(session.execute(
        select(Assignment.course_id, func.min(Assignment.created_at))
        .select_from(Assignment).join(Employee, Employee.id == employee_id)
        .join(Opd, Opd.id == Employee.opd_id)
        .where(_reaches()).group_by(Assignment.course_id)).all())
