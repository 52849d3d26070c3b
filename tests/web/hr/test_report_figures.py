"""HR reports in December and at a year end, sorted by completion, and figures that agree
(percentages, statuses, the headline and its chart, the course downloads)."""

import csv
import io
import re
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from lms.core.clock import JAKARTA
from lms.learning import progress
from lms.mandatory import assignments
from lms.models import Assignment
from tests.support import eighths
from tests.support.http import login, table_rows
from tests.support.reports import JANUARY, as_hr, rows_by_code


def test_december_shows_courses_due_in_january(client, db, people, data, course):
    db.session.get(Assignment, 1).due_date = JANUARY
    assignments.rebuild_course(db.session, course.id)
    db.session.commit()
    as_hr(client, people)
    overview = client.get("/laporan/").get_data(as_text=True)
    assert table_rows(overview)["Kecamatan Pamulang pegawai"] == ["25% sangat rendah"] * 2
    assert "Terlambat saat ini: 0" in overview
    details = table_rows(client.get("/laporan/rincian").get_data(as_text=True))
    assert details["Ahmad Kel2"][3] == "Berjalan" and details["Ahmad Kel2"][7] == "15 Jan 2027"
    assert set(details) == {"Rina Sari", "Ahmad Kel2", "Staf Kecamatan", "Siti"}
    report = client.get("/laporan/kursus/dasar").get_data(as_text=True)
    assert table_rows(report)["Kecamatan Pamulang"][:2] == ["4", "1"]
    exported = client.get("/laporan/rincian/unduh.csv").get_data(as_text=True)
    assert len(exported.strip().splitlines()) == 5 and "2027-01-15" in exported
    assert "Ahmad Kel2" not in client.get("/laporan/terlambat").get_data(as_text=True)
    # Asking for one year of due dates still narrows the list to it.
    assert "Ahmad Kel2" not in client.get("/laporan/rincian?tahun=2026").get_data(as_text=True)
    assert "Ahmad Kel2" in client.get("/laporan/rincian?tahun=2027").get_data(as_text=True)


def test_links_and_the_filter_form_do_not_pin_the_year(client, people, data):
    page = as_hr(client, people).get("/laporan/").get_data(as_text=True)
    assert "tahun=" not in page  # a link with the year would hide next year's deadlines
    assert re.search(r'<input type="number" id="f-tahun" name="tahun" value=""', page)
    jp_page = client.get("/laporan/jp").get_data(as_text=True)
    assert re.search(r'id="f-tahun" name="tahun" value=""', jp_page)
    assert "Di bawah 20 JP pada tahun 2026" in jp_page and "Kosongkan untuk tahun ini." in jp_page
    assert 'value="2025"' in client.get("/laporan/jp?tahun=2025").get_data(as_text=True)


def test_revoked_and_retired_courses_leave_the_lists(client, db, people, data, course):
    as_hr(client, people)
    course.retired_at = datetime(2026, 12, 1, tzinfo=JAKARTA)
    db.session.commit()
    assert "Dasar Uji" not in table_rows(client.get("/laporan/").get_data(as_text=True))
    assert "Belum ada kursus wajib di sini." in client.get("/laporan/").get_data(as_text=True)
    assert "0 baris," in client.get("/laporan/rincian").get_data(as_text=True)
    course.retired_at = None
    assignments.revoke(db.session, db.session.get(Assignment, 1))
    db.session.commit()
    assert "0 baris," in client.get("/laporan/rincian").get_data(as_text=True)
    assert "Belum ada kursus wajib di sini." in client.get("/laporan/").get_data(as_text=True)


@pytest.mark.parametrize(("utc", "year", "overdue"), [
    (datetime(2026, 12, 31, 16, 30, tzinfo=UTC), 2026, 0),  # 23:30 on 31 Dec in Jakarta
    (datetime(2026, 12, 31, 17, 30, tzinfo=UTC), 2027, 3),  # 00:30 on 1 January
])
def test_today_is_the_jakarta_date(client, db, frozen, people, data, course, utc, year,
                                   overdue):
    """A course due on 31 December is overdue from 1 January, Jakarta time."""
    db.session.get(Assignment, 1).due_date = date(2026, 12, 31)
    assignments.rebuild_course(db.session, course.id)
    db.session.commit()
    frozen.move_to(utc)
    as_hr(client, people)
    assert f"Terlambat saat ini: {overdue}" in client.get("/laporan/").get_data(as_text=True)
    jp_page = client.get("/laporan/jp").get_data(as_text=True)
    assert f"Di bawah 20 JP pada tahun {year}" in jp_page
    status = table_rows(client.get("/laporan/rincian").get_data(as_text=True))["Ahmad Kel2"][3]
    assert status == ("Terlambat" if overdue else "Berjalan")


