"""The parallel form: the learner's first attempt at the final quiz (the post-test)
avoids the questions their pre-test showed, when the pool holds enough others
(learning.quiz.draw does the drawing). Retakes draw from the whole pool again: with a
pool of 10 and a draw of 5, avoiding forever would give every retake the same five."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.models import Module, PretestAttempt, QuizAttempt


def items_to_avoid(session: Session, employee_id: int, module: Module) -> frozenset[int]:
    drawn = session.scalar(select(PretestAttempt.drawn).where(
        PretestAttempt.employee_id == employee_id, PretestAttempt.module_id == module.id,
        PretestAttempt.submitted_at.is_not(None)))
    if not drawn:
        return frozenset()
    earlier = session.scalar(select(QuizAttempt.id).where(
        QuizAttempt.employee_id == employee_id, QuizAttempt.module_id == module.id).limit(1))
    return frozenset() if earlier is not None else frozenset(d["q"] for d in drawn)
