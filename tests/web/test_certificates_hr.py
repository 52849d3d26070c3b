"""Certificates as HR and admins meet them: the SIASN CSV and the zip of PDFs per OPD and
year (inside the scope, revoked ones left out, formula-safe), one certificate, the
employee page, and revoking (city-wide HR or an admin, audited, once)."""

import csv
import io
import re
import shutil
import zipfile
from datetime import datetime

import pytest
from sqlalchemy import select

from lms.certificates import settings
from lms.content.sync import sync
from lms.core.clock import JAKARTA
from lms.learning import progress
from lms.models import AuditEvent, Certificate, Course
from tests.support.factories import DATA, make_employee
from tests.support.http import logged_in, token

COLUMNS = ["nipBaru", "namaKursus", "institusiPenyelenggara", "jumlahJam", "nomorSertipikat",
           "tahunKursus", "tanggalKursus", "tanggalSelesaiKursus", "jenisDiklatId",
           "jenisKursusId"]
KEC_CSV = "/laporan/sertifikat/siasn-2026.csv?opd=KEC-PML"
KEC_ZIP = "/laporan/sertifikat/pdf-2026.zip?opd=KEC-PML"


@pytest.fixture(autouse=True)
def _today(frozen):
    frozen.move_to(datetime(2026, 5, 11, 9, 0, tzinfo=JAKARTA))


@pytest.fixture
def courses(db, tmp_path):
    """"dasar" (2 JP) and "lanjut", a copy whose title starts with "=" (a formula, should
    a spreadsheet believe it)."""
    root = tmp_path / "courses"
    shutil.copytree(DATA / "courses" / "dasar", root / "dasar")
    shutil.copytree(DATA / "courses" / "dasar", root / "lanjut")
    readme = root / "lanjut" / "README.md"
    readme.write_text(readme.read_text().replace("title: Dasar Uji", 'title: "=1+1 Lanjut"')
                      .replace("jp: 2", "jp: 3").replace("order: 1", "order: 2"))
    report = sync(root, db.session)
    assert report.ok, [str(p) for p in report.problems]
    db.session.commit()
    return {c.slug: c for c in db.session.scalars(select(Course))}


def complete(db, person, course, at: datetime) -> Certificate:
    """Finish every module of `course` at `at` through learning.progress, the path the
    module and quiz pages take: the certificate is issued on completion."""
    for module in course.current_modules:
        progress.complete_module(db.session, person.id, module, at=at)
    db.session.commit()
    return db.session.scalars(select(Certificate).filter_by(
        employee_id=person.id, course_id=course.id)).one()


@pytest.fixture
def issued(db, org, people, courses):
    """Kecamatan Pamulang: Rina (kel. 01) two courses, Ayu (kel. 02) one, all in 2026;
    Joko (kel. 01) one at 23:30 on 31 December 2025 in Jakarta (a 2025 certificate).
    Diskominfo: Budi one in 2026."""
    settings.save(db.session, people["hr_city"], organiser="+BKPSDM Tangsel", signer_name="",
                  signer_nip="", signer_position="",
                  number_pattern=settings.DEFAULT_PATTERN)
    ayu = make_employee("199505052020122005", org["kel2"], "Ayu")
    joko = make_employee("199111112019031006", org["kel1"], "Joko")
    db.session.commit()
    dasar, lanjut = courses["dasar"], courses["lanjut"]
    return {
        "rina_dasar": complete(db, people["learner"], dasar,
                               datetime(2026, 3, 2, 9, tzinfo=JAKARTA)),
        "rina_lanjut": complete(db, people["learner"], lanjut,
                                datetime(2026, 4, 20, 14, tzinfo=JAKARTA)),
        "ayu_dasar": complete(db, ayu, dasar, datetime(2026, 1, 1, 0, 30, tzinfo=JAKARTA)),
        "joko_dasar": complete(db, joko, dasar, datetime(2025, 12, 31, 23, 30, tzinfo=JAKARTA)),
        "budi_dasar": complete(db, people["other"], dasar, datetime(2026, 2, 3, tzinfo=JAKARTA)),
    }


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def _zip(response) -> zipfile.ZipFile:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert archive.testzip() is None
    return archive


def test_siasn_csv_holds_an_opds_certificates_of_the_year(app, db, people, issued):
    client = logged_in(app, people["hr_city"].nip)
    response = client.get(KEC_CSV)
    assert 'filename="melek-siasn-KEC-PML-2026.csv"' in response.headers["Content-Disposition"]
    header, *rows = _csv(response)
    assert header == COLUMNS
    rina, ayu = people["learner"].nip, "199505052020122005"
    assert [(r[0], r[4]) for r in rows] == [
        (rina, issued["rina_dasar"].number), (rina, issued["rina_lanjut"].number),
        (ayu, issued["ayu_dasar"].number)]  # by NIP, then course; not Joko's 2025 one
    cert = issued["rina_dasar"]
    assert rows[0] == [rina, "Dasar Uji", "'+BKPSDM Tangsel", "2", cert.number, "2026",
                       cert.started_on.strftime("%d-%m-%Y"), "02-03-2026", "", ""]
    assert rows[2][7] == "01-01-2026"  # the Jakarta date, half an hour into the year
    assert rows[1][3] == "3"
    event = db.session.scalars(select(AuditEvent).filter_by(action="export")).one()
    assert (event.target, event.actor_id) == ("sertifikat-siasn", people["hr_city"].id)
    assert event.details == {"format": "csv", "opd": "KEC-PML", "tahun": 2026}
    [joko] = _csv(client.get("/laporan/sertifikat/siasn-2025.csv?opd=KEC-PML"))[1:]
    assert joko[0] == "199111112019031006" and joko[7] == "31-12-2025"


