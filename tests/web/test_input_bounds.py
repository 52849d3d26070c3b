"""Huge ids, page numbers, years and dates in URLs answer 404 or 400, never 500, on
SQLite and PostgreSQL (ids and offsets past the database's integer range used to overflow,
and 9999-12-31 + 1 day overflowed Python's date)."""

import shutil

import pytest
from sqlalchemy import func, select

from lms.models import Course
from tests.support.factories import DATA, make_employee
from tests.support.http import csrf_token
from tests.support.studio import switch_to

HUGE = "99999999999999999999999"
PAST_INT4 = "2147483648"  # one past PostgreSQL's integer, still fits SQLite's
LONG = "9" * 5000  # more digits than Python converts to int by default
ADMIN = "197001011995031001"

# (who, method, url); ids past the range are 404, like an id that does not exist.
ID_ROUTES = [
    ("learner", "GET", "/kuis/{n}"),
    ("learner", "POST", "/kuis/{n}"),
    ("learner", "GET", "/kuis/{n}/hasil"),
    ("hr_city", "POST", "/laporan/penugasan/{n}/cabut"),
    ("hr_city", "GET", "/laporan/pelatihan/{n}/bukti"),
    ("hr_city", "POST", "/laporan/pelatihan/{n}/hapus"),
    ("trainer", "GET", "/studio/dasar/revisi/{n}"),
    ("trainer", "POST", "/studio/dasar/revisi/{n}/pulihkan"),
    ("admin", "POST", "/studio/dasar/pemilik/{n}/hapus"),
    ("admin", "POST", "/admin/peran/{n}/cabut"),
]
PAGED = [
    ("hr_city", "/laporan/rincian?halaman={n}"),
    ("hr_city", "/laporan/terlambat?halaman={n}"),
    ("hr_city", "/laporan/jp?halaman={n}"),
    ("hr_city", "/laporan/rincian/unduh.csv?halaman={n}"),
    ("hr_city", "/laporan/?tahun={n}"),
    ("hr_city", "/laporan/jp?tahun={n}"),
    ("hr_city", "/laporan/rincian/unduh.xlsx?tahun={n}"),
    ("admin", "/admin/audit?halaman={n}"),
    ("trainer", "/studio/dasar/revisi/1?dengan={n}"),
]


@pytest.fixture
def everyone(client, db, org, people, course, trainer):
    """The trainer owns `dasar` (revision 1 exists); an admin exists too."""
    make_employee(ADMIN, org["bkpsdm"], "Admin", roles=["admin"])
    db.session.commit()
    return {**{k: v.nip for k, v in people.items()}, "admin": ADMIN}


def _as(client, everyone, who):
    switch_to(client, everyone[who])


@pytest.mark.parametrize("number", [HUGE, PAST_INT4, LONG])
def test_huge_ids_in_urls_are_404(client, everyone, number):
    for who, method, url in ID_ROUTES:
        _as(client, everyone, who)
        data = {"csrf_token": csrf_token(client, "/")} if method == "POST" else None
        response = client.open(url.format(n=number), method=method, data=data)
        assert response.status_code == 404, (url, number, response.status_code)


@pytest.mark.parametrize("number", [HUGE, PAST_INT4, LONG, "0", "-1", "abc"])
def test_huge_page_numbers_and_years_are_404(client, everyone, number):
    for who, url in PAGED:
        _as(client, everyone, who)
        response = client.get(url.format(n=number))
        assert response.status_code == 404, (url, number, response.status_code)
        assert "Halaman tidak ditemukan" in response.get_data(as_text=True)


def test_existing_ids_and_pages_still_work(client, everyone):
    _as(client, everyone, "trainer")
    assert client.get("/studio/dasar/revisi/1").status_code == 200
    assert client.get("/studio/dasar/revisi/1?dengan=1").status_code == 200
    _as(client, everyone, "hr_city")
    assert client.get("/laporan/rincian?halaman=1").status_code == 200
    _as(client, everyone, "admin")
    assert client.get("/admin/audit?halaman=1&dari=2000-01-01&sampai=2100-12-31"
                      ).status_code == 200


