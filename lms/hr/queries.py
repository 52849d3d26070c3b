"""Report numbers from the maintained counts (course_stat): a few hundred rows rolled up
the OPD tree by materialised path, never a count over employees."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from lms.core import numbers
from lms.hr.filters import Filters, active_courses
from lms.mandatory.counts import NOT_MANDATORY
from lms.models import Assignment, Course, CourseStat, Employee, Enrollment, Opd, Requirement


@dataclass
class Counts:
    assigned: int = 0
    completed: int = 0  # of those assigned
    started: int = 0  # of those assigned, completed included
    overdue: int = 0
    voluntary: int = 0  # started without the course being mandatory for them

    @property
    def in_progress(self) -> int:
        return self.started - self.completed

    @property
    def not_started(self) -> int:
        return self.assigned - self.started

    @property
    def percent(self) -> int | None:
        return numbers.percent(self.completed, self.assigned)

    def __iadd__(self, other: "Counts") -> "Counts":
        for name in ("assigned", "completed", "started", "overdue", "voluntary"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self


@dataclass
class Row:
    opd: Opd
    direct: bool = False  # staff placed in the node itself, not in a unit under it
    cells: dict[int, Counts] = field(default_factory=dict)  # course id -> counts
    total: Counts = field(default_factory=Counts)


def _sums(f: Filters):
    mandatory = CourseStat.due_date != NOT_MANDATORY
    in_year = and_(mandatory, f.due_condition(CourseStat.due_date))

    def when(cond, value):
        return func.coalesce(func.sum(case((cond, value), else_=0)), 0)

    return (when(in_year, CourseStat.assigned), when(in_year, CourseStat.completed),
            when(in_year, CourseStat.started),
            when(and_(in_year, CourseStat.due_date < f.today),
                 CourseStat.assigned - CourseStat.completed),
            when(~mandatory, CourseStat.started))


def _stat_filter(f: Filters, course_ids: list[int] | None):
    conds = []
    if course_ids is not None:
        conds.append(CourseStat.course_id.in_(course_ids))
    if f.employment_type:
        conds.append(CourseStat.employment_type == f.employment_type)
    return conds


def rows_for(session: Session, nodes: list[Opd], f: Filters,
             course_ids: list[int] | None = None, direct_of: Opd | None = None) -> list[Row]:
    """One row per node (its whole subtree), plus a row for staff placed directly in
    `direct_of`; each row has counts per course and a total.

    SQL sums course_stat per OPD node (a few thousand rows at most); those sums are then
    added up the tree here, each node's sums going to the row whose subtree holds it."""
    rows = {n.id: Row(n) for n in nodes}
    own = Row(direct_of, direct=True) if direct_of is not None else None
    if own is not None:
        rows[direct_of.id] = own
    if not rows:
        return []
    within = [direct_of] if direct_of is not None else nodes
    query = (select(Opd.path, CourseStat.course_id, *_sums(f))
             .join(CourseStat, CourseStat.opd_id == Opd.id)
             .where(or_(*(Opd.path.like(n.path + "%") for n in within)),
                    *_stat_filter(f, course_ids))
             .group_by(Opd.id, Opd.path, CourseStat.course_id))
    target_of: dict[str, int | None] = {}
    sums: dict[tuple[int, int], list[int]] = {}
    for path, course_id, *values in session.execute(query):
        if path not in target_of:
            # The deepest listed node on the path: a unit's sums go to its row, the
            # node's own staff to the direct row.
            ids = [int(part) for part in path.strip("/").split("/")]
            target_of[path] = next((i for i in reversed(ids) if i in rows), None)
        target = target_of[path]
        if target is None:
            continue
        acc = sums.setdefault((target, course_id), [0, 0, 0, 0, 0])
        for i, value in enumerate(values):
            acc[i] += value
    for (target, course_id), values in sums.items():
        rows[target].cells[course_id] = Counts(*values)
    ordered = [rows[n.id] for n in nodes]
    if own is not None and any(c.assigned or c.voluntary for c in own.cells.values()):
        ordered.insert(0, own)
    for r in ordered:
        for counts in r.cells.values():
            r.total += counts
    return ordered


