"""Nudges: deadline reminders, weekly digests and notices (a classroom session cancelled,
a certificate replaced), one row per message, and the leases that let one host at a time
run a scheduled job."""

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core import clock
from lms.core.extensions import db
from lms.models._types import UTCDateTime
from lms.models.content import Course
from lms.models.people import Employee

# A message row's life: claimed ("sending") in its own commit before the mail server is
# asked, then "sent" or "failed". A row left "sending" means the job stopped between the
# two: the message may or may not have gone out, and is never sent again.
SENDING, SENT, FAILED, NO_EMAIL = "sending", "sent", "failed", "no_email"
MESSAGE_STATES = (SENDING, SENT, FAILED, NO_EMAIL)


class Message:
    """The columns of every message row: its state, the address it went to, how many
    times it was tried, the mail server's last error, when it was claimed and sent."""

    state: Mapped[str] = mapped_column(String(10))
    email: Mapped[str | None] = mapped_column(String(254))
    attempts: Mapped[int] = mapped_column(default=1)
    error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Reminder(Message, db.Model):
    """One reminder step for one person, course and due date. `step` is its
    day relative to the due date: -14 and -3 before it, 0 on the day, 7, 14, ... while
    overdue. The unique key is what makes a step go out at most once."""

    __tablename__ = "reminder"
    __table_args__ = (
        UniqueConstraint("employee_id", "course_id", "due_date", "step",
                         name="uq_reminder_step"),
        # HR's lists: who a reminder could not reach; what went out lately.
        Index("ix_reminder_state_at", "state", "created_at"),
        Index("ix_reminder_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"))
    due_date: Mapped[date] = mapped_column(Date)
    step: Mapped[int] = mapped_column()

    employee: Mapped[Employee] = relationship()
    course: Mapped[Course] = relationship()


class Digest(Message, db.Model):
    """The weekly digest of one HR officer's scope for one ISO week (`week`, e.g.
    "2026-W49"). `figures` keeps what it reported, so next week's can say what changed."""

    __tablename__ = "digest"
    __table_args__ = (UniqueConstraint("employee_id", "week", name="uq_digest_week"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    week: Mapped[str] = mapped_column(String(8))
    figures: Mapped[dict] = mapped_column(JSON, default=dict)

    employee: Mapped[Employee] = relationship()


class ClassNotice(Message, db.Model):
    """The email telling one person signed up for a classroom session that it was
    cancelled (`kind` "cancelled", `version` 0) or moved to a new date, time or place
    ("moved", the session's count of moves). The unique key is what makes each go out at
    most once."""

    __tablename__ = "class_notice"
    __table_args__ = (UniqueConstraint("session_id", "employee_id", "kind", "version",
                                       name="uq_class_notice"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("class_session.id"))
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    version: Mapped[int] = mapped_column()


class CertificateNotice(Message, db.Model):
    """The email telling a holder that their certificate was replaced by a corrected one
    (`certificate_id`: the new one), at most once."""

    __tablename__ = "certificate_notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificate.id"), unique=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)


class JobLease(db.Model):
    """Who runs a scheduled job now, and until when. A run takes the lease in a short
    transaction and renews it as it goes, so a second host finds it held and stops
    without holding a database lock for the whole run (on SQLite that would stop every
    other write); a lease left by a crashed run lapses at `until`."""

    __tablename__ = "job_lease"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(Text)
    until: Mapped[datetime] = mapped_column(UTCDateTime)
