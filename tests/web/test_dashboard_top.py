"""The top of the dashboard is rendered once per worker and reused
(learning.dashboard_top): each learner still sees their own next deadline, in words that
follow the clock, and their own JP the moment it changes, in their language."""

from datetime import date, datetime, timedelta
from types import SimpleNamespace

import pytest

from lms.core import clock
from lms.core.clock import JAKARTA
from lms.learning import dashboard_top
from lms.learning.history import JpStanding
from lms.mandatory import assignments
from lms.models import JpYear
from tests.support.http import csrf_token

# A Monday late evening after every moment the suite runs at (make test-dates), so the
# test people are no longer new employees, whose deadlines start later; two hours on it
# is Tuesday, within the same sign-in.
MOMENT = datetime(2029, 3, 5, 23, tzinfo=JAKARTA)


@pytest.fixture(autouse=True)
def _empty():
    dashboard_top._kept.clear()
    yield
    dashboard_top._kept.clear()


@pytest.fixture
def moment(frozen):
    """The clock held at MOMENT, before anyone signs in."""
    frozen.move_to(MOMENT)
    return frozen


def test_each_learner_their_own_deadline_in_words_that_follow_the_clock(
        db, people, course, moment, two_learners):
    rina, agus = two_learners
    assignments.create(db.session, course=course, due_date=clock.today() + timedelta(days=2),
                       by=None, employee_ids=[people["learner"].id])
    db.session.commit()
    page = rina.get("/").get_data(as_text=True)
    assert "Batas waktu terdekat Anda" in page and "Rabu, 7 Maret 2029 (2 hari lagi)" in page
    assert rina.get("/").get_data(as_text=True) == page  # from the store now
    assert "Batas waktu terdekat Anda" not in agus.get("/").get_data(as_text=True)
    moment.move_to(MOMENT + timedelta(hours=2))
    assert "Rabu, 7 Maret 2029 (besok)" in rina.get("/").get_data(as_text=True)


def test_the_years_jp_shows_at_once(db, people, course, moment, two_learners):
    rina, agus = two_learners
    assert "Jam pelajaran Anda tahun 2029: 0 dari" in rina.get("/").get_data(as_text=True)
    db.session.add(JpYear(employee_id=people["learner"].id, year=2029, jp=7))
    db.session.commit()
    assert "Jam pelajaran Anda tahun 2029: 7 dari" in rina.get("/").get_data(as_text=True)
    assert "Jam pelajaran Anda tahun 2029: 0 dari" in agus.get("/").get_data(as_text=True)


def test_a_late_course_is_told_kindly_and_by_whether_one_has_begun(db, people, course,
                                                                   moment, two_learners):
    rina, _agus = two_learners
    assignments.create(db.session, course=course, due_date=clock.today() - timedelta(days=3),
                       by=None, employee_ids=[people["learner"].id])
    db.session.commit()
    first = rina.get("/").get_data(as_text=True)
    assert "Selamat datang di Melek!" in first and "(3 hari terlambat)" in first
    rina.post("/kursus/dasar/mulai", data={"csrf_token": csrf_token(rina, "/")})
    again = rina.get("/").get_data(as_text=True)
    assert "Selamat datang di Melek!" not in again and "(3 hari terlambat)" in again


def test_each_language_its_own_top(people, course, two_learners):
    rina, _agus = two_learners
    assert "Kursus saya</h1>" in rina.get("/").get_data(as_text=True)
    rina.post("/bahasa", data={"lang": "en", "csrf_token": csrf_token(rina, "/"),
                               "next": "/"})
    page = rina.get("/").get_data(as_text=True)
    assert "My courses</h1>" in page and "Your training hours in" in page


def test_every_figure_of_the_key_changes_the_top(app, course):
    """Each figure alone gives another top (the pages above change several at once)."""
    def due(**changed):
        values = {"course": SimpleNamespace(id=1, stamp="s", title="Dasar Uji", slug="dasar"),
                  "due_date": date(2029, 3, 7), "status": "not_started",
                  "enrollment": None, "next_module": SimpleNamespace(key="pengantar")}
        return SimpleNamespace(**{**values, **changed})

    base = {"next_due": due(), "next_due_words": "2 hari lagi", "overdue": 1,
            "first_time": True, "new_count": 1, "jp": JpStanding(2029, 3, 20),
            "locale": "id", "root": ""}
    variants = {
        "first_time": {"first_time": False}, "overdue": {"overdue": 2},
        "new_count": {"new_count": 0}, "jp target": {"jp": JpStanding(2029, 3, 24)},
        "begun": {"next_due": due(enrollment=object())},
        "next module": {"next_due": due(enrollment=object(),
                                        next_module=SimpleNamespace(key="penutup"))},
        "status": {"next_due": due(status="overdue")},
    }
    with app.test_request_context("/"):
        first = dashboard_top.top(**base)
        for name, change in variants.items():
            if name == "next module":  # against the begun one: only the module differs
                before = dashboard_top.top(**{**base, **variants["begun"]})
            else:
                before = first
            assert dashboard_top.top(**{**base, **change}) != before, name
