"""Demo classroom sessions (lms/demo/seed.py calls `add` last), so the pages show real
figures: a digital champion for Kelurahan Pamulang Barat (the demo learner's unit), a
past session of the trainer's for Kecamatan Pamulang with attendance (modules credited
as a real check-in would), and a coming one of the champion's with sign-ups."""

import random
from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.classroom import attendance, schedule
from lms.core import clock
from lms.learning.catalogue import published_filter
from lms.models import (
    ClassSeat,
    ClassSession,
    Course,
    Employee,
    Enrollment,
    Opd,
    RoleGrant,
)

UNIT, KECAMATAN = "KEC-PML.04", "KEC-PML"
COURSE = "literasi-digital-dasar"  # else the first published course with a module to credit


def _at(days: int, hour: int) -> datetime:
    return datetime.combine(clock.today() + timedelta(days=days), time(hour),
                            tzinfo=clock.JAKARTA)


def _people(session: Session, code: str) -> list[Employee]:
    node = session.scalars(select(Opd).where(Opd.code == code)).one()
    return list(session.scalars(select(Employee).join(Opd, Opd.id == Employee.opd_id)
                                .where(Opd.path.startswith(node.path), Employee.active)
                                .order_by(Employee.id)))


def champion(session: Session, skip: set[int]) -> Employee | None:
    """The unit's champion: the one already granted, else its first plain employee
    (None in a demo too small to have one there)."""
    unit = session.scalars(select(Opd).where(Opd.code == UNIT)).one()
    found = session.scalars(select(Employee).join(RoleGrant).where(
        RoleGrant.role == "champion", RoleGrant.opd_id == unit.id)).first()
    if found is not None:
        return found
    found = next((e for e in _people(session, UNIT) if e.id not in skip and not e.grants),
                 None)
    if found is None:
        return None
    found.grants.append(RoleGrant(role="champion", opd_id=unit.id))
    session.flush()
    return found


def add(session: Session, rng: random.Random, trainer: Employee, learner: Employee,
        accounts: set[int]) -> list[ClassSession]:
    courses = sorted(session.scalars(select(Course).where(*published_filter())),
                     key=lambda c: (c.slug != COURSE, c.position, c.slug))
    course = next((c for c in courses if schedule.creditable(c)), None)
    if course is None:
        return []
    past = _session(session, course, trainer, _at(-14, 9), 3, 25, KECAMATAN)
    started = set(session.scalars(select(Enrollment.employee_id)
                                  .where(Enrollment.course_id == course.id)))
    fresh = [e for e in _people(session, KECAMATAN) if e.id not in started | accounts]
    for person in rng.sample(fresh, min(18, len(fresh))):
        seat = _seat(session, past, person, past.starts_at - timedelta(days=rng.randint(1, 6)))
        if rng.random() < 0.8:
            via = rng.choice(["code", "code", "tick"])
            attendance.mark(session, past, seat, via, past.starts_at + timedelta(
                minutes=rng.randint(-10, 20)))
    duta = champion(session, accounts)
    if duta is None:
        return [past]
    coming = _session(session, course, duta, _at(7, 13), 2, 20, UNIT)
    _seat(session, coming, learner, clock.now() - timedelta(days=1))
    others = [e for e in _people(session, UNIT) if e.id not in accounts | {duta.id}]
    for person in rng.sample(others, min(7, len(others))):
        _seat(session, coming, person, clock.now() - timedelta(hours=rng.randint(1, 72)))
    session.flush()
    return [past, coming]


def _session(session, course, by, starts, hours, capacity, code) -> ClassSession:
    audience = session.scalars(select(Opd).where(Opd.code == code)).one()
    cs = ClassSession(course=course, starts_at=starts, ends_at=starts + timedelta(hours=hours),
                      place=f"Aula {audience.name}", capacity=capacity, facilitator_id=by.id,
                      scheduled_by_id=by.id, audience_opd_id=audience.id,
                      scheduled_as="champion" if code == UNIT else "trainer",
                      created_at=starts - timedelta(days=10))
    cs.modules = schedule.creditable(course)
    session.add(cs)
    session.flush()
    return cs


def _seat(session, cs, person, at) -> ClassSeat:
    seat = ClassSeat(session_id=cs.id, employee_id=person.id, signed_up_at=at)
    session.add(seat)
    session.flush()
    return seat
