"""Learning gain: pre-test against post-test, per course and OPD, all in SQL.

- **Who counts.** A learner with a graded pre-test and a graded final quiz (the quiz
  module the pre-test was drawn from). The post-test score is their FIRST graded
  attempt at it, as in the item analysis (a retake after reading the explanations
  measures something else), kept on the pre-test's row when it is graded
  (parallel.record_post), so every figure is one GROUP BY over pretest_attempt.
  Declined pre-tests and pre-tests without a final quiz yet are counted, not averaged.
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

The query returns one row per unit of the city (a few hundred), grouped by the unit the
learner worked in when offered the pre-test; Python only shapes those.
"""

from dataclasses import dataclass, field

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from lms.core import numbers
from lms.models import Course, Opd, PretestAttempt
from lms.org.scope import Scope
from lms.studio.analysis.figures import MIN_GROUP, to_hide
from lms.studio.analysis.sql import top_opds


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


@dataclass
class _Unit:
    """One unit's figures, from the one grouped query."""

    opd_id: int
    took: int
    declined: int
    tested_out: int
    paired: int
    pre_sum: int
    post_sum: int


def _by_unit(session: Session, course: Course) -> list[_Unit]:
    """Per unit the learners worked in when offered the pre-test (a few hundred rows at
    most): one range of the covering index `ix_pretest_attempt_gain`, everything counted
    at once, no join (joined to employee it cost 120-180 ms at 100,000 on SQLite)."""
    pa = PretestAttempt
    paired = pa.post_score.is_not(None)
    total = func.count
    rows = session.execute(
        select(pa.opd_id, total(pa.score), func.sum(case((pa.skipped, 1), else_=0)),
               total(pa.tested_out_at), total(pa.post_score),
               func.sum(case((paired, pa.score), else_=0)), func.sum(pa.post_score))
        .where(pa.course_id == course.id).group_by(pa.opd_id))
    return [_Unit(opd, took, declined or 0, out, n, pre or 0, post or 0)
            for opd, took, declined, out, n, pre, post in rows]


def _result(units: list[_Unit], rows: list[Gain], name) -> CourseGains:
    groups, pooled = _protect([r for r in rows if r.learners])
    return CourseGains(_total(rows, name), groups, pooled, sum(u.took for u in units),
                       sum(u.declined for u in units), sum(u.tested_out for u in units))


def _protect(rows: list[Gain]) -> tuple[list[Gain], Gain | None]:
    """The item analysis' rule (studio.analysis.figures.protect) for gain figures."""
    reasons = to_hide([g.learners for g in rows], [str(g.name) for g in rows])
    shown = [g for i, g in enumerate(rows) if i not in reasons]
    hidden = [(rows[i], reason) for i, reason in reasons.items()]
    pool = sum(g.learners for g, _ in hidden)
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
    units = _by_unit(session, course)
    top = top_opds()
    tops = dict(((o, (t, n)) for o, t, n in session.execute(
        select(top.c.opd_id, top.c.top_id, top.c.top_name)
        .where(top.c.opd_id.in_([u.opd_id for u in units]))))) if units else {}
    rows: dict[int, Gain] = {}
    for u in units:
        top_id, name = tops[u.opd_id]
        row = rows.setdefault(top_id, Gain(name, 0, 0, 0))
        row.learners += u.paired
        row.pre_sum += u.pre_sum
        row.post_sum += u.post_sum
    return _result(units, list(rows.values()), course.title)


def for_hr(session: Session, course: Course, scope: Scope, node: Opd | None,
           units: list[Opd]) -> CourseGains:
    """Inside HR's scope: per unit of `units` (the node's children, or the scope's
    roots), and staff placed on `node` itself as one more row. The grouped query's
    rows (one per unit of the city) go to the row whose subtree holds them."""
    found = _by_unit(session, course)
    paths = dict(session.execute(select(Opd.id, Opd.path).where(
        Opd.id.in_([u.opd_id for u in found]))).all()) if found else {}
    rows = {u.path: Gain(u.name, 0, 0, 0, code=u.code) for u in units}
    direct = Gain(str(_l("%(name)s (staff not in a sub-unit)", name=node.name)), 0, 0, 0) \
        if node is not None else None
    inside = []
    for u in found:
        path = paths[u.opd_id]
        if not scope.contains_path(path) or (node is not None
                                             and not path.startswith(node.path)):
            continue
        inside.append(u)
        row = next((r for p, r in rows.items() if path.startswith(p)), direct)
        if row is not None:
            row.learners += u.paired
            row.pre_sum += u.pre_sum
            row.post_sum += u.post_sum
    gains = list(rows.values()) + ([direct] if direct is not None else [])
    return _result(inside, gains, node.name if node is not None else course.title)
