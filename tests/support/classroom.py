"""Classroom sessions for tests: made directly in the database, at Jakarta times."""

from datetime import datetime, timedelta

from lms.classroom import schedule
from lms.core import clock
from lms.core.extensions import db as _db
from lms.models import ClassSeat, ClassSession, RoleGrant

# A Wednesday morning in March: no year end, no leap day, no holiday in the way.
START = datetime(2027, 3, 10, 9, 0, tzinfo=clock.JAKARTA)


def make_session(course, facilitator, starts=START, hours=2, audience=None, capacity=20,
                 modules=None, by=None):
    cs = ClassSession(course_id=course.id, starts_at=starts,
                      ends_at=starts + timedelta(hours=hours), place="Ruang rapat",
                      capacity=capacity, facilitator_id=facilitator.id,
                      scheduled_by_id=(by or facilitator).id, scheduled_as="trainer",
                      audience_opd_id=audience.id if audience else None)
    cs.modules = schedule.creditable(course) if modules is None else modules
    _db.session.add(cs)
    _db.session.commit()
    return cs


def seat(cs, employee):
    row = ClassSeat(session_id=cs.id, employee_id=employee.id)
    _db.session.add(row)
    _db.session.commit()
    return row


def make_champion(employee, unit):
    employee.grants.append(RoleGrant(role="champion", opd_id=unit.id))
    _db.session.commit()
    return employee
