"""Employee-level report rows: who must finish what by when (OPD detail, overdue list,
the employee export) and who is below the yearly JP target. Filtering, sorting and paging
happen in SQL; per-row extras are fetched for one page at a time."""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from lms.core import numbers
from lms.core.cells import neutralise_sql
from lms.hr import ordered
from lms.hr.filters import Filters, active_courses
from lms.learning import progress
from lms.models import Course, Employee, Enrollment, JpYear, Opd, Requirement

PER_PAGE = 50


def status_expr(today: date):
    """progress.course_status in SQL, over a requirement and its (outer-joined) enrolment."""
    return progress.course_status_sql(enrolled=Enrollment.id.is_not(None),
                                      completed=Enrollment.completed_at.is_not(None),
                                      due_date=Requirement.due_date, today=today)


STATUS_ORDER = {progress.OVERDUE: 0, progress.NOT_STARTED: 1, progress.IN_PROGRESS: 2,
                progress.COMPLETED: 3}


def _conditions(f: Filters) -> list:
    conds = [f.due_condition(Requirement.due_date), Requirement.course_id.in_(active_courses())]
    if f.course:
        conds.append(Requirement.course_id == f.course.id)
    if f.status:
        conds.append(status_expr(f.today) == f.status)
    return conds


def _requirements(f: Filters):
    status = status_expr(f.today).label("status")
    query = (select(Employee.id.label("employee_id"), Employee.nip, Employee.name,
                    Employee.position, Employee.employment_type, Opd.code.label("opd_code"),
                    Opd.name.label("opd_name"), Course.id.label("course_id"),
                    Course.title.label("course"), Requirement.due_date,
                    Enrollment.completed_at, Enrollment.jp_awarded, Enrollment.modules_done,
                    Enrollment.score, Course.module_count, status)
             .select_from(Requirement)
             .join(Employee, Employee.id == Requirement.employee_id)
             .join(Opd, Opd.id == Requirement.opd_id)
             .join(Course, Course.id == Requirement.course_id)
             .outerjoin(Enrollment, and_(Enrollment.employee_id == Requirement.employee_id,
                                         Enrollment.course_id == Requirement.course_id))
             .where(Employee.active, f.scope.condition(Opd.path), *_conditions(f)))
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


def requirement_rows(f: Filters):
    """The rows of the employee list under these filters, in their order (all pages)."""
    return _requirements(f)


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


def _big(session: Session, f: Filters, threshold: int | None = None) -> bool:
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
    opd_id = Employee.opd_id + 0 if _big(session, f) else Employee.opd_id
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
        found = session.execute(query)
    elif f.sort in ("status", "due"):
        found = ordered.page(session, f, _requirements(f),
                             (f.page - 1) * PER_PAGE, PER_PAGE + 1,
                             big=f.opd is None or _big(session, f, BIG_SORTED_SUBTREE))
    else:
        found = session.execute(
            _requirements(f).limit(PER_PAGE + 1).offset((f.page - 1) * PER_PAGE))
    rows = [DetailRow(**r._mapping) for r in found]
    if f.sort != "name":
        more = len(rows) > PER_PAGE
        rows = rows[:PER_PAGE]
    for row in rows:
        if row.status == progress.OVERDUE:
            row.days_late = (f.today - row.due_date).days
    return rows, more


def _export_query(session: Session, f: Filters, status_codes: dict):
    """The employee-level export with every cell formatted by the database, in
    DETAIL_COLUMNS order: every text cell from the database neutralised against formulas
    (core.cells), status as its Indonesian code, dates as YYYY-MM-DD in Asia/Jakarta."""
    safe = neutralise_sql
    done = Enrollment.completed_at.is_not(None)
    if session.get_bind().dialect.name == "postgresql":
        finished = func.to_char(func.timezone("Asia/Jakarta", Enrollment.completed_at),
                                "YYYY-MM-DD")
        due = func.to_char(Requirement.due_date, "YYYY-MM-DD")
    else:  # SQLite keeps UTC text; Jakarta is UTC+7 all year
        finished = func.strftime("%Y-%m-%d", Enrollment.completed_at, "+7 hours")
        due = func.strftime("%Y-%m-%d", Requirement.due_date)
    status = status_expr(f.today)
    columns = [
        safe(Employee.nip), safe(Employee.name), safe(Opd.code), safe(Opd.name),
        safe(Employee.position), safe(Course.title),
        case(*((status == code, label) for code, label in status_codes.items())),
        case((done, 100), else_=func.coalesce(numbers.percent_sql(
            func.coalesce(Enrollment.modules_done, 0), Course.module_count), 0)),
        Enrollment.score, finished, case((done, func.coalesce(Enrollment.jp_awarded, 0)),
                                         else_=0), due]
    return _requirements(f).with_only_columns(*columns, maintain_column_froms=True)


def _export_sql(session: Session, f: Filters, status_codes: dict) -> str:
    query = _export_query(session, f, status_codes)
    sql = str(query.compile(session.get_bind(), compile_kwargs={"literal_binds": True}))
    if session.get_bind().dialect.name != "postgresql" and f.sort == "name" and (
            f.opd is None or _big(session, f, BIG_SORTED_SUBTREE)):
        # SQLite's documented planner hint: a CROSS JOIN keeps the written order, so it
        # walks employees by the name index instead of sorting every row afterwards
        # (sorting Dinas Pendidikan's 570,000 rows took 90 MB). For a smaller OPD,
        # walking every employee of the scope is slower (Dinkes at 100,000: 3.8 s against
        # 1.7 s): its rows are found through the OPD and sorted.
        sql = sql.replace("FROM requirement JOIN employee ON",
                          "FROM employee CROSS JOIN requirement ON", 1)
    return sql


def _raw_batches(session: Session, sql: str, batch: int):
    """Lists of row tuples straight from the driver's cursor (no result objects). On
    PostgreSQL a named (server-side) cursor, or psycopg would fetch every row at once."""
    raw = session.connection().connection.driver_connection
    postgres = session.get_bind().dialect.name == "postgresql"
    cursor = raw.cursor(name="melek_export") if postgres else raw.cursor()
    try:
        cursor.execute(sql)
        while rows := cursor.fetchmany(batch):
            yield rows
    finally:
        cursor.close()


def detail_rows(session: Session, f: Filters, status_codes: dict, batch: int = 5000):
    """The same formatted export rows as tuples, streamed (for XLSX) from the driver's
    cursor. The query is built now; rows are read while the response streams."""
    sql = _export_sql(session, f, status_codes)

    def rows():
        for chunk in _raw_batches(session, sql, batch):
            yield from chunk
    return rows()


def detail_csv(session: Session, f: Filters, status_codes: dict, batch: int = 5000):
    """The employee-level export as CSV text chunks, formatted by the database.

    Fetching 700,000 rows as Python objects and formatting them cell by cell takes about
    20 s; here PostgreSQL writes the CSV itself (COPY) and SQLite hands over finished text
    that the csv module joins (docs/performance.md). The query is built now; rows are
    read while the response streams."""
    sql = _export_sql(session, f, status_codes)
    postgres = session.get_bind().dialect.name == "postgresql"

    def chunks():
        if postgres:
            raw = session.connection().connection.driver_connection
            with raw.cursor() as cursor, \
                    cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)") as copy:
                for data in copy:
                    yield bytes(data).decode()
            return
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        for rows in _raw_batches(session, sql, batch):
            writer.writerows(rows)
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    return chunks()


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
