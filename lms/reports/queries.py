"""Report numbers as SQL aggregates: one grouped query per table, never a loop over rows."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from ..models import Course, Employee, Enrollment, Module, ModuleProgress, Opd
from ..progress import COMPLETED, IN_PROGRESS, NOT_STARTED
from ..scope import Scope


@dataclass
class Counts:
    employees: int = 0
    completed: int = 0
    started: int = 0  # completed included

    @property
    def in_progress(self) -> int:
        return self.started - self.completed

    @property
    def not_started(self) -> int:
        return self.employees - self.started

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.employees) if self.employees else 0


@dataclass
class Row:
    opd: Opd
    counts: Counts
    direct: bool = False  # employees placed in the node itself, not in a unit under it


def _counted(query, course_id: int):
    return (query.join(Employee, (Employee.opd_id == Opd.id) & Employee.active)
            .outerjoin(Enrollment, (Enrollment.employee_id == Employee.id)
                       & (Enrollment.course_id == course_id)))


def _aggregates():
    return (func.count(Employee.id), func.count(Enrollment.completed_at),
            func.count(Enrollment.id))


def course_totals(session: Session, scope: Scope, courses: list[Course]) -> dict[int, Counts]:
    """Per course: employees in scope, how many completed and started."""
    employees = session.scalar(select(func.count(Employee.id)).join(Opd)
                               .where(scope.condition(), Employee.active))
    rows = session.execute(
        select(Enrollment.course_id, func.count(Enrollment.completed_at),
               func.count(Enrollment.id))
        .join(Employee, (Employee.id == Enrollment.employee_id) & Employee.active)
        .join(Opd, Opd.id == Employee.opd_id)
        .where(scope.condition(), Enrollment.course_id.in_([c.id for c in courses]))
        .group_by(Enrollment.course_id))
    totals = {c.id: Counts(employees) for c in courses}
    for course_id, completed, started in rows:
        totals[course_id] = Counts(employees, completed, started)
    return totals


def rollup(session: Session, course_id: int, nodes: list[Opd]) -> list[Row]:
    """One row per node, counting everyone in the node's subtree."""
    if not nodes:
        return []
    row = aliased(Opd)
    query = (select(row.id, *_aggregates()).select_from(row)
             .join(Opd, Opd.path.like(row.path + "%")))
    query = _counted(query, course_id).where(row.id.in_([n.id for n in nodes]))
    found = {rid: Counts(e, c, s) for rid, e, c, s in session.execute(query.group_by(row.id))}
    return [Row(n, found.get(n.id, Counts())) for n in nodes]


def direct(session: Session, course_id: int, node: Opd) -> Row:
    query = _counted(select(*_aggregates()).select_from(Opd), course_id).where(
        Opd.id == node.id)
    e, c, s = session.execute(query).one()
    return Row(node, Counts(e, c, s), direct=True)


def children(session: Session, node: Opd) -> list[Opd]:
    return list(session.scalars(select(Opd).where(Opd.parent_id == node.id)
                                .order_by(Opd.kind, Opd.name)))


def ancestors(session: Session, node: Opd) -> list[Opd]:
    ids = [int(part) for part in node.path.strip("/").split("/") if part]
    by_id = {o.id: o for o in session.scalars(select(Opd).where(Opd.id.in_(ids)))}
    return [by_id[i] for i in ids]


@dataclass
class EmployeeStatus:
    employee: Employee
    unit: str
    status: str
    percent: int
    completed_at: object


def employee_statuses(session: Session, course: Course, node: Opd, page: int,
                      per_page: int) -> tuple[list[EmployeeStatus], int]:
    base = (select(Employee, Opd.name, Enrollment)
            .join(Opd, Opd.id == Employee.opd_id)
            .outerjoin(Enrollment, (Enrollment.employee_id == Employee.id)
                       & (Enrollment.course_id == course.id))
            .where(Opd.path.like(node.path + "%"), Employee.active))
    total = session.scalar(select(func.count()).select_from(base.subquery()))
    rows = session.execute(base.order_by(Employee.name, Employee.id)
                           .limit(per_page).offset((page - 1) * per_page)).all()
    ids = [employee.id for employee, _, _ in rows]
    done = dict(session.execute(
        select(ModuleProgress.employee_id, func.count())
        .join(Module, Module.id == ModuleProgress.module_id)
        .where(Module.course_id == course.id, Module.retired_at.is_(None),
               ModuleProgress.completed_at.is_not(None), ModuleProgress.employee_id.in_(ids))
        .group_by(ModuleProgress.employee_id)).all())
    total_modules = len(course.current_modules)
    out = []
    for employee, unit, enrollment in rows:
        if enrollment is None:
            status, pct = NOT_STARTED, 0
        elif enrollment.completed_at:
            status, pct = COMPLETED, 100
        else:
            status = IN_PROGRESS
            pct = round(100 * done.get(employee.id, 0) / total_modules) if total_modules else 0
        out.append(EmployeeStatus(employee, unit, status, pct,
                                  enrollment.completed_at if enrollment else None))
    return out, total
