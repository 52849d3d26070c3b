"""Checking a login: the throttle, the password and the audit log, in one transaction.
`authenticate` does all of it; the view only reads the form, commits and answers. Another
way in (a directory login) would take the same throttle and audit steps."""

import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from lms.auth import login_sessions, throttle
from lms.core import audit
from lms.models import Employee


@dataclass(frozen=True)
class Limits:
    per_account: int       # failures per NIP in the window
    nips_per_address: int  # different NIPs failing from one address in the window
    window_minutes: int

    @classmethod
    def from_config(cls, config) -> "Limits":
        return cls(config["LOGIN_MAX_FAILURES_PER_ACCOUNT"],
                   config["LOGIN_MAX_NIPS_PER_ADDRESS"], config["LOGIN_FAILURE_WINDOW_MINUTES"])


@dataclass
class Outcome:
    employee: Employee | None = None  # signed in, with employee.login_key set
    refused: throttle.Refused | None = None  # not even checked: too many failures


@cache
def _dummy_hash() -> str:
    """Checked when the NIP is unknown, so both failures take the same time."""
    return generate_password_hash(secrets.token_hex(16))


def authenticate(session: Session, nip: str, password: str, address: str, limits: Limits,
                 lifetime: timedelta) -> Outcome:
    """Check `nip` and `password` from `address`. Flushes; the caller commits whatever
    the outcome (failures and refusals are recorded too)."""
    refused = throttle.refusal(session, nip, address, per_account=limits.per_account,
                               nips_per_address=limits.nips_per_address,
                               window_minutes=limits.window_minutes)
    if refused is not None:
        audit.record(session, "login_blocked", nip=nip, address=address,
                     details={"limit": refused.value})
        return Outcome(refused=refused)
    # The throttle's locks are held from here until the caller's commit: the password is
    # checked and its failure recorded before a parallel request can count.
    employee = session.scalars(select(Employee).where(Employee.nip == nip)).first()
    stored = employee.password_hash if employee and employee.password_hash else None
    valid = check_password_hash(stored or _dummy_hash(), password)
    if employee is None or stored is None or not valid or not employee.active:
        throttle.record_failure(session, nip, address)
        audit.record(session, "login_failed", nip=nip, address=address)
        return Outcome()
    throttle.clear(session, nip)
    audit.record(session, "login", actor=employee, address=address)
    employee.login_key = login_sessions.start(session, employee, lifetime)
    return Outcome(employee=employee)
