from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core import clock
from lms.core.extensions import db
from lms.models._types import UTCDateTime
from lms.models.org import Opd

EMPLOYMENT_TYPES = ("pns", "pppk", "non_asn")
EMPLOYMENT_TYPE_LABELS = {"pns": "PNS", "pppk": "PPPK", "non_asn": "Non-ASN"}  # as HR writes them
ROLES = ("trainer", "hr", "admin", "champion")  # everyone is a learner


class Employee(UserMixin, db.Model):
    __tablename__ = "employee"
    # Report pages list employees by name, a page at a time.
    __table_args__ = (Index("ix_employee_name", "name", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # 18-digit NIP for ASN; an internal identifier for non-ASN staff.
    nip: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    opd_id: Mapped[int] = mapped_column(ForeignKey("opd.id"), index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    position: Mapped[str] = mapped_column(String(200), default="")
    employment_type: Mapped[str] = mapped_column(String(10), default="pns")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped on password change: every session of the account ends (LoginSession ends one).
    auth_epoch: Mapped[int] = mapped_column(default=0)
    locale: Mapped[str | None] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    opd: Mapped[Opd] = relationship()
    grants: Mapped[list["RoleGrant"]] = relationship(
        back_populates="employee", cascade="all, delete-orphan",
        foreign_keys="RoleGrant.employee_id")

    # The key of the LoginSession this request runs in (set at login and by the user
    # loader; not a column).
    login_key = None

    def get_id(self) -> str:
        return f"{self.id}:{self.auth_epoch}:{self.login_key}"

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(g.role for g in self.grants)

    def has_role(self, role: str) -> bool:
        return any(g.role == role for g in self.grants)

    def __repr__(self) -> str:
        return f"<Employee {self.nip}>"


class Transfer(db.Model):
    """A move to another OPD (mutasi), with its date. Training history stays with the
    employee; reports count people under their current OPD."""

    __tablename__ = "transfer"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    from_opd_id: Mapped[int] = mapped_column(ForeignKey("opd.id"))
    to_opd_id: Mapped[int] = mapped_column(ForeignKey("opd.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    source: Mapped[str] = mapped_column(String(20), default="import")
    by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))

    from_opd: Mapped[Opd] = relationship(foreign_keys=[from_opd_id])
    to_opd: Mapped[Opd] = relationship(foreign_keys=[to_opd_id])


class RoleGrant(db.Model):
    """A role held by an employee. For HR, `opd_id` is the subtree they may see;
    NULL means city-wide. For a champion (Duta Digital) it is the unit they serve, never
    NULL: that unit and everything under it."""

    __tablename__ = "role_grant"
    __table_args__ = (UniqueConstraint("employee_id", "role", "opd_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    opd_id: Mapped[int | None] = mapped_column(ForeignKey("opd.id"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    employee: Mapped[Employee] = relationship(back_populates="grants",
                                              foreign_keys=[employee_id])
    opd: Mapped[Opd | None] = relationship()


class LoginAttempt(db.Model):
    """Failed logins, kept in the database so throttling holds across workers and hosts."""

    __tablename__ = "login_attempt"
    __table_args__ = (Index("ix_login_attempt_nip_at", "nip", "at"),
                      Index("ix_login_attempt_address_at", "address", "at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    nip: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class LoginSession(db.Model):
    """One signed-in browser. Its random key travels in the signed session cookie and is
    checked on every request; logging out deletes the row, so a copy of the cookie made
    before opens nothing afterwards. Sessions last a fixed time from login (no write per
    request)."""

    __tablename__ = "login_session"

    # SHA-256 of the key in the cookie: the table alone lets nobody in.
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PendingImport(db.Model):
    """An employee file that was checked and may be applied without choosing it again:
    kept in the database (any worker may serve the Apply), for its importer only, until
    applied or replaced (people.pending)."""

    __tablename__ = "pending_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"),
                                             index=True)
    filename: Mapped[str] = mapped_column(String(255), default="")
    data: Mapped[bytes] = mapped_column(LargeBinary)
    deactivate_missing: Mapped[bool] = mapped_column(default=False)
    plan_digest: Mapped[str] = mapped_column(String(64))  # what the check showed
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
