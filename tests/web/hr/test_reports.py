"""HR reports over real HTTP: numbers, statuses, filters, exports, and scope on every URL."""

import io
import re

from sqlalchemy import func, select

from lms.hr import lists
from lms.mandatory import assignments
from lms.models import Assignment, ExternalTraining
from tests.support.factories import make_employee
from tests.support.http import csrf_token, login, table_rows
from tests.support.reports import FUTURE, PAST, TODAY, as_hr

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
    assert rows["Kecamatan Pamulang pegawai"] == ["25% sangat rendah", "25% sangat rendah"]
    assert rows["Dinas Komunikasi dan Informatika pegawai"] == ["–", "–"]
    assert rows["Total"] == ["25% sangat rendah", "25% sangat rendah"]
    assert "Terlambat saat ini: 3" in page


def test_drill_down_and_direct_row(client, people, data):
    page = as_hr(client, people).get("/laporan/?opd=KEC-PML").get_data(as_text=True)
    rows = table_rows(page)
    assert rows["Kelurahan Benda Baru pegawai"] == ["100% baik"] * 2
    assert rows["Kelurahan Pondok Benda pegawai"] == ["0% jauh tertinggal"] * 2
    direct = next(k for k in rows if k.startswith("Kecamatan Pamulang (pegawai di luar"))
    assert rows[direct] == ["0% jauh tertinggal"] * 2


def test_employment_type_filter(client, people, data):
    page = as_hr(client, people).get("/laporan/?opd=KEC-PML&jenis=pppk").get_data(
        as_text=True)
    rows = table_rows(page)
    assert rows["Total"] == ["0% jauh tertinggal", "0% jauh tertinggal"]
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
    assert "Terlambat saat ini: 0" in client.get("/laporan/").get_data(as_text=True)


def test_year_filter(client, people, data):
    as_hr(client, people)
    other_year = PAST.year - 1
    page = client.get(f"/laporan/rincian?tahun={other_year}").get_data(as_text=True)
    assert "0 baris, satu baris per pegawai dan kursus wajib" in page
    assert client.get("/laporan/?tahun=1800").status_code == 404


def test_sorting_and_pagination_links_keep_filters(client, people, data):
    page = as_hr(client, people).get("/laporan/rincian?opd=KEC-PML&urut=status").get_data(
        as_text=True)
    names = list(table_rows(page))
    assert names.index("Ahmad Kel2") < names.index("Rina Sari")  # overdue before done
    assert "urut=due" in page and "opd=KEC-PML" in page
    assert client.get("/laporan/rincian?halaman=9").status_code == 404


def test_sorted_pages_link_from_the_row_shown(client, people, data, monkeypatch):
    monkeypatch.setattr(lists, "PER_PAGE", 1)
    as_hr(client, people)
    first = client.get("/laporan/rincian?urut=status").get_data(as_text=True)
    link = re.search(r'class="pager-next" href="([^"]+)"', first)[1].replace("&amp;", "&")
    assert "setelah=" in link and "urut=status" in link and "halaman=2" in link
    second = client.get(link).get_data(as_text=True)
    offset = client.get("/laporan/rincian?urut=status&halaman=2").get_data(as_text=True)
    assert list(table_rows(second)) == list(table_rows(offset))
    assert list(table_rows(second)) != list(table_rows(first))
    to_first = re.search(r'class="pager-prev" href="([^"]+)"', second)[1]
    assert "halaman=1" in to_first and "sebelum" not in to_first  # page 1 by its offset
    third = client.get(re.search(r'class="pager-next" href="([^"]+)"', second)[1]
                       .replace("&amp;", "&")).get_data(as_text=True)
    back = re.search(r'class="pager-prev" href="([^"]+)"', third)[1].replace("&amp;", "&")
    assert "sebelum=" in back and "halaman=2" in back
    assert list(table_rows(client.get(back).get_data(as_text=True))) == list(
        table_rows(second))
    assert client.get("/laporan/rincian?urut=status&setelah=x-1").status_code == 400


def test_course_detail_numbers_and_chart(client, people, data):
    page = as_hr(client, people).get("/laporan/kursus/dasar").get_data(as_text=True)
    rows = table_rows(page)
    assert rows["Kecamatan Pamulang"] == ["4", "1", "1", "2", "3", "25% sangat rendah", "0"]
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


def test_employee_page_records_external_training(client, db, people, data):
    as_hr(client, people, "hr_kec")
    url = "/laporan/pegawai/198609262015051001"
    token = csrf_token(client, url)
    form = {"csrf_token": token, "title": "Bimtek SIPD", "organiser": "BPSDM Banten",
            "start_date": TODAY.isoformat(), "end_date": TODAY.isoformat(), "jp": "12"}
    fake = client.post(url, data={**form, "proof": (io.BytesIO(b"MZ not a pdf"), "a.pdf")},
                       content_type="multipart/form-data")
    assert "Berkas ini bukan PDF, JPG, atau PNG yang sebenarnya." in fake.get_data(as_text=True)
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
        total = int(re.search(r"<p>(\d+) baris", page).group(1))
        exported = client.get(f"/laporan/rincian/unduh.csv?status={status}").get_data(
            as_text=True)
        assert total == len(exported.strip().splitlines()) - 1, status


def test_kecamatan_hr_cannot_touch_other_opds_records(client, db, people, data):
    from lms.learning import jp
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
    from lms.hr import lists
    as_hr(client, people)
    pages = []
    for threshold in (10**9, 0):  # small-subtree plan, then the big-subtree plan
        monkeypatch.setattr(lists, "BIG_SUBTREE", threshold)
        pages.append(client.get("/laporan/rincian?opd=KEC-PML").get_data(as_text=True))
    assert list(table_rows(pages[0])) == list(table_rows(pages[1])) != []


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