def test_overview_sorts_by_completion(client, people, data):
    as_hr(client, people)
    page = client.get("/laporan/?opd=KEC-PML").get_data(as_text=True)
    names = [n for n in table_rows(page) if n != "Total"]
    assert names[-1] == "Kelurahan Pondok Benda pegawai"  # tree order: 100% comes first
    link = re.search(r'href="(/laporan/\?[^"]*urut=completion[^"]*)"', page).group(1)
    by_completion = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    rows = table_rows(by_completion)
    names = [n for n in rows if n != "Total"]
    assert names[-1] == "Kelurahan Benda Baru pegawai" and rows[names[-1]][0] == "100% baik"
    assert [rows[n][-1] for n in names] == ["0% jauh tertinggal", "0% jauh tertinggal", "100% baik"]
    assert "<strong>penyelesaian, terendah dulu</strong>" in by_completion
    sheet = load_workbook(io.BytesIO(client.get(
        "/laporan/ringkasan/unduh.xlsx?opd=KEC-PML&urut=completion").get_data())).active
    assert [row[0].value for row in sheet.iter_rows(min_row=2)][-2] == "Kelurahan Benda Baru"
    assert client.get("/laporan/?urut=due").status_code == 400
    assert client.get("/laporan/rincian?urut=completion").status_code == 400


# --- one status everywhere ---------------------------------------------------------------

def test_employee_page_says_overdue_like_the_lists(client, people, data):
    as_hr(client, people)
    page = client.get("/laporan/pegawai/198505052010012001").get_data(as_text=True)  # Ahmad
    assert table_rows(page)["Dasar Uji"][0] == "Terlambat"
    assert table_rows(client.get("/laporan/rincian").get_data(as_text=True))[
        "Ahmad Kel2"][3] == "Terlambat"


def test_one_of_eight_is_13_percent_everywhere(client, db, org, people, data, tmp_path):
    eight = eighths.make_course(db, tmp_path)
    assignments.create(db.session, course=eight, due_date=JANUARY, opd=org["kec"], by=None)
    progress.complete_module(db.session, people["learner"].id, eight.current_modules[1])
    db.session.commit()
    as_hr(client, people)
    person = table_rows(client.get("/laporan/pegawai/198609262015051001").get_data(
        as_text=True))
    assert person["Delapan Bagian"][1] == "13%"
    listed = table_rows(client.get("/laporan/rincian?kursus=delapan").get_data(as_text=True))
    assert listed["Rina Sari"][4] == "13%"
    exported = client.get("/laporan/rincian/unduh.csv?kursus=delapan").get_data(as_text=True)
    rina = next(r for r in csv.reader(io.StringIO(exported.lstrip("\ufeff")))
                if r[0] == people["learner"].nip)
    assert rina[7] == "13"
    learner = client.application.test_client()
    login(learner, people["learner"].nip)
    assert '<span class="meter-text">13%</span>' in learner.get("/kursus/delapan").get_data(
        as_text=True)


# --- the course report: headline and chart count the same people ------------------------

def test_course_headline_and_chart_count_the_same_people(client, db, people, data, course):
    for module in course.current_modules:  # Budi finishes the course voluntarily
        progress.complete_module(db.session, people["other"].id, module)
    db.session.commit()
    page = as_hr(client, people).get("/laporan/kursus/dasar").get_data(as_text=True)
    headline = re.search(r'<p class="lead">(.*?)</p>', page, re.S).group(1)
    numbers = re.search(r"Wajib bagi (\d+) pegawai: (\d+) selesai, (\d+) berjalan, "
                        r"(\d+) belum mulai, (\d+) terlambat\. (\d+) pegawai lain", headline)
    assert numbers and numbers.groups() == ("4", "1", "1", "2", "3", "1")
    months = dict(re.findall(r'<tr><th scope="row">([^<]+)</th><td class="num">(\d+)</td>',
                             page))
    assert months["Desember 2026"] == numbers.group(2)  # Budi is not in the chart
    assert "Pegawai yang wajib mengikuti kursus ini dan sudah menyelesaikannya" in page
    assert "yang wajib, selesai sampai akhir bulan (kumulatif)" in page


# --- the course report's downloads -------------------------------------------------------

def test_course_report_download_links_work(client, people, data):
    page = as_hr(client, people).get("/laporan/kursus/dasar?opd=KEC-PML").get_data(
        as_text=True)
    links = re.search(r'<div class="downloads">(.*?)</div>', page, re.S).group(1)
    xlsx_url, csv_url = [u.replace("&amp;", "&") for u in re.findall(r'href="([^"]+)"', links)]
    response = client.get(csv_url)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:4] == ["opd_kode", "opd", "wajib", "selesai"]
    assert rows_by_code(rows)["KEC-PML.01"] == ["KEC-PML.01", "Kelurahan Benda Baru", "1", "1"]
    response = client.get(xlsx_url)
    assert response.status_code == 200
    assert response.mimetype == ("application/vnd.openxmlformats-officedocument."
                                 "spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:4] == ["OPD / unit", "Kode OPD", "Wajib", "Selesai"]
    assert len(values) == len(rows)
