"""Demo pre-tests (lms/demo/seed.py calls `add` once the quiz history is written), so
the learner's course page, the trainers' and HR's learning-gain pages show real figures.

Its own RNG (the caller passes Random(seed + 13)): the rest of the demo is unchanged.
For every course with a pre-test, most enrolled learners took it (some declined): its
questions are the final-quiz questions their first final attempt did NOT show (the
parallel form, as `parallel.items_to_avoid` makes it), answered with the learner's
ability from the quiz history lowered by BEFORE (they have not read the modules yet).
The trainer account co-owns those courses so the studio page can be opened."""

import math
import random
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.core import numbers
from lms.learning import quiz
from lms.models import (
    Course,
    CoursePretest,
    Employee,
    Enrollment,
    PretestAnswer,
    PretestAttempt,
    QuizAttempt,
)
from lms.pretest.taking import final_quiz
from lms.studio import ownership

BEFORE = 1.6      # ability missing before the modules
TOOK, DECLINED = 0.8, 0.1  # shares of enrolled learners; the rest began without it


def add(session: Session, rng: random.Random, abilities: dict[int, float],
        trainer: Employee | None = None) -> int:
    """Write the demo's pre-tests; returns how many were taken."""
    taken = 0
    courses = session.scalars(select(Course).join(
        CoursePretest, CoursePretest.course_id == Course.id).order_by(Course.slug)).all()
    for course in courses:
        setting = session.get(CoursePretest, course.id)
        final = final_quiz(course)
        if final is None:
            continue
        if trainer is not None:
            ownership.add_owner(session, course, trainer)
        taken += _course(session, rng, abilities, course, setting.questions, final)
    session.flush()
    return taken


def _first_drawn(session: Session, module_id: int) -> dict[int, tuple[list[dict], int]]:
    """Each learner's first final-quiz attempt: what it showed, and its score."""
    firsts = {}
    for employee_id, drawn, score in session.execute(
            select(QuizAttempt.employee_id, QuizAttempt.drawn, QuizAttempt.score)
            .where(QuizAttempt.module_id == module_id, QuizAttempt.submitted_at.is_not(None))
            .order_by(QuizAttempt.submitted_at.desc(), QuizAttempt.id.desc())):
        firsts[employee_id] = (drawn, score)  # the earliest one is written last
    return firsts


def _course(session, rng, abilities, course, count, final) -> int:
    pool = final.current_questions
    firsts = _first_drawn(session, final.id)
    rows, answers = [], []
    for employee_id, started, opd_id in session.execute(
            select(Enrollment.employee_id, Enrollment.started_at, Employee.opd_id)
            .join(Employee, Employee.id == Enrollment.employee_id)
            .where(Enrollment.course_id == course.id).order_by(Enrollment.employee_id)):
        roll = rng.random()
        at = started - timedelta(minutes=rng.randint(8, 20))
        if roll >= TOOK + DECLINED:
            continue
        if roll >= TOOK:
            rows.append({"employee_id": employee_id, "course_id": course.id,
                         "opd_id": opd_id, "module_id": None, "skipped": True, "drawn": [],
                         "skipped_modules": [], "started_at": at, "submitted_at": None,
                         "score": None, "post_score": None})
            continue
        drawn_before, post = firsts.get(employee_id, ([], None))
        seen = {d["q"] for d in drawn_before}
        fresh = [q for q in pool if q.id not in seen]
        picked = rng.sample(fresh, count) if len(fresh) >= count else \
            fresh + rng.sample([q for q in pool if q.id in seen], count - len(fresh))
        ability = abilities.get(employee_id, 0.6) - BEFORE
        drawn, marked = [], []
        for q in picked:
            order = list(range(len(q.options)))
            if q.kind != "truefalse":
                rng.shuffle(order)
            drawn.append({"q": q.id, "v": q.version, "o": order})
            right = rng.random() < 1 / (1 + math.exp(-1.3 * (ability + 0.6)))
            response = _response(rng, q, right)
            marked.append((q, response, quiz.is_correct(q, response)))
        score = numbers.percent(sum(ok for *_, ok in marked), len(marked)) or 0
        rows.append({"employee_id": employee_id, "course_id": course.id,
                     "opd_id": opd_id, "module_id": final.id, "skipped": False, "drawn": drawn,
                     "skipped_modules": [], "started_at": at,
                     "submitted_at": at + timedelta(minutes=rng.randint(3, 7)),
                     "score": score, "post_score": post})
        answers.append(marked)
    if not rows:
        return 0
    ids = session.execute(PretestAttempt.__table__.insert().returning(
        PretestAttempt.id, sort_by_parameter_order=True), rows).scalars().all()
    taken_ids = [i for i, row in zip(ids, rows, strict=True) if not row["skipped"]]
    session.execute(PretestAnswer.__table__.insert(), [
        {"attempt_id": attempt_id, "question_id": q.id, "question_version": q.version,
         "response": response, "correct": ok}
        for attempt_id, marked in zip(taken_ids, answers, strict=True)
        for q, response, ok in marked])
    return len(taken_ids)


def _response(rng: random.Random, q, right: bool) -> list[str]:
    if q.kind == "text":
        return [q.answer[0]] if right else [rng.choice(["tidak tahu", "lupa"])]
    if right:
        return [str(i) for i in sorted(q.answer)]
    wrong = [i for i in range(len(q.options)) if i not in q.answer]
    return [str(rng.choice(wrong))] if wrong else [str(q.answer[0])]
