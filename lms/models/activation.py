"""First access: printed activation codes and set-password links sent in bulk."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core import clock
from lms.core.extensions import db
from lms.models._types import UTCDateTime
from lms.models.people import Employee


class ActivationCode(db.Model):
    """The code on one printed activation letter. Only an HMAC of the code is stored
    (keyed by SECRET_KEY and bound to the employee), so the table alone opens nothing and
    a code works only for its person. Printing a new letter deletes the person's unused
    ones; `used_at` makes a code single use."""

    __tablename__ = "activation_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))

    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])


class AccessLink(db.Model):
    """A set-password link emailed in a bulk send: claimed (committed) right before the
    mail server is asked, so a second press or a parallel run skips the person."""

    __tablename__ = "access_link"
    __table_args__ = (Index("ix_access_link_employee_at", "employee_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    # sending (claimed; stays so when the server may have taken it), sent, failed
    state: Mapped[str] = mapped_column(String(10), default="sending")
    error: Mapped[str | None] = mapped_column(String(300))
    by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
