"""Taking a pre-test: offered, drawn, answered, graded once, declined; test-out.

Pre-test sittings live in their own tables (models/pretest.py): a quiz's attempt limit,
best scores, completion and the item analysis never see them. The pages reuse
learning.quiz's presenting and reading of answers (they work on any `drawn` list), so
what the browser gets and what it may send is the same as in a quiz: no key, nothing
that was not shown. Functions take a session and data and flush; the view commits.
"""

import random
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.core import clock, numbers
from lms.core.database import lock_key
from lms.learning import progress, quiz
from lms.models import (
    Course,
    CoursePretest,
    Employee,
    Enrollment,
    Module,
    ModuleProgress,
    PretestAnswer,
    PretestAttempt,
    Question,
    QuizAttempt,
)


class PretestError(Exception):
    pass


class NotOffered(PretestError):
    """No pre-test here, or the learner has begun the course, taken or declined it."""


class AlreadyGraded(PretestError):
    pass


class TestOutRefused(PretestError):
    pass


def final_quiz(course: Course) -> Module | None:
    """The last current module with a quiz: the post-test and the pre-test's pool."""
    with_quiz = [m for m in course.current_modules if m.has_quiz]
    return with_quiz[-1] if with_quiz else None


def setting(session: Session, course: Course) -> CoursePretest | None:
    return session.get(CoursePretest, course.id)


def sitting(session: Session, employee_id: int, course_id: int) -> PretestAttempt | None:
    return session.scalars(select(PretestAttempt).where(
        PretestAttempt.employee_id == employee_id,
        PretestAttempt.course_id == course_id)).first()


def has_begun(session: Session, employee_id: int, course: Course) -> bool:
    """Any module done or any quiz tried: a pre-test now would not be 'before'."""
    module_ids = select(Module.id).where(Module.course_id == course.id)
    done = session.scalar(select(func.count()).select_from(ModuleProgress).where(
        ModuleProgress.employee_id == employee_id, ModuleProgress.module_id.in_(module_ids)))
    tried = session.scalar(select(func.count()).select_from(QuizAttempt).where(
        QuizAttempt.employee_id == employee_id, QuizAttempt.module_id.in_(module_ids)))
    return bool(done or tried)


@dataclass
class State:
    """What a learner's course page says about the pre-test."""

    setting: CoursePretest
    final: Module
    attempt: PretestAttempt | None
    offered: bool           # may start it (or decline it) now
    post_score: int | None  # first submitted final-quiz score
    may_test_out: bool

    @property
    def gain(self) -> int | None:
        pre = self.attempt.score if self.attempt else None
        return None if pre is None or self.post_score is None else self.post_score - pre


def state(session: Session, employee_id: int, course: Course) -> State | None:
    """None when the course has no pre-test (or no final quiz to draw it from)."""
    setting = session.get(CoursePretest, course.id)
    final = final_quiz(course) if setting else None
    if final is None:
        return None
    attempt = sitting(session, employee_id, course.id)
    offered = attempt is None and not has_begun(session, employee_id, course)
    module_id = attempt.module_id if attempt and attempt.module_id else final.id
    post = session.scalar(select(QuizAttempt.score).where(
        QuizAttempt.employee_id == employee_id, QuizAttempt.module_id == module_id,
        QuizAttempt.submitted_at.is_not(None))
        .order_by(QuizAttempt.submitted_at, QuizAttempt.id).limit(1))
    return State(setting, final, attempt, offered, post,
                 may_test_out(session, setting, attempt))


def may_test_out(session: Session, setting: CoursePretest,
                 attempt: PretestAttempt | None) -> bool:
    if (attempt is None or attempt.score is None or not setting.test_out
            or attempt.tested_out_at is not None or attempt.score < setting.test_out):
        return False
    completed = session.scalar(select(Enrollment.completed_at).where(
        Enrollment.employee_id == attempt.employee_id,
        Enrollment.course_id == attempt.course_id))
    return completed is None


def _questions(session: Session, attempt: PretestAttempt) -> list[tuple[dict, Question]]:
    ids = [d["q"] for d in attempt.drawn]
    by_id = {q.id: q for q in session.scalars(select(Question).where(Question.id.in_(ids)))}
    return [(d, by_id[d["q"]]) for d in attempt.drawn]


def draw(module: Module, count: int, rng: random.Random) -> list[dict]:
    """`count` of the final quiz's current questions, in random order, options shuffled
    (never Benar/Salah), in QuizAttempt.drawn's shape."""
    questions = module.current_questions
    picked = rng.sample(questions, min(count, len(questions)))
    drawn = []
    for q in picked:
        order = list(range(len(q.options)))
        if q.kind != "truefalse":
            rng.shuffle(order)
        drawn.append({"q": q.id, "v": q.version, "o": order})
    return drawn


