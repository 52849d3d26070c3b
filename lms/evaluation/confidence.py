"""The confidence question of a course (README.md `confidence:`), asked before module 1
and again after completion, and the city's figures: the share of staff confident (4 or
5) before and after, per course, per OPD and per month.

Who counts: people who answered both times (a pair), so the before and after shares
are of the same people; per month by the month (Jakarta) of the answer after. Groups of
fewer than MIN_GROUP pairs show no shares, and in each table (courses, OPDs, months) as
many more as it takes for the hidden ones together to reach MIN_GROUP, so a small
group's shares cannot be worked out from the total (`figures.to_hide`). Figures are sums
over `confidence_stat`, counts moved in the transaction that completes a pair (a row per
course, OPD and month, so never a scan of the answers); OPD sums are rolled up the tree
from those rows, as HR's reports do.
"""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, delete, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.core import clock, numbers
from lms.core.upsert import dialect_insert
from lms.models import Confidence, ConfidenceStat, Course, Employee, Enrollment, Opd
from lms.studio.analysis.figures import MIN_GROUP, to_hide

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
        if value is not None and found.before_value is not None:
            _bump(session, found)
    session.flush()


# --- the city view --------------------------------------------------------------------------

@dataclass
class Share:
    pairs: int = 0
    before: int = 0  # confident before, of the pairs
    after: int = 0
    withheld: bool = False  # enough people, hidden so a smaller group stays hidden

    def __iadd__(self, other: "Share") -> "Share":
        self.pairs += other.pairs
        self.before += other.before
        self.after += other.after
        return self

    @property
    def small(self) -> bool:
        return self.pairs < MIN_GROUP

    @property
    def shown(self) -> bool:
        return not self.small and not self.withheld

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


def _bump(session: Session, found: Confidence) -> None:
    """A pair completed: one more in its cell of confidence_stat."""
    table = ConfidenceStat.__table__
    insert = dialect_insert(session)(table).values(
        course_id=found.course_id, opd_id=found.opd_id, month=found.after_month, pairs=1,
        before_confident=int(found.before_value >= CONFIDENT),
        after_confident=int(found.after_value >= CONFIDENT))
    session.execute(insert.on_conflict_do_update(
        index_elements=["course_id", "opd_id", "month"],
        set_={name: table.c[name] + insert.excluded[name]
              for name in ("pairs", "before_confident", "after_confident")}))


def recount(session: Session) -> None:
    """confidence_stat again from every pair, in one statement (the demo, bulk loads)."""
    session.execute(delete(ConfidenceStat))

    def confident(column):
        return func.sum(case((column >= CONFIDENT, 1), else_=0))
    paired = select(Confidence.course_id, Confidence.opd_id, Confidence.after_month,
                    func.count(), confident(Confidence.before_value),
                    confident(Confidence.after_value)).where(
        Confidence.before_value.is_not(None), Confidence.after_value.is_not(None)).group_by(
        Confidence.course_id, Confidence.opd_id, Confidence.after_month)
    session.execute(insert(ConfidenceStat).from_select(
        ["course_id", "opd_id", "month", "pairs", "before_confident", "after_confident"],
        paired))
    session.flush()


_SUMS = (func.sum(ConfidenceStat.pairs), func.sum(ConfidenceStat.before_confident),
         func.sum(ConfidenceStat.after_confident))


def _where(query, course_id: int | None):
    return query.where(ConfidenceStat.course_id == course_id) if course_id else query


def city_view(session: Session, course_id: int | None = None) -> CityView:
    """Every figure of the page, for one course or (None) all courses: sums over the
    maintained counts (a row per course, OPD and month)."""
    view = CityView(Share())
    for cid, title, slug, *numbers_ in session.execute(
            select(ConfidenceStat.course_id, Course.title, Course.slug, *_SUMS)
            .join(Course, Course.id == ConfidenceStat.course_id)
            .group_by(ConfidenceStat.course_id, Course.title, Course.slug)
            .order_by(Course.title)):
        share = Share(*numbers_)
        if course_id is None or cid == course_id:
            view.total += share
        view.courses.append(Line(title, share, slug=slug))
    by_opd = {opd_id: Share(*numbers_) for opd_id, *numbers_ in session.execute(
        _where(select(ConfidenceStat.opd_id, *_SUMS), course_id)
        .group_by(ConfidenceStat.opd_id))}
    view.opds = _by_top_opd(session, by_opd)
    months = session.execute(_where(select(ConfidenceStat.month, *_SUMS), course_id)
                             .group_by(ConfidenceStat.month)
                             .order_by(ConfidenceStat.month.desc())
                             .limit(MONTHS_SHOWN)).all()
    view.months = [Line(month, Share(*numbers_), month=month)
                   for month, *numbers_ in reversed(months)]
    for lines in (view.courses, view.opds, view.months):
        _protect(lines)
    return view


def _protect(lines: list[Line]) -> None:
    sizes, names = [line.share.pairs for line in lines], [str(line.label) for line in lines]
    for i, why in to_hide(sizes, names).items():
        lines[i].share.withheld = why == "protect"  # the small ones are hidden by size


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
