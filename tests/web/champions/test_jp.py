"""Pendampingan JP: off by default; when an admin turns it on, each colleague helped is
credited floor(minutes / minutes per JP) for the Jakarta year of the session, up to the
yearly cap, in JpYear, their history and their transcript; deleting a record takes back
exactly what it gave; changing the setting later rewrites nothing."""

from datetime import date, datetime

from sqlalchemy import select

from lms.certificates import transcripts
from lms.champions import assisted
from lms.core.clock import JAKARTA
from lms.learning import jp
from lms.models import AuditEvent, ChampionSettings, JpYear
from tests.support.champions import CHAMPION_NIP, TODAY, WATI_NIP, as_user, record_form
from tests.support.factories import make_employee
from tests.support.http import csrf_token


def _settings(client, **values):
    data = {"csrf_token": csrf_token(client, "/admin/duta-digital"), "minutes_per_jp": "45",
            "yearly_cap": "4", "jp_enabled": "y"}
    data.update(values)
    return client.post("/admin/duta-digital", data={k: v for k, v in data.items()
                                                    if v is not None})


def _admin(app, db, org):
    make_employee("196501011990031001", org["bkpsdm"], "Admin", roles=["admin"])
    db.session.commit()
    return as_user(app.test_client(), "196501011990031001")


def _record(client, **changes):
    response = client.post("/duta/pendampingan/baru", data=record_form(client, **changes))
    assert response.status_code == 302, response.get_data(as_text=True)


def _ledger(db, employee, year=2026):
    return db.session.scalar(select(JpYear.jp).where(JpYear.employee_id == employee.id,
                                                     JpYear.year == year)) or 0


def test_off_by_default_nothing_is_credited(client, db, unit):
    as_user(client, CHAMPION_NIP)
    _record(client, minutes="180")
    assert _ledger(db, unit["wati"]) == 0
    assert transcripts.lines(db.session, unit["wati"].id, 2026, "BKPSDM") == []
    assert "Dihitung sebagai JP" not in client.get("/duta/pendampingan").get_data(
        as_text=True)


def test_on_it_credits_each_colleague_up_to_the_cap_and_deleting_takes_it_back(
        app, client, db, org, unit, people):
    admin = _admin(app, db, org)
    assert admin.get("/admin/duta-digital").status_code == 200
    assert _settings(admin, minutes_per_jp="5").status_code == 200  # below 15: refused
    assert db.session.get(ChampionSettings, 1) is None
    assert _settings(admin).status_code == 302
    assert db.session.scalars(select(AuditEvent.details).where(
        AuditEvent.action == "champion_settings_changed")).one() == {
        "jp_enabled": True, "minutes_per_jp": 45, "yearly_cap": 4}
    as_user(client, CHAMPION_NIP)
    _record(client, minutes="100", nips=f"{WATI_NIP}\n{people['learner'].nip}")  # 2 JP each
    assert _ledger(db, unit["wati"]) == 2 and _ledger(db, people["learner"]) == 2
    assert _ledger(db, unit["champion"]) == 0  # the champion's own time earns nothing
    _record(client, minutes="180", topic="Arsip digital", course="")  # 4 JP, capped to 2
    assert _ledger(db, unit["wati"]) == 4
    lines = transcripts.lines(db.session, unit["wati"].id, 2026, "BKPSDM")
    assert [(line[0], line[3], line[4]) for line in lines] == [
        ("Pendampingan Duta Digital: Arsip digital", 2, "duta"),
        ("Pendampingan Duta Digital: Dasar Uji: Membuka modul dari ponsel", 2, "duta")]
    assert all(line[1] == "Duta Digital, Kelurahan Benda Baru" for line in lines)
    assert sum(line[3] for line in lines) == jp.total(db.session, unit["wati"].id, 2026)
    # The setting changed later rewrites nothing already recorded.
    assert _settings(admin, jp_enabled=None).status_code == 302
    assert _ledger(db, unit["wati"]) == 4
    _record(client, minutes="90")
    assert _ledger(db, unit["wati"]) == 4
    # Deleting the first record takes back its 2 JP; the capped one keeps what it gave.
    first = min(db.session.scalars(select(assisted.AssistedSession)), key=lambda s: s.id)
    url = f"/duta/pendampingan/{first.id}/hapus"
    assert client.post(url, data={"csrf_token": csrf_token(client, url)}).status_code == 302
    assert _ledger(db, unit["wati"]) == 2 and _ledger(db, people["learner"]) == 0
    lines = transcripts.lines(db.session, unit["wati"].id, 2026, "BKPSDM")
    assert [line[3] for line in lines] == [2]


def test_the_history_pages_show_the_pendampingan(app, client, db, org, unit, people):
    _settings(_admin(app, db, org), yearly_cap="")
    as_user(client, CHAMPION_NIP)
    _record(client, minutes="480", nips=people["learner"].nip)  # no cap: 10 JP
    assert _ledger(db, people["learner"]) == 10
    mine = as_user(app.test_client(), people["learner"].nip)
    page = mine.get("/data-saya").get_data(as_text=True)
    assert "Pendampingan Duta Digital" in page and "Duta Digital: Cahya Duta" in page
    assert "10 JP" in page
    hr = as_user(app.test_client(), people["hr_kec"].nip)
    page = hr.get(f"/laporan/pegawai/{people['learner'].nip}").get_data(as_text=True)
    assert "Pendampingan Duta Digital" in page and "480 menit" in page
    transcript = mine.get("/sertifikat/rekap-jp-2026.pdf")
    assert transcript.status_code == 200 and transcript.mimetype == "application/pdf"


def test_a_session_counts_in_the_jakarta_year_it_was_held(app, client, db, org, unit,
                                                          frozen):
    """Recorded on 2 January 2027 for 31 December 2026: 2026's JP."""
    _settings(_admin(app, db, org))
    frozen.move_to(datetime(2027, 1, 2, 8, 0, tzinfo=JAKARTA))
    entry, _ = assisted.record(db.session, unit["champion"], unit["champion"].opd,
                               held_on=date(2026, 12, 31), minutes=45, topic="Surel",
                               course=None, helped=[unit["wati"]], token="y" * 32)
    db.session.commit()
    assert entry.counts_jp
    assert _ledger(db, unit["wati"], 2026) == 1 and _ledger(db, unit["wati"], 2027) == 0
    assert TODAY.year == 2026
