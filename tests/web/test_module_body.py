"""The module page's body is rendered once per worker and reused (learning.module_body):
what each learner sees is still exactly theirs and current: their own CSRF token, the
module done or a score the moment it is, an open quiz, a changed text, their language."""

import re

import pytest

from lms.learning import module_body
from lms.models import Module
from tests.support.factories import make_employee
from tests.support.http import csrf_token, logged_in, right_form, secret, start_attempt

READ = "/kursus/dasar/penutup"  # a module to read and mark done
QUIZ = "/kursus/dasar/pengantar"  # a module with a quiz


@pytest.fixture(autouse=True)
def _empty():
    module_body._texts.clear()
    module_body._boxes.clear()
    yield
    module_body._texts.clear()
    module_body._boxes.clear()


def _main(page: str) -> str:
    return page[page.index("<main"):page.index("</main>")]


def _tokens(page: str) -> set[str]:
    return set(re.findall(r'name="csrf_token" value="([^"]+)"', _main(page)))


def _secrets(page: str) -> set[str]:
    return {secret(t) for t in _tokens(page)}


def test_a_stored_body_is_the_body_rendered_anew(app, people, course):
    learner = logged_in(app, people["learner"].nip)
    first = learner.get(READ).get_data(as_text=True)
    assert len(module_body._texts) == len(module_body._boxes) == 1
    again = learner.get(READ).get_data(as_text=True)
    assert again == first
    assert module_body._TOKEN.text not in again and module_body._BOX.text not in again
    assert "Tandai modul ini selesai" in again and 'class="prose"' in again


def test_each_learner_their_own_token_and_progress(db, course, two_learners):
    rina, agus = two_learners
    for client in (rina, agus):
        client.post("/kursus/dasar/mulai", data={"csrf_token": csrf_token(client, "/")})
    rina_page, agus_page = (c.get(READ).get_data(as_text=True) for c in (rina, agus))
    assert len(module_body._texts) == len(module_body._boxes) == 1  # one body for both
    assert _secrets(rina_page) == {secret(csrf_token(rina, "/katalog"))}
    assert _secrets(agus_page) == {secret(csrf_token(agus, "/katalog"))}
    assert _secrets(rina_page) != _secrets(agus_page)
    [token] = _tokens(agus_page)
    assert agus.post(READ + "/selesai", data={"csrf_token": token}).status_code == 302
    assert "Modul selesai" in agus.get(READ).get_data(as_text=True)
    rina_again = rina.get(READ).get_data(as_text=True)
    assert "Modul selesai" not in rina_again and "Tandai modul ini selesai" in rina_again


def _submit(db, client, attempt: str, right: bool) -> None:
    form = right_form(db, attempt)
    if not right:
        form = {name: (["1"] if "0" in value else ["0"]) if isinstance(value, list)
                else "salah" for name, value in form.items()}
    form["csrf_token"] = csrf_token(client, attempt)
    assert client.post(attempt, data=form).status_code == 302


def test_an_open_quiz_and_the_attempts_left_show_at_once(app, db, people, course):
    learner = logged_in(app, people["learner"].nip)
    learner.post("/kursus/dasar/mulai", data={"csrf_token": csrf_token(learner, "/")})
    assert "Kerjakan kuis<" in learner.get(QUIZ).get_data(as_text=True)
    attempt = start_attempt(learner)
    page = learner.get(QUIZ).get_data(as_text=True)
    assert f'href="{attempt}"' in page and "Lanjutkan kuis" in page
    _submit(db, learner, attempt, right=False)
    page = learner.get(QUIZ).get_data(as_text=True)
    assert "Nilai terbaik Anda sejauh ini: 0" in page and "Sisa kesempatan: 1" in page
    assert "Kerjakan kuis<" in page and "Lanjutkan kuis" not in page
    _submit(db, learner, start_attempt(learner), right=False)  # only the attempts change
    page = learner.get(QUIZ).get_data(as_text=True)
    assert "Sisa kesempatan: 0" in page and "Kerjakan kuis" not in page


def test_a_better_score_shows_at_once(app, db, people, course):
    module = db.session.scalars(db.select(Module).filter_by(course_id=course.id,
                                                            key="pengantar")).one()
    module.max_attempts = 0  # unlimited: a score changes nothing else on the page
    db.session.commit()
    learner = logged_in(app, people["learner"].nip)
    learner.post("/kursus/dasar/mulai", data={"csrf_token": csrf_token(learner, "/")})
    _submit(db, learner, start_attempt(learner), right=False)
    page = learner.get(QUIZ).get_data(as_text=True)
    assert "Nilai terbaik Anda sejauh ini: 0" in page and "Sisa kesempatan" not in page
    _submit(db, learner, start_attempt(learner), right=True)
    page = learner.get(QUIZ).get_data(as_text=True)
    assert "Nilai terbaik Anda sejauh ini: 100" in page and "Kerjakan kuis lagi" in page


def test_a_changed_module_shows_at_once(app, db, people, course):
    learner = logged_in(app, people["learner"].nip)
    assert "Judul modul yang baru" not in learner.get(READ).get_data(as_text=True)
    module = db.session.scalars(db.select(Module).filter_by(course_id=course.id,
                                                            key="penutup")).one()
    module.title = "Judul modul yang baru"
    module.body_html = "<p>Teks yang baru</p>"
    db.session.commit()
    page = learner.get(READ).get_data(as_text=True)
    assert "Judul modul yang baru" in page and "<p>Teks yang baru</p>" in page
    # The neighbour's pager names it too.
    assert "Judul modul yang baru" in learner.get(QUIZ).get_data(as_text=True)


def test_each_language_its_own_body(app, people, course):
    learner = logged_in(app, people["learner"].nip)
    assert "Tandai modul ini selesai" in learner.get(READ).get_data(as_text=True)
    learner.post("/bahasa", data={"lang": "en", "csrf_token": csrf_token(learner, "/"),
                                  "next": "/"})
    page = learner.get(READ).get_data(as_text=True)
    assert "Mark this module as done" in page and "Tandai modul ini selesai" not in page


def test_an_attempt_of_ones_own_stores_a_small_box_not_the_text(app, db, org, people,
                                                                course):
    learners = [logged_in(app, people["learner"].nip)]
    for n in range(2):
        other = make_employee(f"19910101201903100{n}", org["kel2"], f"Peserta {n}")
        db.session.commit()
        learners.append(logged_in(app, other.nip))
    for client in learners:
        client.post("/kursus/dasar/mulai", data={"csrf_token": csrf_token(client, "/")})
        start_attempt(client)
        assert "Lanjutkan kuis" in client.get(QUIZ).get_data(as_text=True)
    assert len(module_body._texts) == 1  # the module's text once
    assert len(module_body._boxes) == 1 + 3  # no attempt yet, then one per learner
    assert max(len(html) for html in module_body._boxes._html.values()) < 1500
