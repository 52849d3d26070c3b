"""Fixtures of the reminder and digest tests: a real SMTP server wired in, and a mandatory
course due on Monday 14 December 2026 for Kecamatan Pamulang."""


import pytest

from lms.mandatory import assignments
from tests.support.factories import make_employee
from tests.support.nudges import DUE


@pytest.fixture
def mailbox(app, smtp_server, monkeypatch):
    start, received = smtp_server
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", start())
    return received


@pytest.fixture
def assigned(db, org, people, course):
    """Dasar due Monday 14 December 2026 for Kecamatan Pamulang: Rina (email), Agus
    (email, finishes on 12 December) and Wati (no email); Budi at Diskominfo is outside."""
    rina = people["learner"]
    rina.email = "rina@example.go.id"
    agus = make_employee("199101012019031005", org["kel2"], "Agus Salim")
    agus.email = "agus@example.go.id"
    wati = make_employee("199202022019032006", org["kel2"], "Wati")
    people["other"].email = "budi@example.go.id"
    assignments.create(db.session, course=course, due_date=DUE, opd=org["kec"], by=None)
    db.session.commit()
    return {"rina": rina, "agus": agus, "wati": wati, "course": course}
