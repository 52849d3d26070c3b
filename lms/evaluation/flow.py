"""What a learner is asked next for a course, for the pages that send them on: the
confidence question before module 1; after completion the confidence question again,
then the questionnaire."""

from sqlalchemy.orm import Session

from lms.evaluation import answers, confidence
from lms.models import Course

CONFIDENCE, QUESTIONNAIRE = "confidence", "questionnaire"


def before_start(session: Session, employee_id: int, course: Course) -> str | None:
    return CONFIDENCE if confidence.due(session, employee_id, course) == confidence.BEFORE \
        else None


def after_completion(session: Session, employee_id: int, course: Course) -> str | None:
    """CONFIDENCE, QUESTIONNAIRE or None (nothing to ask, or not completed)."""
    if answers.completion(session, employee_id, course.id) is None:
        return None
    if confidence.due(session, employee_id, course) == confidence.AFTER:
        return CONFIDENCE
    if answers.open_for(session, employee_id, course) is not None:
        return QUESTIONNAIRE
    return None
