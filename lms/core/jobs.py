"""Scheduled jobs (cron or systemd timers, possibly on several hosts at once): one run at
a time per job, through a lease row in the database rather than a file, so it holds
across hosts; the lease is taken and renewed in short transactions, never held open for
the length of the run."""

import os
import socket
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.core import clock
from lms.core.database import lock_key, writing
from lms.models import JobLease

LEASE = timedelta(minutes=10)


def holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def take(session: Session, name: str, me: str) -> JobLease | None:
    """Take or renew the lease of `name` for `me`, committed; None while someone else
    holds a lease that has not lapsed (the current lease is then left untouched)."""
    with writing(session):
        lock_key(session, "job", name)
        lease = session.get(JobLease, name)
        now = clock.now()
        if lease is not None and lease.holder != me and lease.until > now:
            session.rollback()
            return None
        if lease is None:
            lease = JobLease(name=name, holder=me, until=now + LEASE)
            session.add(lease)
        else:
            lease.holder, lease.until = me, now + LEASE
        session.commit()
    return lease


def held_by(session: Session, name: str) -> JobLease | None:
    """The lease as it stands (read without taking any lock)."""
    return session.scalars(select(JobLease).where(JobLease.name == name)).first()


def release(session: Session, name: str, me: str) -> None:
    with writing(session):
        lock_key(session, "job", name)
        lease = session.get(JobLease, name)
        if lease is not None and lease.holder == me:
            lease.until = clock.now()
        session.commit()
