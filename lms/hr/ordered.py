"""Pages of the employee list sorted by status or by due date, without sorting the list.

Sorted so, the rows fall into a few groups (one per status and due date, in that order),
and course_stat already holds every group's size. A page is therefore found by skipping
whole groups by their counts, then reading the rows of one or two groups in name order,
which the employee name index gives without a sort. At 100,000 employees a big OPD has
560,000 rows: sorting them all took 1.3-2.7 s a page (docs/performance.md).

The next and previous pages start from a row (a Mark: the last row shown, or the first)
instead of an offset, so page 200 costs what page 1 does: walking the name index to the
10,000th row of a group probed as many employees (0.3-1 s on SQLite).
"""

import operator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, or_, select, text
from sqlalchemy.orm import Session

from lms.hr.filters import Filters, active_courses
from lms.learning import progress
from lms.mandatory.counts import NOT_MANDATORY
from lms.models import CourseStat, Employee, Enrollment, Opd, Requirement

ORDER = (progress.OVERDUE, progress.NOT_STARTED, progress.IN_PROGRESS, progress.COMPLETED)


def groups(session: Session, f: Filters) -> list[tuple[str | None, date, int]]:
    """(status, due date, rows) in the list's order; status None when sorting by due date
    without a status filter (the whole due date is one group)."""
    place = select(Opd.id).where(f.scope.condition(Opd.path))
    if f.opd:
        place = place.where(Opd.path.like(f.opd.path + "%"))
    query = (select(CourseStat.due_date, func.sum(CourseStat.assigned),
                    func.sum(CourseStat.started), func.sum(CourseStat.completed))
             .where(CourseStat.opd_id.in_(place), CourseStat.due_date != NOT_MANDATORY,
                    f.due_condition(CourseStat.due_date),
                    CourseStat.course_id.in_(active_courses()))
             .group_by(CourseStat.due_date))
    if f.course:
        query = query.where(CourseStat.course_id == f.course.id)
    if f.employment_type:
        query = query.where(CourseStat.employment_type == f.employment_type)
    found = []
    for due, assigned, started, completed in session.execute(query):
        assigned, started, completed = int(assigned or 0), int(started or 0), int(completed or 0)
        if due < f.today:
            sizes = {progress.OVERDUE: assigned - completed, progress.COMPLETED: completed}
        else:
            sizes = {progress.NOT_STARTED: assigned - started,
                     progress.IN_PROGRESS: started - completed,
                     progress.COMPLETED: completed}
        if f.status:
            sizes = {f.status: sizes.get(f.status, 0)}
        if f.sort == "due" and not f.status:
            found.append((None, due, sum(sizes.values())))
        else:
            found += [(status, due, n) for status, n in sizes.items()]
    if f.sort == "due":
        found.sort(key=lambda g: g[1])
    else:
        found.sort(key=lambda g: (ORDER.index(g[0]), g[1]))
    return [g for g in found if g[2] > 0]


@dataclass(frozen=True)
class Mark:
    """A row of the list a page continues from: its group and its place in name order."""
    status: str | None  # None where the group is the whole due date (see groups)
    due: date
    name: str
    employee_id: int
    course_id: int


def page(session: Session, f: Filters, requirements, offset: int, limit: int,
         big: bool = True, mark: Mark | None = None, backwards: bool = False):
    """Up to `limit` rows from `offset` of `requirements` (the list's select) in the
    order of `groups`, reading each group in name order. `big`: the OPD subtree holds
    much of the scope, so walking the name index finds a page soonest; for a small one
    the name index would visit the whole city's employees, so its few rows are found
    through their OPD and sorted (`name || ''` keeps the database off that index).

    With `mark`, the rows right after it (`offset` ignored), or, `backwards`, the rows
    right before it, still in the list's order; None if the mark's group is gone."""
    name = Employee.name if big else Employee.name.concat("")
    order = (name, Employee.id, Requirement.course_id)
    found = groups(session, f)
    if mark is not None:
        at = next((i for i, g in enumerate(found) if g[:2] == (mark.status, mark.due)), None)
        if at is None:
            return None
        found, offset = (found[at::-1] if backwards else found[at:]), 0
        if backwards:
            order = tuple(c.desc() for c in order)
    rows = []
    for status, due, size in found:
        if offset >= size:
            offset -= size
            continue
        query = (requirements.where(Requirement.due_date == due)
                 .order_by(None).order_by(*order)
                 .limit(limit - len(rows)).offset(offset))
        if status is not None:
            query = query.where(_is(status))
        if mark is not None and (status, due) == (mark.status, mark.due):
            query = query.where(*_beyond(name, mark, backwards))
        rows += session.execute(_by_name(session, query) if big else query).all()
        offset = 0
        if len(rows) >= limit:
            break
    return rows[::-1] if backwards else rows


def _beyond(name, mark: Mark, backwards: bool) -> list:
    """The group's rows after the mark in (name, employee, course) order, or before it.
    The plain bound on the name comes first so the walk of the name index starts at the
    mark; the rest settles rows of the same name."""
    past, reach = (operator.lt, operator.le) if backwards else (operator.gt, operator.ge)
    return [reach(name, mark.name),
            or_(past(name, mark.name),
                and_(name == mark.name,
                     or_(past(Employee.id, mark.employee_id),
                         and_(Employee.id == mark.employee_id,
                              past(Requirement.course_id, mark.course_id)))))]


def _is(status: str):
    """The status of a group's rows, whose due date is known (overdue: due before today),
    as plain conditions on the enrolment: the same rows as progress.course_status_sql
    picks, but PostgreSQL estimates them well (for the CASE it guessed 130 rows of
    17,621 and chose to hash the OPD's every row once a page had an offset)."""
    done = Enrollment.completed_at.is_not(None)
    return {progress.COMPLETED: done,
            progress.OVERDUE: ~done,
            progress.IN_PROGRESS: and_(Enrollment.id.is_not(None), ~done),
            progress.NOT_STARTED: Enrollment.id.is_(None)}[status]


def _by_name(session: Session, query):
    """On SQLite, the planner hint the CSV export uses: a CROSS JOIN keeps the written
    order, so the group is read by walking the employee name index (probing each one's
    requirements) and stops after the page, instead of sorting the whole group."""
    if session.get_bind().dialect.name != "sqlite":
        return query
    sql = str(query.compile(session.get_bind(), compile_kwargs={"literal_binds": True}))
    sql = sql.replace("FROM requirement JOIN employee ON",
                      "FROM employee CROSS JOIN requirement ON", 1)
    return text(sql).columns(*query.selected_columns)
