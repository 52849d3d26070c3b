"""With PASSWORD_LOGIN=admins-only a Melek password opens only an admin's account, so
nothing may set one for anyone else: no set-password link, no activation letter, and a
link made before the switch says how to sign in instead of setting a useless password."""

import pytest
from sqlalchemy import func, select

from lms.models import ActivationCode, AuditEvent
from lms.people import passwords
from tests.support.factories import make_employee
from tests.support.http import csrf_token, login

ADMIN = "196512311990031001"


@pytest.fixture
def admin(client, org):
    make_employee(ADMIN, org["bkpsdm"], "Admin", roles=["admin"])
    assert login(client, ADMIN).status_code == 302
    return client


@pytest.fixture
def admins_only(app, monkeypatch):
    monkeypatch.setitem(app.config, "PASSWORD_LOGIN", "admins-only")


def _audited(db, action) -> int:
    return db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == action))


def test_no_password_link_for_someone_who_signs_in_with_the_city_account(
        admin, admins_only, people, db):
    learner = people["learner"]
    response = admin.post(f"/admin/peran/{learner.nip}/tautan-sandi", data={
        "csrf_token": csrf_token(admin, f"/admin/peran?nip={learner.nip}")},
        follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "masuk dengan akun Pemkot" in page and "/atur-sandi/" not in page
    assert _audited(db, "password_link") == 0


def test_an_admin_still_gets_a_link(admin, admins_only, org, db):
    other = make_employee("196601011991031002", org["bkpsdm"], "Admin Dua", roles=["admin"])
    response = admin.post(f"/admin/peran/{other.nip}/tautan-sandi", data={
        "csrf_token": csrf_token(admin, f"/admin/peran?nip={other.nip}")})
    assert response.status_code == 200 and "/atur-sandi/" in response.get_data(as_text=True)
    assert _audited(db, "password_link") == 1


def test_a_link_made_before_the_switch_sets_nothing(app, client, admins_only, people, db):
    learner = people["learner"]
    before = learner.password_hash
    token = passwords.make_token(app.config["SECRET_KEY"], learner)
    page = client.get(f"/atur-sandi/{token}")
    assert page.status_code == 409
    assert "Masuk dengan akun Pemkot" in page.get_data(as_text=True)
    posted = client.post(f"/atur-sandi/{token}", data={
        "csrf_token": csrf_token(client, "/masuk"), "password": "kopi-hujan-sepeda-melati",
        "confirm": "kopi-hujan-sepeda-melati"})
    assert posted.status_code == 409
    db.session.refresh(learner)
    assert learner.password_hash == before and _audited(db, "password_set") == 0


def test_the_same_link_works_while_every_password_counts(app, client, people):
    token = passwords.make_token(app.config["SECRET_KEY"], people["learner"])
    assert client.get(f"/atur-sandi/{token}").status_code == 200


def test_activation_and_first_access_are_off(admin, admins_only, db):
    page = admin.get("/admin/akses-pertama").get_data(as_text=True)
    assert "PASSWORD_LOGIN=admins-only" in page and "/admin/akses-pertama/surat" not in page
    token = csrf_token(admin, "/admin/peran")
    letters = admin.post("/admin/akses-pertama/surat", data={
        "letters-csrf_token": token, "letters-opd": "KEC-PML"})
    links = admin.post("/admin/akses-pertama/tautan", data={
        "links-csrf_token": token, "links-opd": ""})
    assert letters.status_code == links.status_code == 409
    assert db.session.scalar(select(func.count(ActivationCode.id))) == 0
    admin.post("/keluar", data={"csrf_token": token})
    assert admin.get("/aktivasi").status_code == 409


def test_hr_sees_why_there_is_no_link_button(client, app, monkeypatch, people):
    assert login(client, people["hr_city"].nip).status_code == 302
    monkeypatch.setitem(app.config, "PASSWORD_LOGIN", "admins-only")  # signed in before
    page = client.get(f"/laporan/pegawai/{people['learner'].nip}").get_data(as_text=True)
    assert "masuk dengan akun Pemkot" in page and "tautan-sandi" not in page
