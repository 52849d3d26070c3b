"""A cancelled classroom session, told by email to each person signed up for it: once
each (re-runs, two hosts at once), in their language, only while the session is ahead,
a refused message tried again, a dry run sending and recording nothing."""

from datetime import timedelta

import pytest
from sqlalchemy import delete, select

from lms.models import ClassNotice, ClassSeat, Employee
from lms.models.nudges import NO_EMAIL, SENT
from tests.support.classroom import START, make_session, seat
from tests.support.factories import make_employee
from tests.support.http import logged_in, token
from tests.support.nudges import parallel


@pytest.fixture
def signed_up(app, db, org, people, course, frozen):
    """A session on Wednesday 10 March 2027, 09:00-11:00 WIB, a week ahead: Rina and Agus
    (email) and Wati (none) signed up, Dedi (email) too but has left the city's service
    since; Budi signed up for another session that goes on."""
    frozen.move_to(START - timedelta(days=7))
    cs = make_session(course, people["trainer"])
    other = make_session(course, people["trainer"], starts=START + timedelta(days=1))
    rina = people["learner"]
    rina.email = "rina@example.go.id"
    agus = make_employee("199101012019031005", org["kel2"], "Agus Salim")
    agus.email = "agus@example.go.id"
    wati = make_employee("199202022019032006", org["kel2"], "Wati")
    dedi = make_employee("199303032019031007", org["kel2"], "Dedi")
    dedi.email = "dedi@example.go.id"
    people["other"].email = "budi@example.go.id"
    db.session.commit()
    for person in (rina, agus, wati, dedi):
        seat(cs, person)
    dedi.active = False
    db.session.commit()
    seat(other, people["other"])
    return cs


def _cancel(app, db, people, course, cs):
    from lms.studio import ownership
    ownership.add_owner(db.session, course, people["trainer"])
    db.session.commit()
    trainer = logged_in(app, people["trainer"].nip)
    url = f"/kelas/{cs.id}"
    return trainer.post(url + "/batalkan", data={"csrf_token": token(trainer, url)},
                        follow_redirects=True).get_data(as_text=True)


def _run(runner, *args, code=0):
    result = runner.invoke(args=["lms", "send-notices", *args])
    assert result.exit_code == code, result.output
    return result.output


def test_each_person_signed_up_is_emailed_once(app, db, runner, people, course, mailbox,
                                               signed_up):
    page = _cancel(app, db, people, course, signed_up)
    assert "diberi tahu lewat email" in page
    output = _run(runner)
    assert sorted(m["To"] for m in mailbox) == ["agus@example.go.id", "rina@example.go.id"]
    assert "2 pemberitahuan terkirim" in output and "1 orang tidak punya alamat email" in output
    assert "199202022019032006\tWati" in output
    rina = next(m for m in mailbox if m["To"] == "rina@example.go.id")
    assert rina["Subject"] == "Dibatalkan: kelas “Dasar Uji” pada Rabu, 10 Maret 2027"
    text = rina.get_body(("plain",)).get_content()
    assert text.startswith(f"Yth. {people['learner'].name},")
    assert ("pada Rabu, 10 Maret 2027, 09:00–11:00 WIB, di Ruang rapat dibatalkan. Mohon "
            "tidak datang ke sesi tersebut.") in " ".join(text.split())
    assert "http://localhost/kelas/kursus/dasar" in text
    assert 'href="http://localhost/kelas/kursus/dasar"' in rina.get_body(("html",)).get_content()
    rows = {r.employee_id: r for r in db.session.scalars(select(ClassNotice))}
    assert {r.state for r in rows.values()} == {SENT, NO_EMAIL} and len(rows) == 3
    # Again: nothing more.
    assert "0 pemberitahuan terkirim" in _run(runner)
    assert len(mailbox) == 2


def test_who_had_no_address_is_told_once_hr_adds_one(app, db, runner, people, course,
                                                     mailbox, signed_up):
    _cancel(app, db, people, course, signed_up)
    _run(runner)
    wati = db.session.scalars(select(Employee).where(Employee.name == "Wati")).one()
    wati.email = "wati@example.go.id"
    db.session.commit()
    assert "1 pemberitahuan terkirim" in _run(runner)
    assert [m["To"] for m in mailbox].count("wati@example.go.id") == 1
    assert db.session.scalars(select(ClassNotice).where(
        ClassNotice.employee_id == wati.id)).one().state == SENT
    assert "0 pemberitahuan terkirim" in _run(runner)


