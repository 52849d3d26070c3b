"""Scheduling, editing and cancelling, signing up and HR adding people, and who sees
what: a champion of one kelurahan neither schedules for nor sees the next one's people."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lms.models import AuditEvent, ClassSeat, ClassSession
from tests.support.classroom import START, make_champion, make_session, seat
from tests.support.factories import make_employee
from tests.support.http import logged_in, token

FORM = {"day": "2027-03-10", "starts": "09:00", "ends": "11:00", "place": "Aula Kelurahan",
        "capacity": "15"}


@pytest.fixture
def before(frozen):
    frozen.move_to(START - timedelta(days=7))


@pytest.fixture
def champions(db, org, people):
    one = make_champion(make_employee("198805052012011005", org["kel1"], "Ayu"), org["kel1"])
    two = make_champion(make_employee("198906062013011006", org["kel2"], "Bayu"), org["kel2"])
    neighbour = make_employee("199107072016011007", org["kel2"], "Citra")
    db.session.commit()
    return {"one": one, "two": two, "neighbour": neighbour}


def _post(client, url, **data):
    return client.post(url, data={**FORM, **data, "csrf_token": token(client, url)})


def _audits(db, action):
    return db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == action))


def test_an_owner_schedules_for_an_opd_of_their_choice(app, db, org, people, course, before):
    from lms.studio import ownership
    ownership.add_owner(db.session, course, people["trainer"])
    db.session.commit()
    client = logged_in(app, people["trainer"].nip)
    page = client.get("/kelas/baru/dasar").get_data(as_text=True)
    assert "Seluruh kota" in page and "Kecamatan Pamulang" in page
    assert "Penutup" in page
    response = _post(client, "/kelas/baru/dasar", audience="KEC-PML",
                     facilitator=people["trainer"].nip, modules=[])
    assert response.status_code == 302
    cs = db.session.scalars(select(ClassSession)).one()
    assert cs.audience.code == "KEC-PML" and cs.scheduled_as == "trainer"
    assert cs.starts_at == START and cs.ends_at == START + timedelta(hours=2)
    assert _audits(db, "class_scheduled") == 1


def test_the_final_quiz_is_not_offered_for_credit(app, db, people, course, before):
    from lms.studio import ownership
    ownership.add_owner(db.session, course, people["trainer"])
    db.session.commit()
    client = logged_in(app, people["trainer"].nip)
    quiz = next(m for m in course.current_modules if m.key == "pengantar")
    closing = next(m for m in course.current_modules if m.key == "penutup")
    page = client.get("/kelas/baru/dasar").get_data(as_text=True)
    assert f'value="{closing.id}"' in page and f'value="{quiz.id}"' not in page
    # Sent anyway, it is not a choice: the form refuses it.
    response = _post(client, "/kelas/baru/dasar", audience="", modules=[str(quiz.id)],
                     facilitator=people["trainer"].nip)
    assert response.status_code == 200
    assert db.session.scalar(select(func.count(ClassSession.id))) == 0


def test_a_trainer_who_does_not_own_the_course_may_not(app, db, people, course, before):
    client = logged_in(app, people["trainer"].nip)
    assert client.get("/kelas/baru/dasar").status_code == 403
    assert "Dasar Uji" not in client.get("/kelas/baru").get_data(as_text=True)


def test_a_champion_schedules_only_for_their_own_unit(app, db, org, people, course,
                                                      champions, before):
    client = logged_in(app, champions["one"].nip)
    page = client.get("/kelas/baru/dasar").get_data(as_text=True)
    assert "Kelurahan Benda Baru" in page
    assert "Pondok Benda" not in page and "Seluruh kota" not in page
    refused = _post(client, "/kelas/baru/dasar", audience="KEC-PML.02",
                    facilitator=champions["one"].nip)
    assert refused.status_code == 200
    assert _post(client, "/kelas/baru/dasar", audience="", facilitator=champions["one"].nip
                 ).status_code == 200
    assert db.session.scalar(select(func.count(ClassSession.id))) == 0
    done = _post(client, "/kelas/baru/dasar", audience="KEC-PML.01",
                 facilitator=champions["one"].nip)
    assert done.status_code == 302
    cs = db.session.scalars(select(ClassSession)).one()
    assert cs.scheduled_as == "champion" and cs.audience.code == "KEC-PML.01"


def test_a_champion_sees_nothing_of_the_next_kelurahan(app, db, org, people, course,
                                                      champions, before):
    theirs = make_session(course, champions["two"], audience=org["kel2"])
    seat(theirs, champions["neighbour"])
    client = logged_in(app, champions["one"].nip)
    for url in (f"/kelas/{theirs.id}", f"/kelas/{theirs.id}/presensi",
                f"/kelas/{theirs.id}/kode", f"/kelas/{theirs.id}/ubah"):
        assert client.get(url).status_code == 404, url  # not even that it exists
    assert "Citra" not in client.get("/kelas").get_data(as_text=True)
    added = client.post(f"/kelas/{theirs.id}/tambah", data={
        "nip": people["learner"].nip, "csrf_token": token(client, "/kelas")})
    assert added.status_code == 404
    cancel = client.post(f"/kelas/{theirs.id}/batalkan",
                         data={"csrf_token": token(client, "/kelas")})
    assert cancel.status_code == 404
    # Their own colleague, Rina, does not see the other kelurahan's session either.
    learner = logged_in(app, people["learner"].nip)
    assert learner.get(f"/kelas/{theirs.id}").status_code == 404
    assert learner.post(f"/kelas/{theirs.id}/daftar", data={
        "csrf_token": token(learner, "/kelas")}).status_code == 404
    assert "Ruang rapat" not in learner.get("/kelas").get_data(as_text=True)


def test_signing_up_giving_back_and_seeing_a_cancellation(app, db, org, people, course,
                                                         before):
    from lms.studio import ownership
    ownership.add_owner(db.session, course, people["trainer"])
    cs = make_session(course, people["trainer"], audience=org["kec"], capacity=1)
    learner = logged_in(app, people["learner"].nip)
    assert 'href="/kelas/kursus/dasar"' in learner.get("/kursus/dasar").get_data(as_text=True)
    assert "Ruang rapat" in learner.get("/kelas/kursus/dasar").get_data(as_text=True)
    url = f"/kelas/{cs.id}"
    learner.post(url + "/daftar", data={"csrf_token": token(learner, url)})
    assert db.session.scalar(select(func.count(ClassSeat.id))) == 1
    # Full now for anyone else in the kecamatan.
    other = make_employee("199208082017011008", org["kel2"])
    db.session.commit()
    second = logged_in(app, other.nip)
    page = second.post(url + "/daftar", data={"csrf_token": token(second, url)},
                       follow_redirects=True).get_data(as_text=True)
    assert "sudah penuh" in page
    learner.post(url + "/batal-daftar", data={"csrf_token": token(learner, url)})
    assert db.session.scalar(select(func.count(ClassSeat.id))) == 0
    learner.post(url + "/daftar", data={"csrf_token": token(learner, url)})
    trainer = logged_in(app, people["trainer"].nip)
    trainer.post(url + "/batalkan", data={"csrf_token": token(trainer, url)})
    assert _audits(db, "class_cancelled") == 1
    mine = learner.get("/kelas").get_data(as_text=True)
    assert "Dibatalkan" in mine
    assert "Sesi kelas ini dibatalkan" in learner.get(url).get_data(as_text=True)


def test_hr_adds_people_of_their_scope_only(app, db, org, people, course, before):
    cs = make_session(course, people["trainer"])  # the whole city
    hr = logged_in(app, people["hr_kec"].nip)
    url = f"/kelas/{cs.id}"
    page = hr.post(url + "/tambah", data={"nip": people["learner"].nip,
                                          "csrf_token": token(hr, url)},
                   follow_redirects=True).get_data(as_text=True)
    assert "Rina Sari: Ditambahkan ke sesi kelas." in page
    again = hr.post(url + "/tambah", data={"nip": people["learner"].nip,
                                           "csrf_token": token(hr, url)},
                    follow_redirects=True).get_data(as_text=True)
    assert "Rina Sari: Sudah terdaftar di sesi kelas ini." in again
    hr.post(url + "/tambah", data={"nip": people["other"].nip, "csrf_token": token(hr, url)})
    seats = db.session.scalars(select(ClassSeat)).all()
    assert [s.employee_id for s in seats] == [people["learner"].id]  # Budi is not theirs
    assert seats[0].added_by_id == people["hr_kec"].id
    assert _audits(db, "class_seat_added") == 1
    # A session for Diskominfo does not reach into the kecamatan: HR of it cannot fill it.
    kominfo = make_session(course, people["trainer"], audience=org["kominfo"])
    assert hr.get(f"/kelas/{kominfo.id}").status_code == 404


def test_editing_keeps_capacity_above_the_seats_taken(app, db, org, people, course, before):
    from lms.studio import ownership
    ownership.add_owner(db.session, course, people["trainer"])
    cs = make_session(course, people["trainer"])
    seat(cs, people["learner"])
    seat(cs, people["other"])
    client = logged_in(app, people["trainer"].nip)
    url = f"/kelas/{cs.id}/ubah"
    assert 'value="Ruang rapat"' in client.get(url).get_data(as_text=True)
    low = _post(client, url, capacity="1", audience="", facilitator=people["trainer"].nip)
    assert low.status_code == 200 and "tidak boleh kurang dari 2" in low.get_data(as_text=True)
    ok = _post(client, url, capacity="30", place="Aula", audience="",
               facilitator=people["learner"].nip)
    assert ok.status_code == 302
    db.session.refresh(cs)
    assert (cs.capacity, cs.place, cs.facilitator_id) == (30, "Aula", people["learner"].id)
    assert _audits(db, "class_changed") == 1
