"""Who may act on whose account; logging out ends that session; absolute links come from
PUBLIC_BASE_URL, never the Host header; set-password mail goes out after the commit."""

import io
import re
import sqlite3

import pytest
from sqlalchemy import func, select, text

from lms.models import AuditEvent, Employee
from tests.support.factories import make_employee
from tests.support.http import csrf_token, login

ADMIN_NIP = "197001011995031001"
HR_NIP = "198811112012012005"
TRAINER_NIP = "198202022009021006"
LINK = re.compile(r"https?://[^\s<\"]+/atur-sandi/[^\s<\"]+")


@pytest.fixture
def privileged(db, org, people):
    """An admin, an HR officer (of one kelurahan) and a trainer, all working inside
    Kecamatan Pamulang, so the kecamatan's HR sees them in its reports."""
    made = {"admin": make_employee(ADMIN_NIP, org["kel1"], "Admin Kec", roles=["admin"]),
            "hr": make_employee(HR_NIP, org["kel2"], "HR Kel", roles=[("hr", org["kel2"])]),
            "trainer": make_employee(TRAINER_NIP, org["kel1"], "Pelatih Kec",
                                     roles=["trainer"])}
    db.session.commit()
    return made


def _links_made(db) -> int:
    return db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "password_link"))


# --- 1. nobody acts on an account more privileged than their own ------------------------

@pytest.mark.parametrize("actor", ["hr_city", "hr_kec"])
@pytest.mark.parametrize("target", ["admin", "hr", "trainer"])
def test_hr_may_not_make_a_password_link_for_a_role_holder(client, db, people, privileged,
                                                           actor, target):
    assert login(client, people[actor].nip).status_code == 302
    nip = privileged[target].nip
    token = csrf_token(client, "/laporan/")
    refused = client.post(f"/laporan/pegawai/{nip}/tautan-sandi", data={"csrf_token": token})
    assert refused.status_code == 403
    assert "/atur-sandi/" not in refused.get_data(as_text=True)
    assert _links_made(db) == 0
    page = client.get(f"/laporan/pegawai/{nip}")  # in scope: HR still sees the reports
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "/tautan-sandi" not in html
    assert "Hanya admin yang dapat membuat tautan kata sandi" in html


def test_hr_may_not_make_a_link_for_another_hr_outside_its_scope(client, db, people):
    assert login(client, people["hr_kec"].nip).status_code == 302
    token = csrf_token(client, "/laporan/")
    assert client.post(f"/laporan/pegawai/{people['hr_city'].nip}/tautan-sandi",
                       data={"csrf_token": token}).status_code == 404
    assert _links_made(db) == 0


@pytest.mark.parametrize("actor", ["hr_city", "hr_kec"])
def test_hr_makes_links_for_plain_learners_in_scope(client, db, people, privileged, actor):
    assert login(client, people[actor].nip).status_code == 302
    nip = people["learner"].nip
    assert "/tautan-sandi" in client.get(f"/laporan/pegawai/{nip}").get_data(as_text=True)
    token = csrf_token(client, "/laporan/")
    page = client.post(f"/laporan/pegawai/{nip}/tautan-sandi", data={"csrf_token": token})
    assert page.status_code == 200 and LINK.search(page.get_data(as_text=True))
    assert _links_made(db) == 1


@pytest.mark.parametrize("target", ["admin", "hr", "trainer"])
def test_an_admin_makes_links_for_role_holders(client, db, org, people, privileged, target):
    make_employee("196501011990031001", org["bkpsdm"], "Admin Kota", roles=["admin"])
    db.session.commit()
    assert login(client, "196501011990031001").status_code == 302
    token = csrf_token(client, "/admin/peran")
    page = client.post(f"/admin/peran/{privileged[target].nip}/tautan-sandi",
                       data={"csrf_token": token})
    assert page.status_code == 200 and LINK.search(page.get_data(as_text=True))
    assert _links_made(db) == 1


IMPORT_HEADER = b"nip,nama,email,jabatan,opd_kode,jenis_pegawai,aktif\n"


def _import(client, rows: bytes, action="apply", deactivate=False):
    token = csrf_token(client, "/laporan/impor-pegawai")
    data = {"csrf_token": token, "action": action,
            "file": (io.BytesIO(IMPORT_HEADER + rows), "pegawai.csv")}
    if deactivate:
        data["deactivate_missing"] = "y"
    return client.post("/laporan/impor-pegawai", data=data,
                       content_type="multipart/form-data")


def test_hr_import_cannot_change_a_role_holder(client, db, people, privileged):
    """Else HR could put its own address on an admin's account and wait for a link."""
    assert login(client, people["hr_city"].nip).status_code == 302
    page = _import(client, b"198609262015051001,Rina Sari,,Staf,KEC-PML.01,PNS,ya\n"
                           + ADMIN_NIP.encode() + b",Admin Kec,hr@jahat.example,,KEC-PML.01,"
                           b"PNS,ya\n")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert (f"Baris 3: NIP {ADMIN_NIP} memegang peran (admin, kepegawaian atau pelatih): "
            "hanya admin yang dapat mengubah data orang ini") in html
    db.session.expire_all()
    admin = db.session.get(Employee, privileged["admin"].id)
    assert admin.email is None and admin.position == ""


