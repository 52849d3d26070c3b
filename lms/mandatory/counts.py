"""Report counts (course_stat) kept in step with writes.

Each (employee, course) pair contributes to one course_stat row: the employee's OPD node,
the course, their employment type and their due date for it (NOT_MANDATORY when the course
is not mandatory for them), counting 1 as assigned (if mandatory), started (if enrolled)
and completed. A learner's write moves that one contribution (`tracking`); assignment
changes recount the affected courses with one set-based statement (`rebuild`); an import
takes out and puts back the contributions of the people it changed, set-based (`shift`).
Reports then sum a few hundred rows instead of counting employees.
"""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from sqlalchemy import (
    and_,
    bindparam,
    delete,
    func,
    insert,
    literal,
    select,
    true,
    union,
    update,
)
from sqlalchemy.orm import Session

from lms.core.upsert import dialect_insert, insert_ignore
from lms.models import CourseStat, Employee, Enrollment, Requirement

NOT_MANDATORY = date(9999, 12, 31)
KEY = ["opd_id", "course_id", "employment_type", "due_date"]


@dataclass(frozen=True)
class Contribution:
    opd_id: int
    course_id: int
    employment_type: str
    due_date: date
    assigned: int
    started: int
    completed: int


def contribution(session: Session, employee_id: int, course_id: int) -> Contribution | None:
    row = session.execute(
        select(Employee.opd_id, Employee.employment_type, Employee.active,
               Requirement.due_date, Enrollment.id, Enrollment.completed_at)
        .select_from(Employee)
        .outerjoin(Requirement, and_(Requirement.employee_id == Employee.id,
                                     Requirement.course_id == course_id))
        .outerjoin(Enrollment, and_(Enrollment.employee_id == Employee.id,
                                    Enrollment.course_id == course_id))
        .where(Employee.id == employee_id)).one_or_none()
    if row is None:
        return None
    opd_id, kind, active, due, enrolled, completed = row
    if not active or (due is None and enrolled is None):
        return None
    return Contribution(opd_id, course_id, kind, due or NOT_MANDATORY, int(due is not None),
                        int(enrolled is not None), int(completed is not None))


def _apply(session: Session, c: Contribution, sign: int) -> None:
    key = {"opd_id": c.opd_id, "course_id": c.course_id,
           "employment_type": c.employment_type, "due_date": c.due_date}
    insert_ignore(session, CourseStat.__table__, key, KEY)
    session.execute(
        update(CourseStat).where(*(getattr(CourseStat, k) == v for k, v in key.items()))
        .values(assigned=CourseStat.assigned + sign * c.assigned,
                started=CourseStat.started + sign * c.started,
                completed=CourseStat.completed + sign * c.completed)
        .execution_options(synchronize_session=False))


@contextmanager
def tracking(session: Session, employee_id: int, course_ids: list[int] | None = None):
    """Wrap a change to one employee's requirements, enrolments or placement; None means
    every course the employee counts in, before or after the change."""
    session.flush()
    before_ids = course_ids if course_ids is not None else courses_of(session, employee_id)
    before = {cid: contribution(session, employee_id, cid) for cid in before_ids}
    yield
    session.flush()
    after_ids = course_ids if course_ids is not None else courses_of(session, employee_id)
    for cid in sorted(set(before_ids) | set(after_ids)):
        old, new = before.get(cid), contribution(session, employee_id, cid)
        if new != old:
            if old:
                _apply(session, old, -1)
            if new:
                _apply(session, new, +1)


def courses_of(session: Session, employee_id: int) -> list[int]:
    """Courses an employee contributes to (mandatory for them or enrolled)."""
    return list(session.scalars(union(
        select(Requirement.course_id).where(Requirement.employee_id == employee_id),
        select(Enrollment.course_id).where(Enrollment.employee_id == employee_id))))


def _counts(course_ids: list[int] | None = None, employees=None):
    """SQL: the course_stat rows these courses (all when None) would have, counting only
    the employees whose id matches `employees` (a function of an id column -> condition;
    everyone when None)."""
    req, enr = Requirement, Enrollment

    def only(column, ids):
        return column.in_(ids) if ids is not None else literal(True)

    def of(column):
        return employees(column) if employees is not None else literal(True)

    pairs = union(
        select(req.employee_id, req.course_id).where(only(req.course_id, course_ids),
                                                     of(req.employee_id)),
        select(enr.employee_id, enr.course_id).where(only(enr.course_id, course_ids),
                                                     of(enr.employee_id))).subquery()
    due = func.coalesce(req.due_date, bindparam("nm", NOT_MANDATORY, type_=req.due_date.type))
    return (
        select(Employee.opd_id, pairs.c.course_id, Employee.employment_type,
               due.label("due_date"), func.count(req.employee_id).label("assigned"),
               func.count(enr.id).label("started"),
               func.count(enr.completed_at).label("completed"))
        .select_from(pairs)
        .join(Employee, and_(Employee.id == pairs.c.employee_id, Employee.active))
        .outerjoin(req, and_(req.employee_id == pairs.c.employee_id,
                             req.course_id == pairs.c.course_id))
        .outerjoin(enr, and_(enr.employee_id == pairs.c.employee_id,
                             enr.course_id == pairs.c.course_id))
        .group_by(Employee.opd_id, pairs.c.course_id, Employee.employment_type, due))


COUNTS = ["assigned", "started", "completed"]


def rebuild(session: Session, course_ids: list[int] | None = None) -> None:
    """Recount course_stat for these courses (all when None) from the base tables."""
    session.flush()
    session.execute(delete(CourseStat).where(
        CourseStat.course_id.in_(course_ids) if course_ids is not None else literal(True)))
    session.execute(insert(CourseStat).from_select(KEY + COUNTS, _counts(course_ids)))


def shift(session: Session, employees, sign: int) -> None:
    """Take out (sign -1) or put back (+1) the contributions of the employees whose id
    matches `employees`, in one statement: a bulk change to many employees (an import)
    takes them out before and puts them back after, instead of recounting everyone."""
    session.flush()
    counts = _counts(employees=employees).subquery()
    rows = select(*(counts.c[k] for k in KEY), *(counts.c[c] * sign for c in COUNTS)
                  ).where(true())  # SQLite needs a WHERE before ON CONFLICT
    upsert = dialect_insert(session)(CourseStat).from_select(KEY + COUNTS, rows)
    session.execute(upsert.on_conflict_do_update(
        index_elements=KEY,
        set_={c: getattr(CourseStat, c) + getattr(upsert.excluded, c) for c in COUNTS}))