@pytest.mark.parametrize("query", ["sampai=9999-12-31", "dari=9999-12-31",
                                   "dari=0001-01-01", "sampai=0001-01-01",
                                   "dari=1999-12-31", "sampai=2101-01-01"])
def test_audit_dates_out_of_range_are_refused_on_the_form(client, everyone, query):
    _as(client, everyone, "admin")
    page = client.get(f"/admin/audit?{query}")
    assert page.status_code == 400
    text = page.get_data(as_text=True)
    assert "Tanggal harus antara 1 Januari 2000 dan 31 Desember 2100." in text
    assert 'id="dari"' in text  # the filter form is there to correct it
    download = client.get(f"/admin/audit.csv?{query}")
    assert download.status_code == 400
    assert "Tanggal harus antara 1 Januari 2000 dan 31 Desember 2100." in download.get_data(
        as_text=True)


def test_audit_date_that_is_not_a_date_says_so(client, everyone):
    _as(client, everyone, "admin")
    page = client.get("/admin/audit?dari=2026-02-30")
    assert page.status_code == 400
    assert "Tanggal tidak dikenali" in page.get_data(as_text=True)


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_form_dates_out_of_range_are_refused(client, everyone, course, day):
    _as(client, everyone, "hr_city")
    token = csrf_token(client, "/laporan/penugasan")
    assigned = client.post("/laporan/penugasan", data={
        "csrf_token": token, "course": "dasar", "target": "opd", "opd": "KEC-PML",
        "due_date": day})
    assert assigned.status_code == 200
    assert "Tanggal harus antara 1 Januari 2000 dan 31 Desember 2100." in assigned.get_data(
        as_text=True)
    url = f"/laporan/pegawai/{everyone['learner']}"
    recorded = client.post(url, data={
        "csrf_token": token, "title": "Bimtek", "organiser": "BPSDM", "start_date": day,
        "end_date": day, "jp": "2"})
    assert recorded.status_code == 200
    assert "Tanggal harus antara 1 Januari 2000 dan 31 Desember 2100." in recorded.get_data(
        as_text=True)


def test_a_nul_anywhere_in_a_request_is_400_not_a_database_error(client, everyone):
    """PostgreSQL refuses NUL in text: a NIP, a filter or a path holding one used to be 500."""
    client.delete_cookie("session")
    token = csrf_token(client)
    refused = client.post("/masuk", data={"nip": "1986\x00", "password": "x",
                                          "csrf_token": token})
    assert refused.status_code == 400
    _as(client, everyone, "hr_city")
    for url in ("/laporan/?opd=%00", "/laporan/rincian?kursus=a%00",
                "/laporan/pegawai/%00", "/laporan/?x%00=1"):
        assert client.get(url).status_code == 400, url
    _as(client, everyone, "admin")
    assert client.get("/admin/audit?nip=%00").status_code == 400


@pytest.mark.parametrize("file, old, new, line, message", [
    ("README.md", "jp: 2", "jp: 99999999999", 4, "'jp' harus antara 0 dan 100"),
    ("README.md", "order: 1", "order: -99999999999", 6,
     "'order' harus antara -2147483647 dan 2147483647"),
    ("01-pengantar.md", "minutes: 5", "minutes: 99999999999", 3,
     "'minutes' harus antara 0 dan 600"),
    ("01-pengantar.md", "attempts: 2", "attempts: 99999999999", 6,
     "'attempts' harus antara 0 dan 100"),
])
def test_huge_numbers_in_course_files_are_problems_not_database_errors(runner, db, tmp_path,
                                                                       file, old, new, line,
                                                                       message):
    """Integers past the studio form's limits used to overflow the database's columns."""
    shutil.copytree(DATA / "courses", tmp_path / "c")
    path = tmp_path / "c" / "dasar" / file
    path.write_text(path.read_text().replace(old, new))
    result = runner.invoke(args=["lms", "sync-courses", str(tmp_path / "c")])
    assert result.exit_code == 1
    assert f"dasar/{file}:{line}: {message}" in result.stdout
    assert db.session.scalar(select(func.count(Course.id))) == 0
