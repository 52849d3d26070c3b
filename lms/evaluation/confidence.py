"""The confidence question of a course (README.md `confidence:`), asked before module 1
and again after completion, and the city's figures: the share of staff confident (4 or
5) before and after, per course, per OPD and per month.

Who counts: people who answered both times (a pair), so the before and after shares
are of the same people; per month by the month (Jakarta) of the answer after. Groups of
fewer than MIN_GROUP pairs show no shares. Every figure is one SQL aggregation over
`confidence` (one row per person and course); OPD sums are rolled up the tree from a
few hundred group rows, as HR's reports do.
"""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.core import clock, numbers
from lms.models import Confidence, Course, Employee, Enrollment, Opd
from lms.studio.analysis.figures import MIN_GROUP

BEFORE, AFTER = "before", "after"
CONFIDENT = 4  # 4 and 5 count as confident
SCALE_LABELS = {1: _l("Not at all confident"), 2: _l("Slightly confident"),
                3: _l("Somewhat confident"), 4: _l("Confident"), 5: _l("Very confident")}
MONTHS_SHOWN = 12


def row(session: Session, employee_id: int, course_id: int) -> Confidence | None:
    return session.get(Confidence, (employee_id, course_id))


def due(session: Session, employee_id: int, course: Course) -> str | None:
    """BEFORE or AFTER when the course asks its question and this person has not been
    asked at this stage, else None. Before: enrolled, not completed; after: completed."""
    if not course.confidence:
        return None
    completed = session.scalar(select(Enrollment.completed_at).where(
        Enrollment.employee_id == employee_id, Enrollment.course_id == course.id))
    found = row(session, employee_id, course.id)
    if completed is None:
        return BEFORE if found is None or found.before_at is None else None
    return AFTER if found is None or found.after_at is None else None


def record(session: Session, employee: Employee, course: Course, stage: str,
           value: int | None) -> None:
    """One answer (None: skipped); a stage already asked keeps its first answer."""
    found = row(session, employee.id, course.id)
    if found is None:
        try:
            with session.begin_nested():
                found = Confidence(employee_id=employee.id, course_id=course.id,
                                   opd_id=employee.opd_id)
                session.add(found)
        except IntegrityError:
            found = row(session, employee.id, course.id)
    now = clock.now()
    if stage == BEFORE and found.before_at is None:
        found.before_value, found.before_at = value, now
    elif stage == AFTER and found.after_at is None:
        found.after_value, found.after_at = value, now
        found.after_month = clock.jakarta(now).strftime("%Y-%m")
    session.flush()


# --- the city view --------------------------------------------------------------------------

@dataclass
class Share:
    pairs: int = 0
    before: int = 0  # confident before, of the pairs
    after: int = 0

    def __iadd__(self, other: "Share") -> "Share":
        self.pairs += other.pairs
        self.before += other.before
        self.after += other.after
        return self

    @property
    def shown(self) -> bool:
        return self.pairs >= MIN_GROUP

    @property
    def before_percent(self) -> int | None:
        return numbers.percent(self.before, self.pairs) if self.shown else None

    @property
    def after_percent(self) -> int | None:
        return numbers.percent(self.after, self.pairs) if self.shown else None

    @property
    def change(self) -> int | None:
        """Percentage points, after minus before."""
        if not self.shown:
            return None
        return self.after_percent - self.before_percent


@dataclass
class Line:
    label: str
    share: Share
    slug: str = ""
    month: str = ""


@dataclass
class CityView:
    total: Share
    courses: list[Line] = field(default_factory=list)
    opds: list[Line] = field(default_factory=list)
    months: list[Line] = field(default_factory=list)


def _sums():
    paired = and_(Confidence.before_value.is_not(None), Confidence.after_value.is_not(None))

    def count(cond=None):
        cond = paired if cond is None else and_(paired, cond)
        return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)
    return (count(), count(Confidence.before_value >= CONFIDENT),
            count(Confidence.after_value >= CONFIDENT))


def _where(query, course_id: int | None):
    query = query.where(Confidence.before_value.is_not(None),
                        Confidence.after_value.is_not(None))
    return query.where(Confidence.course_id == course_id) if course_id else query


def city_view(session: Session, course_id: int | None = None) -> CityView:
    """Every figure of the page, for one course or (None) all courses."""
    sums = _sums()
    view = CityView(Share())
    for cid, title, slug, *numbers_ in session.execute(_where(
            select(Confidence.course_id, Course.title, Course.slug, *sums)
            .join(Course, Course.id == Confidence.course_id), None)
            .group_by(Confidence.course_id, Course.title, Course.slug)
            .order_by(Course.title)):
        share = Share(*numbers_)
        if course_id is None or cid == course_id:
            view.total += share
        view.courses.append(Line(title, share, slug=slug))
    by_opd = {opd_id: Share(*numbers_) for opd_id, *numbers_ in session.execute(
        _where(select(Confidence.opd_id, *sums), course_id).group_by(Confidence.opd_id))}
    view.opds = _by_top_opd(session, by_opd)
    months = session.execute(_where(select(Confidence.after_month, *sums), course_id)
                             .group_by(Confidence.after_month)
                             .order_by(Confidence.after_month.desc())
                             .limit(MONTHS_SHOWN)).all()
    view.months = [Line(month, Share(*numbers_), month=month)
                   for month, *numbers_ in reversed(months)]
    return view


def _by_top_opd(session: Session, by_opd: dict[int, Share]) -> list[Line]:
    """Sums per OPD under the city (its units and kelurahan added in), by path."""
    if not by_opd:
        return []
    nodes = {o.id: o for o in session.scalars(select(Opd).where(Opd.depth <= 1))}
    paths = dict(session.execute(select(Opd.id, Opd.path).where(Opd.id.in_(by_opd))).all())
    tops: dict[int, Share] = {}
    for opd_id, share in by_opd.items():
        ids = [int(part) for part in paths[opd_id].strip("/").split("/")]
        top = ids[1] if len(ids) > 1 else ids[0]  # the city's own staff stand for itself
        tops.setdefault(top, Share())
        tops[top] += share
    return sorted((Line(nodes[i].name, s) for i, s in tops.items() if i in nodes),
                  key=lambda line: line.label)


def course_choices(session: Session) -> list[Course]:
    return list(session.scalars(select(Course).where(Course.confidence != "",
                                                     Course.retired_at.is_(None))
                                .order_by(Course.title)))
