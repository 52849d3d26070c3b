"""Checking a login: the throttle, the password and the audit log, in one transaction.
`authenticate` does all of it for the NIP and password form (the LDAP directory, then
Melek's own password); `sign_in_verified` for a NIP the city's OpenID provider vouches
for. Both take the same throttle, the same NIP rules (an active employee from the HR
import; nobody is created by logging in) and the same audit steps; the view only reads
the request, commits and answers."""

import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from lms.auth import login_sessions, throttle
from lms.auth.directory import Directory, Verdict
from lms.core import audit
from lms.models import Employee
from lms.people import passwords


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
    # The directory or provider vouched for the person, but Melek has no active employee
    # with that NIP (not imported, or deactivated): nobody is created by logging in.
    not_employee: bool = False


@cache
def _dummy_hash() -> str:
    """Checked when the NIP is unknown, so both failures take the same time."""
    return generate_password_hash(secrets.token_hex(16))


def _blocked(session: Session, nip: str, address: str, limits: Limits,
             method: str) -> throttle.Refused | None:
    refused = throttle.refusal(session, nip, address, per_account=limits.per_account,
                               nips_per_address=limits.nips_per_address,
                               window_minutes=limits.window_minutes)
    if refused is not None:
        audit.record(session, "login_blocked", nip=nip, address=address,
                     details={"limit": refused.value, "method": method})
    return refused


def _local_password(employee: Employee | None, password: str, admins_only: bool) -> bool:
    """Melek's own password. With PASSWORD_LOGIN=admins-only only an admin's counts; the
    hash is checked in every case, so no answer comes faster than another."""
    stored = employee.password_hash if employee and employee.password_hash else None
    valid = check_password_hash(stored or _dummy_hash(), password)
    allowed = employee is not None and passwords.password_counts(employee, admins_only)
    return valid and stored is not None and allowed


def _start(session: Session, employee: Employee, address: str, lifetime: timedelta,
           method: str) -> Outcome:
    throttle.clear(session, employee.nip)
    audit.record(session, "login", actor=employee, address=address,
                 details={"method": method})
    employee.login_key = login_sessions.start(session, employee, lifetime)
    return Outcome(employee=employee)


def _refuse_not_employee(session: Session, nip: str, address: str, method: str,
                         employee: Employee | None) -> Outcome:
    audit.record(session, "login_refused", nip=nip, address=address,
                 details={"method": method,
                          "reason": "inactive" if employee is not None else "unknown"})
    return Outcome(not_employee=True)


def authenticate(session: Session, nip: str, password: str, address: str, limits: Limits,
                 lifetime: timedelta, directory: Directory | None = None,
                 admins_only: bool = False) -> Outcome:
    """Check `nip` and `password` from `address`: the directory first when there is one,
    then Melek's own password for people the directory does not know (decisions.md,
    "Directory first"). Flushes; the caller commits whatever the outcome (failures and
    refusals are recorded too)."""
    refused = _blocked(session, nip, address, limits, "password")
    if refused is not None:
        return Outcome(refused=refused)
    # The throttle's locks are held from here until the caller's commit: the password is
    # checked and its failure recorded before a parallel request can count.
    employee = session.scalars(select(Employee).where(Employee.nip == nip)).first()
    verdict = directory.check(nip, password) if directory else Verdict.UNKNOWN
    if verdict is Verdict.ACCEPTED:
        if employee is None or not employee.active:
            return _refuse_not_employee(session, nip, address, "ldap", employee)
        return _start(session, employee, address, lifetime, "ldap")
    valid = verdict is not Verdict.REJECTED and _local_password(employee, password,
                                                                admins_only)
    if not valid or employee is None or not employee.active:
        throttle.record_failure(session, nip, address)
        audit.record(session, "login_failed", nip=nip, address=address,
                     details={"directory": verdict.value} if directory else None)
        return Outcome()
    return _start(session, employee, address, lifetime, "password")


def sign_in_verified(session: Session, nip: str, address: str, limits: Limits,
                     lifetime: timedelta, method: str) -> Outcome:
    """Sign in a NIP that the city's provider has vouched for (`method`: "oidc"). The
    throttle still applies (a locked account or address waits, whichever way it comes
    in); a NIP that is not an active employee is refused and audited, never created."""
    refused = _blocked(session, nip, address, limits, method)
    if refused is not None:
        return Outcome(refused=refused)
    employee = session.scalars(select(Employee).where(Employee.nip == nip)).first()
    if employee is None or not employee.active:
        return _refuse_not_employee(session, nip, address, method, employee)
    return _start(session, employee, address, lifetime, method)