def test_a_title_or_organiser_that_looks_like_a_formula_is_neutralised(app, db, people,
                                                                       issued):
    client = logged_in(app, people["hr_city"].nip)
    rows = _csv(client.get(KEC_CSV))[1:]
    lanjut = next(r for r in rows if r[4] == issued["rina_lanjut"].number)
    assert lanjut[1] == "'=1+1 Lanjut" and lanjut[2] == "'+BKPSDM Tangsel"
    assert not any(cell and cell[0] in "=+-@" for row in rows for cell in row)


def test_the_zip_holds_exactly_the_opds_pdfs_named_by_nip(app, db, people, issued):
    client = logged_in(app, people["hr_city"].nip)
    response = client.get(KEC_ZIP)
    assert 'filename="melek-sertifikat-KEC-PML-2026.zip"' in \
        response.headers["Content-Disposition"]
    archive = _zip(response)
    rina = people["learner"].nip
    assert archive.namelist() == [f"{rina}-dasar.pdf", f"{rina}-lanjut.pdf",
                                  "199505052020122005-dasar.pdf"]
    for name, key in zip(archive.namelist(), ("rina_dasar", "rina_lanjut", "ayu_dasar"),
                         strict=True):
        data = archive.read(name)
        assert data.startswith(b"%PDF-") and data == issued[key].pdf
    event = db.session.scalars(select(AuditEvent).filter_by(action="export")).one()
    assert event.target == "sertifikat-pdf" and event.details["format"] == "zip"
    # The whole city, when city-wide HR asks for no OPD: Budi's too.
    whole = _zip(client.get("/laporan/sertifikat/pdf-2026.zip"))
    assert len(whole.namelist()) == 4 and f"{people['other'].nip}-dasar.pdf" in whole.namelist()


def test_an_opds_hr_sees_only_its_own(app, db, people, issued):
    client = logged_in(app, people["hr_kec"].nip)
    for url in ("/laporan/sertifikat?opd=DISKOMINFO",
                "/laporan/sertifikat/siasn-2026.csv?opd=DISKOMINFO",
                "/laporan/sertifikat/pdf-2026.zip?opd=DISKOMINFO",
                "/laporan/sertifikat/pdf-2026.zip?opd=NO-SUCH-OPD",
                f"/laporan/sertifikat/{issued['budi_dasar'].code}.pdf"):
        assert client.get(url).status_code == 404, url
    # Without an OPD: their own subtree, never Budi's.
    rows = _csv(client.get("/laporan/sertifikat/siasn-2026.csv"))[1:]
    assert sorted(r[4] for r in rows) == sorted(
        issued[k].number for k in ("rina_dasar", "rina_lanjut", "ayu_dasar"))
    names = _zip(client.get("/laporan/sertifikat/pdf-2026.zip?opd=KEC-PML.02")).namelist()
    assert names == ["199505052020122005-dasar.pdf"]
    page = client.get("/laporan/sertifikat").get_data(as_text=True)
    assert "DISKOMINFO" not in page and 'value="KEC-PML.02"' in page
    assert "/laporan/sertifikat/siasn-2026.csv?opd=KEC-PML" in page
    one = client.get(f"/laporan/sertifikat/{issued['ayu_dasar'].code}.pdf")
    assert one.status_code == 200 and one.data == issued["ayu_dasar"].pdf


def test_a_learner_may_not_open_hr_certificates(app, db, people, issued):
    client = logged_in(app, people["learner"].nip)
    code = issued["rina_dasar"].code
    for url in ("/laporan/sertifikat", KEC_CSV, KEC_ZIP, f"/laporan/sertifikat/{code}.pdf",
                f"/laporan/sertifikat/{code}/cabut", f"/admin/sertifikat/{code}/cabut"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/laporan/sertifikat/{code}/cabut",
                       data={"reason": "x", "csrf_token": token(client, "/sertifikat")}
                       ).status_code == 403


