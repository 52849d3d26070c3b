"""The parallel form: the learner's first attempt at the final quiz (the post-test)
avoids the questions their pre-test showed, when the pool holds enough others
(learning.quiz.draw does the drawing). Retakes draw from the whole pool again: with a
pool of 10 and a draw of 5, avoiding forever would give every retake the same five.
And the post-test's score, recorded on the pre-test's row when the first final-quiz
attempt is graded."""

from sqlalchemy import select, update
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


def record_post(session: Session, attempt: QuizAttempt) -> None:
    """A graded final-quiz attempt: the post-test score of the learner's graded pre-test
    drawn from this quiz, if none is recorded yet (grading order is submission order,
    quiz.grade claims each attempt as it is submitted, so this is the first attempt)."""
    session.execute(
        update(PretestAttempt).where(PretestAttempt.employee_id == attempt.employee_id,
                                     PretestAttempt.module_id == attempt.module_id,
                                     PretestAttempt.score.is_not(None),
                                     PretestAttempt.post_score.is_(None))
        .values(post_score=attempt.score).execution_options(synchronize_session=False))
