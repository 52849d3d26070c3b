"""Certificates of completed courses, JP transcripts (each download a verifiable
snapshot), and the city's certificate settings (organiser, signing official, number
pattern). A certificate records what it says as it was on the day it was issued: later
changes to the person, the course or the settings never change an issued certificate."""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core import clock
from lms.core.extensions import db
from lms.models._types import UTCDateTime
from lms.models.content import Course
from lms.models.people import Employee


class Certificate(db.Model):
    """One valid certificate per person and course (a partial unique index makes a second
    impossible, whatever races or re-completions happen). A second exists only as the
    corrected replacement of a revoked one (`replaces_id`), never by itself. `code` is the
    secret in the QR and the verification URL; `number` is the human-readable sequence
    from the city's pattern."""

    __tablename__ = "certificate"
    __table_args__ = (Index("uq_certificate_valid", "employee_id", "course_id", unique=True,
                            sqlite_where=text("revoked_at IS NULL"),
                            postgresql_where=text("revoked_at IS NULL")),
                      UniqueConstraint("year", "sequence"),
                      Index("ix_certificate_year_employee", "year", "employee_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    number: Mapped[str] = mapped_column(String(100), unique=True)
    year: Mapped[int] = mapped_column()  # the Jakarta year of completion
    sequence: Mapped[int] = mapped_column()  # 1, 2, 3 … within the year
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"))
    # As printed, on the day of issue.
    name: Mapped[str] = mapped_column(String(200))
    nip: Mapped[str] = mapped_column(String(32))
    position: Mapped[str] = mapped_column(String(200))
    opd_name: Mapped[str] = mapped_column(String(200))
    course_title: Mapped[str] = mapped_column(String(200))
    jp: Mapped[int] = mapped_column()
    started_on: Mapped[date] = mapped_column(Date)
    completed_on: Mapped[date] = mapped_column(Date)
    organiser: Mapped[str] = mapped_column(String(200))
    signer_name: Mapped[str] = mapped_column(String(200))
    signer_nip: Mapped[str] = mapped_column(String(32))
    signer_position: Mapped[str] = mapped_column(String(200))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    # The document itself, made once at issue: what a person uploaded to SIASN stays
    # byte for byte what Melek serves.
    pdf: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    signed: Mapped[bool] = mapped_column(default=False)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    # The revoked certificate this one corrects (a misspelt name, a wrong NIP).
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("certificate.id"), index=True)

    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])
    course: Mapped[Course] = relationship()
    replaces: Mapped["Certificate | None"] = relationship(remote_side=[id])


class Transcript(db.Model):
    """A yearly JP transcript as it was when downloaded: the lines and total it printed,
    so its QR proves those figures. The same content downloaded again reuses the row."""

    __tablename__ = "transcript"
    __table_args__ = (UniqueConstraint("employee_id", "year", "digest"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    year: Mapped[int] = mapped_column()
    digest: Mapped[str] = mapped_column(String(64))  # SHA-256 of what it lists
    name: Mapped[str] = mapped_column(String(200))
    nip: Mapped[str] = mapped_column(String(32))
    total_jp: Mapped[int] = mapped_column()
    target_jp: Mapped[int] = mapped_column()
    lines: Mapped[list] = mapped_column(JSON)  # [title, organiser, end date ISO, jp, source]
    organiser: Mapped[str] = mapped_column(String(200))
    made_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    employee: Mapped[Employee] = relationship()


class CertificateSettings(db.Model):
    """One row (id 1), edited by admins. Images are PNG or JPEG, checked by signature."""

    __tablename__ = "certificate_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    organiser: Mapped[str] = mapped_column(String(200))
    signer_name: Mapped[str] = mapped_column(String(200), default="")
    signer_nip: Mapped[str] = mapped_column(String(32), default="")
    signer_position: Mapped[str] = mapped_column(String(200), default="")
    number_pattern: Mapped[str] = mapped_column(String(100))
    signature_image: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    emblem_image: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))


class VerificationMiss(db.Model):
    """A code looked up on /verifikasi that matched nothing: counted per address, so
    guessing codes stops after a few tries (the codes are unguessable anyway)."""

    __tablename__ = "verification_miss"
    __table_args__ = (Index("ix_verification_miss_address_at", "address", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
