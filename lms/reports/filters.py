"""Report filters from the query string: validated, bookmarkable, and checked against the
user's scope before any query runs."""

from dataclasses import dataclass, field
from datetime import date, datetime

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from ..core import bounds, clock
from ..models import Course, Opd
from ..models.people import EMPLOYMENT_TYPES
from ..scope import Scope

STATUSES = ("not_started", "in_progress", "completed", "overdue")
SORTS = ("name", "status", "due", "opd")


@dataclass
class Filters:
    year: int
    today: date
    opd: Opd | None = None  # None: the whole scope
    course: Course | None = None
    status: str | None = None
    employment_type: str | None = None
    sort: str = "name"
    page: int = 1
    scope: Scope | None = field(default=None, repr=False)

    def args(self, **changes) -> dict:
        """Query-string arguments for links that keep these filters."""
        values = {"tahun": self.year, "opd": self.opd.code if self.opd else None,
                  "kursus": self.course.slug if self.course else None,
                  "status": self.status, "jenis": self.employment_type,
                  "urut": self.sort if self.sort != "name" else None,
                  "halaman": self.page if self.page != 1 else None}
        values.update(changes)
        return {k: v for k, v in values.items() if v not in (None, "")}

    def logged(self) -> dict:
        return self.args(halaman=None)

    @property
    def year_range(self) -> tuple[date, date]:
        return date(self.year, 1, 1), date(self.year, 12, 31)


def parse(session: Session, scope: Scope, args: MultiDict,
          now: datetime | None = None) -> Filters:
    today = clock.jakarta(now).date() if now else clock.today()
    year = bounds.int_arg(args, "tahun", today.year, bounds.FIRST_DAY.year,
                          bounds.LAST_DAY.year)
    f = Filters(year=year, today=today, scope=scope)
    if args.get("opd"):
        f.opd = session.scalars(select(Opd).where(Opd.code == args["opd"])).first()
        if f.opd is None or not scope.contains(f.opd):
            abort(404)  # the same answer whether it exists or not
    if args.get("kursus"):
        f.course = session.scalars(select(Course).where(Course.slug == args["kursus"],
                                                        Course.retired_at.is_(None))).first()
        if f.course is None:
            abort(404)
    f.status = _choice(args.get("status"), STATUSES)
    f.employment_type = _choice(args.get("jenis"), EMPLOYMENT_TYPES)
    f.sort = _choice(args.get("urut"), SORTS) or "name"
    f.page = bounds.page_arg(args)
    return f


def _choice(value: str | None, allowed: tuple) -> str | None:
    if not value:
        return None
    if value not in allowed:
        abort(400)
    return value

