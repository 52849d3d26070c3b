from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core import clock
from lms.core.extensions import db
from lms.models._types import UTCDateTime

OPD_KINDS = ("kota", "sekretariat", "inspektorat", "dinas", "badan", "kecamatan",
         "kelurahan", "unit")


class Opd(db.Model):
    """A node of the organisation tree: the city, an OPD, or a unit under one.

    `path` lists the ids from the root, "/1/7/23/", so "this node and everything under it"
    is one indexed prefix match (`path LIKE '/1/7/%'`).
    """

    __tablename__ = "opd"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("opd.id"), index=True)
    path: Mapped[str] = mapped_column(String(400), index=True, default="")
    depth: Mapped[int] = mapped_column(default=0)

    parent: Mapped["Opd | None"] = relationship(remote_side=[id])

    def __repr__(self) -> str:
        return f"<Opd {self.code}>"


HEAD_SOURCES = ("import", "admin")
_CURRENT = text("ended_on IS NULL")


class OpdHead(db.Model):
    """Who heads a node of the tree, and since when: a change ends the current row
    (`ended_on`) and adds one, so the history stays. At most one current head per node,
    held by the database itself (a partial unique index)."""

    __tablename__ = "opd_head"
    __table_args__ = (Index("uq_opd_head_current", "opd_id", unique=True,
                            sqlite_where=_CURRENT, postgresql_where=_CURRENT),)

    id: Mapped[int] = mapped_column(primary_key=True)
    opd_id: Mapped[int] = mapped_column(ForeignKey("opd.id"), index=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(10))  # HEAD_SOURCES
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    opd: Mapped[Opd] = relationship()
    employee = relationship("Employee", foreign_keys=[employee_id])
    recorded_by = relationship("Employee", foreign_keys=[recorded_by_id])


class LeaderSettings(db.Model):
    """One row (id 1), edited by admins; no row means the defaults."""

    __tablename__ = "leader_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Staff see on a mandatory course's page whether their own head has completed it.
    show_head_completion: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
