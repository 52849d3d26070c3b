"""The attendance code: valid only while check-in is open (15 minutes before the start
to the end), in its own five-minute window and the next, once per person, for people
signed up or inside the session's audience, with wrong codes throttled per person."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lms.classroom import attendance, codes
from lms.models import AuditEvent, ClassSeat, CodeMiss
from tests.support.classroom import START, make_session, seat
from tests.support.http import logged_in, login, token

SECRET = "test-secret"  # the suite's SECRET_KEY


@pytest.fixture
def running(db, people, course, frozen):
    cs = make_session(course, people["trainer"])
    seat(cs, people["learner"])
    return cs


def _check(db, person, typed):
    result = attendance.check_in(db.session, SECRET, person, typed)
    db.session.commit()
    return result.outcome


def _code(cs, moment):
    return codes.current(SECRET, cs.id, moment)


@pytest.mark.parametrize(("offset", "expected"), [
    (timedelta(minutes=-16), attendance.NOTHING_OPEN),   # before check-in opens
    (timedelta(minutes=-15), attendance.RECORDED),       # it opens 15 minutes early
    (timedelta(minutes=45), attendance.RECORDED),        # during
    (timedelta(hours=2), attendance.RECORDED),           # the last moment
    (timedelta(hours=2, seconds=1), attendance.NOTHING_OPEN),  # after the end
])
def test_a_code_counts_only_while_check_in_is_open(db, people, running, frozen, offset,
                                                    expected):
    frozen.move_to(START + offset)
    assert _check(db, people["learner"], _code(running, START + offset)) == expected


def test_the_code_changes_and_the_previous_window_still_counts(db, people, running, frozen):
    moment = START + timedelta(minutes=30)
    first = _code(running, moment)
    frozen.move_to(moment + codes.WINDOW)
    assert _code(running, moment + codes.WINDOW) != first
    frozen.move_to(moment + 2 * codes.WINDOW)  # two windows on: expired
    assert _check(db, people["learner"], first) == attendance.WRONG
    frozen.move_to(moment + codes.WINDOW)  # the next window: someone typing slowly
    assert _check(db, people["learner"], first) == attendance.RECORDED


def test_one_check_in_per_person(db, people, running, frozen):
    frozen.move_to(START + timedelta(minutes=10))
    code = _code(running, START + timedelta(minutes=10))
    assert _check(db, people["learner"], code) == attendance.RECORDED
    assert _check(db, people["learner"], code) == attendance.ALREADY
    attended = db.session.scalars(select(ClassSeat)).one()
    assert attended.attended_via == "code"


def test_a_code_from_another_session_is_refused(db, org, people, course, frozen):
    mine = make_session(course, people["trainer"], audience=org["kel1"])
    other = make_session(course, people["trainer"], audience=org["aptika"])
    frozen.move_to(START + timedelta(minutes=5))
    assert _check(db, people["learner"], _code(other, START + timedelta(minutes=5))) \
        == attendance.WRONG
    assert db.session.scalar(select(func.count(ClassSeat.id))) == 0
    assert _check(db, people["learner"], _code(mine, START + timedelta(minutes=5))) \
        == attendance.RECORDED


def test_people_outside_the_audience_cannot_check_in(db, org, people, course, frozen):
    cs = make_session(course, people["trainer"], audience=org["kel1"])
    frozen.move_to(START)
    # Budi works at Diskominfo: the kelurahan's session is not open for him.
    assert _check(db, people["other"], _code(cs, START)) == attendance.NOTHING_OPEN


def test_a_walk_in_gets_a_free_seat_but_not_a_taken_one(db, org, people, course, frozen):
    cs = make_session(course, people["trainer"], capacity=1)
    frozen.move_to(START)
    assert _check(db, people["other"], _code(cs, START)) == attendance.RECORDED
    assert _check(db, people["learner"], _code(cs, START)) == attendance.FULL


def test_wrong_codes_are_throttled_per_person(db, people, running, frozen):
    moment = START + timedelta(minutes=20)
    frozen.move_to(moment)
    right = _code(running, moment)
    wrong = f"{(int(right) + 1) % 10 ** 6:06d}"
    for _ in range(attendance.MAX_MISSES):
        assert _check(db, people["learner"], wrong) == attendance.WRONG
    assert _check(db, people["learner"], right) == attendance.THROTTLED
    assert db.session.scalar(select(func.count(CodeMiss.id))) == attendance.MAX_MISSES
    # Somebody else is not held back by Rina's tries.
    assert _check(db, people["other"], right) == attendance.RECORDED
    frozen.move_to(moment + attendance.MISS_WINDOW)
    assert _check(db, people["learner"], _code(running, moment + attendance.MISS_WINDOW)) \
        == attendance.RECORDED


def test_no_code_for_a_cancelled_session(db, people, running, frozen):
    frozen.move_to(START)
    running.cancelled_at = START - timedelta(days=1)
    db.session.commit()
    assert _check(db, people["learner"], _code(running, START)) == attendance.NOTHING_OPEN


def test_the_check_in_page_records_once_and_audits(db, client, people, running, frozen):
    frozen.move_to(START + timedelta(minutes=3))
    assert login(client, people["learner"].nip).status_code == 302
    code = _code(running, START + timedelta(minutes=3))
    form = {"code": f"{code[:3]} {code[3:]}", "csrf_token": token(client, "/hadir")}
    first = client.post("/hadir", data=form)
    assert first.headers["Location"] == f"/kelas/{running.id}"
    page = client.get(first.headers["Location"]).get_data(as_text=True)
    assert "Kehadiran Anda tercatat" in page
    again = client.post("/hadir", data=form, follow_redirects=True).get_data(as_text=True)
    assert "sudah tercatat" in again
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "class_checked_in")) == 1
    wrong = client.post("/hadir", data={**form, "code": "000000" if code != "000000"
                                        else "111111"}).get_data(as_text=True)
    assert "Kode itu tidak benar" in wrong


def test_the_projector_shows_the_code_only_while_open(app, db, client, people, running, frozen):
    frozen.move_to(START - timedelta(hours=1))
    login(client, people["trainer"].nip)
    before = client.get(f"/kelas/{running.id}/kode?otomatis=1").get_data(as_text=True)
    assert 'http-equiv="refresh" content="60"' in before
    assert "projector-code" not in before
    frozen.move_to(START + timedelta(minutes=1))
    during = client.get(f"/kelas/{running.id}/kode?otomatis=1").get_data(as_text=True)
    code = _code(running, START + timedelta(minutes=1))
    assert f"{code[:3]} {code[3:]}" in during
    assert 'content="241"' in during  # reloads when the code changes, 09:05
    plain = client.get(f"/kelas/{running.id}/kode").get_data(as_text=True)
    assert "http-equiv" not in plain and f"{code[:3]} {code[3:]}" in plain
    learner = logged_in(app, people["learner"].nip)
    assert learner.get(f"/kelas/{running.id}/kode").status_code == 403
