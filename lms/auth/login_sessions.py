"""Server-side login sessions: one row per signed-in browser, so logging out ends that
browser's session for good (a saved copy of its cookie opens nothing), while a password
change or deactivation still ends all of them (Employee.auth_epoch, Employee.active).

The signed session cookie carries `employee id:auth_epoch:key`; the table holds the
key's SHA-256. Checking it costs no extra query: the user loader finds the employee
through its session row, with their role grants, in one query. Nothing lives in process
memory, so every worker and host agrees.
"""

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session, joinedload

from lms.core import clock
from lms.models import Employee, LoginSession


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


# Built once: the statement is the same for every request, only its parameters change.
_LOAD = (select(Employee).join(LoginSession, LoginSession.employee_id == Employee.id)
         .where(Employee.id == bindparam("employee_id"),
                Employee.auth_epoch == bindparam("epoch"), Employee.active,
                LoginSession.id == bindparam("digest"),
                LoginSession.expires_at > bindparam("now", type_=LoginSession.expires_at.type))
         .options(joinedload(Employee.grants)))


def load(session: Session, user_id: str) -> Employee | None:
    """The active employee whose live session `user_id` (from the cookie) names, with
    their role grants; None for anything else."""
    try:
        employee_id, epoch, key = user_id.split(":")
        employee_id, epoch = int(employee_id), int(epoch)
    except ValueError:
        return None
    employee = session.scalars(_LOAD, {"employee_id": employee_id, "epoch": epoch,
                                       "digest": _digest(key), "now": clock.now()}
                               ).unique().first()
    if employee is not None:
        employee.login_key = key
    return employee


def end(session: Session, key: str | None) -> None:
    if key:
        session.execute(delete(LoginSession).where(LoginSession.id == _digest(key)))


def end_all(session: Session, employee: Employee) -> None:
    session.execute(delete(LoginSession).where(LoginSession.employee_id == employee.id))
