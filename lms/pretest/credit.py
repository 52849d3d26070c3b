"""JP after a test-out (docs/decisions.md, "Pre-test and post-test").

A learner who tests out completes the course when they pass the final quiz: the
modules they skipped count as done (the course is completed, a mandatory assignment is
met, a certificate is issued), but JP are hours of learning, floor(minutes / 45) as
everywhere in Melek, so only the minutes of the modules they actually did are credited,
never more than the course's `jp`."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.content.validate import JP_MINUTES
from lms.models import Course, PretestAttempt


def jp_awarded(session: Session, employee_id: int, course: Course) -> int:
    skipped = session.scalar(select(PretestAttempt.skipped_modules).where(
        PretestAttempt.employee_id == employee_id, PretestAttempt.course_id == course.id,
        PretestAttempt.tested_out_at.is_not(None)))
    if not skipped:
        return course.jp
    minutes = sum(m.minutes for m in course.current_modules if m.id not in set(skipped))
    return min(course.jp, minutes // JP_MINUTES)
