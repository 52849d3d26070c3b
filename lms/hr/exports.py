"""The Excel downloads of HR's reports, for people: the columns named and the values
labelled as on screen (status "Terlambat", not "overdue"), dates as real dates shown as
on screen, percentages as percentages, NIPs as text. The CSV downloads (views.reports)
keep their codes for other systems.

Each function returns (header, rows, formats, widths) for `core.downloads.xlsx_response`;
the employee list is read while the workbook is written, its rows neutralised by the
database (`employees`: pass `neutralised=True`)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from lms.hr import detail_export, leaders, lists
from lms.hr.filters import Filters
from lms.learning import progress
from lms.models.people import EMPLOYMENT_TYPE_LABELS

TEXT, PERCENT, WHOLE = "@", "0%", "0"
# Excel's own locale codes make the month names those of the page's language.
DATE_FORMATS = {"id": "[$-421]d mmm yyyy", "en": "[$-409]mmm d, yyyy"}


def date_format(locale: str) -> str:
    return DATE_FORMATS.get(locale, DATE_FORMATS["id"])


def _names(header: list) -> list[str]:
    return [str(h) for h in header]


def _fraction(percent: int | None) -> float | None:
    return None if percent is None else percent / 100


def employees(session: Session, f: Filters, locale: str, overdue: bool = False,
              batch: int = 2000):
    """The employee list (all rows, not one page), in the page's order. The database
    formats and neutralises the rows (hr.detail_export), read in batches."""
    header = [_l("Name"), _l("NIP"), _l("Position"), _l("OPD / unit"), _l("OPD code"),
              _l("Course"), _l("Status"), _l("Progress"), _l("Best score"),
              _l("Completed on"), _l("JP"), _l("Due date")]
    if overdue:
        header.append(_l("Days late"))
    rows = detail_export.workbook_rows(session, f, progress.STATUS_LABELS, overdue, batch)
    day = date_format(locale)
    formats = {1: TEXT, 4: TEXT, 7: PERCENT, 9: day, 11: day}
    widths = {0: 28, 1: 21, 2: 24, 3: 28, 4: 14, 5: 28, 6: 14, 9: 14, 11: 14, 12: 10}
    return _names(header), rows, formats, widths


def jp(session: Session, f: Filters, target: int):
    header = [_l("Name"), _l("NIP"), _l("Position"), _l("OPD / unit"), _l("OPD code"),
              _l("Employment type"), _l("JP"), _l("Target"), _l("Still needed")]
    rows = ([r.name, r.nip, r.position, r.opd_name, r.opd_code,
             EMPLOYMENT_TYPE_LABELS.get(r.employment_type, r.employment_type), r.jp, target,
             target - r.jp] for r in lists.jp_stream(session, f, target))
    return _names(header), rows, {1: TEXT, 4: TEXT}, {0: 28, 1: 21, 2: 24, 3: 28, 4: 14, 5: 14}


def course(rows: list, name_of):
    """The per-OPD table of one course (rows of queries.Row)."""
    header = [_l("OPD / unit"), _l("OPD code"), _l("Mandatory"), _l("Completed"),
              _l("In progress"), _l("Not started"), _l("Overdue"), _l("Percent done"),
              _l("Voluntary")]
    body = [[name_of(r), r.opd.code, r.total.assigned, r.total.completed,
             r.total.in_progress, r.total.not_started, r.total.overdue,
             _fraction(r.total.percent), r.total.voluntary] for r in rows]
    return _names(header), body, {1: TEXT, 7: PERCENT}, {0: 36, 1: 14}


def overview(courses: list, rows: list, columns: dict, grand, name_of):
    """The overview's matrix: one row per OPD, a column per course, then the total."""
    header = [_l("OPD / unit"), _l("OPD code")] + [c.title for c in courses] + [_l("Total")]

    def pct(counts):
        return _fraction(counts.percent) if counts else None
    body = [[name_of(r), r.opd.code] + [pct(r.cells.get(c.id)) for c in courses]
            + [pct(r.total)] for r in rows]
    body.append([str(_l("Total")), None] + [pct(columns.get(c.id)) for c in courses]
                + [pct(grand)])
    formats = {1: TEXT} | {i: PERCENT for i in range(2, len(header))}
    return _names(header), body, formats, {0: 36, 1: 14} | {i: 16 for i in range(2, len(header))}


def heads(courses: list, rows: list):
    """The heads table of the leaders page (rows of leaders.HeadRow): each OPD or unit
    with its current head, and per mandatory course whether that head has completed it,
    in the page's words."""
    header = ([_l("OPD / unit"), _l("OPD code"), _l("Head"), _l("NIP"), _l("Position")]
              + [c.title for c in courses])
    words = {leaders.COMPLETED: str(progress.STATUS_LABELS[progress.COMPLETED]),
             leaders.PENDING: str(_l("Not yet")), None: str(_l("not mandatory"))}
    body = [[r.node.name, r.node.code, r.head.name, r.head.nip, r.head.position]
            + [words[r.cells.get(c.id)] for c in courses] for r in rows]
    return _names(header), body, {1: TEXT, 3: TEXT}, {0: 36, 1: 14, 2: 28, 3: 21, 4: 24}
