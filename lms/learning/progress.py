"""Module and course completion, and the JP a completed course credits.

Functions take model objects and flush; the caller commits.
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.certificates import issue as certificates
from lms.core import clock, numbers
from lms.learning import jp
from lms.mandatory import counts
from lms.models import Course, Enrollment, Module, ModuleProgress, Requirement
from lms.pretest import credit

log = logging.getLogger(__name__)
NOT_STARTED, IN_PROGRESS, COMPLETED = "not_started", "in_progress", "completed"
OVERDUE = "overdue"  # mandatory, past its due date and not completed
STATUSES = (NOT_STARTED, IN_PROGRESS, COMPLETED, OVERDUE)
STATUS_LABELS = {NOT_STARTED: _l("Not started"), IN_PROGRESS: _l("In progress"),
                 COMPLETED: _l("Completed"), OVERDUE: _l("Overdue")}  # in STATUSES order


# The status of a course for one person, decided here only: in Python for one learner's
# pages, in SQL for the lists that filter and sort on it (tests/unit/test_numbers.py runs
# both over the same rows). Completed wins, even after the due date; "overdue" starts the
# day after the due date (a Jakarta date); a course without a due date is never overdue.

def course_status(*, enrolled: bool, completed: bool, due_date: date | None,
                  today: date) -> str:
    if completed:
        return COMPLETED
    if due_date is not None and due_date < today:
        return OVERDUE
    return IN_PROGRESS if enrolled else NOT_STARTED


def course_status_sql(*, enrolled, completed, due_date, today: date,
                      names: dict | None = None):
    """The same decision over columns: `enrolled` and `completed` are SQL conditions.
    `names`: what to give instead of each status code (an export's labels), in the
    same CASE, so the database decides once per row."""
    names = names or {}
    return case((completed, names.get(COMPLETED, COMPLETED)),
                (due_date < today, names.get(OVERDUE, OVERDUE)),
                (enrolled, names.get(IN_PROGRESS, IN_PROGRESS)),
                else_=names.get(NOT_STARTED, NOT_STARTED))


def deadline_words(due: date, today: date) -> str:
    """How far a due date is, as the learner's dashboard says it."""
    days = (due - today).days
    if days > 1:
        return _("in %(days)d days", days=days)
    if days == 1:
        return _("tomorrow")
    if days == 0:
        return _("today")
    return _("%(days)d days late", days=-days)


def enroll(session: Session, employee_id: int, course: Course) -> Enrollment:
    """The learner's enrolment in `course`, created on first use. Safe when two
    requests race: the unique constraint decides and the loser reads the winner's row."""
    found = _enrollment(session, employee_id, course.id)
    if found:
        return found
    with counts.tracking(session, employee_id, [course.id]):
        try:
            with session.begin_nested():
                enrollment = Enrollment(employee_id=employee_id, course_id=course.id)
                session.add(enrollment)
        except IntegrityError:
            enrollment = _enrollment(session, employee_id, course.id)
    return enrollment


def _enrollment(session: Session, employee_id: int, course_id: int,
                lock: bool = False) -> Enrollment | None:
    query = select(Enrollment).filter_by(employee_id=employee_id, course_id=course_id)
    if lock:
        query = query.with_for_update()
    return session.scalars(query).first()


def _module_progress(session: Session, employee_id: int, module_id: int) -> ModuleProgress:
    progress = session.get(ModuleProgress, (employee_id, module_id))
    if progress is None:
        try:
            with session.begin_nested():
                progress = ModuleProgress(employee_id=employee_id, module_id=module_id)
                session.add(progress)
        except IntegrityError:
            progress = session.get(ModuleProgress, (employee_id, module_id))
    return progress


def record_score(session: Session, employee_id: int, module: Module, score: int,
                 passed: bool, at: datetime | None = None) -> ModuleProgress:
    enroll(session, employee_id, module.course)
    progress = _module_progress(session, employee_id, module.id)
    if progress.best_score is None or score > progress.best_score:
        progress.best_score = score
        session.flush()
        recount(session, module.course_id, employee_id)
    if passed:
        complete_module(session, employee_id, module, at)
    session.flush()
    return progress


def complete_module(session: Session, employee_id: int, module: Module,
                    at: datetime | None = None) -> ModuleProgress:
    at = at or clock.now()
    enroll(session, employee_id, module.course)
    progress = _module_progress(session, employee_id, module.id)
    if progress.completed_at is None:
        progress.completed_at = at
        session.flush()
        recount(session, module.course_id, employee_id)
        _maybe_complete_course(session, employee_id, module.course, at)
    return progress


def recount(session: Session, course_id: int, employee_id: int | None = None) -> None:
    """Set enrolments' modules_done and score from module progress over the course's
    current modules: for one learner after they progress, for everyone after a sync."""
    current = and_(Module.id == ModuleProgress.module_id, Module.course_id == course_id,
                   Module.retired_at.is_(None))
    mine = ModuleProgress.employee_id == Enrollment.employee_id
    done = (select(func.count(ModuleProgress.completed_at)).join(Module, current)
            .where(mine).scalar_subquery())
    score = (select(numbers.half_up_sql(func.sum(ModuleProgress.best_score),
                                        func.count(ModuleProgress.best_score)))
             .join(Module, current).where(mine).scalar_subquery())
    query = update(Enrollment).where(Enrollment.course_id == course_id)
    if employee_id is not None:
        query = query.where(Enrollment.employee_id == employee_id)
    # One learner: refresh their enrolment object if loaded. A whole course (after a
    # sync): no enrolment objects are loaded, and fetching every id would be waste.
    sync = "fetch" if employee_id is not None else False
    session.execute(query.values(modules_done=done, score=score)
                    .execution_options(synchronize_session=sync))


def _maybe_complete_course(session: Session, employee_id: int, course: Course,
                           at: datetime) -> None:
    # Locking the enrolment row serialises two modules finishing at once in two tabs on
    # PostgreSQL; SQLite already serialises writers.
    enrollment = _enrollment(session, employee_id, course.id, lock=True)
    if enrollment.completed_at is not None:
        return
    done, total = module_counts(session, employee_id, [course.id])[course.id]
    if total and done >= total:
        awarded = credit.jp_awarded(session, employee_id, course)  # less after a test-out
        with counts.tracking(session, employee_id, [course.id]):
            enrollment.completed_at = at
            enrollment.jp_awarded = awarded
        jp.credit(session, employee_id, clock.year_of(at), awarded)
        _issue_certificate(session, enrollment)


def _issue_certificate(session: Session, enrollment: Enrollment) -> None:
    """The completion stands even if its certificate cannot be made now (a signing key
    misconfigured, an image that will not draw): the error is logged and
    `lms issue-certificates` makes the certificate later."""
    try:
        with session.begin_nested():
            certificates.issue(session, enrollment)
    except Exception:
        log.exception("certificate for enrolment %s not issued", enrollment.id)


def module_counts(session: Session, employee_id: int,
                  course_ids: list[int]) -> dict[int, tuple[int, int]]:
    """(completed, total) current modules per course, in one query."""
    done = func.count(ModuleProgress.completed_at)
    rows = session.execute(
        select(Module.course_id, done, func.count(Module.id))
        .outerjoin(ModuleProgress, (ModuleProgress.module_id == Module.id)
                   & (ModuleProgress.employee_id == employee_id))
        .where(Module.course_id.in_(course_ids), Module.retired_at.is_(None))
        .group_by(Module.course_id))
    counts = {cid: (0, 0) for cid in course_ids}
    counts.update({cid: (d, t) for cid, d, t in rows})
    return counts


def completed_module_ids(session: Session, employee_id: int, module_ids: list[int]) -> set:
    return set(session.scalars(select(ModuleProgress.module_id).where(
        ModuleProgress.employee_id == employee_id, ModuleProgress.module_id.in_(module_ids),
        ModuleProgress.completed_at.is_not(None))))


@dataclass
class CourseProgress:
    course: Course
    enrollment: Enrollment | None
    done: int
    total: int
    next_module: Module | None
    due_date: date | None = None  # set when the course is mandatory for the learner
    today: date | None = None  # the Jakarta date the status is decided on (None: today)

    @property
    def percent(self) -> int:
        if self.enrollment and self.enrollment.completed_at:
            return 100
        return numbers.percent(self.done, self.total) or 0

    @property
    def status(self) -> str:
        return course_status(enrolled=self.enrollment is not None,
                             completed=bool(self.enrollment and self.enrollment.completed_at),
                             due_date=self.due_date, today=self.today or clock.today())


def learner_courses(session: Session, employee_id: int, courses: list[Course],
                    today: date | None = None) -> list[CourseProgress]:
    """Progress of one learner in the given courses, with the module to open next and,
    for mandatory ones, the due date; statuses are decided on `today` (default: today in
    Jakarta), so every page that lists a course can say it is overdue."""
    today = today or clock.today()
    ids = [c.id for c in courses]
    enrollments = {e.course_id: e for e in session.scalars(select(Enrollment).where(
        Enrollment.employee_id == employee_id, Enrollment.course_id.in_(ids)))}
    counts = module_counts(session, employee_id, ids)
    module_ids = [m.id for c in courses for m in c.current_modules]
    done_ids = completed_module_ids(session, employee_id, module_ids)
    due = dict(session.execute(select(Requirement.course_id, Requirement.due_date).where(
        Requirement.employee_id == employee_id, Requirement.course_id.in_(ids))).all())
    result = []
    for course in courses:
        pending = [m for m in course.current_modules if m.id not in done_ids]
        next_module = pending[0] if pending else None
        done, total = counts[course.id]
        result.append(CourseProgress(course, enrollments.get(course.id), done, total,
                                     next_module, due.get(course.id), today))
    return result
