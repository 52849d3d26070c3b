"""Participant evaluation (anonymous) and the confidence measure (per person).

Anonymity by construction: an evaluation answer (`evaluation_response`, its
`evaluation_score` rows) holds no employee, no time and no sequential id; that a person
has answered or skipped for a course is `evaluation_done`, another table without time.
Answers wait in `evaluation_pending` until at least MIN_GROUP of one course are there,
then move to the response table together, in random order with fresh random ids, so
neither row order, id order nor the database's own transaction order joins the two
(lms/evaluation/answers.py). On SQLite the tables are WITHOUT ROWID: rows are stored in
the order of their random key, not in the order they were written.
"""

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from lms.core import clock
from lms.core.extensions import db
from lms.models._types import UTCDateTime


class EvaluationForm(db.Model):
    """One version of the city-wide questionnaire (courses/_evaluasi/kuesioner.md), as
    synced from the files or uploaded by an admin. The highest id is the current one."""

    __tablename__ = "evaluation_form"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    intro_html: Mapped[str] = mapped_column(Text, default="")
    items: Mapped[list] = mapped_column(JSON)  # [{"key", "text", "kind": scale|comment}]
    source: Mapped[str] = mapped_column(Text)
    source_hash: Mapped[str] = mapped_column(String(64))
    origin: Mapped[str] = mapped_column(String(10))  # files, browser
    author_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class EvaluationSettings(db.Model):
    """One row: whether the evaluation is required before the certificate (for courses
    completed since `required_since`), and the questionnaire file as last synced."""

    __tablename__ = "evaluation_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    required_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    files_hash: Mapped[str] = mapped_column(String(64), default="")


class EvaluationDone(db.Model):
    """This person answered (or skipped) the evaluation of this course. No time, no
    answer: nothing here points at a response."""

    __tablename__ = "evaluation_done"

    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), primary_key=True)
    answered: Mapped[bool] = mapped_column(Boolean)  # False: skipped


class EvaluationPending(db.Model):
    """An answer waiting for the batch of its course (fewer than MIN_GROUP so far)."""

    __tablename__ = "evaluation_pending"
    __table_args__ = {"sqlite_with_rowid": False}

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("evaluation_form.id"))
    scores: Mapped[dict] = mapped_column(JSON)  # {item key: 1..5}
    comment: Mapped[str] = mapped_column(Text, default="")


class EvaluationResponse(db.Model):
    __tablename__ = "evaluation_response"
    __table_args__ = {"sqlite_with_rowid": False}

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("evaluation_form.id"))
    comment: Mapped[str] = mapped_column(Text, default="")


class EvaluationScore(db.Model):
    __tablename__ = "evaluation_score"
    __table_args__ = {"sqlite_with_rowid": False}

    response_id: Mapped[str] = mapped_column(ForeignKey("evaluation_response.id"),
                                             primary_key=True)
    item_key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[int] = mapped_column(SmallInteger)


class Confidence(db.Model):
    """A person's answers to a course's confidence question (1-5), before module 1 and
    after completion; a value None: skipped. `opd_id` is where they worked when they
    first answered, so a later transfer does not move old figures."""

    __tablename__ = "confidence"

    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), primary_key=True,
                                           index=True)
    opd_id: Mapped[int] = mapped_column(ForeignKey("opd.id"), index=True)
    before_value: Mapped[int | None] = mapped_column(SmallInteger)
    before_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    after_value: Mapped[int | None] = mapped_column(SmallInteger)
    after_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    after_month: Mapped[str | None] = mapped_column(String(7))  # "2026-05", Jakarta


class ConfidenceStat(db.Model):
    """Maintained counts behind the city view: pairs (answered before and after) per
    course, OPD (as on the answer) and month of the answer after, and how many of them
    were confident (4-5) before and after. Moved when an answer after completes a pair
    (lms/evaluation/confidence.py), rebuilt set-based by `recount`."""

    __tablename__ = "confidence_stat"

    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), primary_key=True)
    opd_id: Mapped[int] = mapped_column(ForeignKey("opd.id"), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    pairs: Mapped[int] = mapped_column(default=0)
    before_confident: Mapped[int] = mapped_column(default=0)
    after_confident: Mapped[int] = mapped_column(default=0)


class EvaluationStat(db.Model):
    """Released answers per course, item and value (1-5), moved with each release."""

    __tablename__ = "evaluation_stat"

    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), primary_key=True)
    item_key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    answers: Mapped[int] = mapped_column(default=0)
