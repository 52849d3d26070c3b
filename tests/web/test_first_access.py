"""First access at scale: set-password links by email for many people at once (never
twice by accident), and printed activation letters whose codes work once, for one person,
throttled and audited."""

import io
import re
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from lms.models import AccessLink, ActivationCode, AuditEvent
from tests.support.certificates import pdf_text, qr_codes
from tests.support.factories import make_employee
from tests.support.http import csrf_token, login

CODE = re.compile(r"\b([A-Z2-9]{4}-[A-Z2-9]{4})\b")
NEW_PASSWORD = "kopi-hujan-sepeda-melati"


@pytest.fixture
def newcomers(org, people):
    """Three people of Kecamatan Pamulang without a password (two with email), one at
    Diskominfo."""
    made = {
        "agus": make_employee("199101012019031001", org["kel1"], "Agus Salim", password=False),
        "wati": make_employee("199202022019032002", org["kel2"], "Wati Lestari",
                              password=False),
        "yani": make_employee("199303032019032003", org["kec"], "Yani Rahma", password=False),
        "dodi": make_employee("199404042019031004", org["aptika"], "Dodi", password=False),
    }
    made["agus"].email, made["yani"].email = "agus@example.go.id", "yani@example.go.id"
    made["dodi"].email = "dodi@example.go.id"
    return made


@pytest.fixture
def admin(client, org):
    make_employee("196512311990031001", org["bkpsdm"], "Admin", roles=["admin"])
    assert login(client, "196512311990031001").status_code == 302
    return client


@pytest.fixture
def mailbox(app, smtp_server, monkeypatch):
    start, received = smtp_server
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", start())
    return received


def _letters(client, opd="KEC-PML", base="/admin", **extra):
    data = {"letters-csrf_token": csrf_token(client, f"{base}/akses-pertama"),
            "letters-opd": opd, **{f"letters-{k}": "y" for k, v in extra.items() if v}}
    return client.post(f"{base}/akses-pertama/surat", data=data)


def _codes(document: bytes) -> dict[str, str]:
    """NIP (as the letter writes it, without spaces) -> code, one page each."""
    found = {}
    for page in PdfReader(io.BytesIO(document)).pages:
        text = " ".join((page.extract_text() or "").split())
        nip = re.search(r"NIP ([0-9 ]{21})", text).group(1).replace(" ", "")
        found[nip] = CODE.search(text).group(1)
    return found


def _activate(client, nip, code, password=NEW_PASSWORD, confirm=None):
    return client.post("/aktivasi", data={
        "csrf_token": csrf_token(client, "/aktivasi"), "nip": nip, "code": code,
        "password": password, "confirm": confirm or password})


def test_an_opds_letters_print_one_person_per_page(admin, newcomers, db, english):
    response = _letters(admin)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    document = response.data
    codes = _codes(document)
    # Kecamatan Pamulang and its kelurahan, without a password: not Rina (has one), not Dodi.
    assert set(codes) == {"199101012019031001", "199202022019032002", "199303032019032003"}
    assert len(PdfReader(io.BytesIO(document)).pages) == 3
    text = pdf_text(document)
    assert "Agus Salim" in text and "Kelurahan Benda Baru" in text
    assert "Berlaku sampai" in text
    # The one term the site uses for the OPD's staff officer.
    assert "petugas kepegawaian (Subbagian Umum dan Kepegawaian)" in " ".join(text.split())
    qr = qr_codes(document)
    assert sorted(qr) == sorted(f"http://localhost/aktivasi?nip={nip}" for nip in codes)
    assert not any(code in url for url in qr for code in codes.values())
    # Only an HMAC is stored.
    stored = {c.code_hash for c in db.session.scalars(select(ActivationCode))}
    assert len(stored) == 3 and not stored & {c.replace("-", "") for c in codes.values()}
    [event] = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "activation_letters"))
    assert event.target == "KEC-PML" and event.details == {"people": 3, "skipped": 0}


