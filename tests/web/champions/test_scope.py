"""A champion of Kelurahan Benda Baru sees its colleagues and nothing of the next
kelurahan, Pondok Benda: on every URL and export, however the address is guessed."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from lms.champions import assisted
from lms.models import AssistedSession, AuditEvent
from tests.support.champions import AHMAD_NIP, CHAMPION_NIP, JOKO_NIP, WATI_NIP, as_user
from tests.support.factories import make_employee
from tests.support.http import csrf_token, table_rows

NEXT_DOOR = ("Ahmad Kel2", "Joko Kel2", AHMAD_NIP, JOKO_NIP, "Pondok Benda")


def _clean(text):
    return not any(word in text for word in NEXT_DOOR)


def test_the_champion_sees_their_colleagues_status_and_where_each_stopped(client, unit,
                                                                           people):
    as_user(client, CHAMPION_NIP)
    page = client.get("/duta").get_data(as_text=True)
    rows = table_rows(page)
    assert set(rows) == {"Rina Sari", "Wati Kel1", "Cahya Duta"}
    # Rina finished module 1 of 2: she stopped before "Penutup".
    assert rows["Rina Sari"][3] == "Berjalan"
    assert "1 dari 2 modul" in rows["Rina Sari"][4] and "Berikutnya: Penutup" in rows[
        "Rina Sari"][4]
    # Wati opened it and completed nothing: she is at module 1 (not where Rina is).
    assert rows["Wati Kel1"][3] == "Berjalan"
    assert rows["Wati Kel1"][4] == "0 dari 2 modul Berikutnya: Pengantar"
    assert rows["Cahya Duta"][3:5] == ["Belum mulai", "Belum dibuka"]
    assert _clean(page)
    assert 'aria-current="page">Duta Digital' in page.replace("\n", "")
    sorted_page = client.get("/duta?urut=status").get_data(as_text=True)
    assert list(table_rows(sorted_page)) == ["Cahya Duta", "Rina Sari", "Wati Kel1"]
    started = client.get("/duta?status=in_progress").get_data(as_text=True)
    assert list(table_rows(started)) == ["Rina Sari", "Wati Kel1"]


@pytest.mark.parametrize("query", ["opd=KEC-PML.02", "opd=KEC-PML", "opd=DISKOMINFO",
                                   "opd=NOPE", "kursus=nope", "urut=opd", "status=x"])
def test_no_filter_reaches_outside_the_unit(client, unit, query):
    as_user(client, CHAMPION_NIP)
    for url in (f"/duta?{query}", f"/duta/unduh.csv?{query}", f"/duta/unduh.xlsx?{query}"):
        assert client.get(url).status_code in (400, 404), url


def test_the_exports_hold_the_unit_only_and_are_audited(client, db, unit):
    as_user(client, CHAMPION_NIP)
    csv_text = client.get("/duta/unduh.csv").get_data(as_text=True)
    lines = {line.split(",")[0]: line.split(",") for line in csv_text.splitlines()[1:]}
    assert lines["Rina Sari"][5:8] == ["50", "1", "Penutup"]
    assert lines["Wati Kel1"][5:8] == ["0", "0", "Pengantar"]
    assert _clean(csv_text)
    book = load_workbook(io.BytesIO(client.get("/duta/unduh.xlsx").data))
    cells = list(book.active.iter_rows(values_only=True))
    assert cells[0][:2] == ("Nama", "NIP")
    assert {r[0] for r in cells[1:]} == {"Rina Sari", "Wati Kel1", "Cahya Duta"}
    assert _clean(repr(cells))
    audited = list(db.session.scalars(select(AuditEvent.details).where(
        AuditEvent.action == "export", AuditEvent.target == "duta")))
    assert [d["format"] for d in audited] == ["csv", "xlsx"]


def test_other_champions_records_and_every_other_area_are_closed(client, db, org, unit,
                                                                 people):
    neighbour = make_employee("199202022020121006", org["kel2"], "Duta Kel2",
                              roles=[("champion", org["kel2"])])
    theirs, _ = assisted.record(db.session, neighbour, org["kel2"], held_on=date(2026, 12, 1),
                                minutes=60, topic="Sisumaker", course=None,
                                helped=[unit["ahmad"]], token="t" * 32)
    db.session.commit()
    as_user(client, CHAMPION_NIP)
    for url in (f"/duta/pendampingan/{theirs.id}/hapus", "/duta/pendampingan/999999/hapus"):
        assert client.get(url).status_code == 404
        assert client.post(url, data={"csrf_token": csrf_token(client, "/duta")}
                           ).status_code == 404
    assert _clean(client.get("/duta/pendampingan").get_data(as_text=True))
    for url in (f"/laporan/pegawai/{AHMAD_NIP}", f"/laporan/pegawai/{WATI_NIP}",
                "/laporan/pendampingan", f"/laporan/pendampingan/{theirs.id}/hapus",
                "/laporan/rincian", "/admin/duta-digital", "/admin/peran"):
        assert client.get(url).status_code == 403, url
    # Recording for the next kelurahan's people is refused by name of the line.
    from tests.support.champions import record_form
    refused = client.post("/duta/pendampingan/baru",
                          data=record_form(client, nips=f"{WATI_NIP}\n{AHMAD_NIP}"))
    text = refused.get_data(as_text=True)
    assert refused.status_code == 200
    assert f"Baris 2: {AHMAD_NIP} bukan pegawai aktif di Kelurahan Benda Baru." in text
    assert "Ahmad Kel2" not in text
    assert db.session.scalar(select(AssistedSession.id).where(
        AssistedSession.champion_id == unit["champion"].id)) is None


def test_learners_and_hr_are_not_champions(client, unit, people):
    as_user(client, people["learner"].nip)
    assert client.get("/duta").status_code == 403
    assert client.get("/duta/pendampingan/baru").status_code == 403
    page = client.get("/").get_data(as_text=True)
    assert 'href="/duta"' not in page
    client.post("/keluar", data={"csrf_token": csrf_token(client, "/")})
    as_user(client, people["hr_city"].nip)
    assert client.get("/duta/unduh.csv").status_code == 403


def test_the_export_neutralises_formulas(client, db, unit):
    unit["wati"].name = '=HYPERLINK("http://x","Wati")'
    db.session.commit()
    as_user(client, CHAMPION_NIP)
    csv_text = client.get("/duta/unduh.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in csv_text
    book = load_workbook(io.BytesIO(client.get("/duta/unduh.xlsx").data))
    names = [row[0] for row in book.active.iter_rows(values_only=True)]
    assert "'=HYPERLINK(\"http://x\",\"Wati\")" in names