def test_the_page_counts_and_links_the_downloads(app, db, people, issued):
    client = logged_in(app, people["hr_city"].nip)
    page = client.get("/laporan/sertifikat?opd=KEC-PML").get_data(as_text=True)
    assert 'value="2026"' in page  # this Jakarta year by default
    assert re.search(r'role="status">3\b', page)
    assert "/laporan/sertifikat/siasn-2026.csv?opd=KEC-PML" in page
    assert "/laporan/sertifikat/pdf-2026.zip?opd=KEC-PML" in page
    assert 'href="/laporan/sertifikat"' in client.get("/laporan/").get_data(as_text=True)
    assert client.get("/laporan/sertifikat?tahun=1999").status_code == 404
    assert client.get("/laporan/sertifikat/siasn-1999.csv").status_code == 404


def _revoke(client, url, reason):
    return client.post(url, data={"reason": reason, "csrf_token": token(client, url)})


def test_city_hr_revokes_once_audited_and_it_leaves_the_downloads(app, db, people, issued):
    cert = issued["rina_lanjut"]
    url = f"/laporan/sertifikat/{cert.code}/cabut"
    opd_hr = logged_in(app, people["hr_kec"].nip)
    assert opd_hr.get(url).status_code == 403
    assert opd_hr.post(url, data={"reason": "x", "csrf_token": token(opd_hr, "/laporan/")}
                       ).status_code == 403
    city = logged_in(app, people["hr_city"].nip)
    assert _revoke(city, url, "   ").status_code == 200  # a reason is required
    assert _revoke(city, url, "x" * 301).status_code == 200
    db.session.refresh(cert)
    assert cert.revoked_at is None
    response = _revoke(city, url, "Nilai kuis tidak sah")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/laporan/pegawai/{people['learner'].nip}")
    db.session.refresh(cert)
    assert cert.revoked_reason == "Nilai kuis tidak sah"
    assert cert.revoked_by_id == people["hr_city"].id
    assert cert.revoked_at == datetime(2026, 5, 11, 2, 0, tzinfo=cert.revoked_at.tzinfo)
    first = cert.revoked_at
    assert _revoke(city, url, "Lagi").status_code == 302  # nothing the second time
    db.session.refresh(cert)
    assert (cert.revoked_at, cert.revoked_reason) == (first, "Nilai kuis tidak sah")
    [event] = db.session.scalars(select(AuditEvent).filter_by(action="certificate_revoked"))
    assert (event.target, event.actor_id) == (cert.number, people["hr_city"].id)
    assert event.details == {"nip": cert.nip, "course": "lanjut",
                             "reason": "Nilai kuis tidak sah"}
    numbers = [r[4] for r in _csv(city.get(KEC_CSV))[1:]]
    assert cert.number not in numbers and len(numbers) == 2
    assert f"{people['learner'].nip}-lanjut.pdf" not in _zip(city.get(KEC_ZIP)).namelist()
    check = logged_in(app, people["other"].nip).get(f"/verifikasi/{cert.code}")
    assert "Nilai kuis tidak sah" in check.get_data(as_text=True)
    assert "verdict-revoked" in check.get_data(as_text=True)


def test_an_admin_revokes_under_admin(app, db, org, people, issued):
    admin = make_employee("198001012005011007", org["bkpsdm"], "Admin", roles=["admin"])
    db.session.commit()
    cert = issued["budi_dasar"]
    url = f"/admin/sertifikat/{cert.code}/cabut"
    opd_hr = logged_in(app, people["hr_kec"].nip)
    assert opd_hr.get(url).status_code == 403
    client = logged_in(app, admin.nip)
    assert cert.number in client.get(url).get_data(as_text=True)
    response = _revoke(client, url, "Dibatalkan")
    assert response.status_code == 302 and response.headers["Location"].endswith(url)
    db.session.refresh(cert)
    assert cert.revoked_by_id == admin.id and cert.revoked_reason == "Dibatalkan"
    page = client.get(url).get_data(as_text=True)
    assert "verdict-revoked" in page and 'name="reason"' not in page
    assert db.session.scalars(select(AuditEvent).filter_by(action="certificate_revoked")).one()
    assert client.get("/admin/sertifikat/NOSUCHCODE/cabut").status_code == 404


def test_the_employee_page_lists_their_certificates(app, db, people, issued):
    nip = people["learner"].nip
    page = logged_in(app, people["hr_kec"].nip).get(f"/laporan/pegawai/{nip}")
    html = page.get_data(as_text=True)
    for key in ("rina_dasar", "rina_lanjut"):
        cert = issued[key]
        assert cert.number in html and f"/laporan/sertifikat/{cert.code}.pdf" in html
        assert "/cabut" not in html  # an OPD's HR may not revoke
    assert "=1+1 Lanjut" in html and "Dasar Uji" in html
    assert issued["ayu_dasar"].number not in html
    city = logged_in(app, people["hr_city"].nip)
    html = city.get(f"/laporan/pegawai/{nip}").get_data(as_text=True)
    url = f"/laporan/sertifikat/{issued['rina_dasar'].code}/cabut"
    assert url in html
    _revoke(city, url, "Salah orang")
    html = city.get(f"/laporan/pegawai/{nip}").get_data(as_text=True)
    assert "Salah orang" in html and url not in html
    assert f"/laporan/sertifikat/{issued['rina_lanjut'].code}/cabut" in html