def test_a_code_activates_one_account_once(admin, app, newcomers, db):
    codes = _codes(_letters(admin).data)
    admin.post("/keluar", data={"csrf_token": csrf_token(admin, "/")})
    agus = newcomers["agus"]
    # Typed in lower case with a space instead of the dash: still the code.
    typed = codes[agus.nip].lower().replace("-", " ")
    response = _activate(admin, agus.nip, typed)
    assert response.status_code == 302 and response.headers["Location"] == "/masuk"
    assert login(admin, agus.nip, NEW_PASSWORD).status_code == 302
    admin.post("/keluar", data={"csrf_token": csrf_token(admin, "/")})
    assert _activate(admin, agus.nip, codes[agus.nip], "lain-kopi-hujan-sepeda").status_code \
        == 401
    assert login(admin, agus.nip, NEW_PASSWORD).status_code == 302  # unchanged
    [used] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "activation_used"))
    assert used.target == agus.nip and used.actor_id == agus.id


def test_a_code_works_only_for_its_person(admin, newcomers, db):
    codes = _codes(_letters(admin).data)
    wati = newcomers["wati"]
    assert _activate(admin, wati.nip, codes[newcomers["agus"].nip]).status_code == 401
    db.session.refresh(wati)
    assert wati.password_hash is None
    failed = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "login_failed"))
    assert [e.details for e in failed] == [{"method": "activation"}]


def test_wrong_codes_are_throttled(admin, app, newcomers, db):
    codes = _codes(_letters(admin).data)
    agus = newcomers["agus"]
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        assert _activate(admin, agus.nip, "AAAA-AAAA").status_code == 401
    assert _activate(admin, agus.nip, codes[agus.nip]).status_code == 429
    db.session.refresh(agus)
    assert agus.password_hash is None


def test_a_weak_password_keeps_the_code(admin, newcomers, db):
    codes = _codes(_letters(admin).data)
    agus = newcomers["agus"]
    response = _activate(admin, agus.nip, codes[agus.nip], "pendek")
    assert response.status_code == 400 and 'id="password-error"' in response.get_data(
        as_text=True)
    response = _activate(admin, agus.nip, codes[agus.nip], NEW_PASSWORD, "lain-lain-lain-x")
    assert response.status_code == 400
    assert _activate(admin, agus.nip, codes[agus.nip]).status_code == 302


def test_a_code_expires_after_activation_days(admin, app, newcomers, frozen):
    codes = _codes(_letters(admin).data)
    agus = newcomers["agus"]
    frozen.shift(timedelta(days=app.config["ACTIVATION_DAYS"], minutes=1))
    assert _activate(admin, agus.nip, codes[agus.nip]).status_code == 401


def test_printing_again_skips_live_letters_unless_asked(admin, newcomers, english):
    first = _codes(_letters(admin).data)
    response = _letters(admin)
    assert response.status_code == 302  # nobody left to print for
    assert "3 orang sudah memegang surat" in admin.get(response.headers["Location"]).get_data(
        as_text=True)
    second = _codes(_letters(admin, again=True).data)
    agus = newcomers["agus"].nip
    assert first[agus] != second[agus]
    assert _activate(admin, agus, first[agus]).status_code == 401  # the old letter is void
    assert _activate(admin, agus, second[agus]).status_code == 302


def test_who_may_print(client, people, newcomers, org):
    assert login(client, people["hr_kec"].nip).status_code == 302
    assert client.get("/laporan/akses-pertama").status_code == 403  # an OPD's HR
    assert "/laporan/akses-pertama" not in client.get("/laporan/").get_data(as_text=True)
    client.post("/keluar", data={"csrf_token": csrf_token(client, "/")})
    assert login(client, people["hr_city"].nip).status_code == 302
    assert 'href="/laporan/akses-pertama"' in client.get("/laporan/").get_data(as_text=True)
    assert client.get("/admin/akses-pertama").status_code == 403
    # City-wide HR prints for plain learners only: the trainer at Aptika is left out.
    codes = _codes(_letters(client, opd="DISKOMINFO", base="/laporan",
                            with_password=True).data)
    assert set(codes) == {people["other"].nip, newcomers["dodi"].nip}


