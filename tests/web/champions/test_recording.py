"""Recording a pendampingan: every field checked with a message naming what is wrong,
NIPs line by line, duplicates collapsed, a double submit recorded once; who sees and who
may delete the records."""

from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from lms.champions import assisted
from lms.core.clock import JAKARTA
from lms.models import AssistedColleague, AssistedSession, AuditEvent
from tests.support.champions import (
    CHAMPION_NIP,
    TODAY,
    WATI_NIP,
    as_user,
    record_form,
)
from tests.support.factories import make_employee
from tests.support.http import csrf_token


def _count(db):
    return db.session.scalar(select(func.count()).select_from(AssistedSession))


def test_a_session_is_recorded_with_its_colleagues_once_and_audited(client, db, unit,
                                                                    people):
    as_user(client, CHAMPION_NIP)
    data = record_form(client, nips=f" {WATI_NIP} \n\n{people['learner'].nip}\n{WATI_NIP}")
    first = client.post("/duta/pendampingan/baru", data=data)
    assert first.status_code == 302 and first.headers["Location"].endswith("/duta/pendampingan")
    again = client.post("/duta/pendampingan/baru", data=data, follow_redirects=True)
    assert "Pendampingan ini sudah tercatat." in again.get_data(as_text=True)
    [entry] = db.session.scalars(select(AssistedSession)).all()
    assert (entry.held_on, entry.minutes, entry.course.slug) == (TODAY, 90, "dasar")
    assert sorted(c.employee.name for c in entry.colleagues) == ["Rina Sari", "Wati Kel1"]
    page = client.get("/duta/pendampingan").get_data(as_text=True)
    assert "Rina Sari, Wati Kel1" in page and "90 menit" in page
    [event] = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "assisted_recorded")).all()
    assert event.target == "KEC-PML.01" and sorted(event.details["colleagues"]) == sorted(
        [WATI_NIP, people["learner"].nip])


def _errors(client, **changes):
    response = client.post("/duta/pendampingan/baru", data=record_form(client, **changes))
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_every_wrong_field_is_refused_with_a_clear_message(client, db, unit):
    as_user(client, CHAMPION_NIP)
    tomorrow, long_ago = TODAY + timedelta(days=1), TODAY - timedelta(days=31)
    window = "Tanggal harus antara 2 November 2026 dan hari ini."
    assert window in _errors(client, held_on=tomorrow.isoformat())
    assert window in _errors(client, held_on=long_ago.isoformat())
    assert "Tanggal pendampingan" in _errors(client, held_on="kemarin")
    assert "15" in _errors(client, minutes="10") and "480" in _errors(client, minutes="481")
    assert "Pilih kursus atau tulis topiknya." in _errors(client, course="", topic=" ")
    assert "Baris 1: 123 bukan pegawai aktif di Kelurahan Benda Baru." in _errors(
        client, nips="123")
    own = _errors(client, nips=f"{WATI_NIP}\n{CHAMPION_NIP}")
    assert f"Baris 2: {CHAMPION_NIP} adalah NIP Anda sendiri" in own
    assert "Paling banyak 50 rekan per sesi." in _errors(
        client, nips="\n".join(str(10**17 + i) for i in range(51)))
    assert "Tulis NIP" in _errors(client, nips="\n \n") or "wajib" in _errors(client, nips="")
    assert client.post("/duta/pendampingan/baru", data=record_form(
        client, unit="KEC-PML.02")).status_code == 200  # not a choice: refused by the form
    assert client.post("/duta/pendampingan/baru", data={
        k: v for k, v in record_form(client).items() if k != "csrf_token"}).status_code == 400
    assert _count(db) == 0


def test_the_last_day_of_the_window_is_accepted(client, db, unit):
    as_user(client, CHAMPION_NIP)
    first_day = TODAY - timedelta(days=assisted.DAYS_BACK)
    assert client.post("/duta/pendampingan/baru", data=record_form(
        client, held_on=first_day.isoformat(), course="", topic="Surel dinas")
    ).status_code == 302
    assert db.session.scalars(select(AssistedSession.held_on)).one() == first_day


