"""The employee-level exports, every cell formatted by the database and read straight from
the driver's cursor in batches: the CSV for other systems (DETAIL_COLUMNS, status codes in
Indonesian) and the rows of HR's workbook (hr.exports: labels as on screen, Excel dates).

Fetching 700,000 rows as Python objects and formatting them cell by cell took about 20 s;
here PostgreSQL writes the CSV itself (COPY), and SQLite formats the pieces of each line
(`_sqlite_lines`), so Python only joins finished text. In name order, SQLite walks the
employee name index instead of sorting every row (docs/performance.md), so memory stays
flat. Text from the database is neutralised against formulas there
(`core.cells.neutralise_sql`)."""

import json
from datetime import date

from sqlalchemy import (
    Date,
    Float,
    Integer,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    literal_column,
    select,
)
from sqlalchemy.orm import Session

from lms.core import numbers
from lms.core.cells import csv_field_sql, neutralise, neutralise_sql
from lms.hr import lists
from lms.hr.filters import Filters
from lms.models import Course, Employee, Enrollment, Opd, Requirement

EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0 (its dates are days since)


def _postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _percent():
    done = Enrollment.completed_at.is_not(None)
    return case((done, 100), else_=func.coalesce(numbers.percent_sql(
        func.coalesce(Enrollment.modules_done, 0), Course.module_count), 0))


def _jp():
    return case((Enrollment.completed_at.is_not(None),
                 func.coalesce(Enrollment.jp_awarded, 0)), else_=0)


def _sql(session: Session, f: Filters, columns: list, opd: bool = True) -> str:
    """The list's query (lists.requirement_rows: filters, scope, order) with these
    columns, as SQL text for the driver. `opd=False`: no column is the OPD's."""
    query = lists.requirement_rows(f, opd).with_only_columns(*columns,
                                                             maintain_column_froms=True)
    sql = str(query.compile(session.get_bind(), compile_kwargs={"literal_binds": True}))
    if not _postgres(session) and f.sort == "name" and (
            f.opd is None or lists.big_subtree(session, f, lists.BIG_SORTED_SUBTREE)):
        # SQLite's documented planner hint: a CROSS JOIN keeps the written order, so it
        # walks employees by the name index instead of sorting every row afterwards
        # (sorting Dinas Pendidikan's 570,000 rows took 90 MB). For a smaller OPD,
        # walking every employee of the scope is slower (Dinkes at 100,000: 3.8 s against
        # 1.7 s): its rows are found through the OPD and sorted.
        sql = sql.replace("FROM requirement JOIN employee ON",
                          "FROM employee CROSS JOIN requirement ON", 1)
        # Each employee's requirements are then read by the employee alone: "course in
        # the live courses" as an index term probed (employee, course) for all 50
        # courses of the list, twice the work of the walk itself (a unary + keeps a
        # column out of SQLite's index choice).
        sql = sql.replace(" requirement.course_id IN (SELECT", " +requirement.course_id IN "
                          "(SELECT", 1)
    return sql


def _batches(session: Session, sql: str, batch: int):
    """Lists of row tuples straight from the driver's cursor (no result objects). On
    PostgreSQL a named (server-side) cursor, or psycopg would fetch every row at once."""
    raw = session.connection().connection.driver_connection
    cursor = raw.cursor(name="melek_export") if _postgres(session) else raw.cursor()
    try:
        cursor.execute(sql)
        while rows := cursor.fetchmany(batch):
            yield rows
    finally:
        cursor.close()


def detail_csv(session: Session, f: Filters, status_codes: dict, batch: int = 5000):
    """The employee-level export as CSV text chunks in DETAIL_COLUMNS order: status as
    its Indonesian code, dates as YYYY-MM-DD in Asia/Jakarta. The query is built now;
    rows are read while the response streams."""
    status = lists.status_expr(f.today, status_codes)
    if not _postgres(session):  # SQLite keeps UTC text; Jakarta is UTC+7 all year
        finished = func.date(Enrollment.completed_at, "+7 hours")
        return _sqlite_lines(session, f, [status, _percent(), Enrollment.score, finished,
                                          _jp(), Requirement.due_date], batch)
    finished = func.to_char(func.timezone("Asia/Jakarta", Enrollment.completed_at),
                            "YYYY-MM-DD")
    safe = neutralise_sql
    sql = _sql(session, f, [safe(Employee.nip), safe(Employee.name), safe(Opd.code),
                            safe(Opd.name), safe(Employee.position), safe(Course.title),
                            status, _percent(), Enrollment.score, finished, _jp(),
                            func.to_char(Requirement.due_date, "YYYY-MM-DD")])

    def copied():
        raw = session.connection().connection.driver_connection
        with raw.cursor() as cursor, \
                cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)") as copy:
            for data in copy:
                yield bytes(data).decode()
    return copied()


