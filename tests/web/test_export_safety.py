"""Spreadsheet formula injection: every text cell of every download (each report as CSV and
XLSX, the audit log) is neutralised, header included, while numbers stay numbers and NIPs
stay exact text; and OPD codes the form refuses are refused by the CSV import too."""

import csv
import functools
import io
from datetime import date, datetime, time, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from lms.core.clock import JAKARTA
from lms.hr import detail_export
from lms.mandatory import assignments
from lms.models import Opd
from tests.support.factories import make_employee, make_opd
from tests.support.http import csrf_token, login

FORMULA_START = set("=+-@\t\r")  # OWASP: what a spreadsheet may take for a formula
TODAY = date(2026, 12, 2)
ADMIN = "197001011995031001"
LINK = '=HYPERLINK("http://contoh.invalid","klik")'
PLANTED = {  # what people typed -> what the export must hold
    LINK: "'" + LINK, "+62 812 555": "'+62 812 555", "@SUM(1+1)": "'@SUM(1+1)",
    "-Staf": "'-Staf", "\tKepala": "'\tKepala", "-EVIL": "'-EVIL",
    "=Dinas Jahat": "'=Dinas Jahat", "@Kursus": "'@Kursus",
}
REPORTS = ["ringkasan/unduh.{fmt}", "kursus/dasar/unduh.{fmt}", "rincian/unduh.{fmt}",
           "terlambat/unduh.{fmt}", "jp/unduh.{fmt}",
           "rincian/unduh.{fmt}?opd=-EVIL", "ringkasan/unduh.{fmt}?opd=-EVIL"]


@pytest.fixture(autouse=True)
def _today(frozen):
    frozen.move_to(datetime.combine(TODAY, time(10, 0), JAKARTA))


@pytest.fixture
def planted(client, db, org, people, course):
    """An OPD whose code and name look like formulas (made before the import refused such
    codes), two employees in it with such names and positions, overdue on a course whose
    title looks like one; a failed login with a formula as the NIP."""
    evil = make_opd("-EVIL", "=Dinas Jahat", "dinas", org["city"])
    first = make_employee("198505052010012001", evil, LINK)
    first.position = "@SUM(1+1)"
    second = make_employee("198808082015011002", evil, "+62 812 555")
    second.position = "-Staf"
    make_employee("199101012015011003", evil, "Biasa").position = "\tKepala"
    make_employee(ADMIN, org["bkpsdm"], "Admin", roles=["admin"])
    course.title = "@Kursus"
    assignments.create(db.session, course=course, due_date=TODAY - timedelta(days=3),
                       opd=evil, by=people["hr_city"])
    db.session.commit()
    token = csrf_token(client)
    client.post("/masuk", data={"nip": "=1+2", "password": "x", "csrf_token": token})
    return people


def _cells(response, fmt):
    assert response.status_code == 200, (response.request.url, response.status_code)
    if fmt == "csv":
        text = response.get_data(as_text=True).lstrip("\ufeff")
        return list(csv.reader(io.StringIO(text)))
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


def _assert_safe(rows, url):
    for row in rows:
        for value in row:
            if isinstance(value, str) and value:
                assert value[0] not in FORMULA_START, (url, value)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_report_export_neutralises_every_text_cell(client, planted, fmt):
    assert login(client, planted["hr_city"].nip).status_code == 302
    seen = set()
    for report in REPORTS:
        url = "/laporan/" + report.format(fmt=fmt)
        rows = _cells(client.get(url), fmt)
        _assert_safe(rows, url)
        seen |= {v for row in rows for v in row if isinstance(v, str)}
    assert set(PLANTED.values()) <= seen, set(PLANTED.values()) - seen


