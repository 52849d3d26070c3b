"""Issue 16, HR and admins: where they land after login, the language they chose, and the
employee import that applies the checked file."""

import io

from openpyxl import load_workbook
from sqlalchemy import func, select

from lms.models import Employee, PendingImport
from tests.support.factories import make_employee
from tests.support.http import csrf_token, login

HEADER = b"nip,nama,email,jabatan,opd_kode,jenis_pegawai,aktif\n"
ADMIN = "197001011995031001"


def test_hr_and_admins_land_on_their_work_page(client, db, org, people):
    make_employee(ADMIN, org["kominfo"], "Admin", roles=["admin"])
    db.session.commit()
    for nip, page in ((people["hr_city"].nip, "/laporan/"), (ADMIN, "/admin/opd"),
                      (people["learner"].nip, "/")):
        response = login(client, nip)
        assert response.status_code == 302 and response.headers["Location"] == page, nip
        assert client.get("/masuk").headers["Location"] == page  # already signed in
        client.post("/keluar", data={"csrf_token": csrf_token(client, page)})
    response = client.post("/masuk?next=/katalog", data={
        "nip": people["hr_city"].nip, "password": "rahasia-uji-123",
        "csrf_token": csrf_token(client)})
    assert response.headers["Location"] in ("/katalog", "/laporan/")


def test_the_language_chosen_before_login_is_kept_and_saved(client, db, people):
    people["hr_city"].locale = "id"
    db.session.commit()
    token = csrf_token(client)
    client.post("/bahasa", data={"csrf_token": token, "lang": "en", "next": "/masuk"})
    assert "Log in" in client.get("/masuk").get_data(as_text=True)
    login(client, people["hr_city"].nip)
    assert 'lang="en"' in client.get("/laporan/").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Employee, people["hr_city"].id).locale == "en"


def _admin(client, db, org):
    make_employee(ADMIN, org["kominfo"], "Admin", roles=["admin"])
    db.session.commit()
    assert login(client, ADMIN).status_code == 302
    return client


def _check(client, data: bytes):
    token = csrf_token(client, "/admin/pegawai/impor")
    return client.post("/admin/pegawai/impor", data={
        "csrf_token": token, "action": "check", "file": (io.BytesIO(data), "pegawai.csv")},
        content_type="multipart/form-data")


def test_the_checked_file_is_applied_without_choosing_it_again(client, db, org, people):
    _admin(client, db, org)
    data = HEADER + (b"199501012020011001,Ani Baru,,Staf,KEC-PML.01,PNS,ya\n"
                     b"198609262015051001,Rina Sari,,Staf,DISKOMINFO.APTIKA,PNS,ya\n")
    page = _check(client, data).get_data(as_text=True)
    assert "Ani Baru" in page and "KEC-PML.01" in page  # the row to create, by name
    assert "Akan dibuat (1)" in page and "Akan pindah ke OPD lain (1)" in page
    assert db.session.scalar(select(func.count(Employee.id))) == 6  # nothing yet
    kept = db.session.scalars(select(PendingImport.id)).one()
    token = csrf_token(client, "/admin/pegawai/impor")
    response = client.post("/admin/pegawai/impor", data={
        "csrf_token": token, "action": "apply_checked", "pending": str(kept)})
    assert response.status_code == 302
    page = client.get("/admin/pegawai/impor").get_data(as_text=True)
    assert "Selesai: 1 dibuat, 1 diperbarui (1 dipindah), 0 dinonaktifkan" in page
    assert db.session.scalar(select(func.count(PendingImport.id))) == 0
    new = db.session.scalars(select(Employee).filter_by(nip="199501012020011001")).one()
    assert new.name == "Ani Baru" and new.password_hash is None
    # The new person cannot log in yet: the page offers a set-password link.
    assert "Orang baru tanpa kata sandi" in page
    assert f'action="/admin/peran/{new.nip}/tautan-sandi"' in page
    # The same id again: nothing is kept any more, nothing applied twice.
    again = client.post("/admin/pegawai/impor", data={
        "csrf_token": token, "action": "apply_checked", "pending": str(kept)})
    assert again.status_code == 302
    assert db.session.scalar(select(func.count(Employee.id))) == 7


