"""Login throttling, counted in the database so it holds across workers and hosts.

Two limits within one sliding window (decisions.md, "Login throttling"):
- per account: a NIP with too many failures waits, from every address;
- per address: an address from which too many *different* NIPs failed waits. Mistakes
  made by colleagues behind one office address are a few NIPs each failing a few times
  (and each stops at the per-account limit); one guess at many NIPs is password spraying.

`refusal` locks the NIP and the address before counting, and the locks hold until the
view commits the failure it records, so parallel requests cannot all pass one count:
the limits hold exactly, on PostgreSQL as on SQLite. Unknown NIPs count like known ones,
so no answer tells whether a NIP exists.
"""

from datetime import timedelta
from enum import Enum

from sqlalchemy import delete, distinct, func, select
from sqlalchemy.orm import Session

from lms.core import clock
from lms.core.database import lock_key
from lms.models import LoginAttempt

NIP_LENGTH = ADDRESS_LENGTH = 64  # the columns' sizes


class Refused(Enum):
    ACCOUNT = "account"
    ADDRESS = "address"


def refusal(session: Session, nip: str, address: str, *, per_account: int,
            nips_per_address: int, window_minutes: int) -> Refused | None:
    """Why this login may not be checked now, or None. Call it before checking the
    password, in the transaction that records the outcome."""
    nip, address = nip[:NIP_LENGTH], address[:ADDRESS_LENGTH]
    # Always address first, then NIP: one order, so two requests never wait on each other.
    lock_key(session, "login_address", address)
    lock_key(session, "login_nip", nip)
    since = clock.now() - timedelta(minutes=window_minutes)
    by_nip = session.scalar(select(func.count(LoginAttempt.id)).where(
        LoginAttempt.nip == nip, LoginAttempt.at >= since))
    if by_nip >= per_account:
        return Refused.ACCOUNT
    nips = session.scalar(select(func.count(distinct(LoginAttempt.nip))).where(
        LoginAttempt.address == address, LoginAttempt.at >= since))
    if nips >= nips_per_address:
        return Refused.ADDRESS
    return None


def failures(session: Session, nip: str) -> int:
    """Failed logins for this NIP still remembered (they count towards a lockout)."""
    return session.scalar(select(func.count(LoginAttempt.id)).where(LoginAttempt.nip == nip))


def record_failure(session: Session, nip: str, address: str) -> None:
    session.add(LoginAttempt(nip=nip[:NIP_LENGTH], address=address[:ADDRESS_LENGTH]))
    session.flush()


def clear(session: Session, nip: str) -> None:
    session.execute(delete(LoginAttempt).where(LoginAttempt.nip == nip))
