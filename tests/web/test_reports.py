"""HR reports over real HTTP: numbers, statuses, filters, exports, and scope on every URL."""

import csv
import io
import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from lms import assignments, progress
from lms.core.clock import JAKARTA
from lms.models import Assignment, AuditEvent, ExternalTraining
from tests.support import eighths
from tests.support.factories import make_employee
from tests.support.http import csrf_token, login, table_rows

# December: FUTURE falls in January, when HR must still see the course (it did not).
TODAY = date(2026, 12, 2)
PAST, FUTURE = TODAY - timedelta(days=5), TODAY + timedelta(days=30)
JANUARY = date(2027, 1, 15)


@pytest.fixture(autouse=True)
def _today(frozen):
    frozen.move_to(datetime.combine(TODAY, time(10, 0), JAKARTA))


@pytest.fixture
def data(db, org, people, course):
    """Kecamatan Pamulang must finish 'dasar', already overdue. In it: the learner
    (completed), Ahmad (started), Staf (not started, PPPK), HR kec (not started).
    Diskominfo's Budi started voluntarily."""
    first, second = course.current_modules
    for module in (first, second):
        progress.complete_module(db.session, people["learner"].id, module)
    ahmad = make_employee("198505052010012001", org["kel2"], "Ahmad Kel2")
    progress.complete_module(db.session, ahmad.id, second)
    make_employee("198808082015011002", org["kec"], "Staf Kecamatan", employment_type="pppk")
    progress.enroll(db.session, people["other"].id, course)
    assignments.create(db.session, course=course, due_date=PAST, opd=org["kec"],
                       by=people["hr_city"])
    db.session.commit()
    return org


def as_hr(client, people, who="hr_city"):
    assert login(client, people[who].nip).status_code == 302
    return client


ROUTES = ["/laporan/", "/laporan/kursus/dasar", "/laporan/rincian", "/laporan/terlambat",
          "/laporan/jp", "/laporan/penugasan", "/laporan/rincian/unduh.csv",
          "/laporan/jp/unduh.xlsx", "/laporan/kursus/dasar/unduh.csv",
          "/laporan/pegawai/198609262015051001"]


def test_learner_and_trainer_get_403_everywhere(app, people):
    for who in ("learner", "trainer"):
        client = app.test_client()
        login(client, people[who].nip)
        for url in ROUTES:
            assert client.get(url).status_code == 403, (who, url)


def test_overview_matrix_for_city_hr(client, people, data):
    page = as_hr(client, people).get("/laporan/").get_data(as_text=True)
    rows = table_rows(page)
    assert rows["Kecamatan Pamulang pegawai"] == ["25% rendah", "25% rendah"]
    assert rows["Dinas Komunikasi dan Informatika pegawai"] == ["–", "–"]
    assert rows["Total"] == ["25% rendah", "25% rendah"]
    assert "Terlambat saat ini: 3." in page


def test_drill_down_and_direct_row(client, people, data):
    page = as_hr(client, people).get("/laporan/?opd=KEC-PML").get_data(as_text=True)
    rows = table_rows(page)
    assert rows["Kelurahan Benda Baru pegawai"] == ["100% baik"] * 2
    assert rows["Kelurahan Pondok Benda pegawai"] == ["0% rendah"] * 2
    direct = next(k for k in rows if k.startswith("Kecamatan Pamulang (pegawai di luar"))
    assert rows[direct] == ["0% rendah"] * 2


def test_employment_type_filter(client, people, data):
    page = as_hr(client, people).get("/laporan/?opd=KEC-PML&jenis=pppk").get_data(
        as_text=True)
    rows = table_rows(page)
    assert rows["Total"] == ["0% rendah", "0% rendah"]
    assert rows["Kelurahan Benda Baru pegawai"] == ["–", "–"]  # no PPPK staff there


