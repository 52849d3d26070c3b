"""HR's downloads over real HTTP: the employee-level CSV and workbook, their dates in
Jakarta, formula neutralisation, the summary workbook and the files' names."""

import csv
import io
from datetime import UTC, date, datetime, time

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from lms.models import AuditEvent, Enrollment
from tests.support.http import table_rows
from tests.support.reports import PAST, TODAY, as_hr


def test_employee_level_csv_export(client, db, people, data):
    people["learner"].name = "=HYPERLINK(\"http://x\")"
    db.session.commit()
    response = as_hr(client, people).get("/laporan/rincian/unduh.csv?opd=KEC-PML&urut=name")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"  # once, not twice
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0] == ["nip", "nama", "opd_kode", "opd", "jabatan", "kursus", "status",
                       "progres_persen", "nilai", "tanggal_selesai", "jp", "batas_waktu"]
    by_nip = {r[0]: r for r in rows[1:]}
    rina = by_nip["198609262015051001"]
    assert rina[1] == "'=HYPERLINK(\"http://x\")"
    assert rina[2:4] == ["KEC-PML.01", "Kelurahan Benda Baru"]
    assert rina[5:8] == ["Dasar Uji", "selesai", "100"]
    assert rina[9] == TODAY.isoformat() and rina[10] == "2" and rina[11] == PAST.isoformat()
    assert by_nip["198505052010012001"][6:8] == ["terlambat", "50"]
    assert len(rows) == 5
    log = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).one()
    assert (log.actor_nip, log.target, log.details) == (
        people["hr_city"].nip, "rincian",
        {"format": "csv", "filters": {"opd": "KEC-PML"}})  # no year asked for: every deadline


@pytest.mark.parametrize("utc, day", [
    (datetime(2026, 12, 31, 0, 0, 0, tzinfo=UTC), date(2026, 12, 31)),     # 07:00 WIB
    (datetime(2026, 12, 31, 16, 59, 59, tzinfo=UTC), date(2026, 12, 31)),  # 23:59:59 WIB
    (datetime(2026, 12, 31, 17, 0, 0, tzinfo=UTC), date(2027, 1, 1)),      # midnight in Jakarta
    (datetime(2028, 2, 28, 23, 30, 0, tzinfo=UTC), date(2028, 2, 29)),     # a leap day
])
def test_exports_date_a_completion_by_its_day_in_jakarta(client, db, people, data, utc, day):
    # The day is Jakarta's (UTC+7), on both databases: a completion after 17:00 UTC is
    # the next day, across a year end and onto a leap day.
    db.session.execute(update(Enrollment).where(
        Enrollment.employee_id == people["learner"].id).values(completed_at=utc))
    db.session.commit()
    as_hr(client, people)
    body = client.get("/laporan/rincian/unduh.csv?opd=KEC-PML").get_data(as_text=True)
    rina = {r[0]: r for r in csv.reader(io.StringIO(body.lstrip("\ufeff")))}[
        "198609262015051001"]
    assert rina[9] == day.isoformat()
    book = client.get("/laporan/rincian/unduh.xlsx?opd=KEC-PML").get_data()
    rows = {r[1]: r for r in load_workbook(io.BytesIO(book)).active.iter_rows(values_only=True)}
    assert rows["198609262015051001"][9] == datetime.combine(day, time())


def test_formula_neutralisation_covers_every_start():
    from lms.core.downloads import neutralise
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(text) == "'" + text
    assert neutralise("Budi") == "Budi" and neutralise(5) == 5


def test_xlsx_export_matches_the_screen(client, people, data):
    as_hr(client, people)
    response = client.get("/laporan/ringkasan/unduh.xlsx?opd=KEC-PML")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ["OPD / unit", "Kode OPD", "Dasar Uji", "Total"]
    assert ["Kelurahan Benda Baru", "KEC-PML.01", 1, 1] in values
    assert values[-1] == ["Total", None, 0.25, 0.25]
    assert sheet["C2"].number_format == "0%" and sheet.freeze_panes == "A2"


def test_employee_level_xlsx_is_the_screen_and_the_csv_its_codes(client, db, people, data):
    """The Excel file names its columns and values as the page does, dates are dates
    shown as on screen, the NIP is text; the CSV has the same rows in codes."""
    as_hr(client, people)
    sheet = load_workbook(io.BytesIO(client.get(
        "/laporan/terlambat/unduh.xlsx?opd=KEC-PML").get_data())).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ["Nama", "NIP", "Jabatan", "OPD / unit", "Kode OPD", "Kursus",
                         "Status", "Kemajuan", "Nilai terbaik", "Tanggal selesai", "JP",
                         "Batas waktu", "Hari terlambat"]
    page = table_rows(client.get("/laporan/terlambat?opd=KEC-PML").get_data(as_text=True))
    assert sorted(r[0] for r in values[1:]) == sorted(page)
    first = dict(zip(values[0], values[1], strict=True))
    shown = page[first["Nama"]]
    assert first["Status"] == shown[3] == "Terlambat"
    assert first["Hari terlambat"] == int(shown[-1]) > 0
    row = next(sheet.iter_rows(min_row=2, max_row=2))
    assert row[1].data_type == "s" and len(row[1].value) == 18
    assert row[11].is_date and row[11].number_format == "[$-421]d mmm yyyy"
    csv_rows = list(csv.reader(io.StringIO(client.get(
        "/laporan/terlambat/unduh.csv?opd=KEC-PML").get_data(as_text=True).lstrip("\ufeff"))))
    assert csv_rows[0][:3] == ["nip", "nama", "opd_kode"] and len(csv_rows) == len(values)
    assert {r[6] for r in csv_rows[1:]} == {"terlambat"}


def test_download_names_say_report_opd_course_and_day(client, people, data):
    as_hr(client, people)
    names = {url: client.get(url).headers["Content-Disposition"] for url in (
        "/laporan/terlambat/unduh.xlsx?opd=KEC-PML", "/laporan/kursus/dasar/unduh.csv",
        "/laporan/rincian/unduh.xlsx?kursus=dasar&tahun=2026", "/laporan/jp/unduh.csv")}
    assert list(names.values()) == [
        'attachment; filename="melek-terlambat-kec-pml-2026-12-02.xlsx"',
        'attachment; filename="melek-kursus-kota-dasar-2026-12-02.csv"',
        'attachment; filename="melek-rincian-kota-dasar-2026-2026-12-02.xlsx"',
        'attachment; filename="melek-jp-kota-2026-2026-12-02.csv"']
