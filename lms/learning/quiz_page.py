"""An open quiz attempt as its page shows it: the attempt and its questions in two Core
queries, the course and module from the cached content (learning.catalogue). Loading the
attempt, module, course and questions as ORM objects was half of the quiz page. Grading
(a POST) still goes through the ORM objects in learning.quiz."""

from dataclasses import dataclass

from sqlalchemy import Integer, bindparam, select
from sqlalchemy.orm import Session

from lms.learning import catalogue
from lms.learning.quiz import Shown, shown
from lms.models import Course, Module, Question, QuizAttempt


@dataclass(frozen=True)
class QuizPage:
    attempt_id: int
    submitted: bool
    course: object  # a catalogue.CourseView, or the Course of a module no longer current
    module: object
    questions: list[Shown]


_ATTEMPT = (select(QuizAttempt.employee_id, QuizAttempt.submitted_at, QuizAttempt.drawn,
                   QuizAttempt.module_id, Module.course_id, Course.content_stamp)
            .join(Module, Module.id == QuizAttempt.module_id)
            .join(Course, Course.id == Module.course_id)
            .where(QuizAttempt.id == bindparam("id", type_=Integer)))
# The module's whole pool (a few dozen questions at most), by its index: an IN list of
# the drawn ids would be built anew by SQLAlchemy on every request.
_POOL = (select(Question.id, Question.kind, Question.prompt_html, Question.options)
         .where(Question.module_id == bindparam("module", type_=Integer)))
_BY_ID = select(Question.id, Question.kind, Question.prompt_html, Question.options).where(
    Question.id.in_(bindparam("ids", expanding=True)))


def read(session: Session, attempt_id: int, employee_id: int) -> QuizPage | None:
    """`employee_id`'s attempt `attempt_id` as its page shows it; None when there is no
    such attempt of theirs."""
    connection = session.connection()
    found = connection.execute(_ATTEMPT, {"id": attempt_id}).first()
    if found is None or found.employee_id != employee_id:
        return None
    if found.submitted_at is not None:
        return QuizPage(attempt_id, True, None, None, [])
    course = catalogue.content(session, {found.course_id: found.content_stamp})[
        found.course_id]
    module = next((m for m in course.current_modules if m.id == found.module_id), None)
    if module is None:  # retired since the attempt began: the rows themselves
        module = session.get(Module, found.module_id)
        course = module.course
    drawn = found.drawn
    pool = {r.id: r for r in connection.execute(_POOL, {"module": found.module_id})}
    missing = [d["q"] for d in drawn if d["q"] not in pool]
    if missing:  # a question moved to another module since the draw
        pool.update((r.id, r) for r in connection.execute(_BY_ID, {"ids": missing}))
    return QuizPage(attempt_id, False, course, module, shown(drawn, pool))
