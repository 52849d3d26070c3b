"""HR views: numbers per OPD, and that a kecamatan's HR sees only the kecamatan."""

import re

import pytest

from lms import progress
from tests.conftest import login, make_employee


@pytest.fixture
def data(db, org, people, course):
    first, second = course.current_modules
    # kel1: learner completed; kel2: one started; aptika: other started; plus one idle in kec
    progress.complete_module(db.session, people["learner"].id, first)
    progress.complete_module(db.session, people["learner"].id, second)
    starter = make_employee("198505052010012001", org["kel2"], "Ahmad Kel2")
    progress.complete_module(db.session, starter.id, second)
    progress.enroll(db.session, people["other"].id, course)
    make_employee("198808082015011002", org["kec"], "Staf Kecamatan")
    db.session.commit()
    return org


def table_rows(html):
    """{row header text: [cell texts]} for every body row."""
    rows = {}
    for tr in re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", html, re.S):
        head, _, rest = tr.partition("</th>")
        name = re.sub(r"<[^>]+>", "", head).strip()
        rows[name] = [re.sub(r"<[^>]+>", "", c).strip()
                      for c in re.findall(r"<td[^>]*>(.*?)</td>", rest, re.S)]
    return rows


def test_learner_and_trainer_get_403(app, people):
    for who in ("learner", "trainer"):
        client = app.test_client()
        login(client, people[who].nip)
        assert client.get("/laporan/").status_code == 403
        assert client.get("/laporan/kursus/dasar").status_code == 403
        assert client.get("/laporan/kursus/dasar/opd/KEC-PML").status_code == 403


def test_reports_need_login(client):
    assert client.get("/laporan/").status_code == 302


def test_city_hr_sees_every_opd(client, people, data):
    login(client, people["hr_city"].nip)
    index = client.get("/laporan/").get_data(as_text=True)
    # 7 employees (5 people, the starter, the kecamatan staff); 1 completed, 3 started
    assert table_rows(index)["Dasar Uji"] == ["7", "1", "2", "4", "14%"]
    page = client.get("/laporan/kursus/dasar").get_data(as_text=True)
    rows = table_rows(page)
    assert rows["Kecamatan Pamulang"] == ["4", "1", "1", "2", "25%"]
    assert rows["Dinas Komunikasi dan Informatika"] == ["2", "0", "1", "1", "0%"]
    assert rows["BKPSDM"] == ["1", "0", "0", "1", "0%"]


def test_drill_down_lists_employees_with_status(client, people, data):
    login(client, people["hr_city"].nip)
    page = client.get("/laporan/kursus/dasar/opd/KEC-PML").get_data(as_text=True)
    rows = table_rows(page)
    assert rows["Kelurahan Benda Baru"] == ["1", "1", "0", "0", "100%"]
    assert rows["Kelurahan Pondok Benda"] == ["1", "0", "1", "0", "0%"]
    assert rows["Kecamatan Pamulang (pegawai di luar unit bawahan)"] == ["2", "0", "0", "2",
                                                                         "0%"]
    assert rows["Rina Sari"][0] == "198609262015051001"
    assert rows["Rina Sari"][2] == "Selesai" and rows["Rina Sari"][3] == "100%"
    assert rows["Ahmad Kel2"][2] == "Berjalan" and rows["Ahmad Kel2"][3] == "50%"
    assert "Budi Santoso" not in page


def test_kecamatan_hr_sees_only_the_kecamatan(client, people, data):
    login(client, people["hr_kec"].nip)
    index = client.get("/laporan/").get_data(as_text=True)
    assert table_rows(index)["Dasar Uji"] == ["4", "1", "1", "2", "25%"]
    page = client.get("/laporan/kursus/dasar").get_data(as_text=True)
    assert "Kelurahan Benda Baru" in page and "Dinas Komunikasi" not in page
    assert "Budi Santoso" not in page and "Rina Sari" in page
    assert client.get("/laporan/kursus/dasar/opd/KEC-PML.01").status_code == 200
    for code in ("DISKOMINFO", "DISKOMINFO.APTIKA", "BKPSDM", "TANGSEL", "TIDAK-ADA"):
        assert client.get(f"/laporan/kursus/dasar/opd/{code}").status_code == 404, code


def test_kecamatan_hr_breadcrumb_stops_at_its_scope(client, people, data):
    login(client, people["hr_kec"].nip)
    page = client.get("/laporan/kursus/dasar/opd/KEC-PML.01").get_data(as_text=True)
    assert "/opd/KEC-PML\"" in page and "/opd/TANGSEL" not in page


def test_pagination_rejects_nonsense(client, people, data):
    login(client, people["hr_city"].nip)
    assert client.get("/laporan/kursus/dasar/opd/KEC-PML?halaman=0").status_code == 404
    assert client.get("/laporan/kursus/dasar/opd/KEC-PML?halaman=99").status_code == 404
    assert client.get("/laporan/kursus/dasar/opd/KEC-PML?halaman=1").status_code == 200