XLSX_AS_CODES = {"Nama": "nama", "NIP": "nip", "Jabatan": "jabatan", "Kode OPD": "opd_kode",
                 "OPD / unit": "opd", "Kursus": "kursus", "Status": "status",
                 "Kemajuan": "progres_persen", "Nilai terbaik": "nilai",
                 "Tanggal selesai": "tanggal_selesai"}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_neutralised_exports_keep_nips_exact_and_numbers_numbers(client, planted, fmt):
    assert login(client, planted["hr_city"].nip).status_code == 302
    rows = _cells(client.get(f"/laporan/rincian/unduh.{fmt}?opd=-EVIL&urut=name"), fmt)
    header, body = rows[0], rows[1:]
    if fmt == "xlsx":  # the screen's column names (hr.exports), read as the CSV's codes
        header = [XLSX_AS_CODES.get(h, h) for h in header]
    by_nip = {r[header.index("nip")]: dict(zip(header, r, strict=True)) for r in body}
    person = by_nip["198505052010012001"]  # a str key: the NIP is text, all 18 digits
    assert (person["nama"], person["jabatan"], person["opd_kode"], person["opd"],
            person["kursus"], person["status"]) == (
        "'" + LINK, "'@SUM(1+1)", "'-EVIL", "'=Dinas Jahat", "'@Kursus",
        "terlambat" if fmt == "csv" else "Terlambat")
    assert person["progres_persen"] == ("0" if fmt == "csv" else 0)
    assert person["nilai"] in ("", None) and person["tanggal_selesai"] in ("", None)
    jp = _cells(client.get(f"/laporan/jp/unduh.{fmt}?opd=-EVIL"), fmt)
    nip, name = (0, 1) if fmt == "csv" else (1, 0)
    row = next(r for r in jp if r[nip] == "198808082015011002")
    assert row[name] == "'+62 812 555" and row[6:] == (["0", "20", "20"] if fmt == "csv"
                                                    else [0, 20, 20])
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(client.get(
            "/laporan/rincian/unduh.xlsx?opd=-EVIL").get_data())).active
        nips = [row[1] for row in sheet.iter_rows(min_row=2)]
        assert {c.data_type for c in nips} == {"s"}
        assert "198505052010012001" in {c.value for c in nips}


def test_audit_log_export_neutralises_every_text_cell(client, planted):
    assert login(client, ADMIN).status_code == 302
    rows = _cells(client.get("/admin/audit.csv"), "csv")
    _assert_safe(rows, "/admin/audit.csv")
    failed = next(r for r in rows if r[1] == "login_failed")
    assert failed[2] == "'=1+2"


# --- OPD codes: the import refuses what the form refuses ------------------------------

REFUSED_CODES = ['=HYPERLINK("http://x")', "-EVIL", "+62", "@SUM", "KEC PML", "KODE\x00",
                 "A" * 33, "KEC/PML"]


def _admin(client, db, org):
    make_employee(ADMIN, org["kominfo"], "Admin", roles=["admin"])
    db.session.commit()
    assert login(client, ADMIN).status_code == 302