def _cells(*columns):
    """Text columns as the start of a CSV line: each neutralised and quoted as the csv
    module quotes it (`csv_field_sql`), followed by its comma."""
    return func.printf("%s," * len(columns), *map(csv_field_sql, columns), type_=String)


def _sqlite_lines(session: Session, f: Filters, figures: list, batch: int):
    """CSV lines on SQLite. An employee's text repeats on each of their rows, and
    formatting it on every row was half of SQLite's work: so a row brings only the
    employee and course ids and its figures (codes, numbers and dates: nothing to quote),
    already one string, and the text of each employee (with their OPD's, which
    `requirement.opd_id` copies) and course is formatted once. Employees are read per
    batch of rows, so memory stays flat."""
    rest = func.printf(",".join(["%s"] * len(figures)) + "\n", *figures, type_=String)
    sql = _sql(session, f, [Requirement.employee_id, Requirement.course_id, rest], opd=False)
    opds = dict(session.execute(select(Opd.id, _cells(Opd.code, Opd.name))).all())
    courses = dict(session.execute(select(Course.id, _cells(Course.title))).all())
    ids = func.json_each(literal_column("?")).table_valued("value")  # the driver's parameter
    people = str(select(Employee.id, _cells(Employee.nip, Employee.name), Employee.opd_id,
                        _cells(Employee.position))
                 .where(Employee.id.in_(select(ids.c.value)))
                 .compile(session.get_bind(), compile_kwargs={"literal_binds": True}))

    def lines():
        raw = session.connection().connection.driver_connection
        for rows in _batches(session, sql, batch):
            heads = {key: f"{name}{opds[opd]}{position}" for key, name, opd, position
                     in raw.execute(people, (json.dumps(list({row[0] for row in rows})),))}
            yield "".join([f"{heads[e]}{courses[c]}{rest}" for e, c, rest in rows])
    return lines()


def _excel_day(session: Session, value, moment: bool = False):
    """A date (or, `moment`, a UTC timestamp's day in Jakarta) as an Excel day number."""
    if _postgres(session):
        day = cast(func.timezone("Asia/Jakarta", value), Date) if moment else value
        return day - literal_column(f"DATE '{EXCEL_EPOCH.isoformat()}'")
    day = func.date(value, "+7 hours") if moment else value
    return cast(func.julianday(day) - func.julianday(EXCEL_EPOCH.isoformat()), Integer)


def workbook_rows(session: Session, f: Filters, labels: dict, overdue: bool = False,
                  batch: int = 2000):
    """The rows of HR's employee workbook (hr.exports.employees), as tuples of text and
    numbers: name, NIP, position, OPD, OPD code, course, status label, progress as a
    fraction, best score, completed on and due date as Excel days, JP (and days late).
    Streamed in batches; the query is built now."""
    safe = neutralise_sql
    names = {code: neutralise(str(label)) for code, label in labels.items()}
    due = _excel_day(session, Requirement.due_date)
    columns = [safe(Employee.name), safe(Employee.nip), safe(Employee.position),
               safe(Opd.name), safe(Opd.code), safe(Course.title),
               lists.status_expr(f.today, names), cast(_percent(), Float) / 100,
               Enrollment.score, _excel_day(session, Enrollment.completed_at, moment=True),
               _jp(), due]
    if overdue:
        late = and_(Enrollment.completed_at.is_(None), Requirement.due_date < f.today)
        columns.append(case((late, literal((f.today - EXCEL_EPOCH).days) - due)))
    sql = _sql(session, f, columns)

    def rows():
        for chunk in _batches(session, sql, batch):
            yield from chunk
    return rows()
