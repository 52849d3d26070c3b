"""What learners did: enrolments, module progress, quiz attempts and their answers."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core import clock
from lms.core.extensions import db
from lms.models._types import UTCDateTime
from lms.models.content import Course, Module, Question
from lms.models.people import Employee


class Enrollment(db.Model):
    """A learner's course. `completed_at` and `jp_awarded` are set once, when every
    current module is complete; later edits to the course never take them back."""

    __tablename__ = "enrollment"
    __table_args__ = (UniqueConstraint("employee_id", "course_id"),
                      Index("ix_enrollment_course_completed", "course_id", "completed_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    jp_awarded: Mapped[int | None] = mapped_column()
    # Kept in step by lms.learning.progress (and recounted when a sync changes the
    # modules), so reports and exports read them instead of aggregating module progress
    # per row.
    modules_done: Mapped[int] = mapped_column(default=0, server_default="0")
    score: Mapped[int | None] = mapped_column()  # average of best quiz scores

    employee: Mapped[Employee] = relationship()
    course: Mapped[Course] = relationship()


class ModuleProgress(db.Model):
    __tablename__ = "module_progress"

    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id"), primary_key=True,
                                           index=True)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    best_score: Mapped[int | None] = mapped_column()


class QuizAttempt(db.Model):
    """One sitting of a module's quiz. `drawn` fixes which questions (and in which
    order, with which option order) this attempt shows, so a reload or a second tab
    sees the same quiz and grading knows exactly what was asked."""

    __tablename__ = "quiz_attempt"
    __table_args__ = (Index("ix_quiz_attempt_employee_module", "employee_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id"), index=True)
    drawn: Mapped[list] = mapped_column(JSON)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    score: Mapped[int | None] = mapped_column()
    passed: Mapped[bool | None] = mapped_column()

    module: Mapped[Module] = relationship()
    answers: Mapped[list["AttemptAnswer"]] = relationship(
        back_populates="attempt", order_by="AttemptAnswer.id")


class AttemptAnswer(db.Model):
    __tablename__ = "attempt_answer"
    # Item analysis groups answers by question version.
    __table_args__ = (Index("ix_attempt_answer_question_version", "question_id",
                            "question_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("quiz_attempt.id"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"))
    question_version: Mapped[int] = mapped_column()
    response: Mapped[list] = mapped_column(JSON)
    correct: Mapped[bool] = mapped_column()

    attempt: Mapped[QuizAttempt] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()
