"""Capacity under parallel sign-ups (both databases), a double submit taking one seat,
and attendance crediting the covered modules through learning.progress: completion, JP
and a tick taken back without corrupting progress."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lms.classroom import attendance
from lms.learning import progress
from lms.models import ClassSeat, Enrollment, JpYear, ModuleProgress
from tests.support.classroom import START, make_session, seat
from tests.support.factories import make_employee
from tests.support.http import logged_in, token

LEARNERS = 8


def test_parallel_sign_ups_never_pass_the_capacity(app, db, org, people, course, frozen):
    frozen.move_to(START - timedelta(days=1))
    cs = make_session(course, people["trainer"], capacity=3)
    nips = [f"1991020220160110{i:02d}" for i in range(LEARNERS)]
    for nip in nips:
        make_employee(nip, org["kel1"])
    db.session.commit()
    clients = [logged_in(app, nip) for nip in nips]
    url = f"/kelas/{cs.id}"
    forms = [{"csrf_token": token(c, url)} for c in clients]
    db.session.commit()
    with ThreadPoolExecutor(LEARNERS) as pool:
        responses = list(pool.map(lambda args: args[0].post(url + "/daftar", data=args[1]),
                                  zip(clients, forms, strict=True)))
    assert {r.status_code for r in responses} == {302}
    db.session.commit()
    assert db.session.scalar(select(func.count(ClassSeat.id))) == 3


def test_a_double_submit_takes_one_seat(app, db, people, course, frozen):
    frozen.move_to(START - timedelta(days=1))
    cs = make_session(course, people["trainer"], capacity=5)
    client = logged_in(app, people["learner"].nip)
    url = f"/kelas/{cs.id}"
    form = {"csrf_token": token(client, url)}
    db.session.commit()
    with ThreadPoolExecutor(4) as pool:
        responses = list(pool.map(lambda _: client.post(url + "/daftar", data=form), range(4)))
    assert {r.status_code for r in responses} == {302}
    db.session.commit()
    assert db.session.scalar(select(func.count(ClassSeat.id))) == 1


def _modules(course):
    return {m.key: m for m in course.current_modules}


@pytest.fixture
def ticking(app, db, people, course, frozen):
    """A session covering the closing module, Rina signed up, the trainer's ticks form."""
    cs = make_session(course, people["trainer"])
    row = seat(cs, people["learner"])
    frozen.move_to(START + timedelta(minutes=30))
    client = logged_in(app, people["trainer"].nip)
    url = f"/kelas/{cs.id}/presensi"

    def tick(*seats, shown=(row,)):
        return client.post(url, data={"present": [str(s.id) for s in seats],
                                      "shown": [str(s.id) for s in shown],
                                      "csrf_token": token(client, url)})
    return cs, row, tick


def _done(db, employee, module):
    found = db.session.get(ModuleProgress, (employee.id, module.id))
    db.session.refresh(found) if found else None
    return found is not None and found.completed_at is not None


def test_attending_completes_the_course_and_credits_jp(db, people, course, ticking):
    cs, row, tick = ticking
    learner, modules = people["learner"], _modules(course)
    progress.record_score(db.session, learner.id, modules["pengantar"], 100, True)
    db.session.commit()
    assert tick(row).status_code == 302
    assert _done(db, learner, modules["penutup"])
    enrollment = db.session.scalars(select(Enrollment)).one()
    assert enrollment.completed_at is not None and enrollment.jp_awarded == 2
    assert db.session.scalar(select(JpYear.jp).where(JpYear.employee_id == learner.id)) == 2
    # Taken back after the course is complete: the attendance and completion stand.
    assert tick().status_code == 302
    db.session.refresh(row)
    assert row.attended_at is not None
    assert _done(db, learner, modules["penutup"])


def test_a_tick_taken_back_withdraws_only_its_own_credit(db, people, course, ticking):
    cs, row, tick = ticking
    learner, modules = people["learner"], _modules(course)
    tick(row)
    db.session.refresh(row)
    assert row.attended_via == "tick" and row.credited == [modules["penutup"].id]
    enrollment = db.session.scalars(select(Enrollment)).one()
    assert enrollment.modules_done == 1 and enrollment.completed_at is None
    tick()
    db.session.refresh(row)
    db.session.refresh(enrollment)
    assert row.attended_at is None and row.credited == []
    assert not _done(db, learner, modules["penutup"])
    assert enrollment.modules_done == 0


def test_a_module_done_online_stays_done_when_the_tick_goes(db, people, course, ticking):
    cs, row, tick = ticking
    learner, modules = people["learner"], _modules(course)
    progress.complete_module(db.session, learner.id, modules["penutup"])
    db.session.commit()
    tick(row)
    db.session.refresh(row)
    assert row.credited == []
    tick()
    assert _done(db, learner, modules["penutup"])


def test_a_code_check_in_made_while_the_form_was_open_stays(db, people, course, ticking):
    cs, row, tick = ticking
    attendance.mark(db.session, cs, row, "code")
    db.session.commit()
    tick(shown=())  # the form was opened before Rina typed the code
    db.session.refresh(row)
    assert row.attended_at is not None and row.attended_via == "code"


def test_no_ticks_for_a_future_session(app, db, people, course, frozen):
    cs = make_session(course, people["trainer"])
    row = seat(cs, people["learner"])
    frozen.move_to(START - timedelta(days=1))
    client = logged_in(app, people["trainer"].nip)
    url = f"/kelas/{cs.id}/presensi"
    response = client.post(url, data={"present": [str(row.id)],
                                      "csrf_token": token(client, url)})
    assert response.status_code == 400
    db.session.refresh(row)
    assert row.attended_at is None


def test_the_attendance_list_prints_names_nip_unit_and_a_signature_column(
        app, db, people, course, frozen):
    cs = make_session(course, people["trainer"])
    seat(cs, people["learner"])
    frozen.move_to(START - timedelta(days=1))
    page = logged_in(app, people["trainer"].nip).get(f"/kelas/{cs.id}").get_data(as_text=True)
    assert 'class="attendance-page"' in page and "Tanda tangan" in page
    assert "Rina Sari" in page and people["learner"].nip in page
    assert "Kelurahan Benda Baru" in page
    # A colleague with a seat sees the session but nobody's name.
    learner = logged_in(app, people["learner"].nip).get(f"/kelas/{cs.id}").get_data(
        as_text=True)
    assert "Daftar hadir" not in learner and people["learner"].nip not in learner