def _new_sitting(session: Session, employee_id: int, course: Course,
                 **values) -> PretestAttempt:
    """Offered once: a second tab or double click finds the first one's row."""
    lock_key(session, "pretest", f"{employee_id}:{course.id}")
    found = sitting(session, employee_id, course.id)
    if found is not None:
        return found
    if state(session, employee_id, course) is None or has_begun(session, employee_id, course):
        raise NotOffered()
    progress.enroll(session, employee_id, course)
    try:
        with session.begin_nested():
            opd_id = session.scalar(select(Employee.opd_id).where(Employee.id == employee_id))
            attempt = PretestAttempt(employee_id=employee_id, course_id=course.id,
                                     opd_id=opd_id, **values)
            session.add(attempt)
    except IntegrityError:
        attempt = sitting(session, employee_id, course.id)
    return attempt


def start(session: Session, employee_id: int, course: Course,
          rng: random.Random | None = None) -> PretestAttempt:
    setting = session.get(CoursePretest, course.id)
    final = final_quiz(course) if setting else None
    if final is None:
        raise NotOffered()
    rng = rng or random.SystemRandom()
    attempt = _new_sitting(session, employee_id, course, module_id=final.id,
                           drawn=draw(final, setting.questions, rng))
    if attempt.skipped:
        raise NotOffered()
    return attempt


def skip(session: Session, employee_id: int, course: Course) -> PretestAttempt:
    """Declined: recorded, so it is not offered again; nothing else changes."""
    return _new_sitting(session, employee_id, course, skipped=True, drawn=[])


def restart(session: Session, attempt: PretestAttempt,
            rng: random.Random | None = None) -> None:
    """The trainer changed a question meanwhile: draw again from today's pool."""
    setting = session.get(CoursePretest, attempt.course_id)
    final = final_quiz(attempt.course)
    if setting is None or final is None:
        raise NotOffered()
    attempt.module_id = final.id
    attempt.drawn = draw(final, setting.questions, rng or random.SystemRandom())
    session.flush()


def grade(session: Session, attempt: PretestAttempt,
          responses: dict[int, list[str]]) -> PretestAttempt:
    """Graded once (a conditional UPDATE claims it, as quiz.grade does); no pass mark,
    nothing recorded on the course's progress."""
    now = clock.now()
    claimed = session.execute(
        update(PretestAttempt).where(PretestAttempt.id == attempt.id,
                                     PretestAttempt.submitted_at.is_(None),
                                     PretestAttempt.skipped.is_(False))
        .values(submitted_at=now).execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        raise AlreadyGraded()
    session.refresh(attempt)
    right = 0
    for d, q in _questions(session, attempt):
        ok = quiz.is_correct(q, responses[q.id])
        right += ok
        session.add(PretestAnswer(attempt=attempt, question_id=q.id, question_version=d["v"],
                                  response=responses[q.id], correct=ok))
    attempt.score = numbers.percent(right, len(attempt.drawn)) or 0
    session.flush()
    return attempt


@dataclass
class Marked:
    number: int
    prompt_html: str
    correct: bool


def marked(session: Session, attempt: PretestAttempt) -> list[Marked]:
    """Right or not per question, without the key or explanations: the questions come
    from the final quiz's pool, and a retake of it may draw them."""
    right = {a.question_id: a.correct for a in attempt.answers}
    return [Marked(n, q.prompt_html, right.get(q.id, False))
            for n, (_, q) in enumerate(_questions(session, attempt), start=1)]


def test_out(session: Session, employee_id: int, course: Course) -> Module:
    """Skip the modules before the final quiz: they count as done, and the minutes
    they hold earn no JP (credit.py). Returns the final quiz module to open."""
    lock_key(session, "pretest", f"{employee_id}:{course.id}")
    setting = session.get(CoursePretest, course.id)
    attempt = sitting(session, employee_id, course.id)
    final = final_quiz(course)
    if setting is None or final is None or not may_test_out(session, setting, attempt):
        raise TestOutRefused()
    done = progress.completed_module_ids(session, employee_id,
                                         [m.id for m in course.current_modules])
    skipped = [m for m in course.current_modules if m.id != final.id and m.id not in done]
    now = clock.now()
    attempt.tested_out_at = now
    attempt.skipped_modules = [m.id for m in skipped]
    session.flush()
    for module in skipped:
        progress.complete_module(session, employee_id, module, at=now)
    return final
