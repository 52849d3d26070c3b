"""The six-digit attendance code on the projector.

Derived, never stored: HMAC-SHA256(SECRET_KEY, session id and the number of the
five-minute window), so every worker shows and checks the same code with nothing kept
in memory. A code is accepted in its own window and the next one (someone typing while
the code changes is not refused), and only while check-in is open: from
OPENS_BEFORE before the start to the end."""

import hashlib
import hmac
from datetime import datetime, timedelta

from lms.models import ClassSession

WINDOW = timedelta(minutes=5)
OPENS_BEFORE = timedelta(minutes=15)
DIGITS = 6


def window_of(moment: datetime) -> int:
    return int(moment.timestamp() // WINDOW.total_seconds())


def code_for(secret: str, session_id: int, window: int) -> str:
    digest = hmac.new(secret.encode(), f"classroom:{session_id}:{window}".encode(),
                      hashlib.sha256).digest()
    return f"{int.from_bytes(digest[:8], 'big') % 10 ** DIGITS:0{DIGITS}d}"


def current(secret: str, session_id: int, now: datetime) -> str:
    return code_for(secret, session_id, window_of(now))


def changes_at(now: datetime) -> datetime:
    """When the code shown now is replaced."""
    seconds = (window_of(now) + 1) * WINDOW.total_seconds()
    return datetime.fromtimestamp(seconds, tz=now.tzinfo)


def normalise(typed: str) -> str:
    """What a phone keyboard sends: spaces and dashes dropped."""
    return "".join(c for c in typed if c.isdigit())


def matches(secret: str, session_id: int, typed: str, now: datetime) -> bool:
    window = window_of(now)
    return len(typed) == DIGITS and any(
        hmac.compare_digest(code_for(secret, session_id, w), typed)
        for w in (window, window - 1))


def opens_at(cs: ClassSession) -> datetime:
    return cs.starts_at - OPENS_BEFORE


def is_open(cs: ClassSession, now: datetime) -> bool:
    """Check-in is open: not cancelled, from OPENS_BEFORE before the start to the end."""
    return cs.cancelled_at is None and opens_at(cs) <= now <= cs.ends_at