def test_statuses_in_detail_list(client, people, data):
    page = as_hr(client, people).get("/laporan/rincian?opd=KEC-PML").get_data(as_text=True)
    rows = table_rows(page)
    assert rows["Rina Sari"][3] == "Selesai" and rows["Rina Sari"][4] == "100%"
    assert rows["Ahmad Kel2"][3] == "Terlambat" and rows["Ahmad Kel2"][4] == "50%"
    assert rows["Staf Kecamatan"][3] == "Terlambat"
    assert "Budi Santoso" not in page  # voluntary, not mandatory


def test_overdue_list_and_status_filter(client, people, data):
    as_hr(client, people)
    overdue = table_rows(client.get("/laporan/terlambat").get_data(as_text=True))
    assert set(overdue) == {"Ahmad Kel2", "Staf Kecamatan", "Siti"}
    done = table_rows(client.get("/laporan/rincian?status=completed").get_data(as_text=True))
    assert set(done) == {"Rina Sari"}
    assert client.get("/laporan/rincian?status=rubbish").status_code == 400


def test_not_yet_due_is_not_overdue(client, db, people, data, course):
    db.session.get(Assignment, 1).due_date = FUTURE
    assignments.rebuild_course(db.session, course.id)
    db.session.commit()
    rows = table_rows(as_hr(client, people).get("/laporan/rincian").get_data(as_text=True))
    assert rows["Ahmad Kel2"][3] == "Berjalan" and rows["Staf Kecamatan"][3] == "Belum mulai"
    assert "Terlambat saat ini: 0." in client.get("/laporan/").get_data(as_text=True)


def test_year_filter(client, people, data):
    as_hr(client, people)
    other_year = PAST.year - 1
    page = client.get(f"/laporan/rincian?tahun={other_year}").get_data(as_text=True)
    assert "0 kursus wajib yang harus diselesaikan" in page
    assert client.get("/laporan/?tahun=1800").status_code == 404


def test_sorting_and_pagination_links_keep_filters(client, people, data):
    page = as_hr(client, people).get("/laporan/rincian?opd=KEC-PML&urut=status").get_data(
        as_text=True)
    names = list(table_rows(page))
    assert names.index("Ahmad Kel2") < names.index("Rina Sari")  # overdue before done
    assert "urut=due" in page and "opd=KEC-PML" in page
    assert client.get("/laporan/rincian?halaman=9").status_code == 404


def test_course_detail_numbers_and_chart(client, people, data):
    page = as_hr(client, people).get("/laporan/kursus/dasar").get_data(as_text=True)
    rows = table_rows(page)
    assert rows["Kecamatan Pamulang"] == ["4", "1", "1", "2", "3", "25% rendah", "0"]
    assert rows["Dinas Komunikasi dan Informatika"] == ["0", "0", "0", "0", "0", "–", "1"]
    assert '<svg viewBox="0 0 340 180" role="img"' in page
    month = TODAY.month
    assert re.search(r"<th scope=\"row\">[^<]+</th><td class=\"num\">1</td>", page)
    assert page.count("<rect ") == 12 and month


def test_jp_compliance_list(client, db, people, data, course):
    page = as_hr(client, people).get("/laporan/jp").get_data(as_text=True)
    rows = table_rows(page)
    assert rows["Rina Sari"][2:] == ["2", "18"]  # 'dasar' credits 2 JP
    assert len(rows) == 7


def test_kecamatan_hr_cannot_reach_other_opds(client, db, people, data):
    as_hr(client, people, "hr_kec")
    rows = table_rows(client.get("/laporan/").get_data(as_text=True))
    assert not any("Diskominfo" in k or "Komunikasi" in k for k in rows)
    for code in ("DISKOMINFO", "DISKOMINFO.APTIKA", "BKPSDM", "TANGSEL", "NOPE"):
        for url in ("/laporan/", "/laporan/kursus/dasar", "/laporan/rincian",
                    "/laporan/terlambat", "/laporan/jp", "/laporan/rincian/unduh.csv",
                    "/laporan/ringkasan/unduh.xlsx", "/laporan/jp/unduh.csv",
                    "/laporan/kursus/dasar/unduh.xlsx"):
            assert client.get(f"{url}?opd={code}").status_code == 404, (url, code)
    assert client.get("/laporan/pegawai/198701012010011002").status_code == 404  # Budi
    everyone = client.get("/laporan/rincian/unduh.csv").get_data(as_text=True)
    assert "Budi" not in everyone and "Rina Sari" in everyone
    jp_all = client.get("/laporan/jp/unduh.csv").get_data(as_text=True)
    assert "Budi" not in jp_all and "Hendra" not in jp_all


