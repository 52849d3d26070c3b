"""The HR reports' test organisation, planted on a fixed December day (2 December 2026: a
course due a month later falls in January, when HR must still see it)."""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import update

from lms.learning import progress
from lms.mandatory import assignments
from lms.models import Employee

from .factories import make_employee
from .http import login

TODAY = date(2026, 12, 2)
PAST, FUTURE = TODAY - timedelta(days=5), TODAY + timedelta(days=30)
JANUARY = date(2027, 1, 15)
JOINED = datetime(2020, 1, 1, tzinfo=UTC)


def plant(db, org, people, course):
    """Kecamatan Pamulang must finish 'dasar', already overdue. In it: the learner
    (completed), Ahmad (started), Staf (not started, PPPK), HR kec (not started).
    Diskominfo's Budi started voluntarily."""
    first, second = course.current_modules
    for module in (first, second):
        progress.complete_module(db.session, people["learner"].id, module)
    ahmad = make_employee("198505052010012001", org["kel2"], "Ahmad Kel2")
    progress.complete_module(db.session, ahmad.id, second)
    make_employee("198808082015011002", org["kec"], "Staf Kecamatan", employment_type="pppk")
    progress.enroll(db.session, people["other"].id, course)
    # Everyone joined long before the assignment: no new-staff grace, whatever time of
    # day the suite runs (the people fixture is made on the real clock).
    db.session.execute(update(Employee).values(created_at=JOINED))
    assignments.create(db.session, course=course, due_date=PAST, opd=org["kec"],
                       by=people["hr_city"])
    db.session.commit()
    return org


def as_hr(client, people, who="hr_city"):
    assert login(client, people[who].nip).status_code == 302
    return client


def rows_by_code(rows):
    return {r[0]: r[:4] for r in rows[1:]}