def _send(client, base="/admin", **fields):
    fields.setdefault("opd", "")  # the whole city, as the page's first choice sends
    data = {"links-csrf_token": csrf_token(client, f"{base}/akses-pertama"),
            **{f"links-{k}": v for k, v in fields.items() if v not in (None, False)}}
    return client.post(f"{base}/akses-pertama/tautan", data=data)


def test_links_go_to_everyone_chosen_with_email_once(admin, newcomers, mailbox, db, english,
                                                     frozen):
    response = _send(admin, opd="KEC-PML", without_password="y")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Tautan terkirim: 2" in page
    assert "Tanpa alamat email (cetakkan surat untuk mereka): 1" in page
    assert sorted(m["To"] for m in mailbox) == ["agus@example.go.id", "yani@example.go.id"]
    link = re.search(r"http://localhost/atur-sandi/\S+", mailbox[0].get_body().get_content())
    assert admin.get(link.group(0).replace("http://localhost", "")).status_code == 200
    # Pressed again: nobody gets a second link…
    page = _send(admin, opd="KEC-PML", without_password="y").get_data(as_text=True)
    assert "Tautan terkirim: 0" in page and "dalam 72 jam terakhir: 2" in page
    assert len(mailbox) == 2
    # …unless asked (a press within a minute of the last send is taken as a double press).
    frozen.shift(timedelta(minutes=2))
    assert "Tautan terkirim: 2" in _send(admin, opd="KEC-PML", without_password="y",
                                    again="y").get_data(as_text=True)
    assert len(mailbox) == 4
    states = [a.state for a in db.session.scalars(select(AccessLink))]
    assert states == ["sent"] * 4


def test_links_for_a_list_of_nips(admin, newcomers, mailbox, english):
    nips = f"{newcomers['dodi'].nip}\n{newcomers['wati'].nip}, 123"
    page = _send(admin, nips=nips).get_data(as_text=True)
    assert "Tautan terkirim: 1" in page and "tidak ditemukan di antara pegawai aktif: 123" in page
    assert [m["To"] for m in mailbox] == ["dodi@example.go.id"]


def test_a_listed_nip_with_a_password_is_said_apart_from_not_found(admin, newcomers, people,
                                                                    mailbox, english):
    has_one = people["learner"].nip
    page = _send(admin, nips=f"{newcomers['dodi'].nip} {has_one} 123",
                 without_password="y").get_data(as_text=True)
    assert "Tautan terkirim: 1" in page
    assert "sudah punya kata sandi (hapus centang" in page and f": {has_one}</li>" in page
    assert "tidak ditemukan di antara pegawai aktif: 123</li>" in page
    assert [m["To"] for m in mailbox] == ["dodi@example.go.id"]


def test_without_mail_nothing_is_sent(admin, newcomers, db):
    assert _send(admin, opd="KEC-PML").status_code == 409
    assert db.session.scalars(select(AccessLink)).first() is None


def test_the_command_sends_with_a_progress_bar(runner, newcomers, mailbox, db):
    db.session.commit()
    result = runner.invoke(args=["lms", "send-access-links", "--without-password"])
    assert result.exit_code == 0, result.output
    assert "Terkirim 3, tidak terkirim 0" in result.output
    assert sorted(m["To"] for m in mailbox) == ["agus@example.go.id", "dodi@example.go.id",
                                                 "yani@example.go.id"]
    again = runner.invoke(args=["lms", "send-access-links", "--without-password"])
    assert "0 akan dikirimi; dilewati: 3 baru saja dikirimi" in again.output
    assert len(mailbox) == 3


def test_the_command_prints_letters(runner, newcomers, tmp_path, db):
    db.session.commit()
    out = tmp_path / "surat.pdf"
    result = runner.invoke(args=["lms", "print-activation-letters", "--opd", "KEC-PML",
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert set(_codes(out.read_bytes())) == {newcomers[n].nip for n in ("agus", "wati", "yani")}
    assert db.session.scalar(select(func.count()).select_from(ActivationCode)) == 3
