"""Server-side login sessions: one row per signed-in browser, so logging out ends that
browser's session for good (a saved copy of its cookie opens nothing), while a password
change or deactivation still ends all of them (Employee.auth_epoch, Employee.active).

The signed session cookie carries `employee id:auth_epoch:key`; the table holds the
key's SHA-256. Checking it costs no extra query: the user loader finds the employee
through its session row, with their roles, in one query (a Visitor, not the ORM
object). Nothing lives in process memory, so every worker and host agrees.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from flask_login import UserMixin
from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from lms.core import clock
from lms.models import Employee, LoginSession, RoleGrant


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def start(session: Session, employee: Employee, lifetime: timedelta) -> str:
    """A new session for `employee`, lasting `lifetime`; returns the key for the cookie.
    That employee's expired rows go now, which keeps the table small without a job."""
    now = clock.now()
    session.execute(delete(LoginSession).where(LoginSession.employee_id == employee.id,
                                               LoginSession.expires_at <= now))
    key = secrets.token_urlsafe(32)
    session.add(LoginSession(id=_digest(key), employee_id=employee.id, created_at=now,
                             expires_at=now + lifetime))
    session.flush()
    return key


class Visitor(UserMixin):
    """The signed-in person as every request sees them: who they are and their roles,
    read in one Core query (loading the ORM Employee with its grants was a quarter of a
    learner page). A view that hands the person to domain code, or changes them, takes
    the Employee from core.web.signed_in(), loaded then by id."""

    def __init__(self, id: int, name: str, auth_epoch: int, created_at: datetime,
                 login_key: str, roles: frozenset[str]) -> None:
        self.id, self.name, self.auth_epoch = id, name, auth_epoch
        self.created_at, self.login_key, self.roles = created_at, login_key, roles

    def get_id(self) -> str:
        return f"{self.id}:{self.auth_epoch}:{self.login_key}"

    def has_role(self, role: str) -> bool:
        return role in self.roles


# Built once: the statement is the same for every request, only its parameters change.
# One row per role grant (one with no role for someone holding none).
_LOAD = (select(Employee.id, Employee.name, Employee.auth_epoch, Employee.created_at,
                RoleGrant.role)
         .join(LoginSession, LoginSession.employee_id == Employee.id)
         .outerjoin(RoleGrant, RoleGrant.employee_id == Employee.id)
         .where(Employee.id == bindparam("employee_id"),
                Employee.auth_epoch == bindparam("epoch"), Employee.active,
                LoginSession.id == bindparam("digest"),
                LoginSession.expires_at > bindparam("now", type_=LoginSession.expires_at.type)))


def load(session: Session, user_id: str) -> Visitor | None:
    """The active employee whose live session `user_id` (from the cookie) names, with
    their roles; None for anything else."""
    try:
        employee_id, epoch, key = user_id.split(":")
        employee_id, epoch = int(employee_id), int(epoch)
    except ValueError:
        return None
    # On the connection: these are columns, and the ORM's statement handling would be
    # most of the cost.
    rows = session.connection().execute(_LOAD, {
        "employee_id": employee_id, "epoch": epoch, "digest": _digest(key),
        "now": clock.now()}).all()
    if not rows:
        return None
    first = rows[0]
    return Visitor(first.id, first.name, first.auth_epoch, first.created_at, key,
                   frozenset(r.role for r in rows if r.role is not None))


def end(session: Session, key: str | None) -> None:
    if key:
        session.execute(delete(LoginSession).where(LoginSession.id == _digest(key)))


def end_all(session: Session, employee: Employee) -> None:
    session.execute(delete(LoginSession).where(LoginSession.employee_id == employee.id))