def test_an_inactive_colleague_is_refused(client, db, unit):
    unit["wati"].active = False
    db.session.commit()
    as_user(client, CHAMPION_NIP)
    assert f"Baris 1: {WATI_NIP} bukan pegawai aktif" in _errors(client)


def _recorded(db, unit, token="a" * 32):
    entry, _ = assisted.record(db.session, unit["champion"], unit["champion"].opd,
                               held_on=TODAY, minutes=45, topic="Tanda tangan elektronik",
                               course=None, helped=[unit["wati"]], token=token)
    db.session.commit()
    return entry


def test_the_champion_deletes_their_own_record_for_a_week_then_hr_does(client, db, unit,
                                                                       people):
    entry = _recorded(db, unit)
    entry_id = entry.id
    as_user(client, CHAMPION_NIP)
    url = f"/duta/pendampingan/{entry_id}/hapus"
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Wati Kel1" in confirm.get_data(as_text=True)
    assert client.post(url, data={}).status_code == 400 and _count(db) == 1  # no token
    assert client.post(url, data={"csrf_token": csrf_token(client, url)}).status_code == 302
    assert _count(db) == 0
    late = _recorded(db, unit, token="b" * 32)
    late_id = late.id
    late.created_at = datetime(2026, 11, 24, 9, 0, tzinfo=JAKARTA)  # 8 days ago
    db.session.commit()
    assert client.get(f"/duta/pendampingan/{late.id}/hapus").status_code == 403
    listed = client.get("/duta/pendampingan").get_data(as_text=True)
    assert "Tanda tangan elektronik" in listed and f"/{late_id}/hapus" not in listed
    hr = as_user(client.application.test_client(), people["hr_kec"].nip)
    listed = hr.get("/laporan/pendampingan").get_data(as_text=True)
    assert "Cahya Duta" in listed and "Tanda tangan elektronik" in listed
    url = f"/laporan/pendampingan/{late_id}/hapus"
    assert hr.post(url, data={"csrf_token": csrf_token(hr, url)}).status_code == 302
    assert _count(db) == 0
    assert [d["record"] for d in db.session.scalars(select(AuditEvent.details).where(
        AuditEvent.action == "assisted_deleted").order_by(AuditEvent.id))] == [entry_id,
                                                                             late_id]


def test_hr_sees_the_records_of_their_scope_only(client, db, org, unit, people):
    entry = _recorded(db, unit)
    make_employee("197711112003121009", org["kominfo"], "HR Kominfo",
                  roles=[("hr", org["kominfo"])])
    db.session.commit()
    as_user(client, "197711112003121009")
    assert "Cahya Duta" not in client.get("/laporan/pendampingan").get_data(as_text=True)
    url = f"/laporan/pendampingan/{entry.id}/hapus"
    assert client.get(url).status_code == 404
    assert client.post(url, data={"csrf_token": csrf_token(client, "/laporan/")}
                       ).status_code == 404
    city = as_user(client.application.test_client(), people["hr_city"].nip)
    assert "Cahya Duta" in city.get("/laporan/pendampingan").get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(AssistedColleague)) == 1


def test_a_session_recorded_while_the_form_token_is_reused_by_two_champions(db, org, unit):
    """The token is unique per champion: two champions' forms never collide."""
    other = make_employee("199303032021011010", org["kel1"], "Duta Dua",
                          roles=[("champion", org["kel1"])])
    db.session.commit()
    _recorded(db, unit, token="same" * 8)
    entry, new = assisted.record(db.session, other, org["kel1"], held_on=date(2026, 12, 1),
                                 minutes=30, topic="x", course=None, helped=[unit["wati"]],
                                 token="same" * 8)
    assert new and _count(db) == 2


def test_two_submits_at_once_record_once(client, db, unit):
    """A double tap: the same form sent twice at the same moment, each request in its
    own thread and database connection."""
    from concurrent.futures import ThreadPoolExecutor
    as_user(client, CHAMPION_NIP)
    data = record_form(client)
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda _: client.post("/duta/pendampingan/baru", data=data),
                                range(2)))
    assert [a.status_code for a in answers] == [302, 302]
    assert _count(db) == 1
    assert db.session.scalar(select(func.count()).select_from(AssistedColleague)) == 1
