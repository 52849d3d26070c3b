"""Heads planted over the HR reports' organisation (tests/support/reports.py)."""

from sqlalchemy import select

from lms.core import clock
from lms.learning import progress
from lms.mandatory import assignments
from lms.models import Employee
from lms.org import heads

from .factories import make_employee
from .reports import JOINED

STAF_KEL1 = "199101012019031005"


def plant_heads(db, org, people, course):
    """Kelurahan Benda Baru: the learner heads it (completed) and Staf Kel1 completes too;
    Kecamatan Pamulang: Staf Kecamatan heads it (not completed), over Ahmad (kel2, no
    head of its own) and HR kec; Diskominfo: Budi heads it (outside the kecamatan)."""
    staff = make_employee(STAF_KEL1, org["kel1"], "Staf Kel1")
    staff.created_at = JOINED
    assignments.rebuild_employees(db.session, lambda c: c == staff.id)
    for module in course.current_modules:
        progress.complete_module(db.session, staff.id, module)
    camat = db.session.scalars(select(Employee).filter_by(name="Staf Kecamatan")).one()
    today = clock.today()
    for node, person in ((org["kel1"], people["learner"]), (org["kec"], camat),
                         (org["kominfo"], people["other"])):
        heads.appoint(db.session, node, person, today=today, source="admin", by=None)
    db.session.commit()