def test_kecamatan_hr_assigns_only_inside_the_kecamatan(client, db, people, data, course):
    as_hr(client, people, "hr_kec")
    token = csrf_token(client, "/laporan/penugasan")
    outside = client.post("/laporan/penugasan", data={
        "csrf_token": token, "course": "dasar", "target": "opd", "opd": "DISKOMINFO",
        "due_date": FUTURE.isoformat()})
    assert outside.status_code == 200  # form shown again with an error
    assert db.session.scalar(select(func.count(Assignment.id))) == 1
    listed = client.post("/laporan/penugasan", data={
        "csrf_token": token, "course": "dasar", "target": "list",
        "nips": "198609262015051001\n198701012010011002\n", "due_date": FUTURE.isoformat()})
    assert "Baris 2: NIP 198701012010011002" in listed.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Assignment.id))) == 1
    city_assignment = assignments.create(db.session, course=course, due_date=FUTURE, by=None)
    db.session.commit()
    assert client.post(f"/laporan/penugasan/{city_assignment.id}/cabut",
                       data={"csrf_token": token}).status_code == 404


def test_assignment_by_form_reaches_new_employees(client, db, org, people, course):
    as_hr(client, people)
    token = csrf_token(client, "/laporan/penugasan")
    response = client.post("/laporan/penugasan", data={
        "csrf_token": token, "course": "dasar", "target": "type", "employment_type": "pns",
        "due_date": FUTURE.isoformat()})
    assert response.status_code == 302
    page = client.get("/laporan/penugasan").get_data(as_text=True)
    assert table_rows(page)["Dasar Uji"][2] == "5"
    newcomer = make_employee("199505052020121001", org["kel2"])
    with assignments.changing(db.session, newcomer):
        pass
    db.session.commit()
    assert table_rows(client.get("/laporan/penugasan").get_data(as_text=True))[
        "Dasar Uji"][2] == "6"


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


def test_formula_neutralisation_covers_every_start():
    from lms.reports.export import neutralise
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(text) == "'" + text
    assert neutralise("Budi") == "Budi" and neutralise(5) == 5


def test_xlsx_export_matches_the_screen(client, people, data):
    as_hr(client, people)
    response = client.get("/laporan/ringkasan/unduh.xlsx?opd=KEC-PML")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ["opd_kode", "opd", "Dasar Uji (%)", "total (%)"]
    assert ["KEC-PML.01", "Kelurahan Benda Baru", 100, 100] in values
    assert values[-1] == [None, "Total", 25, 25]


