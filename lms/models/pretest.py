"""Pre-tests: a course's settings (from its README's `pretest:`) and each learner's one
sitting. Kept apart from quiz_attempt on purpose: a pre-test never counts towards a
quiz's attempt limit, a best score, completion or the item analysis."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core import clock
from lms.core.extensions import db
from lms.models._types import UTCDateTime
from lms.models.content import Course, Module, Question


class CoursePretest(db.Model):
    """A course that declares `pretest:` in README.md; no row: no pre-test."""

    __tablename__ = "course_pretest"

    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), primary_key=True)
    questions: Mapped[int] = mapped_column()
    test_out: Mapped[int | None] = mapped_column()  # score that lets a learner test out

    course: Mapped[Course] = relationship()


class PretestAttempt(db.Model):
    """One learner's pre-test for one course: taken once (the unique constraint), or
    declined (`skipped`). `drawn` has the shape of QuizAttempt.drawn, from the pool of
    the final quiz (`module_id`). `post_score`: the post-test's score. `skipped_modules`:
    the modules a test-out completed, whose minutes earn no JP. `opd_id`: where the
    learner worked when offered the pre-test, as the confidence answers keep it."""

    __tablename__ = "pretest_attempt"
    __table_args__ = (UniqueConstraint("employee_id", "course_id"),
                      # Covering the gain figures' GROUP BY: one index range per course,
                      # no table or employee lookups (docs/decisions.md).
                      Index("ix_pretest_attempt_gain", "course_id", "opd_id", "score",
                            "skipped", "tested_out_at", "post_score"))

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"))
    opd_id: Mapped[int] = mapped_column(ForeignKey("opd.id"))
    module_id: Mapped[int | None] = mapped_column(ForeignKey("module.id"))
    drawn: Mapped[list] = mapped_column(JSON, default=list)
    skipped: Mapped[bool] = mapped_column(default=False, server_default=false())
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    score: Mapped[int | None] = mapped_column()
    # The first graded attempt at the final quiz after this pre-test (parallel.record_post):
    # kept here so the gain figures are one GROUP BY over this table.
    post_score: Mapped[int | None] = mapped_column()
    tested_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    skipped_modules: Mapped[list] = mapped_column(JSON, default=list)

    course: Mapped[Course] = relationship()
    module: Mapped[Module | None] = relationship()
    answers: Mapped[list["PretestAnswer"]] = relationship(
        back_populates="attempt", order_by="PretestAnswer.id")


class PretestAnswer(db.Model):
    __tablename__ = "pretest_answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("pretest_attempt.id"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"))
    question_version: Mapped[int] = mapped_column()
    response: Mapped[list] = mapped_column(JSON)
    correct: Mapped[bool] = mapped_column()

    attempt: Mapped[PretestAttempt] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()
