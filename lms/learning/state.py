"""One learner's state on the learner pages, in few queries: the published courses'
content stamps with the learner's enrolment, due date and certificate per course (one
query, which also says which cached content is current), then their module progress (one
query). Read fresh on every request: nothing about a learner is cached, so a page shows a
module completed the moment it is.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache

from sqlalchemy import Integer, and_, bindparam, case, exists, func, select
from sqlalchemy.orm import Session

from lms.learning import catalogue
from lms.learning.progress import CourseProgress
from lms.mandatory import assignments
from lms.models import (
    Certificate,
    Course,
    CoursePretest,
    Enrollment,
    JpYear,
    Module,
    ModuleProgress,
    QuizAttempt,
    Requirement,
)
from lms.org import heads


@dataclass(frozen=True)
class EnrollmentState:
    id: int
    started_at: datetime
    completed_at: datetime | None
    jp_awarded: int | None


@dataclass(frozen=True)
class ModuleState:
    completed_at: datetime | None
    best_score: int | None


@dataclass
class Pages:
    """What a learner page shows: per published course its content and progress, the
    certificate codes, and (asked for) the JP of a year, when each not-started mandatory
    course first reached the learner, and one module's quiz attempts."""
    rows: list[CourseProgress]
    modules: dict[int, ModuleState]  # module id -> the learner's progress in it
    certificates: dict[int, str]
    jp_total: int = 0
    reached: dict[int, datetime] | None = None
    pretests: set[int] = field(default_factory=set)  # courses that declare a pre-test
    submitted: int = 0  # attempts handed in at the asked module's quiz
    open_attempt_id: int | None = None
    # One course asked for: the kind of node whose head, the learner's own, has completed
    # it (a course mandatory for them, the city setting on); else None.
    head_done_kind: str | None = None


@cache
def _statement(one_course: bool, module: bool, jp_year: bool, reached: bool):
    """The page's first query, built once per shape (only its parameters change)."""
    me = bindparam("me", type_=Integer)
    columns = [Course.id, Course.content_stamp, Enrollment.id, Enrollment.started_at,
               Enrollment.completed_at, Enrollment.jp_awarded, Requirement.due_date,
               Certificate.code,
               exists(select(CoursePretest.course_id).where(
                   CoursePretest.course_id == Course.id)).label("has_pretest")]
    if jp_year:
        columns.append(select(JpYear.jp).where(JpYear.employee_id == me,
                                               JpYear.year == bindparam("year", type_=Integer))
                       .scalar_subquery().label("jp"))
    if reached:
        columns.append(case((and_(Requirement.course_id.is_not(None), Enrollment.id.is_(None)),
                             assignments.first_reached_sql(Course.id, me)))
                       .label("reached"))
    if one_course and not module:
        columns.append(case((Requirement.due_date.is_not(None),
                             heads.own_head_done_sql(Course.id, me))).label("head_kind"))
    if module:
        mine = and_(QuizAttempt.employee_id == me, QuizAttempt.module_id == Module.id,
                    Module.course_id == Course.id, Module.key == bindparam("key"))
        columns.append(select(func.count(QuizAttempt.id))
                       .where(mine, QuizAttempt.submitted_at.is_not(None))
                       .scalar_subquery().label("submitted"))
        columns.append(select(func.max(QuizAttempt.id))
                       .where(mine, QuizAttempt.submitted_at.is_(None))
                       .scalar_subquery().label("open_attempt"))
    query = (select(*columns)
             .outerjoin(Enrollment, and_(Enrollment.course_id == Course.id,
                                         Enrollment.employee_id == me))
             .outerjoin(Requirement, and_(Requirement.course_id == Course.id,
                                          Requirement.employee_id == me))
             .outerjoin(Certificate, and_(Certificate.course_id == Course.id,
                                          Certificate.employee_id == me,
                                          Certificate.revoked_at.is_(None)))
             .where(*catalogue.published_filter())
             .order_by(Course.position, Course.title))
    if one_course:
        query = query.where(Course.slug == bindparam("slug"))
    return query


# All the learner's module progress, or one course's: a learner has a row per module
# touched, a few hundred at most, found by the primary key. No IN list of module ids:
# an expanding parameter makes SQLAlchemy build the SQL again on every request.
_PROGRESS = (select(ModuleProgress.module_id, ModuleProgress.completed_at,
                    ModuleProgress.best_score)
             .where(ModuleProgress.employee_id == bindparam("me", type_=Integer)))
_COURSE_PROGRESS = (_PROGRESS.join(Module, Module.id == ModuleProgress.module_id)
                    .where(Module.course_id == bindparam("course", type_=Integer)))


def read(session: Session, employee_id: int, *, today: date, slug: str | None = None,
         module_key: str | None = None, jp_year: int | None = None,
         reached: bool = False) -> Pages:
    """The learner's state over every published course, or over the one with `slug`;
    `module_key` adds that module's quiz attempts, `jp_year` the JP of that year,
    `reached` when each not-started mandatory course first reached the learner."""
    query = _statement(slug is not None, module_key is not None, jp_year is not None,
                       reached)
    params = {"me": employee_id, "slug": slug, "key": module_key, "year": jp_year}
    # Core statements run on the connection: the ORM's statement handling is a fifth
    # of a learner page and these select columns, not objects.
    connection = session.connection()
    found = connection.execute(query, {k: v for k, v in params.items() if v is not None}
                               ).all()
    views = catalogue.content(session, {r[0]: r[1] for r in found})
    wanted = {m.id for r in found for m in views[r[0]].current_modules}
    progress = (connection.execute(_COURSE_PROGRESS, {"me": employee_id, "course": found[0][0]})
                if slug is not None else connection.execute(_PROGRESS, {"me": employee_id})
                ) if wanted else ()
    modules = {mid: ModuleState(done, score) for mid, done, score in progress if mid in wanted}
    pages = Pages(rows=[], modules=modules, certificates={})
    for r in found:
        course = views[r[0]]
        enrollment = EnrollmentState(r[2], r[3], r[4], r[5]) if r[2] is not None else None
        done_here = [m for m in course.current_modules
                     if modules.get(m.id) and modules[m.id].completed_at is not None]
        pending = [m for m in course.current_modules if m not in done_here]
        pages.rows.append(CourseProgress(course, enrollment, len(done_here),
                                         len(course.current_modules),
                                         pending[0] if pending else None, r[6], today))
        if r[7] is not None:
            pages.certificates[course.id] = r[7]
        if r[8]:
            pages.pretests.add(course.id)
    if found:
        first = found[0]._mapping
        pages.jp_total = (first.get("jp") or 0) if jp_year is not None else 0
        pages.submitted = first.get("submitted") or 0
        pages.open_attempt_id = first.get("open_attempt")
        pages.head_done_kind = first.get("head_kind")
    if reached:
        pages.reached = {r[0]: r._mapping["reached"] for r in found
                         if r._mapping["reached"] is not None}
    return pages
