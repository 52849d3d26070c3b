"""The trainer studio: who owns a course, its published revisions and its one draft.

A course's source is always a folder in the `courses/` format. Each publish (from the
files, the browser or an imported zip) stores that folder as a revision, so any two can
be compared and any one restored; the draft is the folder being edited in the browser.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core import clock
from lms.core.extensions import db
from lms.models._types import UTCDateTime
from lms.models.content import Course
from lms.models.people import Employee


class CourseOwner(db.Model):
    __tablename__ = "course_owner"

    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), primary_key=True,
                                             index=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    employee: Mapped[Employee] = relationship()


class CourseRevision(db.Model):
    """One published state of a course folder, as a zip of its files."""

    __tablename__ = "course_revision"
    __table_args__ = (UniqueConstraint("course_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"))
    number: Mapped[int] = mapped_column()
    source: Mapped[str] = mapped_column(String(10))  # files, studio, import, restore
    message: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    tree_hash: Mapped[str] = mapped_column(String(64))
    # Loaded only when a revision's files are read, not for history lists.
    archive: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)

    author: Mapped[Employee | None] = relationship()
    course: Mapped[Course] = relationship()


class CourseDraft(db.Model):
    """The browser's working copy of a course. `base_revision_id` is the revision it
    started from: publishing over a newer revision is a conflict, not an overwrite."""

    __tablename__ = "course_draft"

    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), primary_key=True)
    base_revision_id: Mapped[int | None] = mapped_column(ForeignKey("course_revision.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))

    files: Mapped[list["DraftFile"]] = relationship(
        order_by="DraftFile.path", cascade="all, delete-orphan")
    base_revision: Mapped[CourseRevision | None] = relationship()
    updated_by: Mapped[Employee | None] = relationship()


class DraftFile(db.Model):
    __tablename__ = "draft_file"
    __table_args__ = (UniqueConstraint("course_id", "path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course_draft.course_id"))
    path: Mapped[str] = mapped_column(String(300))
    data: Mapped[bytes] = mapped_column(LargeBinary)
