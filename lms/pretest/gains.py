"""Learning gain: pre-test against post-test, per course and OPD, all in SQL.

- **Who counts.** A learner with a graded pre-test and a submitted final quiz (the quiz
  module the pre-test was drawn from). The post-test score is their FIRST submitted
  attempt at it (studio.analysis.sql.first_attempts, as the item analysis): a retake
  after reading the explanations measures something else. Declined pre-tests and
  pre-tests without a final quiz yet are counted, not averaged.
- **Per learner**: gain = post - pre (points); the learner sees their own on the course.
- **Per group** (course, OPD): n, mean pre, mean post, mean gain = mean post - mean pre,
  and the normalised gain of the group means (Hake's average g):
  g = (mean post - mean pre) / (100 - mean pre) = (S_post - S_pre) / (100 n - S_pre),
  not the mean of each learner's g (undefined for a pre-test of 100, and dragged about
  by learners who started near the top). Means are shown to one decimal and g to two,
  rounded half up from the integer sums (lms.core.numbers).
- **Privacy**: a group under MIN_GROUP (5, the item analysis' threshold) shows no
  figures, then the next smallest are hidden until the hidden ones reach 5 together
  (so subtraction from the total reveals nothing), and shown pooled; a total under 5
  shows nothing. No name, NIP or answer ever leaves this module.

The queries return one row per top-level OPD or per unit; Python only shapes those.
"""

from dataclasses import dataclass, field

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from lms.core import numbers
from lms.models import Course, Employee, Opd, PretestAttempt
from lms.org.scope import Scope
from lms.studio.analysis.figures import MIN_GROUP
from lms.studio.analysis.sql import first_attempts, top_opds


@dataclass
class Gain:
    name: str
    learners: int | None       # pre and post both taken
    pre_sum: int | None = None
    post_sum: int | None = None
    hidden: str | None = None  # None: shown; "small": under 5; "protect": see above
    code: str | None = None    # an OPD's code (HR's pages link to it)

    def _tenths(self, total):
        return numbers.half_up(10 * total, self.learners) if self.learners else None

    @staticmethod
    def _one(tenths) -> str:
        return "–" if tenths is None else format_decimal(tenths / 10, format="0.0")

    @property
    def mean_pre(self) -> str:
        return self._one(self._tenths(self.pre_sum) if self.learners else None)

    @property
    def mean_post(self) -> str:
        return self._one(self._tenths(self.post_sum) if self.learners else None)

    @property
    def mean_gain(self) -> str:
        if not self.learners:
            return "–"
        tenths = self._tenths(self.post_sum - self.pre_sum)
        return ("+" if tenths > 0 else "") + self._one(tenths)

    @property
    def normalised_hundredths(self) -> int | None:
        if not self.learners:
            return None
        room = 100 * self.learners - self.pre_sum
        return numbers.half_up(100 * (self.post_sum - self.pre_sum), room) if room else None

    @property
    def normalised(self) -> str:
        g = self.normalised_hundredths
        return "–" if g is None else format_decimal(g / 100, format="0.00")


@dataclass
class CourseGains:
    total: Gain                       # hidden when under 5
    groups: list[Gain] = field(default_factory=list)
    pooled: Gain | None = None
    took: int = 0                     # graded pre-tests
    declined: int = 0
    tested_out: int = 0

    @property
    def any_hidden(self) -> bool:
        return any(g.hidden for g in self.groups)


def _pairs(session: Session, course: Course):
    """(employee_id, pre, post) per learner with both, as a subquery."""
    module_ids = list(session.scalars(select(PretestAttempt.module_id).distinct().where(
        PretestAttempt.course_id == course.id, PretestAttempt.score.is_not(None))))
    first = first_attempts(session, module_ids or [0])
    return (select(PretestAttempt.employee_id, PretestAttempt.score.label("pre"),
                   first.c.score.label("post"))
            .join(first, and_(first.c.employee_id == PretestAttempt.employee_id,
                              first.c.module_id == PretestAttempt.module_id))
            .where(PretestAttempt.course_id == course.id,
                   PretestAttempt.score.is_not(None))
            .subquery("pair"))