def test_apply_refuses_when_the_data_changed_since_the_check(client, db, org, people):
    _admin(client, db, org)
    _check(client, HEADER + b"199501012020011001,Ani Baru,,Staf,KEC-PML.01,PNS,ya\n")
    kept = db.session.scalars(select(PendingImport)).one()
    make_employee("199501012020011001", org["kel1"], "Ani Lama")  # created meanwhile
    db.session.commit()
    token = csrf_token(client, "/admin/pegawai/impor")
    page = client.post("/admin/pegawai/impor", data={
        "csrf_token": token, "action": "apply_checked", "pending": str(kept.id)}
    ).get_data(as_text=True)
    assert "Ada yang berubah sejak pemeriksaan" in page
    assert db.session.get(Employee, db.session.scalars(select(Employee.id).filter_by(
        nip="199501012020011001")).one()).name == "Ani Lama"


def test_someone_elses_checked_file_cannot_be_applied(client, db, org, people):
    _admin(client, db, org)
    _check(client, HEADER + b"199501012020011001,Ani Baru,,Staf,KEC-PML.01,PNS,ya\n")
    kept = db.session.scalars(select(PendingImport)).one()
    client.post("/keluar", data={"csrf_token": csrf_token(client, "/admin/")})
    login(client, people["hr_city"].nip)
    token = csrf_token(client, "/laporan/impor-pegawai")
    response = client.post("/laporan/impor-pegawai", data={
        "csrf_token": token, "action": "apply_checked", "pending": str(kept.id)})
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(Employee.id))) == 6


def test_the_template_file_has_the_columns_and_a_text_nip_column(client, db, org, people):
    _admin(client, db, org)
    response = client.get("/admin/pegawai/impor/contoh.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.get_data()))
    sheet = book["pegawai"]
    assert [c.value for c in sheet[1]] == ["nip", "nama", "email", "jabatan", "opd_kode",
                                           "jenis_pegawai", "aktif"]
    assert sheet.column_dimensions["A"].number_format == "@"
    assert "contoh.xlsx" in client.get("/admin/pegawai/impor").get_data(as_text=True)
    client.post("/keluar", data={"csrf_token": csrf_token(client, "/admin/")})
    login(client, people["hr_kec"].nip)
    assert client.get("/laporan/impor-pegawai/contoh.xlsx").status_code == 403


def test_every_audit_action_has_words_and_no_raw_braces(client, db, org, people):
    from lms.audit.labels import ACTION_LABELS
    from lms.core.audit import ACTIONS
    assert set(ACTIONS) == set(ACTION_LABELS)
    _admin(client, db, org)
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "<td>login</td>" not in page and "{}" not in page
    assert "<td>Masuk</td>" in page


def test_audit_details_are_in_words(client, db, org, people):
    from lms.core import audit
    _admin(client, db, org)
    audit.record(db.session, "login_refused", nip="199901012020011001", address="10.0.0.9",
                 details={"method": "oidc", "reason": "inactive"})
    audit.record(db.session, "export", actor=people["hr_city"], target="pegawai",
                 details={"format": "xlsx", "filters": {"opd": "KEC-PML"}})
    audit.record(db.session, "password_link", actor=people["hr_city"],
                 target=people["learner"].nip, details={"emailed": True, "brand_new": 3})
    db.session.commit()
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "cara masuk: akun Pemkot (OpenID Connect); alasan: pegawai tidak aktif" in page
    assert "format: XLSX; filter: opd=KEC-PML" in page
    # A key the labels do not know yet shows as recorded rather than vanishing.
    assert "dikirim lewat email: ya; brand_new: 3" in page
    assert "method:" not in page and "emailed" not in page
