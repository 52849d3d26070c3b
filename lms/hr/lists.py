"""Employee-level report rows: who must finish what by when (OPD detail, overdue list,
the employee export) and who is below the yearly JP target. Filtering, sorting and paging
happen in SQL; per-row extras are fetched for one page at a time."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from lms.core import numbers
from lms.hr import ordered
from lms.hr.filters import Filters, active_courses
from lms.learning import progress
from lms.models import Course, Employee, Enrollment, JpYear, Opd, Requirement

PER_PAGE = 50


def status_expr(today: date, names: dict | None = None):
    """progress.course_status in SQL, over a requirement and its (outer-joined) enrolment;
    `names` instead of the codes (an export's labels)."""
    return progress.course_status_sql(enrolled=Enrollment.id.is_not(None),
                                      completed=Enrollment.completed_at.is_not(None),
                                      due_date=Requirement.due_date, today=today,
                                      names=names)


STATUS_ORDER = {progress.OVERDUE: 0, progress.NOT_STARTED: 1, progress.IN_PROGRESS: 2,
                progress.COMPLETED: 3}


def _conditions(f: Filters) -> list:
    conds = [f.due_condition(Requirement.due_date), Requirement.course_id.in_(active_courses())]
    if f.course:
        conds.append(Requirement.course_id == f.course.id)
    if f.status:
        conds.append(status_expr(f.today) == f.status)
    return conds


def _requirements(f: Filters, opd: bool = True):
    status = status_expr(f.today).label("status")
    opd = opd or not f.scope.city_wide or f.opd is not None or f.sort == "opd"
    places = [Opd.code.label("opd_code"), Opd.name.label("opd_name")] if opd else []
    query = (select(Employee.id.label("employee_id"), Employee.nip, Employee.name,
                    Employee.position, Employee.employment_type, *places,
                    Course.id.label("course_id"),
                    Course.title.label("course"), Requirement.due_date,
                    Enrollment.completed_at, Enrollment.jp_awarded, Enrollment.modules_done,
                    Enrollment.score, Course.module_count, status)
             .select_from(Requirement)
             .join(Employee, Employee.id == Requirement.employee_id))
    if opd:
        query = query.join(Opd, Opd.id == Requirement.opd_id)
    query = (query.join(Course, Course.id == Requirement.course_id)
             .outerjoin(Enrollment, and_(Enrollment.employee_id == Requirement.employee_id,
                                         Enrollment.course_id == Requirement.course_id))
             .where(Employee.active, *([f.scope.condition(Opd.path)] if opd else []),
                    *_conditions(f)))
    if f.opd:
        query = query.where(Opd.path.like(f.opd.path + "%"))
    if f.employment_type:
        query = query.where(Employee.employment_type == f.employment_type)
    order = {"name": (Employee.name, Employee.id, Requirement.course_id),
             "status": (case(*((status_expr(f.today) == s, n)
                               for s, n in STATUS_ORDER.items())),
                        Requirement.due_date, Employee.name, Employee.id, Course.id),
             "due": (Requirement.due_date, Employee.name, Employee.id, Course.id),
             "opd": (Opd.name, Employee.name, Employee.id, Course.id)}[f.sort]
    return query.order_by(*order)


def requirement_rows(f: Filters, opd: bool = True):
    """The rows of the employee list under these filters, in their order (all pages).
    `opd=False`: the caller reads no OPD column, so the OPD table is joined only where a
    filter or the order needs it (city-wide with no OPD chosen, every row is in scope)."""
    return _requirements(f, opd)


BIG_SUBTREE = 2000
# Sorted by status or due date, a group is read by walking the whole scope's name index
# only for an OPD this big; a smaller one's group is found through the OPD and sorted
# (at 100,000: Dinkes, 9,000 people, 3 s deep in its list by walking, under 0.1 s sorted).
BIG_SORTED_SUBTREE = 20000


def _place(f: Filters):
    place = select(Opd.id).where(f.scope.condition(Opd.path))
    if f.opd:
        place = place.where(Opd.path.like(f.opd.path + "%"))
    return place


def big_subtree(session: Session, f: Filters, threshold: int | None = None) -> bool:
    """More than `threshold` (BIG_SUBTREE) employees in the list's OPD subtree? Counting
    stops at the threshold: "big or not" is all the choice of plan needs."""
    threshold = BIG_SUBTREE if threshold is None else threshold
    return session.scalar(select(func.count()).select_from(
        select(Employee.id).where(Employee.opd_id.in_(_place(f))).limit(threshold + 1)
        .subquery())) > threshold


def _employee_page(session: Session, f: Filters, offset: int, limit: int):
    """Ids of one page of employees, in name order, who have a matching requirement.

    For a big subtree (an OPD holding much of the city), walking the employee name index
    and probing each employee finds a page in about a millisecond, where fetching all its
    employees by OPD and sorting them takes half a second; for a small one it is the other
    way round. `opd_id + 0` keeps the database from choosing the OPD index."""
    wanted = (select(Requirement.employee_id)
              .outerjoin(Enrollment, and_(Enrollment.employee_id == Requirement.employee_id,
                                          Enrollment.course_id == Requirement.course_id))
              .where(Requirement.employee_id == Employee.id, *_conditions(f)))
    place = _place(f)
    opd_id = Employee.opd_id + 0 if big_subtree(session, f) else Employee.opd_id
    query = (select(Employee.id).where(Employee.active, opd_id.in_(place), wanted.exists())
             .order_by(Employee.name, Employee.id).limit(limit).offset(offset))
    if f.employment_type:
        query = query.where(Employee.employment_type == f.employment_type)
    return query


@dataclass
class DetailRow:
    employee_id: int
    nip: str
    name: str
    position: str
    employment_type: str
    opd_code: str
    opd_name: str
    course_id: int
    course: str
    due_date: date
    completed_at: datetime | None
    jp_awarded: int | None
    modules_done: int | None
    score: int | None
    module_count: int
    status: str
    days_late: int | None = None  # overdue rows: days since the due date

    @property
    def percent(self) -> int:
        if self.completed_at:
            return 100
        return numbers.percent(self.modules_done or 0, self.module_count) or 0


def detail_page(session: Session, f: Filters) -> tuple[list[DetailRow], bool]:
    """One page of rows and whether another page follows. Sorted by name, a page holds
    every matching course of PER_PAGE employees; other sorts page through the rows."""
    if f.sort == "name":
        ids = list(session.scalars(_employee_page(session, f, (f.page - 1) * PER_PAGE,
                                                  PER_PAGE + 1)))
        more = len(ids) > PER_PAGE
        query = _requirements(f).where(Requirement.employee_id.in_(ids[:PER_PAGE]))
        found = session.execute(query).all()
    elif f.sort in ("status", "due"):
        found, more = _sorted_page(session, f)
    else:
        found = session.execute(
            _requirements(f).limit(PER_PAGE + 1).offset((f.page - 1) * PER_PAGE)).all()
        more = len(found) > PER_PAGE
    rows = [DetailRow(**r._mapping) for r in found[:PER_PAGE]]
    for row in rows:
        if row.status == progress.OVERDUE:
            row.days_late = (f.today - row.due_date).days
    return rows, more


def _sorted_page(session: Session, f: Filters) -> tuple[list, bool]:
    """Sorted by status or due date: from the row the link names (f.after, f.before)
    where it is still in the list, else from the page's offset."""
    big = f.opd is None or big_subtree(session, f, BIG_SORTED_SUBTREE)
    mark = _mark(session, f, f.after or f.before)
    if mark is not None and f.before:
        found = ordered.page(session, f, _requirements(f), 0, PER_PAGE, big, mark,
                             backwards=True)
        if found is not None and len(found) == PER_PAGE:
            return found, True
        f.page = 1  # less than a page before the row: the list has changed; start over
    elif mark is not None:
        found = ordered.page(session, f, _requirements(f), 0, PER_PAGE + 1, big, mark)
        if found is not None:
            return found, len(found) > PER_PAGE
    found = ordered.page(session, f, _requirements(f), (f.page - 1) * PER_PAGE,
                         PER_PAGE + 1, big)
    return found, len(found) > PER_PAGE


def _mark(session: Session, f: Filters, key: tuple[int, int] | None) -> ordered.Mark | None:
    """The row (employee id, course id) as it stands now, if the list still holds it."""
    if key is None:
        return None
    row = session.execute(_requirements(f).where(Requirement.employee_id == key[0],
                                                 Requirement.course_id == key[1])).first()
    if row is None:
        return None
    status = None if f.sort == "due" and not f.status else row.status
    return ordered.Mark(status, row.due_date, row.name, row.employee_id, row.course_id)


def page_links(f: Filters, rows: list[DetailRow]) -> tuple[dict, dict]:
    """Query-string changes for the previous and the next page. Sorted by status or due
    date they name the first or last row shown, so the next page starts from it
    (hr.ordered) instead of walking to its offset."""
    if f.sort not in ("status", "due") or not rows:
        return {}, {}
    first, last = rows[0], rows[-1]
    before = {"sebelum": f"{first.employee_id}-{first.course_id}"} if f.page > 2 else {}
    return before, {"setelah": f"{last.employee_id}-{last.course_id}"}


@dataclass
class JpRow:
    nip: str
    name: str
    position: str
    employment_type: str
    opd_code: str
    opd_name: str
    jp: int


def _below_target(f: Filters, target: int):
    earned = func.coalesce(JpYear.jp, 0).label("jp")
    query = (select(Employee.nip, Employee.name, Employee.position, Employee.employment_type,
                    Opd.code.label("opd_code"), Opd.name.label("opd_name"), earned)
             .select_from(Employee).join(Opd, Opd.id == Employee.opd_id)
             .outerjoin(JpYear, and_(JpYear.employee_id == Employee.id,
                                     JpYear.year == f.year))
             .where(Employee.active, f.scope.condition(Opd.path),
                    func.coalesce(JpYear.jp, 0) < target))
    if f.opd:
        query = query.where(Opd.path.like(f.opd.path + "%"))
    if f.employment_type:
        query = query.where(Employee.employment_type == f.employment_type)
    order = {"opd": (Opd.name, Employee.name)}.get(f.sort, (earned, Employee.name))
    return query.order_by(*order, Employee.id)


def jp_page(session: Session, f: Filters, target: int) -> tuple[list[JpRow], int]:
    query = _below_target(f, target)
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = [JpRow(**r._mapping) for r in session.execute(
        query.limit(PER_PAGE).offset((f.page - 1) * PER_PAGE))]
    return rows, total


def jp_stream(session: Session, f: Filters, target: int, batch: int = 2000):
    query = _below_target(f, target).execution_options(yield_per=batch)

    def rows():
        for r in session.execute(query):
            yield JpRow(**r._mapping)
    return rows()
