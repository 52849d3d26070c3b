"""Login throttling, counted in the database so it holds across workers and hosts."""

from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from .core import clock
from .models import LoginAttempt


def is_blocked(session: Session, nip: str, address: str, *, per_account: int,
               per_address: int, window_minutes: int) -> bool:
    since = clock.now() - timedelta(minutes=window_minutes)
    by_nip = session.scalar(select(func.count(LoginAttempt.id)).where(
        LoginAttempt.nip == nip, LoginAttempt.at >= since))
    if by_nip >= per_account:
        return True
    by_address = session.scalar(select(func.count(LoginAttempt.id)).where(
        LoginAttempt.address == address, LoginAttempt.at >= since))
    return by_address >= per_address


def failures(session: Session, nip: str) -> int:
    """Failed logins for this NIP still remembered (they count towards a lockout)."""
    return session.scalar(select(func.count(LoginAttempt.id)).where(LoginAttempt.nip == nip))


def record_failure(session: Session, nip: str, address: str) -> None:
    session.add(LoginAttempt(nip=nip[:64], address=address[:64]))
    session.flush()


def clear(session: Session, nip: str) -> None:
    session.execute(delete(LoginAttempt).where(LoginAttempt.nip == nip))
