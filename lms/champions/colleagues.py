"""The champion's view of their unit: each colleague's mandatory courses, their status
and where they stopped. HR's employee list (hr.filters, hr.lists) does the filtering,
sorting and paging, narrowed to the champion's units (a Scope, like HR's); this module
adds where each colleague stopped and the champion's export, which shows less than HR's
(no score, no position, no JP: what helping a colleague needs)."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select
from sqlalchemy.orm import Session, aliased
from werkzeug.datastructures import MultiDict

from lms.core import clock, numbers
from lms.hr import exports, lists
from lms.hr.filters import Filters, parse
from lms.learning import progress
from lms.models import Module, ModuleProgress, Requirement
from lms.org.scope import Scope

SORTS = ("name", "status", "due")


def filters(session: Session, scope: Scope, args: MultiDict) -> Filters:
    """HR's filters over the champion's units (an OPD outside them is a 404)."""
    return parse(session, scope, args, sorts=SORTS)


def next_module_title():
    """SQL: the title of the first current module of a requirement's course that the
    colleague has not completed (the one their dashboard opens next); NULL when none."""
    m = aliased(Module)
    # Correlated to both enclosing queries: the requirement's row and the module.
    done = exists().where(ModuleProgress.employee_id == Requirement.employee_id,
                          ModuleProgress.module_id == m.id,
                          ModuleProgress.completed_at.is_not(None)
                          ).correlate_except(ModuleProgress)
    return (select(m.title).where(m.course_id == Requirement.course_id,
                                  m.retired_at.is_(None), ~done)
            .order_by(m.position, m.id).limit(1).correlate(Requirement).scalar_subquery())


@dataclass
class Row:
    line: lists.DetailRow
    next_module: str | None  # None: completed, or nothing left


def page(session: Session, f: Filters) -> tuple[list[Row], bool]:
    lines, more = lists.detail_page(session, f)
    wanted = {(r.employee_id, r.course_id) for r in lines}
    found = {}
    if wanted:
        found = {(e, c): t for e, c, t in session.execute(
            select(Requirement.employee_id, Requirement.course_id, next_module_title())
            .where(Requirement.employee_id.in_({e for e, _ in wanted}),
                   Requirement.course_id.in_({c for _, c in wanted})))}
    return [Row(r, found.get((r.employee_id, r.course_id))) for r in lines], more


HEADER = [_l("Name"), _l("NIP"), _l("OPD / unit"), _l("Course"), _l("Status"),
          _l("Progress"), _l("Modules completed"), _l("Next module"), _l("Due date"),
          _l("Completed on")]


def export(session: Session, f: Filters, locale: str, for_excel: bool, batch: int = 2000):
    """(header, rows, formats, widths) of every row of the list, in its order: status as
    on screen, the progress a fraction for Excel and a whole percentage in CSV."""
    labels = {code: str(label) for code, label in progress.STATUS_LABELS.items()}
    query = (lists.requirement_rows(f).add_columns(next_module_title().label("next"))
             .execution_options(yield_per=batch))

    def rows():
        for r in session.execute(query):
            m = r._mapping
            done = m["completed_at"] is not None
            percent = 100 if done else numbers.percent(m["modules_done"] or 0,
                                                       m["module_count"]) or 0
            yield [m["name"], m["nip"], m["opd_name"], m["course"], labels[m["status"]],
                   percent / 100 if for_excel else percent,
                   m["modules_done"] or 0, None if done else m["next"], m["due_date"],
                   clock.jakarta(m["completed_at"]).date() if done else None]
    day = exports.date_format(locale)
    formats = {1: exports.TEXT, 5: exports.PERCENT, 8: day, 9: day}
    widths = {0: 28, 1: 21, 2: 28, 3: 28, 4: 14, 7: 28, 8: 14, 9: 14}
    return [str(h) for h in HEADER], rows(), formats, widths


