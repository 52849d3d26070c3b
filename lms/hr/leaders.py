"""Leaders first in HR's reports: whether each head in the scope has completed each
mandatory course, and (city-wide) staff completion in units whose head has completed a
course against units whose head has not. Both in SQL; the comparison counts requirement
rows grouped twice in the database, never people in Python."""

from dataclasses import dataclass, field

from sqlalchemy import and_, distinct, exists, func, select
from sqlalchemy.orm import Session, aliased

from lms.core import numbers
from lms.hr.filters import Filters
from lms.models import Course, Employee, Enrollment, Opd, OpdHead, Requirement
from lms.org import heads

COMPLETED, PENDING = "completed", "pending"  # a head's cell; None: not mandatory for them


@dataclass
class HeadRow:
    node: Opd
    head: Employee
    cells: dict[int, str] = field(default_factory=dict)  # course id -> COMPLETED/PENDING


def head_rows(session: Session, where, course_ids: list[int]) -> list[HeadRow]:
    """Every node matching `where` (a condition on Opd, inside the viewer's scope) with a
    current head, and that head's standing per course: completed (whether or not it was
    mandatory for them), pending (mandatory, not yet)."""
    rows = [HeadRow(node, person) for node, person in heads.current_heads(session, where)]
    ids = sorted({r.head.id for r in rows})
    if not ids or not course_ids:
        return rows
    standing: dict[tuple[int, int], str] = {}
    for employee_id, course_id in session.execute(
            select(Requirement.employee_id, Requirement.course_id)
            .where(Requirement.employee_id.in_(ids), Requirement.course_id.in_(course_ids))):
        standing[employee_id, course_id] = PENDING
    for employee_id, course_id in session.execute(
            select(Enrollment.employee_id, Enrollment.course_id)
            .where(Enrollment.employee_id.in_(ids), Enrollment.course_id.in_(course_ids),
                   Enrollment.completed_at.is_not(None))):
        standing[employee_id, course_id] = COMPLETED
    for r in rows:
        r.cells = {cid: standing[r.head.id, cid] for cid in course_ids
                   if (r.head.id, cid) in standing}
    return rows


@dataclass
class Side:
    units: int = 0
    staff: int = 0  # staff the course is mandatory for
    completed: int = 0

    @property
    def percent(self) -> int | None:
        return numbers.percent(self.completed, self.staff)


@dataclass
class Comparison:
    course: Course
    head_done: Side = field(default_factory=Side)
    head_not_done: Side = field(default_factory=Side)


def unit_of_node():
    """A subquery (node, unit): for every node, the nearest node on its path (itself
    first) that has a current head, the same rule as the course page's "your head"."""
    node, headed = aliased(Opd), aliased(Opd)
    nearest = (select(headed.id)
               .join(OpdHead, and_(OpdHead.opd_id == headed.id, OpdHead.ended_on.is_(None)))
               .where(node.path.like(headed.path + "%"))
               .order_by(headed.depth.desc()).limit(1)
               .correlate(node).scalar_subquery())
    return select(node.id.label("node"), nearest.label("unit")).subquery()


def comparison(session: Session, f: Filters, courses: list[Course]) -> list[Comparison]:
    """Per course: staff (heads themselves left out) whose own head has completed it,
    against staff whose own head has not, with how many units each side holds."""
    out = {c.id: Comparison(c) for c in courses}
    if not out:
        return []
    mapping, head, heads_own = unit_of_node(), aliased(OpdHead), aliased(Enrollment)
    head_done = exists(select(heads_own.id).where(
        heads_own.employee_id == head.employee_id, heads_own.course_id == Requirement.course_id,
        heads_own.completed_at.is_not(None)))
    rows = (select(Requirement.course_id, mapping.c.unit, head_done.label("head_done"),
                   Enrollment.completed_at.label("done_at"))
            .select_from(Requirement)
            .join(Employee, and_(Employee.id == Requirement.employee_id, Employee.active))
            .join(mapping, mapping.c.node == Employee.opd_id)
            .join(head, and_(head.opd_id == mapping.c.unit, head.ended_on.is_(None)))
            .outerjoin(Enrollment, and_(Enrollment.employee_id == Requirement.employee_id,
                                        Enrollment.course_id == Requirement.course_id))
            .where(Requirement.course_id.in_(list(out)), Requirement.employee_id
                   != head.employee_id, f.due_condition(Requirement.due_date))
            .subquery())
    grouped = (select(rows.c.course_id, rows.c.head_done, func.count(distinct(rows.c.unit)),
                      func.count(), func.count(rows.c.done_at))
               .group_by(rows.c.course_id, rows.c.head_done))
    for course_id, done, units, staff, completed in session.execute(grouped):
        side = out[course_id].head_done if done else out[course_id].head_not_done
        side.units, side.staff, side.completed = units, staff, completed
    return [c for c in out.values() if c.head_done.staff or c.head_not_done.staff]