def test_a_seat_given_back_before_the_run_is_not_told(app, db, runner, people, course,
                                                      mailbox, signed_up, monkeypatch):
    """The list is read when the run starts; the seat is checked again at the claim."""
    from lms.nudges import class_notices
    _cancel(app, db, people, course, signed_up)
    real = class_notices.pending

    def read_then_give_back(session, now):
        found = real(session, now)
        db.session.execute(delete(ClassSeat).where(
            ClassSeat.employee_id == people["learner"].id))
        db.session.commit()
        return found

    monkeypatch.setattr(class_notices, "pending", read_then_give_back)
    _run(runner)
    assert [m["To"] for m in mailbox] == ["agus@example.go.id"]


def test_english_for_who_chose_it(app, db, runner, people, course, mailbox, signed_up):
    people["learner"].locale = "en"
    db.session.commit()
    _cancel(app, db, people, course, signed_up)
    _run(runner)
    rina = next(m for m in mailbox if m["To"] == "rina@example.go.id")
    assert rina["Subject"] == "Cancelled: the “Dasar Uji” class on Wednesday, 10 March 2027"
    assert "09:00–11:00 WIB, at Ruang rapat has been cancelled" in " ".join(
        rina.get_body(("plain",)).get_content().split())


def test_a_session_that_has_started_is_not_told(app, db, runner, people, course, mailbox,
                                                signed_up, frozen):
    frozen.move_to(START + timedelta(minutes=30))
    page = _cancel(app, db, people, course, signed_up)
    assert "Sesi kelas dibatalkan." in page and "lewat email" not in page
    assert "0 pemberitahuan terkirim" in _run(runner)
    assert mailbox == [] and db.session.scalars(select(ClassNotice)).all() == []


def test_nothing_for_a_session_that_goes_on(app, db, runner, mailbox, signed_up):
    assert "0 pemberitahuan terkirim" in _run(runner)
    assert mailbox == []


def test_a_refused_notice_is_tried_again(app, db, runner, people, course, smtp_server,
                                         monkeypatch, signed_up):
    start, received = smtp_server
    refuse = {"rina@example.go.id"}
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", start(
        lambda envelope: "550 mailbox full" if set(envelope.rcpt_tos) & refuse else None))
    _cancel(app, db, people, course, signed_up)
    assert "GAGAL" in _run(runner, code=1)
    refuse.clear()
    _run(runner)
    accepted = [m["To"] for m in received]
    assert accepted.count("rina@example.go.id") == 2  # refused once, then delivered
    assert accepted.count("agus@example.go.id") == 1
    row = db.session.scalars(select(ClassNotice).where(
        ClassNotice.employee_id == people["learner"].id)).one()
    assert (row.state, row.attempts) == (SENT, 2)


def test_two_hosts_at_once_send_each_notice_once(app, db, org, people, course, signed_up,
                                                 smtp_server, monkeypatch):
    start, received = smtp_server
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", start(lambda envelope: __import__(
        "time").sleep(0.01)))
    for i in range(30):
        person = make_employee(f"19800101200001{i:04d}", org["kel1"], f"Pegawai {i}")
        person.email = f"p{i}@example.go.id"
        db.session.commit()
        seat(signed_up, person)
    _cancel(app, db, people, course, signed_up)
    results = parallel(app, command="send-notices")
    assert all(r.exit_code == 0 for r in results), [r.output for r in results]
    assert sorted(m["To"] for m in received) == sorted(
        [f"p{i}@example.go.id" for i in range(30)] + ["agus@example.go.id",
                                                     "rina@example.go.id"])


def test_a_dry_run_sends_and_records_nothing(app, db, runner, people, course, signed_up):
    _cancel(app, db, people, course, signed_up)
    output = _run(runner, "--dry-run")
    assert "Uji coba: 2 pemberitahuan akan dikirim" in output
    assert db.session.scalars(select(ClassNotice)).all() == []


FORM = {"day": "2027-03-10", "starts": "09:00", "ends": "11:00", "place": "Ruang rapat",
        "capacity": "20", "audience": ""}


