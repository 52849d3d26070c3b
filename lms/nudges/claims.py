"""Claiming a message before it is sent, for every kind of message row (reminders,
classroom notices): the row, unique per message, is inserted as "sending" in a commit of
its own right before the mail server is asked, so only the run whose insert landed sends
it, and a row a dead run left "sending" is never sent again."""

from sqlalchemy import and_, or_, update
from sqlalchemy.orm import Session

from lms.core import clock
from lms.core.upsert import dialect_insert
from lms.models.nudges import FAILED, NO_EMAIL, SENDING, SENT


def claim(session: Session, model, key: dict, email: str | None, **more) -> bool:
    """Take the message `key` names for this run (in the caller's write transaction):
    False when another run took it or it went out. Without an email address it is
    recorded at once as such. `more`: the row's other columns."""
    # RETURNING tells whether the row landed: with it, psycopg's rowcount is -1.
    if session.execute(
            dialect_insert(session)(model.__table__).values(
                **key, **more, state=SENDING if email else NO_EMAIL, email=email,
                attempts=1, created_at=clock.now())
            .on_conflict_do_nothing(index_elements=list(key))
            .returning(model.__table__.c.id)).first() is not None:
        return True
    # Refused last time, or there was no address then: take it again, unless another run
    # just did.
    return bool(email) and session.execute(
        update(model).where(*_matching(model, key), model.state.in_((FAILED, NO_EMAIL)))
        .values(state=SENDING, email=email, attempts=model.attempts + 1,
                error=None)).rowcount == 1


def record(session: Session, model, key: dict, state: str, error: str | None = None) -> None:
    """How a claimed message went: SENT, FAILED (refused: tried again next run) or left
    SENDING with the error (not confirmed: never tried again)."""
    session.execute(
        update(model).where(*_matching(model, key), model.state == SENDING)
        .values(state=state, error=error[:300] if error else None,
                sent_at=clock.now() if state == SENT else None))


def done(model, email):
    """SQL: this message row needs nothing more. A refused message is tried again; one
    recorded without an address, once the person has one (HR added it since)."""
    return and_(model.state != FAILED,
                or_(model.state != NO_EMAIL, email.is_(None), email == ""))


def _matching(model, key: dict) -> list:
    return [getattr(model, column) == value for column, value in key.items()]
