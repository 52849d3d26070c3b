"""The champion tests' unit: Kelurahan Benda Baru (KEC-PML.01) has a Duta Digital and
two colleagues; the next kelurahan, Pondok Benda (KEC-PML.02), has two people the
champion must never see. Everyone in Kecamatan Pamulang must finish 'dasar' by FUTURE."""

import re
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import update

from lms.learning import progress
from lms.mandatory import assignments
from lms.models import Employee

from .factories import make_employee
from .http import CSRF, login

TODAY = date(2026, 12, 2)
FUTURE = TODAY + timedelta(days=30)
JOINED = datetime(2020, 1, 1, tzinfo=UTC)
CHAMPION_NIP = "198912122014022003"
WATI_NIP = "199101012019032005"
AHMAD_NIP = "198505052010012001"
JOKO_NIP = "198707072012011004"


def plant(db, org, people, course):
    champion = make_employee(CHAMPION_NIP, org["kel1"], "Cahya Duta",
                             roles=[("champion", org["kel1"])])
    wati = make_employee(WATI_NIP, org["kel1"], "Wati Kel1")
    ahmad = make_employee(AHMAD_NIP, org["kel2"], "Ahmad Kel2")
    joko = make_employee(JOKO_NIP, org["kel2"], "Joko Kel2")
    first, _second = course.current_modules
    progress.complete_module(db.session, people["learner"].id, first)
    progress.complete_module(db.session, ahmad.id, first)
    progress.enroll(db.session, wati.id, course)  # opened, nothing completed
    db.session.execute(update(Employee).values(created_at=JOINED))
    assignments.create(db.session, course=course, due_date=FUTURE, opd=org["kec"],
                       by=people["hr_city"])
    db.session.commit()
    return {"champion": champion, "wati": wati, "ahmad": ahmad, "joko": joko}


def as_user(client, nip):
    assert login(client, nip).status_code == 302
    return client


TOKEN = re.compile(r'name="token"[^>]*value="([^"]+)"')


def record_form(client, **changes):
    """The pendampingan form as the page gives it (its token), with `changes`."""
    html = client.get("/duta/pendampingan/baru").get_data(as_text=True)
    data = {"csrf_token": CSRF.search(html).group(1),
            "token": TOKEN.search(html).group(1), "unit": "KEC-PML.01",
            "held_on": TODAY.isoformat(), "minutes": "90", "course": "dasar",
            "topic": "Membuka modul dari ponsel", "nips": WATI_NIP}
    data.update(changes)
    return data
