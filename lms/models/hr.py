"""Mandatory training and training hours: assignments, who they reach, maintained report
counts, JP per year, training done elsewhere, and the history of the OPD tree."""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core import clock
from lms.core.extensions import db
from lms.models._types import UTCDateTime
from lms.models.content import Course
from lms.models.org import Opd
from lms.models.people import Employee


class Assignment(db.Model):
    """A course made mandatory, with a due date, for a group (an OPD subtree or the whole
    city, optionally one employment type) or for a named list of employees."""

    __tablename__ = "assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    opd_id: Mapped[int | None] = mapped_column(ForeignKey("opd.id"))  # None: whole city
    employment_type: Mapped[str | None] = mapped_column(String(10))  # None: every type
    named: Mapped[bool] = mapped_column(default=False)  # True: only the listed members
    due_date: Mapped[date] = mapped_column(Date)
    # Heads of OPDs and units are due this many days before their staff (0: the same day).
    heads_first_days: Mapped[int] = mapped_column(default=0, server_default="0")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    course: Mapped[Course] = relationship()
    opd: Mapped[Opd | None] = relationship()
    created_by: Mapped[Employee | None] = relationship()


class AssignmentMember(db.Model):
    __tablename__ = "assignment_member"

    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id"), primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), primary_key=True,
                                             index=True)


class Requirement(db.Model):
    """Derived from assignments: this employee must finish this course by `due_date`
    (the earliest of the assignments that reach them). Rebuilt by lms.mandatory.assignments
    whenever an assignment or an employee changes; `opd_id` copies the employee's OPD so a
    report reads one OPD's requirements through an index. On SQLite the rows live in the
    primary key's b-tree (WITHOUT ROWID): reading an employee's requirements, as the
    employee CSV does for every employee, then finds the due date and OPD in the key's
    pages instead of looking each row up in the table (docs/performance.md)."""

    __tablename__ = "requirement"
    __table_args__ = (Index("ix_requirement_opd_course", "opd_id", "course_id"),
                      Index("ix_requirement_course_due", "course_id", "due_date"),
                      {"sqlite_with_rowid": False})

    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), primary_key=True)
    due_date: Mapped[date] = mapped_column(Date)
    opd_id: Mapped[int] = mapped_column(ForeignKey("opd.id"))


class CourseStat(db.Model):
    """Report counts kept in step with every write, in the same transaction: per OPD
    node (the employee's own), course, due date (NULL: not mandatory for them) and
    employment type. Reports roll these few rows up the tree instead of counting people."""

    __tablename__ = "course_stat"

    opd_id: Mapped[int] = mapped_column(ForeignKey("opd.id"), primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), primary_key=True,
                                           index=True)
    employment_type: Mapped[str] = mapped_column(String(10), primary_key=True)
    # Part of the key; 9999-12-31 stands for "not mandatory" (primary keys can't be NULL).
    due_date: Mapped[date] = mapped_column(Date, primary_key=True)
    assigned: Mapped[int] = mapped_column(default=0)
    started: Mapped[int] = mapped_column(default=0)
    completed: Mapped[int] = mapped_column(default=0)


class JpYear(db.Model):
    """JP earned per employee and calendar year (Asia/Jakarta), kept in step with course
    completions and external training records."""

    __tablename__ = "jp_year"
    __table_args__ = (Index("ix_jp_year_year_jp", "year", "jp"),)

    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    jp: Mapped[int] = mapped_column(default=0)


class ExternalTraining(db.Model):
    """Training done elsewhere, recorded by HR so the yearly JP total is true."""

    __tablename__ = "external_training"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    organiser: Mapped[str] = mapped_column(String(200))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    jp: Mapped[int] = mapped_column()
    proof_name: Mapped[str | None] = mapped_column(String(200))
    proof_mime: Mapped[str | None] = mapped_column(String(50))
    proof: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])
    recorded_by: Mapped[Employee | None] = relationship(foreign_keys=[recorded_by_id])


class OpdChange(db.Model):
    """History of the organisation tree: renames and moves keep their old values."""

    __tablename__ = "opd_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    opd_id: Mapped[int] = mapped_column(ForeignKey("opd.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    field: Mapped[str] = mapped_column(String(20))  # created, name, code, kind, parent
    old_value: Mapped[str | None] = mapped_column(String(400))
    new_value: Mapped[str | None] = mapped_column(String(400))
    by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))

    by: Mapped[Employee | None] = relationship()
