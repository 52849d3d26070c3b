"""Digital champions (Duta Digital): assisted sessions ("pendampingan") and the city's
setting of whether they earn JP. The role itself is a RoleGrant (role "champion", opd_id
the unit)."""

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core import clock
from lms.core.extensions import db
from lms.models._types import UTCDateTime
from lms.models.content import Course
from lms.models.org import Opd
from lms.models.people import Employee


class AssistedSession(db.Model):
    """One pendampingan as a champion recorded it. `jp_each` is what each helped colleague
    was credited when it was recorded (0 while the setting was off): the setting's later
    changes never rewrite it, and deleting the record takes back exactly that."""

    __tablename__ = "assisted_session"
    # `form_token` comes from the form page: a double submit inserts once.
    __table_args__ = (UniqueConstraint("champion_id", "form_token"),
                      Index("ix_assisted_session_unit_held", "unit_id", "held_on"))

    id: Mapped[int] = mapped_column(primary_key=True)
    champion_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("opd.id"))
    held_on: Mapped[date] = mapped_column(Date)
    minutes: Mapped[int] = mapped_column()
    topic: Mapped[str] = mapped_column(String(200), default="")
    course_id: Mapped[int | None] = mapped_column(ForeignKey("course.id"))
    counts_jp: Mapped[bool] = mapped_column(Boolean, default=False)
    form_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    champion: Mapped[Employee] = relationship()
    unit: Mapped[Opd] = relationship()
    course: Mapped[Course | None] = relationship()
    colleagues: Mapped[list["AssistedColleague"]] = relationship(
        back_populates="session", cascade="all, delete-orphan")


class AssistedColleague(db.Model):
    """A colleague helped in a session, and the JP it credited them (0: none)."""

    __tablename__ = "assisted_colleague"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("assisted_session.id", ondelete="CASCADE"), primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), primary_key=True,
                                             index=True)
    jp_awarded: Mapped[int] = mapped_column(default=0)

    session: Mapped[AssistedSession] = relationship(back_populates="colleagues")
    employee: Mapped[Employee] = relationship()


class ChampionSettings(db.Model):
    """One row, set by admins: whether pendampingan earns JP, minutes per JP, and the
    most JP a person may earn this way in a year (None: no cap)."""

    __tablename__ = "champion_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    jp_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    minutes_per_jp: Mapped[int] = mapped_column(default=45)
    yearly_cap: Mapped[int | None] = mapped_column()