def test_hr_import_does_not_deactivate_role_holders_missing_from_the_file(client, db, people,
                                                                         privileged):
    assert login(client, people["hr_city"].nip).status_code == 302
    rows = b"".join(f"{p.nip},{p.name},,,{p.opd.code},PNS,ya\n".encode()
                    for p in (people["learner"], people["hr_city"]))
    check = _import(client, rows, action="check", deactivate=True).get_data(as_text=True)
    assert "Tetap aktif (memegang peran; hanya admin yang dapat menonaktifkannya)" in check
    assert _import(client, rows, deactivate=True).status_code == 302
    db.session.expire_all()
    active = dict(db.session.execute(select(Employee.nip, Employee.active)).all())
    assert active[people["other"].nip] is False  # a plain learner: deactivated
    assert all(active[p.nip] for p in privileged.values())
    assert active[people["hr_kec"].nip] and active[people["trainer"].nip]


def test_admin_import_changes_and_deactivates_role_holders(client, db, org, people,
                                                           privileged):
    make_employee("196501011990031001", org["bkpsdm"], "Admin Kota", roles=["admin"])
    db.session.commit()
    assert login(client, "196501011990031001").status_code == 302
    token = csrf_token(client, "/admin/pegawai/impor")
    rows = (b"196501011990031001,Admin Kota,,,BKPSDM,PNS,ya\n"
            + ADMIN_NIP.encode() + b",Admin Kec,admin@contoh.go.id,,KEC-PML.01,PNS,ya\n")
    response = client.post("/admin/pegawai/impor", data={
        "csrf_token": token, "action": "apply", "deactivate_missing": "y",
        "file": (io.BytesIO(IMPORT_HEADER + rows), "p.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Employee, privileged["admin"].id).email == "admin@contoh.go.id"
    assert db.session.get(Employee, privileged["trainer"].id).active is False


# --- 2. logging out ends that session, and only that one -------------------------------

def test_a_session_cookie_saved_before_logout_no_longer_opens_pages(app, people):
    phone, laptop, thief = app.test_client(), app.test_client(), app.test_client()
    nip = people["learner"].nip
    assert login(phone, nip).status_code == 302
    assert login(laptop, nip).status_code == 302
    saved = phone.get_cookie("session").value
    assert phone.get("/data-saya").status_code == 200
    assert phone.post("/keluar", data={"csrf_token": csrf_token(phone, "/")}).status_code == 302
    thief.set_cookie("session", saved)
    replayed = thief.get("/data-saya")
    assert replayed.status_code == 302 and replayed.headers["Location"].startswith("/masuk")
    assert laptop.get("/data-saya").status_code == 200  # the other session stays


def test_the_session_is_checked_in_the_query_that_loads_the_person(app, db, client, people):
    from sqlalchemy import event
    assert login(client, people["learner"].nip).status_code == 302
    statements = []

    def seen(_conn, _cursor, statement, *_args):
        statements.append(" ".join(statement.split()).lower())

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        assert client.get("/data-saya").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    loading = [s for s in statements if "from employee" in s and "login_session" in s]
    assert len(loading) == 1
    assert sum("login_session" in s for s in statements) == 1  # no second look-up
    assert not any(s.startswith(("insert", "update", "delete")) for s in statements)


def test_a_remember_cookie_for_a_logged_out_session_opens_nothing(app, people):
    from flask_login.utils import encode_cookie
    phone, thief = app.test_client(), app.test_client()
    assert login(phone, people["learner"].nip).status_code == 302
    user_id = app.session_interface.get_signing_serializer(app).loads(
        phone.get_cookie("session").value)["_user_id"]
    with app.test_request_context():
        remember = encode_cookie(user_id)
    phone.post("/keluar", data={"csrf_token": csrf_token(phone, "/")})
    thief.set_cookie(app.config.get("REMEMBER_COOKIE_NAME", "remember_token"), remember)
    assert thief.get("/data-saya").status_code == 302


def test_a_password_change_still_ends_every_session(app, db, people):
    phone, laptop = app.test_client(), app.test_client()
    for client in (phone, laptop):
        assert login(client, people["learner"].nip).status_code == 302
    people["learner"].auth_epoch += 1
    db.session.commit()
    assert phone.get("/data-saya").status_code == 302
    assert laptop.get("/data-saya").status_code == 302


def test_expired_sessions_end_and_are_cleared_at_the_next_login(app, db, people, frozen):
    from datetime import timedelta

    from lms.core import clock
    from lms.models import LoginSession
    morning = app.test_client()
    assert login(morning, people["learner"].nip).status_code == 302
    frozen.move_to(clock.now() + timedelta(seconds=app.config["PERMANENT_SESSION_LIFETIME"]
                                           + 60))
    assert morning.get("/data-saya").status_code == 302
    assert login(app.test_client(), people["learner"].nip).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(LoginSession)) == 1


# --- 3. absolute links come from PUBLIC_BASE_URL ----------------------------------------

def _from_evil_host(client) -> dict:
    """Headers of a request to this site carrying a forged Host. The test client picks
    cookies by Host, so the session cookie is copied to it (an attacker sends their own
    request, with their own session, to their own HR page: cookies are no obstacle)."""
    client.set_cookie("session", client.get_cookie("session").value, domain="evil.example")
    return {"Host": "evil.example"}


def _body(message) -> str:
    return message.get_payload(decode=True).decode()


def test_the_emailed_link_ignores_the_host_header(app, client, db, org, monkeypatch,
                                                  smtp_server):
    start, received = smtp_server
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", start())
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://melek.contoh.go.id")
    person = make_employee("199501012020121001", org["kel1"], "Budi", password=False)
    person.email = "budi@contoh.go.id"
    make_employee(ADMIN_NIP, org["kominfo"], "Admin", roles=["admin"])
    db.session.commit()
    assert login(client, ADMIN_NIP).status_code == 302
    token = csrf_token(client, "/admin/peran")
    page = client.post(f"/admin/peran/{person.nip}/tautan-sandi", data={"csrf_token": token},
                       headers=_from_evil_host(client))
    assert page.status_code == 200, page.get_data(as_text=True)
    [message] = received
    [link] = LINK.findall(_body(message))
    assert link.startswith("https://melek.contoh.go.id/atur-sandi/")
    assert "evil.example" not in _body(message)


def test_the_link_on_screen_ignores_the_host_header(app, client, db, people, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://melek.contoh.go.id/")
    assert login(client, people["hr_city"].nip).status_code == 302
    token = csrf_token(client, "/laporan/")
    page = client.post(f"/laporan/pegawai/{people['learner'].nip}/tautan-sandi",
                       data={"csrf_token": token}, headers=_from_evil_host(client))
    [link] = LINK.findall(page.get_data(as_text=True))
    assert link.startswith("https://melek.contoh.go.id/atur-sandi/")


def test_trusted_hosts_refuse_other_host_headers(app, client, people, monkeypatch):
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", ["melek.contoh.go.id", "localhost"])
    assert client.get("/masuk").status_code == 200
    refused = client.get("/masuk", headers={"Host": "evil.example"})
    assert refused.status_code == 400


# --- 4. the password link is committed before the mail goes out -------------------------

def test_the_link_is_committed_before_the_mail_is_sent(app, client, db, org, people,
                                                       monkeypatch, smtp_server):
    start, received = smtp_server
    seen, engine = [], db.engine

    def check(_envelope):  # another connection, as another worker would see the database
        with engine.connect() as conn:
            seen.append(conn.execute(text(
                "SELECT count(*) FROM audit_event WHERE action = 'password_link'")).scalar())
        if engine.dialect.name == "sqlite":  # and another writer gets the write lock
            other = sqlite3.connect(engine.url.database, timeout=0.1, isolation_level=None)
            try:
                other.execute("BEGIN IMMEDIATE")
                other.execute("ROLLBACK")
                seen.append("lock free")
            finally:
                other.close()

    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", start(check))
    people["learner"].email = "rina@contoh.go.id"
    db.session.commit()
    assert login(client, people["hr_city"].nip).status_code == 302
    token = csrf_token(client, "/laporan/")
    page = client.post(f"/laporan/pegawai/{people['learner'].nip}/tautan-sandi",
                       data={"csrf_token": token})
    assert page.status_code == 200 and len(received) == 1
    sqlite = db.engine.dialect.name == "sqlite"
    assert seen == ([1, "lock free"] if sqlite else [1])
    assert "rina@contoh.go.id" in page.get_data(as_text=True)
    assert not LINK.search(page.get_data(as_text=True))  # emailed, not shown


def test_when_the_mail_fails_the_link_is_shown_and_still_works(app, client, db, org, people,
                                                              monkeypatch, smtp_server):
    start, received = smtp_server
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", start(lambda _e: "554 Ditolak"))
    people["learner"].email = "rina@contoh.go.id"
    db.session.commit()
    assert login(client, people["hr_city"].nip).status_code == 302
    token = csrf_token(client, "/laporan/")
    page = client.post(f"/laporan/pegawai/{people['learner'].nip}/tautan-sandi",
                       data={"csrf_token": token})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Email ke rina@contoh.go.id tidak dapat dikirim" in html
    [link] = LINK.findall(html)
    path = link.split("localhost", 1)[1]
    user = app.test_client()
    form_token = csrf_token(user, path)
    good = "kopi-hujan-sepeda-melati"
    assert user.post(path, data={"csrf_token": form_token, "password": good,
                                 "confirm": good}).status_code == 302
    assert login(user, people["learner"].nip, good).status_code == 302
    events = [(e.action, e.target) for e in db.session.scalars(select(AuditEvent).where(
        AuditEvent.action.like("password_link%")).order_by(AuditEvent.id))]
    assert events == [("password_link", people["learner"].nip),
                      ("password_link_mail_failed", people["learner"].nip)]
