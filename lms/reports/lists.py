"""Employee-level report rows: who must finish what by when (OPD detail, overdue list,
the employee export) and who is below the yearly JP target. Filtering, sorting and paging
happen in SQL; per-row extras are fetched for one page at a time."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from ..models import Course, Employee, Enrollment, JpYear, Module, ModuleProgress, Opd, Requirement
from .filters import Filters

PER_PAGE = 50


def status_expr(today: date):
    return case((Enrollment.completed_at.is_not(None), "completed"),
                (Requirement.due_date < today, "overdue"),
                (Enrollment.id.is_not(None), "in_progress"), else_="not_started")


STATUS_ORDER = {"overdue": 0, "not_started": 1, "in_progress": 2, "completed": 3}


def _requirements(f: Filters):
    status = status_expr(f.today).label("status")
    start, end = f.year_range
    query = (select(Employee.id.label("employee_id"), Employee.nip, Employee.name,
                    Employee.position, Employee.employment_type, Opd.code.label("opd_code"),
                    Opd.name.label("opd_name"), Course.id.label("course_id"),
                    Course.title.label("course"), Requirement.due_date,
                    Enrollment.completed_at, Enrollment.jp_awarded, status)
             .select_from(Requirement)
             .join(Employee, Employee.id == Requirement.employee_id)
             .join(Opd, Opd.id == Requirement.opd_id)
             .join(Course, Course.id == Requirement.course_id)
             .outerjoin(Enrollment, and_(Enrollment.employee_id == Requirement.employee_id,
                                         Enrollment.course_id == Requirement.course_id))
             .where(Employee.active, Requirement.due_date.between(start, end),
                    f.scope.condition(Opd.path)))
    if f.opd:
        query = query.where(Opd.path.like(f.opd.path + "%"))
    if f.course:
        query = query.where(Requirement.course_id == f.course.id)
    if f.employment_type:
        query = query.where(Employee.employment_type == f.employment_type)
    if f.status:
        query = query.where(status_expr(f.today) == f.status)
    order = {"name": (Employee.name, Employee.id, Course.position, Course.id),
             "status": (case(*((status_expr(f.today) == s, n)
                               for s, n in STATUS_ORDER.items())),
                        Requirement.due_date, Employee.name, Employee.id, Course.id),
             "due": (Requirement.due_date, Employee.name, Employee.id, Course.id),
             "opd": (Opd.name, Employee.name, Employee.id, Course.id)}[f.sort]
    return query.order_by(*order)


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
    status: str
    percent: int = 0
    score: int | None = None


def detail_page(session: Session, f: Filters) -> tuple[list[DetailRow], int]:
    query = _requirements(f)
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = [DetailRow(**r._mapping) for r in session.execute(
        query.limit(PER_PAGE).offset((f.page - 1) * PER_PAGE))]
    _add_progress(session, rows)
    return rows, total


def _module_summary(employee_ids=None, course_ids=None):
    """Per employee and course: current modules done and the average best quiz score."""
    query = (select(ModuleProgress.employee_id, Module.course_id,
                    func.count(ModuleProgress.completed_at).label("done"),
                    func.avg(ModuleProgress.best_score).label("score"))
             .join(Module, and_(Module.id == ModuleProgress.module_id,
                                Module.retired_at.is_(None)))
             .group_by(ModuleProgress.employee_id, Module.course_id))
    if employee_ids is not None:
        query = query.where(ModuleProgress.employee_id.in_(employee_ids),
                            Module.course_id.in_(course_ids))
    return query


def _module_totals():
    return (select(Module.course_id, func.count(Module.id).label("modules"))
            .where(Module.retired_at.is_(None)).group_by(Module.course_id))


def _add_progress(session: Session, rows: list[DetailRow]) -> None:
    if not rows:
        return
    summary = {(e, c): (done, score) for e, c, done, score in session.execute(
        _module_summary({r.employee_id for r in rows}, {r.course_id for r in rows}))}
    totals = dict(session.execute(_module_totals().where(
        Module.course_id.in_({r.course_id for r in rows}))).all())
    for r in rows:
        done, score = summary.get((r.employee_id, r.course_id), (0, None))
        r.percent = 100 if r.completed_at else _percent(done, totals.get(r.course_id, 0))
        r.score = round(score) if score is not None else None


def _percent(done: int, total: int) -> int:
    return round(100 * done / total) if total else 0


def detail_stream(session: Session, f: Filters, batch: int = 2000):
    """Every row of the detail list for export, streamed with progress and score joined
    in SQL (memory stays flat however many rows there are). The query is built now, from
    the filters as they are; rows are read when the response iterates."""
    summary = _module_summary().subquery()
    totals = _module_totals().subquery()
    query = (_requirements(f)
             .add_columns(summary.c.done, summary.c.score, totals.c.modules)
             .outerjoin(summary, and_(summary.c.employee_id == Requirement.employee_id,
                                      summary.c.course_id == Requirement.course_id))
             .outerjoin(totals, totals.c.course_id == Requirement.course_id))

    def rows():
        for r in session.execute(query.execution_options(yield_per=batch)):
            m = dict(r._mapping)
            done, score, modules = m.pop("done"), m.pop("score"), m.pop("modules")
            row = DetailRow(**m)
            row.percent = 100 if row.completed_at else _percent(done or 0, modules or 0)
            row.score = round(score) if score is not None else None
            yield row
    return rows()


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
