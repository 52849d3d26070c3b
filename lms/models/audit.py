from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core import clock
from lms.core.extensions import db
from lms.models._types import UTCDateTime
from lms.models.people import Employee


class AuditEvent(db.Model):
    """Who did what, when, from where. Written once; the application has no way to
    change or delete an event."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_action_at", "action", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"), index=True)
    actor_nip: Mapped[str] = mapped_column(String(64), default="")  # as typed, for failures
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(String(200), default="")
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    address: Mapped[str] = mapped_column(String(64), default="")

    actor: Mapped[Employee | None] = relationship()
