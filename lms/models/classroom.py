"""Classroom sessions (issue 15): a course taught in a room, who signed up, who came, and
the wrong attendance codes each person typed (the throttle's count, kept in the database
so every worker sees it)."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core import clock
from lms.core.extensions import db
from lms.models._types import UTCDateTime
from lms.models.content import Course, Module
from lms.models.org import Opd
from lms.models.people import Employee


class ClassSession(db.Model):
    """One sitting of a course in a room. `audience_opd_id` is the subtree whose staff may
    sign up and check in (NULL: the whole city); a cancelled session keeps its row so the
    people signed up see that it was cancelled."""

    __tablename__ = "class_session"
    __table_args__ = (Index("ix_class_session_starts", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(String(200))
    capacity: Mapped[int] = mapped_column()
    facilitator_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    scheduled_by_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    # "trainer" or "champion": which right the session was scheduled under.
    scheduled_as: Mapped[str] = mapped_column(String(10))
    audience_opd_id: Mapped[int | None] = mapped_column(ForeignKey("opd.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Each change of the date, times or place counts one move: the people signed up before
    # it are told the new ones once per move (nudges.class_notices).
    moves: Mapped[int] = mapped_column(default=0, server_default="0")
    moved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    course: Mapped[Course] = relationship()
    facilitator: Mapped[Employee] = relationship(foreign_keys=[facilitator_id])
    scheduled_by: Mapped[Employee] = relationship(foreign_keys=[scheduled_by_id])
    audience: Mapped[Opd | None] = relationship()
    modules: Mapped[list[Module]] = relationship(secondary="class_session_module",
                                                 order_by="Module.position")


class ClassSessionModule(db.Model):
    """A module the session covers: attending completes it."""

    __tablename__ = "class_session_module"

    session_id: Mapped[int] = mapped_column(ForeignKey("class_session.id"),
                                            primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id"), primary_key=True)


class ClassSeat(db.Model):
    """A place in a session: signed up (by the person or for them), then attended.
    `credited` lists the modules this attendance completed (those not done before), so
    an undone tick takes back exactly those."""

    __tablename__ = "class_seat"
    __table_args__ = (UniqueConstraint("session_id", "employee_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("class_session.id"))
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    signed_up_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    attended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attended_via: Mapped[str | None] = mapped_column(String(10))  # code, tick
    credited: Mapped[list] = mapped_column(JSON, default=list)

    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])


class CodeMiss(db.Model):
    """A wrong attendance code typed by a person: six digits are guessable unless the
    tries are counted."""

    __tablename__ = "class_code_miss"
    __table_args__ = (Index("ix_class_code_miss_employee_at", "employee_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