def test_employee_page_records_external_training(client, db, people, data):
    as_hr(client, people, "hr_kec")
    url = "/laporan/pegawai/198609262015051001"
    token = csrf_token(client, url)
    form = {"csrf_token": token, "title": "Bimtek SIPD", "organiser": "BPSDM Banten",
            "start_date": TODAY.isoformat(), "end_date": TODAY.isoformat(), "jp": "12"}
    fake = client.post(url, data={**form, "proof": (io.BytesIO(b"MZ not a pdf"), "a.pdf")},
                       content_type="multipart/form-data")
    assert "File ini bukan PDF, JPG, atau PNG yang sebenarnya." in fake.get_data(as_text=True)
    assert db.session.scalar(select(func.count(ExternalTraining.id))) == 0
    response = client.post(url, data={**form, "proof": (io.BytesIO(b"%PDF-1.4 ok"), "x.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Bimtek SIPD" in page and "eksternal" in page
    proof = re.search(r'href="(/laporan/pelatihan/\d+/bukti)"', page).group(1)
    download = client.get(proof)
    assert download.data == b"%PDF-1.4 ok" and download.mimetype == "application/pdf"
    assert "attachment" in download.headers["Content-Disposition"]
    assert "14 dari 20 JP" in page  # 2 from the course, 12 recorded
    token = csrf_token(client, url)
    delete = re.search(r'action="(/laporan/pelatihan/\d+/hapus)"', page).group(1)
    assert client.post(delete, data={"csrf_token": token}).status_code == 302
    assert "2 dari 20 JP" in client.get(url).get_data(as_text=True)


def test_dashboard_shows_mandatory_soonest_first(client, db, org, people, data, course):
    from lms.models import Course
    other = Course(slug="lain", title="Kursus Lain", jp=1, published=True)
    db.session.add(other)
    db.session.flush()
    assignments.create(db.session, course=other, due_date=FUTURE, opd=org["kec"], by=None)
    db.session.commit()
    login(client, people["hr_kec"].nip)
    page = client.get("/").get_data(as_text=True)
    mandatory = page[page.index("Wajib untuk Anda"):]
    assert mandatory.index("Dasar Uji") < mandatory.index("Kursus Lain")
    assert f"Terlambat: batas waktunya {PAST.day} " in page
    assert f"Batas waktu: {FUTURE.day} " in page


def test_pages_of_employees_and_totals_agree_with_rows(client, db, org, people, data, course):
    for i in range(60):
        make_employee(f"19900101201501{i:04d}", org["kel1"], f"Pegawai {i:02d}")
    assignments.rebuild_course(db.session, course.id)
    db.session.commit()
    as_hr(client, people)
    first = client.get("/laporan/rincian?opd=KEC-PML").get_data(as_text=True)
    second = client.get("/laporan/rincian?opd=KEC-PML&halaman=2").get_data(as_text=True)
    names = list(table_rows(first)) + list(table_rows(second))
    assert len(table_rows(first)) == 50 and len(names) == len(set(names)) == 64
    assert "halaman=2" in first and "halaman=3" not in second
    for status in ("", "completed", "overdue", "in_progress", "not_started"):
        page = client.get(f"/laporan/rincian?status={status}").get_data(as_text=True)
        total = int(re.search(r"<p>(\d+) kursus wajib", page).group(1))
        exported = client.get(f"/laporan/rincian/unduh.csv?status={status}").get_data(
            as_text=True)
        assert total == len(exported.strip().splitlines()) - 1, status


def test_kecamatan_hr_cannot_touch_other_opds_records(client, db, people, data):
    from lms import jp
    record = jp.record_external(db.session, people["other"], title="Diklat", organiser="LAN",
                                start_date=TODAY, end_date=TODAY, jp=4, by=people["hr_city"],
                                proof=("bukti.pdf", "application/pdf", b"%PDF-1.4"))
    db.session.commit()
    as_hr(client, people, "hr_kec")
    token = csrf_token(client, "/laporan/")
    assert client.get(f"/laporan/pelatihan/{record.id}/bukti").status_code == 404
    assert client.post(f"/laporan/pelatihan/{record.id}/hapus",
                       data={"csrf_token": token}).status_code == 404
    assert client.post("/laporan/pegawai/198701012010011002", data={
        "csrf_token": token, "title": "x", "organiser": "y", "start_date": "2026-01-01",
        "end_date": "2026-01-01", "jp": "5"}).status_code == 404
    for fmt in ("csv", "xlsx"):
        assert client.get(f"/laporan/kursus/dasar/unduh.{fmt}?opd=DISKOMINFO"
                          ).status_code == 404
        assert client.get(f"/laporan/kursus/dasar/unduh.{fmt}?opd=KEC-PML").status_code == 200
    assert db.session.get(ExternalTraining, record.id) is not None


def test_both_employee_page_plans_give_the_same_page(client, db, org, people, data,
                                                     monkeypatch):
    from lms.reports import lists
    as_hr(client, people)
    pages = []
    for threshold in (10**9, 0):  # small-subtree plan, then the big-subtree plan
        monkeypatch.setattr(lists, "BIG_SUBTREE", threshold)
        pages.append(client.get("/laporan/rincian?opd=KEC-PML").get_data(as_text=True))
    assert list(table_rows(pages[0])) == list(table_rows(pages[1])) != []


def test_employee_level_xlsx_has_the_csv_cells(client, db, people, data):
    as_hr(client, people)
    sheet = load_workbook(io.BytesIO(client.get(
        "/laporan/rincian/unduh.xlsx?opd=KEC-PML").get_data())).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    csv_rows = list(csv.reader(io.StringIO(client.get(
        "/laporan/rincian/unduh.csv?opd=KEC-PML").get_data(as_text=True).lstrip("\ufeff"))))
    assert values[0] == csv_rows[0]
    as_text = [["" if v is None else str(v) for v in row] for row in values[1:]]
    assert as_text == csv_rows[1:]


def test_employee_page_shows_transfers(client, db, org, people, data):
    from lms.models import Transfer
    db.session.add(Transfer(employee_id=people["learner"].id, from_opd_id=org["aptika"].id,
                            to_opd_id=org["kel1"].id))
    db.session.commit()
    page = as_hr(client, people, "hr_kec").get("/laporan/pegawai/198609262015051001")
    assert "Bidang Aplikasi Informatika → Kelurahan Benda Baru" in page.get_data(as_text=True)


def test_city_hr_imports_and_makes_links_kecamatan_hr_only_links_in_scope(client, app, db,
                                                                           people, data):
    as_hr(client, people)
    assert client.get("/laporan/impor-pegawai").status_code == 200
    token = csrf_token(client, "/laporan/impor-pegawai")
    page = client.post("/laporan/pegawai/198609262015051001/tautan-sandi",
                       data={"csrf_token": token}).get_data(as_text=True)
    assert "/atur-sandi/" in page
    kec = app.test_client()
    as_hr(kec, people, "hr_kec")
    assert kec.get("/laporan/impor-pegawai").status_code == 403
    token = csrf_token(kec, "/laporan/")
    assert kec.post("/laporan/pegawai/198701012010011002/tautan-sandi",
                    data={"csrf_token": token}).status_code == 404  # Budi: outside
    assert kec.post("/laporan/pegawai/198609262015051001/tautan-sandi",
                    data={"csrf_token": token}).status_code == 200


# --- December: current obligations whatever the year of their due date -----------------

def test_december_shows_courses_due_in_january(client, db, people, data, course):
    db.session.get(Assignment, 1).due_date = JANUARY
    assignments.rebuild_course(db.session, course.id)
    db.session.commit()
    as_hr(client, people)
    overview = client.get("/laporan/").get_data(as_text=True)
    assert table_rows(overview)["Kecamatan Pamulang pegawai"] == ["25% rendah", "25% rendah"]
    assert "Terlambat saat ini: 0." in overview
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
    assert "0 kursus wajib" in client.get("/laporan/rincian").get_data(as_text=True)
    course.retired_at = None
    assignments.revoke(db.session, db.session.get(Assignment, 1))
    db.session.commit()
    assert "0 kursus wajib" in client.get("/laporan/rincian").get_data(as_text=True)
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
    assert f"Terlambat saat ini: {overdue}." in client.get("/laporan/").get_data(as_text=True)
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
    assert [rows[n][-1] for n in names] == ["0% rendah", "0% rendah", "100% baik"]
    assert "<strong>penyelesaian, terendah dulu</strong>" in by_completion
    sheet = load_workbook(io.BytesIO(client.get(
        "/laporan/ringkasan/unduh.xlsx?opd=KEC-PML&urut=completion").get_data())).active
    assert [row[1].value for row in sheet.iter_rows(min_row=2)][-2] == "Kelurahan Benda Baru"
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
    links = re.search(r'<p class="downloads">(.*?)</p>', page, re.S).group(1)
    csv_url, xlsx_url = [u.replace("&amp;", "&") for u in re.findall(r'href="([^"]+)"', links)]
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
    assert values[0] == rows[0] and len(values) == len(rows)


def rows_by_code(rows):
    return {r[0]: r[:4] for r in rows[1:]}