def _edit(app, db, people, course, cs, **changes):
    from lms.studio import ownership
    ownership.add_owner(db.session, course, people["trainer"])
    db.session.commit()
    trainer = logged_in(app, people["trainer"].nip)
    url = f"/kelas/{cs.id}/ubah"
    data = {**FORM, "facilitator": people["trainer"].nip, **changes,
            "csrf_token": token(trainer, url)}
    return trainer.post(url, data=data, follow_redirects=True).get_data(as_text=True)


def test_a_move_is_told_once_to_who_signed_up_before_it(app, db, runner, org, people,
                                                         course, mailbox, signed_up, frozen):
    assert "diberi tahu tanggal" not in _edit(app, db, people, course, signed_up,
                                              capacity="25")  # not a move
    assert "0 pemberitahuan terkirim" in _run(runner)
    page = _edit(app, db, people, course, signed_up, day="2027-03-11", place="Aula Kecamatan")
    assert "diberi tahu tanggal, waktu, atau tempat yang baru lewat email" in page
    frozen.shift(60)
    late = make_employee("199404042019031008", org["kel2"], "Eko")  # saw the new details
    late.email = "eko@example.go.id"
    db.session.commit()
    seat(signed_up, late)
    output = _run(runner)
    assert "kelas dipindah" in output
    assert sorted(m["To"] for m in mailbox) == ["agus@example.go.id", "rina@example.go.id"]
    rina = next(m for m in mailbox if m["To"] == "rina@example.go.id")
    assert rina["Subject"] == "Berubah: kelas “Dasar Uji” kini pada Kamis, 11 Maret 2027"
    text = " ".join(rina.get_body(("plain",)).get_content().split())
    assert "Sesi kini pada Kamis, 11 Maret 2027, 09:00–11:00 WIB, di Aula Kecamatan." in text
    assert f"http://localhost/kelas/{signed_up.id}" in text
    assert "0 pemberitahuan terkirim" in _run(runner)
    # Moved again: told again, with the newest details; then cancelled: told that.
    _edit(app, db, people, course, signed_up, day="2027-03-11", starts="13:00", ends="15:00",
          place="Aula Kecamatan")
    _run(runner)
    assert len(mailbox) == 5  # Rina, Agus and now Eko too
    assert "13:00–15:00 WIB" in mailbox[-1].get_body(("plain",)).get_content()
    _cancel(app, db, people, course, signed_up)
    _run(runner)
    assert [m["Subject"].startswith("Dibatalkan") for m in mailbox[5:]] == [True] * 3


def test_two_moves_before_a_run_make_one_message(app, db, runner, people, course, mailbox,
                                                 signed_up):
    _edit(app, db, people, course, signed_up, place="Aula A")
    _edit(app, db, people, course, signed_up, place="Aula B")
    _run(runner)
    rina = [m for m in mailbox if m["To"] == "rina@example.go.id"]
    assert len(rina) == 1 and "di Aula B." in " ".join(
        rina[0].get_body(("plain",)).get_content().split())


def test_a_move_then_a_cancellation_before_the_run_tells_only_the_cancellation(
        app, db, runner, people, course, mailbox, signed_up):
    _edit(app, db, people, course, signed_up, place="Aula A")
    _cancel(app, db, people, course, signed_up)
    _run(runner)
    assert {m["Subject"][:10] for m in mailbox} == {"Dibatalkan"}
    assert len(mailbox) == 2


def test_the_runners_see_whom_the_email_cannot_reach(app, db, people, course, mailbox,
                                                      signed_up):
    page = _cancel(app, db, people, course, signed_up)
    assert ("1 orang yang mendaftar tidak punya alamat email, jadi email tentang sesi ini "
            "tidak sampai kepada mereka") in page
    assert "<li>Wati (199202022019032006)</li>" in page
    assert "Rina" not in page.split("mohon beri tahu mereka sendiri")[1].split("</ul>")[0]
    learner = logged_in(app, people["learner"].nip)  # a learner sees no one's address
    assert "tidak punya alamat email" not in learner.get(f"/kelas/{signed_up.id}").get_data(
        as_text=True)


def test_without_mail_set_up_nobody_is_listed(app, db, people, course, signed_up):
    assert "tidak punya alamat email" not in _cancel(app, db, people, course, signed_up)
