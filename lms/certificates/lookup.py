"""What a verification code proves: the certificate or transcript it belongs to. Codes
that match nothing are counted per address, and past a limit an address gets no answer
for a while, so nobody can try codes in bulk."""

from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from lms.certificates import codes
from lms.core import clock
from lms.core.database import lock_key
from lms.models import Certificate, Transcript, VerificationMiss

ADDRESS_LENGTH = 64


def masked_nip(nip: str) -> str:
    """Enough to match a NIP one already knows, not enough to learn one."""
    if len(nip) <= 8:
        return nip[:2] + "•" * max(len(nip) - 2, 0)
    return nip[:4] + "•" * (len(nip) - 8) + nip[-4:]


def refused(session: Session, address: str, *, max_misses: int, window_minutes: int) -> bool:
    address = address[:ADDRESS_LENGTH]
    lock_key(session, "verify_address", address)
    since = clock.now() - timedelta(minutes=window_minutes)
    misses = session.scalar(select(func.count(VerificationMiss.id)).where(
        VerificationMiss.address == address, VerificationMiss.at >= since))
    return misses >= max_misses


def find(session: Session, typed: str, address: str,
         window_minutes: int) -> Certificate | Transcript | None:
    """The document with this code, or None (and the miss is counted; the address's
    misses older than the window are forgotten, so the table stays small)."""
    code = codes.normalise(typed)
    found = None
    if code is not None:
        found = session.scalars(select(Certificate).where(Certificate.code == code)).first() \
            or session.scalars(select(Transcript).where(Transcript.code == code)).first()
    if found is None:
        address = address[:ADDRESS_LENGTH]
        session.execute(delete(VerificationMiss).where(
            VerificationMiss.address == address,
            VerificationMiss.at < clock.now() - timedelta(minutes=window_minutes)))
        session.add(VerificationMiss(address=address))
        session.flush()
    return found
