"""The course page's outline is rendered once per worker and reused
(learning.course_outline): each learner still sees their own done marks at once, a
changed course at once, in their language."""

import re

import pytest

from lms.learning import course_outline
from lms.models import Module
from tests.support.http import csrf_token, logged_in

COURSE = "/kursus/dasar"


@pytest.fixture(autouse=True)
def _empty():
    course_outline._kept.clear()
    yield
    course_outline._kept.clear()


def _done(page: str) -> list[str]:
    """The modules marked done in the module list."""
    items = page[page.index('<ol class="module-list">'):].split("</ol>")[0].split("<li>")
    return [re.search(r'>([^<]+)</a>', item)[1] for item in items[1:]
            if "badge-completed" in item]


def test_a_stored_outline_is_the_outline_rendered_anew(app, people, course):
    learner = logged_in(app, people["learner"].nip)
    first = learner.get(COURSE).get_data(as_text=True)
    assert len(course_outline._kept) == 1
    assert learner.get(COURSE).get_data(as_text=True) == first
    assert 'href="/kursus/dasar/pengantar">Pengantar</a>' in first and _done(first) == []


def test_each_learner_their_own_done_marks_at_once(course, two_learners):
    rina, agus = two_learners
    for client in (rina, agus):
        client.post("/kursus/dasar/mulai", data={"csrf_token": csrf_token(client, "/")})
        client.get(COURSE)
    assert len(course_outline._kept) == 1  # nothing done: one outline for both
    agus.post("/kursus/dasar/penutup/selesai",
              data={"csrf_token": csrf_token(agus, "/kursus/dasar/penutup")})
    assert _done(agus.get(COURSE).get_data(as_text=True)) == ["Penutup"]
    assert _done(rina.get(COURSE).get_data(as_text=True)) == []


def test_a_changed_course_shows_at_once(app, db, people, course):
    learner = logged_in(app, people["learner"].nip)
    learner.get(COURSE)
    module = db.session.scalars(db.select(Module).filter_by(course_id=course.id,
                                                            key="penutup")).one()
    module.title = "Penutup yang baru"
    course.description_html = "<p>Uraian yang baru</p>"
    db.session.commit()
    page = learner.get(COURSE).get_data(as_text=True)
    assert ">Penutup yang baru</a>" in page and "<p>Uraian yang baru</p>" in page


def test_each_language_its_own_outline(app, people, course):
    learner = logged_in(app, people["learner"].nip)
    assert "Sesi kelas untuk kursus ini" in learner.get(COURSE).get_data(as_text=True)
    learner.post("/bahasa", data={"lang": "en", "csrf_token": csrf_token(learner, "/"),
                                  "next": "/"})
    page = learner.get(COURSE).get_data(as_text=True)
    assert "Classroom sessions for this course" in page and "Sesi kelas untuk" not in page