def _opd_csv(code: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows([["kode", "nama", "jenis", "kode_induk"],
                      ["KEC-STU", "Kecamatan Setu", "kecamatan", "TANGSEL"],
                      [code, "Unit Baru", "unit", "TANGSEL"]])
    return out.getvalue().encode()


@pytest.mark.parametrize("code", REFUSED_CODES)
def test_the_import_refuses_each_code_the_form_refuses(client, runner, db, org, tmp_path,
                                                      code):
    _admin(client, db, org)
    before = db.session.scalar(select(func.count(Opd.id)))
    token = csrf_token(client, "/admin/opd/baru")
    form = client.post("/admin/opd/baru", data={
        "csrf_token": token, "code": code, "name": "Unit Baru", "kind": "unit",
        "parent": "TANGSEL"})
    if "\x00" in code:  # refused before any form reads it (lms/core/web.py)
        assert form.status_code == 400
    else:
        assert form.status_code == 200 and 'class="field-error"' in form.get_data(as_text=True)
    path = tmp_path / "opd.csv"
    path.write_bytes(_opd_csv(code))
    result = runner.invoke(args=["lms", "import-opd", str(path), "--apply"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{path}:3: kode "), lines
    page = client.post("/admin/opd/impor", data={
        "csrf_token": token, "action": "apply",
        "file": (io.BytesIO(_opd_csv(code)), "opd.csv")},
        content_type="multipart/form-data").get_data(as_text=True)
    assert "Baris 3: kode " in page
    assert db.session.scalar(select(func.count(Opd.id))) == before  # nothing applied


def test_the_code_rule_message_says_what_is_allowed(runner, db, org, tmp_path):
    path = tmp_path / "opd.csv"
    path.write_bytes(_opd_csv("=1+1"))
    result = runner.invoke(args=["lms", "import-opd", str(path)])
    assert result.stdout.splitlines()[0] == (
        f"{path}:3: kode hanya boleh berisi huruf, angka, '.', '-', dan '_', dan harus "
        "diawali huruf atau angka")


def test_codes_the_form_accepts_are_still_imported(client, runner, db, org, tmp_path):
    path = tmp_path / "opd.csv"
    path.write_bytes(_opd_csv("DISDIK.SD-01_A"))
    assert runner.invoke(args=["lms", "import-opd", str(path), "--apply"]).exit_code == 0
    assert db.session.scalars(select(Opd).where(Opd.code == "DISDIK.SD-01_A")).one()


def test_an_opd_name_longer_than_the_form_allows_is_refused_by_the_import(runner, db, org,
                                                                         tmp_path):
    path = tmp_path / "opd.csv"
    path.write_text(f"kode,nama,jenis,kode_induk\nKEC-STU,{'N' * 201},kecamatan,TANGSEL\n")
    result = runner.invoke(args=["lms", "import-opd", str(path), "--apply"])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == f"{path}:2: nama lebih dari 200 karakter"


AWKWARD = ['Siti "Ani", S.Kom', "Baris\npertama", "Enter\r\nExcel", '=A1,"x"', "Biasa saja",
           "koma, saja", '"', ""]


@pytest.mark.parametrize("query", ["?opd=AWK", ""], ids=["one-opd", "city-wide"])
def test_the_csv_the_database_writes_is_what_the_csv_module_writes(client, db, org, people,
                                                                    course, monkeypatch,
                                                                    query):
    """On SQLite the employee-level CSV is written line by line by the database (quoted
    there, hr.detail_export); on PostgreSQL by COPY. Either way the file must be exactly
    what Python's csv module writes for the same cells (on PostgreSQL: read back the
    same), neutralised, awkward text included (quotes, commas, line breaks, a formula
    holding both). City-wide with no OPD chosen, SQLite reads each row's OPD through its
    employee instead of joining the OPD table: every row still names its employee's."""
    unit = make_opd("AWK", "Unit, \"Awas\"", "dinas", org["city"])
    sub = make_opd("AWK-SUB", "Sub\nunit \"=1\"", "unit", unit)
    for i, text in enumerate(AWKWARD):
        person = make_employee(f"19900101201501{i:04d}", sub if i % 2 else unit,
                               text or "Kosong")
        person.position = text
    course.title = 'Kursus "Aman", Lanjut'
    assignments.create(db.session, course=course, due_date=TODAY + timedelta(days=9),
                       opd=unit, by=people["hr_city"])
    db.session.commit()
    assert login(client, people["hr_city"].nip).status_code == 302
    body = client.get("/laporan/rincian/unduh.csv" + query).get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert len(rows) == 1 + len(AWKWARD)
    assert {r[4] for r in rows[1:]} == {"'" + AWKWARD[3]} | set(AWKWARD) - {AWKWARD[3]}
    assert {(r[0], r[3]) for r in rows[1:]} == {
        (f"19900101201501{i:04d}", 'Sub\nunit "=1"' if i % 2 else 'Unit, "Awas"')
        for i in range(len(AWKWARD))}
    again = io.StringIO()
    csv.writer(again, lineterminator="\n").writerows(rows)
    if db.engine.dialect.name == "sqlite":  # COPY also quotes an empty text: "" (same cell)
        assert body.lstrip("\ufeff") == again.getvalue()
        # Each batch of rows reads its own employees' text: the same file in batches of 3.
        monkeypatch.setattr(detail_export, "detail_csv",
                            functools.partial(detail_export.detail_csv, batch=3))
        assert client.get("/laporan/rincian/unduh.csv" + query).get_data(as_text=True) == body
    else:
        assert list(csv.reader(io.StringIO(again.getvalue()))) == rows