def _tally(session: Session, course: Course, scope: Scope | None = None,
           under: Opd | None = None) -> tuple[int, int, int]:
    """Graded, declined and tested-out pre-tests (inside a scope or subtree if given)."""
    query = select(func.count(PretestAttempt.score),
                   func.coalesce(func.sum(case((PretestAttempt.skipped, 1), else_=0)), 0),
                   func.count(PretestAttempt.tested_out_at)).where(
        PretestAttempt.course_id == course.id)
    if scope is not None or under is not None:
        query = (query.join(Employee, Employee.id == PretestAttempt.employee_id)
                 .join(Opd, Opd.id == Employee.opd_id))
        if scope is not None:
            query = query.where(scope.condition())
        if under is not None:
            query = query.where(Opd.path.like(under.path + "%"))
    took, declined, tested_out = session.execute(query).one()
    return took, declined, tested_out


def _protect(rows: list[Gain]) -> tuple[list[Gain], Gain | None]:
    """The item analysis' rule (studio.analysis.figures.protect) for gain figures."""
    shown = sorted((g for g in rows if g.learners >= MIN_GROUP),
                   key=lambda g: (g.learners, g.name))
    hidden = [(g, "small") for g in rows if g.learners < MIN_GROUP]
    pool = sum(g.learners for g, _ in hidden)
    while 0 < pool < MIN_GROUP and shown:
        extra = shown.pop(0)
        hidden.append((extra, "protect"))
        pool += extra.learners
    pooled = None
    if hidden and pool >= MIN_GROUP:
        pooled = Gain(_l("Hidden OPDs together"), pool,
                      sum(g.pre_sum for g, _ in hidden), sum(g.post_sum for g, _ in hidden))
    out = shown + [Gain(g.name, None, hidden=why, code=g.code) for g, why in hidden]
    return sorted(out, key=lambda g: g.name), pooled


def _total(rows: list[Gain], name) -> Gain:
    n = sum(g.learners for g in rows)
    if n < MIN_GROUP:
        return Gain(name, None, hidden="small")
    return Gain(name, n, sum(g.pre_sum for g in rows), sum(g.post_sum for g in rows))


def for_trainers(session: Session, course: Course) -> CourseGains:
    """The whole course, and per top-level OPD (the item analysis' grouping)."""
    pair = _pairs(session, course)
    top = top_opds()
    rows = session.execute(
        select(top.c.top_name, func.count(), func.sum(pair.c.pre), func.sum(pair.c.post))
        .select_from(pair).join(Employee, Employee.id == pair.c.employee_id)
        .join(top, top.c.opd_id == Employee.opd_id)
        .group_by(top.c.top_id, top.c.top_name)).all()
    gains = [Gain(name, n, pre, post) for name, n, pre, post in rows]
    groups, pooled = _protect(gains)
    took, declined, tested_out = _tally(session, course)
    return CourseGains(_total(gains, course.title), groups, pooled, took, declined,
                       tested_out)


def for_hr(session: Session, course: Course, scope: Scope, node: Opd | None,
           units: list[Opd]) -> CourseGains:
    """Inside HR's scope: per unit of `units` (the node's children, or the scope's
    roots), and staff placed on `node` itself as one more row. One query grouped by the
    learner's unit (a few hundred rows at most), then each unit's figures go to the row
    whose subtree holds it."""
    pair = _pairs(session, course)
    query = (select(Opd.path, func.count(), func.sum(pair.c.pre), func.sum(pair.c.post))
             .select_from(pair).join(Employee, Employee.id == pair.c.employee_id)
             .join(Opd, Opd.id == Employee.opd_id).where(scope.condition())
             .group_by(Opd.path))
    if node is not None:
        query = query.where(Opd.path.like(node.path + "%"))
    by_path = session.execute(query).all()
    rows = {u.path: Gain(u.name, 0, 0, 0, code=u.code) for u in units}
    direct = Gain(_l("%(name)s (staff not in a sub-unit)", name=node.name), 0, 0, 0) \
        if node is not None else None
    for path, n, pre, post in by_path:
        row = next((r for p, r in rows.items() if path.startswith(p)), direct)
        if row is not None:
            row.learners += n
            row.pre_sum += pre
            row.post_sum += post
    gains = list(rows.values()) + ([direct] if direct is not None and direct.learners else [])
    groups, pooled = _protect(gains)
    took, declined, tested_out = _tally(session, course, scope, node)
    name = node.name if node is not None else course.title
    return CourseGains(_total(gains, name), groups, pooled, took, declined, tested_out)
