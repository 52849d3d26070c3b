"""The course page: enrolment, the module funnel, where learners stop, and one summary
per quiz (also the head of each quiz page)."""

from sqlalchemy import and_, case, func, select, union_all
from sqlalchemy.orm import Session

from lms.models import Course, Enrollment, Module, ModuleProgress, QuizAttempt
from lms.studio.analysis.results import CourseStats, ModuleFunnel, QuizSummary, Stop
from lms.studio.analysis.sql import as_int, first_attempts


def quiz_summaries(session: Session, modules: list[Module]) -> list[QuizSummary]:
    ids = [m.id for m in modules]
    out = {m.id: QuizSummary(m) for m in modules}
    if not ids:
        return []
    every = session.execute(
        select(QuizAttempt.module_id, func.count(),
               func.count(case((QuizAttempt.passed, QuizAttempt.employee_id)).distinct()))
        .where(QuizAttempt.module_id.in_(ids), QuizAttempt.submitted_at.is_not(None))
        .group_by(QuizAttempt.module_id))
    for module_id, attempts, passed_ever in every:
        out[module_id].attempts, out[module_id].passed_ever = attempts, passed_ever
    first = first_attempts(session, ids)
    firsts = session.execute(
        select(first.c.module_id, func.count(), func.sum(as_int(first.c.passed)),
               func.sum(first.c.score))
        .group_by(first.c.module_id))
    for module_id, learners, passed, score_sum in firsts:
        summary = out[module_id]
        summary.learners, summary.first_passed = learners, int(passed or 0)
        summary.first_score_sum = int(score_sum or 0)
    return [out[i] for i in ids]


def course_stats(session: Session, course: Course) -> CourseStats:
    modules = course.current_modules
    ids = [m.id for m in modules]
    enrolled, completed = session.execute(
        select(func.count(), func.count(Enrollment.completed_at))
        .where(Enrollment.course_id == course.id)).one()
    started, finished, stops = {}, {}, {}
    if ids:
        touched = union_all(
            select(ModuleProgress.employee_id, ModuleProgress.module_id)
            .where(ModuleProgress.module_id.in_(ids)),
            select(QuizAttempt.employee_id, QuizAttempt.module_id)
            .where(QuizAttempt.module_id.in_(ids))).subquery("touched")
        started = dict(session.execute(
            select(touched.c.module_id, func.count(touched.c.employee_id.distinct()))
            .group_by(touched.c.module_id)).all())
        finished = dict(session.execute(
            select(ModuleProgress.module_id, func.count())
            .where(ModuleProgress.module_id.in_(ids), ModuleProgress.completed_at.is_not(None))
            .group_by(ModuleProgress.module_id)).all())
        number = case({m.id: n for n, m in enumerate(modules, start=1)},
                      value=ModuleProgress.module_id)
        furthest = (select(Enrollment.employee_id,
                           func.coalesce(func.max(number), 0).label("after"))
                    .outerjoin(ModuleProgress, and_(
                        ModuleProgress.employee_id == Enrollment.employee_id,
                        ModuleProgress.module_id.in_(ids),
                        ModuleProgress.completed_at.is_not(None)))
                    .where(Enrollment.course_id == course.id,
                           Enrollment.completed_at.is_(None))
                    .group_by(Enrollment.employee_id).subquery("furthest"))
        stops = dict(session.execute(
            select(furthest.c.after, func.count()).group_by(furthest.c.after)).all())
    funnel = [ModuleFunnel(n, m, started.get(m.id, 0), finished.get(m.id, 0))
              for n, m in enumerate(modules, start=1)]
    stop_rows = [Stop(0, None, stops.get(0, 0))] + [
        Stop(n, m, stops.get(n, 0)) for n, m in enumerate(modules, start=1)]
    quizzes = quiz_summaries(session, [m for m in modules if m.has_quiz])
    return CourseStats(course, enrolled, completed, funnel, stop_rows, quizzes)
