"""Report filters from the query string: validated, bookmarkable, and checked against the
user's scope before any query runs.

By default the mandatory-course reports show every live obligation (assignment not
revoked, course not retired) whatever the year of its due date: in December, HR must see
what falls due in January. `tahun` is the year of JP and completions (default: this
year); given explicitly, it also narrows the obligations to those due in that year."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select, true
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest, NotFound

from lms.core import bounds, clock
from lms.learning import progress
from lms.models import Course, Opd
from lms.models.people import EMPLOYMENT_TYPES
from lms.org.scope import Scope

STATUSES = progress.STATUSES
SORTS = ("name", "status", "due", "opd")  # the employee lists
OVERVIEW_SORTS = ("name", "completion")  # the OPD tables: tree order, or lowest % first


def active_courses():
    """Ids of courses that still count (a retired course's obligations are not shown)."""
    return select(Course.id).where(Course.retired_at.is_(None))


@dataclass
class Filters:
    year: int  # of JP and completions
    today: date
    due_year: int | None = None  # None: every live obligation, whatever its due date
    opd: Opd | None = None  # None: the whole scope
    course: Course | None = None
    status: str | None = None
    employment_type: str | None = None
    sort: str = "name"
    page: int = 1
    # The row a sorted list's next page follows, or its previous page precedes:
    # (employee id, course id), from `setelah` / `sebelum` (hr.ordered).
    after: tuple[int, int] | None = None
    before: tuple[int, int] | None = None
    scope: Scope | None = field(default=None, repr=False)

    def args(self, **changes) -> dict:
        """Query-string arguments for links that keep these filters."""
        values = {"tahun": self.due_year, "opd": self.opd.code if self.opd else None,
                  "kursus": self.course.slug if self.course else None,
                  "status": self.status, "jenis": self.employment_type,
                  "urut": self.sort if self.sort != "name" else None,
                  "halaman": self.page if self.page != 1 else None}
        values.update(changes)
        return {k: v for k, v in values.items() if v not in (None, "")}

    def logged(self) -> dict:
        return self.args(halaman=None)

    def due_condition(self, column):
        """SQL: this due date is shown (always, unless a year was asked for)."""
        if self.due_year is None:
            return true()
        return column.between(date(self.due_year, 1, 1), date(self.due_year, 12, 31))


def parse(session: Session, scope: Scope, args: MultiDict,
          now: datetime | None = None, sorts: tuple = SORTS) -> Filters:
    today = clock.jakarta(now).date() if now else clock.today()
    due_year = bounds.int_arg(args, "tahun", None, bounds.FIRST_DAY.year,
                              bounds.LAST_DAY.year)
    f = Filters(year=due_year or today.year, today=today, due_year=due_year, scope=scope)
    if args.get("opd"):
        f.opd = session.scalars(select(Opd).where(Opd.code == args["opd"])).first()
        if f.opd is None or not scope.contains(f.opd):
            raise NotFound()  # the same answer whether it exists or not
    if args.get("kursus"):
        f.course = session.scalars(select(Course).where(Course.slug == args["kursus"],
                                                        Course.retired_at.is_(None))).first()
        if f.course is None:
            raise NotFound()
    f.status = _choice(args.get("status"), STATUSES)
    f.employment_type = _choice(args.get("jenis"), EMPLOYMENT_TYPES)
    f.sort = _choice(args.get("urut"), sorts) or "name"
    f.page = bounds.page_arg(args)
    f.after, f.before = _row_key(args.get("setelah")), _row_key(args.get("sebelum"))
    return f


def _row_key(value: str | None) -> tuple[int, int] | None:
    if not value:
        return None
    match = re.fullmatch(r"(\d{1,18})-(\d{1,18})", value)
    if match is None:
        raise BadRequest()
    return int(match[1]), int(match[2])


def _choice(value: str | None, allowed: tuple) -> str | None:
    if not value:
        return None
    if value not in allowed:
        raise BadRequest()
    return value