def requirement_total(session: Session, f: Filters) -> int:
    """How many (employee, course) rows the detail list holds under these filters,
    summed from course_stat instead of counting requirement rows."""
    due = CourseStat.due_date
    late = due < f.today
    value = {None: CourseStat.assigned, "completed": CourseStat.completed,
             "overdue": case((late, CourseStat.assigned - CourseStat.completed), else_=0),
             "in_progress": case((late, 0), else_=CourseStat.started - CourseStat.completed),
             "not_started": case((late, 0), else_=CourseStat.assigned - CourseStat.started),
             }[f.status]
    query = (select(func.coalesce(func.sum(value), 0)).join(Opd, Opd.id == CourseStat.opd_id)
             .where(due != NOT_MANDATORY, f.due_condition(due), f.scope.condition(Opd.path),
                    CourseStat.course_id.in_(active_courses()),
                    *_stat_filter(f, [f.course.id] if f.course else None)))
    if f.opd:
        query = query.where(Opd.path.like(f.opd.path + "%"))
    return session.scalar(query)


def column_totals(rows: list[Row]) -> tuple[dict[int, Counts], Counts]:
    columns: dict[int, Counts] = {}
    grand = Counts()
    for r in rows:
        for cid, counts in r.cells.items():
            columns.setdefault(cid, Counts())
            columns[cid] += counts
        grand += r.total
    return columns, grand


def mandatory_courses(session: Session, f: Filters) -> list[Course]:
    """Courses that are not retired and have a live (not revoked) assignment, due in the
    year asked for if any (a small table). Callers keep those that reach someone in the
    rows they show."""
    ids = select(Assignment.course_id).where(Assignment.revoked_at.is_(None),
                                            f.due_condition(Assignment.due_date))
    return list(session.scalars(select(Course).where(Course.id.in_(ids),
                                                     Course.retired_at.is_(None))
                                .order_by(Course.position, Course.title)))


def sort_rows(rows: list[Row], key: str) -> list[Row]:
    """The rows in tree order ("name", as given), or by total completion, lowest first
    (rows without anyone assigned last), then by name."""
    if key != "completion":
        return rows
    return sorted(rows, key=lambda r: (r.total.percent is None, r.total.percent or 0,
                                       not r.direct, r.opd.name))


def children(session: Session, node: Opd) -> list[Opd]:
    return list(session.scalars(select(Opd).where(Opd.parent_id == node.id)
                                .order_by(Opd.kind, Opd.name)))


def ancestors(session: Session, node: Opd) -> list[Opd]:
    ids = [int(part) for part in node.path.strip("/").split("/") if part]
    by_id = {o.id: o for o in session.scalars(select(Opd).where(Opd.id.in_(ids)))}
    return [by_id[i] for i in ids]


def completions_by_month(session: Session, course: Course, f: Filters,
                         month_starts_utc: list) -> list[int]:
    """Cumulative completions at the end of each month of the year (Jakarta months,
    given as UTC instants) by the people the course is mandatory for under these
    filters, the same people as the report's "completed" (voluntary learners are counted
    apart): one query of CASE sums."""
    place = f.opd.path if f.opd else None
    columns = [func.count(case((Enrollment.completed_at < boundary, 1)))
               for boundary in month_starts_utc[1:]]
    query = (select(*columns).select_from(Enrollment)
             .join(Requirement, and_(Requirement.employee_id == Enrollment.employee_id,
                                     Requirement.course_id == Enrollment.course_id,
                                     f.due_condition(Requirement.due_date)))
             .join(Employee, and_(Employee.id == Enrollment.employee_id, Employee.active))
             .join(Opd, Opd.id == Employee.opd_id)
             .where(Enrollment.course_id == course.id, Enrollment.completed_at.is_not(None),
                    f.scope.condition()))
    if place:
        query = query.where(Opd.path.like(place + "%"))
    if f.employment_type:
        query = query.where(Employee.employment_type == f.employment_type)
    return list(session.execute(query).one())


def year_months(year: int) -> list[date]:
    return [date(year, m, 1) for m in range(1, 13)] + [date(year + 1, 1, 1)]
