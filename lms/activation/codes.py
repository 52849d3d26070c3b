"""Activation codes: short, one-time, for one person, valid ACTIVATION_DAYS days.

A code is eight characters from an alphabet without look-alikes (no 0/O, 1/I/L), shown
as ABCD-EFGH: 32^8, about 10^12 values, and the login throttle allows a few guesses per
NIP. Only HMAC-SHA256(SECRET_KEY, employee id + code) is stored: a code typed for
another NIP never matches, and a copy of the table opens nothing."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, contains_eager

from lms.auth import login_sessions, throttle
from lms.auth.signin import Limits
from lms.core import audit, clock
from lms.models import ActivationCode, Employee, Opd
from lms.people import passwords

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 8


def _hash(secret: str, employee_id: int, code: str) -> str:
    return hmac.new(secret.encode(), f"{employee_id}:{code}".encode(),
                    hashlib.sha256).hexdigest()


def normalise(typed: str) -> str:
    """What a person types, as stored: spaces and dashes dropped, capitals."""
    return "".join(c for c in typed.upper() if c.isalnum())


def shown(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


@dataclass(frozen=True)
class Letter:
    nip: str
    name: str
    opd_name: str
    code: str  # only ever in memory and on the printed page
    expires_at: object


def people_for_letters(session: Session, opd: Opd, *, with_password: bool, again: bool,
                       allowed) -> tuple[list[Employee], int]:
    """Active employees of `opd` and the units under it, by name, whom `allowed(e)` lets
    the user act on: those without a password yet (or everyone, `with_password`),
    skipping people holding a letter still valid unless `again`. Returns them and how
    many were skipped for a valid letter."""
    query = (select(Employee).join(Opd, Opd.id == Employee.opd_id)
             .where(Employee.active, Opd.path.startswith(opd.path))
             .options(contains_eager(Employee.opd)).order_by(Employee.name, Employee.id))
    if not with_password:
        query = query.where(Employee.password_hash.is_(None))
    people = [e for e in session.scalars(query) if allowed(e)]
    if again:
        return people, 0
    live = set(session.scalars(select(ActivationCode.employee_id).where(
        ActivationCode.used_at.is_(None), ActivationCode.expires_at > clock.now())))
    kept = [e for e in people if e.id not in live]
    return kept, len(people) - len(kept)


def make_letters(session: Session, secret: str, people: list[Employee], days: int,
                 by: Employee | None) -> list[Letter]:
    """A new code for each person; their unused older codes stop working. Flushes."""
    now = clock.now()
    expires = now + timedelta(days=days)
    ids = [e.id for e in people]
    for start in range(0, len(ids), 500):
        session.execute(delete(ActivationCode).where(
            ActivationCode.employee_id.in_(ids[start:start + 500]),
            ActivationCode.used_at.is_(None)))
    letters = []
    for employee in people:
        code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        session.add(ActivationCode(employee_id=employee.id, code_hash=_hash(
            secret, employee.id, code), created_at=now, expires_at=expires,
            by_id=by.id if by else None))
        letters.append(Letter(employee.nip, employee.name, employee.opd.name, code, expires))
    session.flush()
    return letters


@dataclass
class Outcome:
    refused: throttle.Refused | None = None
    employee: Employee | None = None  # activated: the password is set
    problems: list = field(default_factory=list)  # the code is right, the password not
    wrong: bool = False


def activate(session: Session, secret: str, nip: str, typed: str, password: str,
             confirm: str, address: str, limits: Limits) -> Outcome:
    """Use an activation code to set a password. The login throttle applies (a wrong code
    counts as a failed login for that NIP and address); the code is used once, by a
    conditional UPDATE, so two presses cannot both use it. Flushes; the caller commits."""
    refused = throttle.refusal(session, nip, address, per_account=limits.per_account,
                               nips_per_address=limits.nips_per_address,
                               window_minutes=limits.window_minutes)
    if refused is not None:
        audit.record(session, "login_blocked", nip=nip, address=address,
                     details={"limit": refused.value, "method": "activation"})
        return Outcome(refused=refused)
    employee = session.scalars(select(Employee).where(Employee.nip == nip)).first()
    code = normalise(typed)
    row = None
    if employee is not None and employee.active:
        digest = _hash(secret, employee.id, code)
        row = next((r for r in session.scalars(select(ActivationCode).where(
            ActivationCode.employee_id == employee.id, ActivationCode.used_at.is_(None),
            ActivationCode.expires_at > clock.now()))
            if hmac.compare_digest(r.code_hash, digest)), None)
    if row is None:
        throttle.record_failure(session, nip, address)
        audit.record(session, "login_failed", nip=nip, address=address,
                     details={"method": "activation"})
        return Outcome(wrong=True)
    found = passwords.problems(password, nip)
    if password != confirm:
        found.append(passwords.NOT_THE_SAME)
    if found:
        return Outcome(problems=found)
    used = session.execute(update(ActivationCode).where(
        ActivationCode.id == row.id, ActivationCode.used_at.is_(None))
        .values(used_at=clock.now())).rowcount
    if used != 1:
        return Outcome(wrong=True)
    passwords.set_password(employee, password)
    login_sessions.end_all(session, employee)
    throttle.clear(session, nip)
    audit.record(session, "activation_used", actor=employee, address=address,
                 target=employee.nip, details={"code": row.id})
    return Outcome(employee=employee)
