"""Learner pages run at most three SQL statements each (the signed-in check, the page's
content and the learner's progress), counted on the real engine over real requests; and
what they show is never stale: a module marked done shows as done on the next page."""

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from tests.support.http import csrf_token, login

MAX_QUERIES = 3
# Transaction control is not a query (SQLite's BEGIN is sent through the cursor here,
# PostgreSQL's by the driver); everything else is counted, SAVEPOINTs included.
CONTROL = ("BEGIN", "COMMIT", "ROLLBACK")


@contextmanager
def counted(engine):
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(CONTROL):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def queries(db, client, url):
    with counted(db.engine) as statements:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return statements, response.get_data(as_text=True)


def post(client, url, page):
    return client.post(url, data={"csrf_token": csrf_token(client, page)})


@pytest.fixture
def learner(client, people, course):
    assert login(client, people["learner"].nip).status_code == 302
    return client


def _quiz_url(client):
    response = post(client, "/kursus/dasar/pengantar/kuis", "/kursus/dasar/pengantar")
    assert response.status_code == 302
    return response.headers["Location"]


@pytest.mark.parametrize("url", ["/", "/katalog", "/kursus/dasar", "/kursus/dasar/pengantar",
                                 "/kursus/dasar/penutup"])
def test_learner_pages_run_at_most_three_queries(db, learner, url):
    post(learner, "/kursus/dasar/mulai", "/")  # enrolled: progress rows exist
    learner.get(url)  # anything cached across requests is warm now
    statements, _html = queries(db, learner, url)
    assert len(statements) <= MAX_QUERIES, "\n\n".join(statements)


def test_quiz_page_runs_at_most_three_queries(db, learner):
    url = _quiz_url(learner)
    learner.get(url)
    statements, html = queries(db, learner, url)
    assert 'name="q' in html
    assert len(statements) <= MAX_QUERIES, "\n\n".join(statements)


def test_a_page_counts_nothing_before_sign_in(db, client, people, course):
    """The count is real: an anonymous request to a learner page is sent to /masuk with
    no more than the same budget, and the listener does see statements."""
    login(client, people["learner"].nip)
    with counted(db.engine) as statements:
        client.get("/katalog")
    assert statements  # the listener counts the app's own engine


def _badges(html):
    return html.count("badge-completed")


def test_module_done_shows_at_once_on_every_page(db, learner):
    """Nothing stale: marking the second module done shows on the course page, the
    module page and the dashboard on the very next request, with every cache warm."""
    post(learner, "/kursus/dasar/mulai", "/")
    for url in ("/", "/katalog", "/kursus/dasar", "/kursus/dasar/penutup"):
        learner.get(url)  # warm
    course_before = learner.get("/kursus/dasar").get_data(as_text=True)
    assert "/kursus/dasar/penutup/selesai" in learner.get("/kursus/dasar/penutup").get_data(
        as_text=True)
    assert "0 dari 2 modul selesai" in learner.get("/").get_data(as_text=True)
    response = post(learner, "/kursus/dasar/penutup/selesai", "/kursus/dasar/penutup")
    assert response.status_code == 302
    course_after = learner.get("/kursus/dasar").get_data(as_text=True)
    assert _badges(course_after) == _badges(course_before) + 1
    assert "/kursus/dasar/penutup/selesai" not in learner.get(
        "/kursus/dasar/penutup").get_data(as_text=True)
    assert "1 dari 2 modul selesai" in learner.get("/").get_data(as_text=True)


def test_a_published_change_shows_at_once(db, learner, course):
    """The content cache is keyed by the course's content stamp, read in the page's own
    query: a module renamed (any way the rows change) shows on the next request."""
    learner.get("/kursus/dasar")
    from lms.models import Module
    module = db.session.scalars(db.select(Module).filter_by(course_id=course.id,
                                                            key="penutup")).one()
    stamp = course.content_stamp
    module.title = "Judul baru yang belum pernah tampil"
    db.session.commit()
    assert course.content_stamp != stamp
    assert "Judul baru yang belum pernah tampil" in learner.get("/kursus/dasar").get_data(
        as_text=True)
