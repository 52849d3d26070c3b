"""The dashboard's course cards are rendered once per worker and reused (learning.cards):
what each learner sees is still exactly theirs and current: their own progress, their own
CSRF token in "Start", a renamed course or a module done at once, their language."""


import pytest

from lms.learning import cards
from lms.models import Module
from tests.support.http import csrf_token, logged_in, login, page_secrets, page_tokens, secret


@pytest.fixture(autouse=True)
def _empty():
    cards._kept.clear()
    yield
    cards._kept.clear()



def test_a_stored_card_is_the_card_rendered_anew(app, client, people, course):
    assert login(client, people["learner"].nip).status_code == 302
    first = client.get("/").get_data(as_text=True)  # rendered
    assert cards._kept
    again = client.get("/").get_data(as_text=True)  # from the stored cards
    assert again == first and cards._TOKEN.text not in again
    assert 'class="card course-card"' in again and "Dasar Uji" in again


def test_each_learner_gets_their_own_token_and_progress(course, two_learners):
    rina, agus = two_learners
    rina_page, agus_page = rina.get("/").get_data(as_text=True), agus.get("/").get_data(
        as_text=True)
    assert len(cards._kept) == 1  # the same "Start" card for both
    assert page_secrets(rina_page) == {secret(csrf_token(rina, "/kursus/dasar"))}
    assert page_secrets(agus_page) == {secret(csrf_token(agus, "/kursus/dasar"))}
    assert page_secrets(rina_page) != page_secrets(agus_page)
    # Agus starts with the token his dashboard gave him; Rina's page is unchanged by it.
    [token] = page_tokens(agus_page)
    assert agus.post("/kursus/dasar/mulai", data={"csrf_token": token}).status_code == 302
    assert "0 dari 2 modul selesai" in agus.get("/").get_data(as_text=True)
    assert "0 dari 2 modul selesai" not in rina.get("/").get_data(as_text=True)


def test_a_module_done_and_a_renamed_course_show_at_once(app, db, people, course):
    learner = logged_in(app, people["learner"].nip)
    learner.post("/kursus/dasar/mulai", data={"csrf_token": csrf_token(learner, "/")})
    learner.get("/")
    done = learner.post("/kursus/dasar/penutup/selesai",
                        data={"csrf_token": csrf_token(learner, "/kursus/dasar/penutup")})
    assert done.status_code == 302
    assert "1 dari 2 modul selesai" in learner.get("/").get_data(as_text=True)
    course.title = "Judul kursus yang baru"
    db.session.commit()
    page = learner.get("/").get_data(as_text=True)
    assert "Judul kursus yang baru" in page and "Dasar Uji" not in page
    module = db.session.scalars(db.select(Module).filter_by(course_id=course.id,
                                                            key="pengantar")).one()  # next
    module.title = "Modul berikutnya yang baru"
    db.session.commit()
    assert "Modul berikutnya yang baru" in learner.get("/").get_data(as_text=True)


def test_each_language_its_own_card(app, db, people, course):
    learner = logged_in(app, people["learner"].nip)
    assert "Mulai" in learner.get("/").get_data(as_text=True)
    learner.post("/bahasa", data={"lang": "en", "csrf_token": csrf_token(learner, "/"),
                                  "next": "/"})
    page = learner.get("/").get_data(as_text=True)
    assert ">Start<" in page and "Mulai" not in page


def test_the_catalogue_cards_follow_each_learner(course, two_learners):
    rina, agus = two_learners
    assert "Belum mulai" in agus.get("/katalog").get_data(as_text=True)
    [token] = page_tokens(rina.get("/katalog").get_data(as_text=True))
    assert secret(token) == secret(csrf_token(rina, "/kursus/dasar"))
    assert rina.post("/kursus/dasar/mulai", data={"csrf_token": token}).status_code == 302
    mine = rina.get("/katalog").get_data(as_text=True)
    assert "Berjalan" in mine and not page_secrets(mine) - {secret(csrf_token(rina, "/"))}
    theirs = agus.get("/katalog").get_data(as_text=True)
    assert "Belum mulai" in theirs and page_secrets(theirs) == {secret(csrf_token(agus, "/"))}
