"""Fixtures of the reminder and digest tests: a real SMTP server wired in, and a mandatory
course due on Monday 14 December 2026 for Kecamatan Pamulang."""

from datetime import date

import pytest
from sqlalchemy import update

from lms.mandatory import assignments
from lms.models import Employee
from tests.support.factories import make_employee
from tests.support.nudges import DUE, JOINED, at


@pytest.fixture
def mailbox(app, smtp_server, monkeypatch):
    start, received = smtp_server
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", start())
    return received


@pytest.fixture
def assigned(db, org, people, course, frozen):
    """Dasar due Monday 14 December 2026 for Kecamatan Pamulang, assigned on 1 December:
    Rina (email), Agus (email, finishes on 12 December) and Wati (no email); Budi at
    Diskominfo is outside. Everyone joined long before (no new-staff grace), whatever
    moment the suite runs at."""
    frozen.move_to(at(date(2026, 12, 1)))
    rina = people["learner"]
    rina.email = "rina@example.go.id"
    agus = make_employee("199101012019031005", org["kel2"], "Agus Salim")
    agus.email = "agus@example.go.id"
    wati = make_employee("199202022019032006", org["kel2"], "Wati")
    people["other"].email = "budi@example.go.id"
    db.session.execute(update(Employee).values(created_at=JOINED))
    assignments.create(db.session, course=course, due_date=DUE, opd=org["kec"], by=None)
    db.session.commit()
    return {"rina": rina, "agus": agus, "wati": wati, "course": course}
