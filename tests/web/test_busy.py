"""A database busy past its timeout: a plain "busy, try again" page (503, Retry-After),
never a 500, and a POST's answers kept in a form that sends them again.

The database is made busy by another connection holding the write lock: on SQLite a raw
sqlite3 connection in BEGIN IMMEDIATE on the same file, with a short busy timeout for this
app; on PostgreSQL a transaction holding EXCLUSIVE locks on the written tables, with a short
lock_timeout for this app's connections."""

import html
import re
import sqlite3
from contextlib import contextmanager

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from lms import create_app
from lms.models import AttemptAnswer, AuditEvent, QuizAttempt
from tests.support.http import IsolatedClient, right_form, start_attempt, token

SHORT_MS = 300
BUSY_TEXT = "sedang sibuk"


@pytest.fixture
def busy_app(app):
    """The same database, with a short wait for locks."""
    options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        options["connect_args"] = {"options": f"-c lock_timeout={SHORT_MS}"}
    other = create_app({key: app.config[key] for key in (
        "TESTING", "SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "COURSES_DIR", "LMS_ENV")}
        | {"SQLITE_BUSY_TIMEOUT_MS": SHORT_MS, "SQLALCHEMY_ENGINE_OPTIONS": options})
    other.test_client_class = IsolatedClient
    yield other
    with other.app_context():
        from lms.core.extensions import db
        db.engine.dispose()


@pytest.fixture
def hold_lock(app, db):
    """hold_lock(): a context in which another client holds the database's write lock."""
    @contextmanager
    def holding():
        url = db.engine.url
        if url.get_backend_name() == "sqlite":
            raw = sqlite3.connect(url.database, isolation_level=None)
            raw.execute("BEGIN IMMEDIATE")
        else:
            import psycopg
            raw = psycopg.connect(host=url.host, port=url.port, user=url.username,
                                  password=url.password, dbname=url.database)
            raw.execute("LOCK TABLE quiz_attempt, audit_event, login_attempt, employee "
                        "IN EXCLUSIVE MODE")
        try:
            yield
        finally:
            raw.rollback() if not isinstance(raw, sqlite3.Connection) else \
                raw.execute("ROLLBACK")
            raw.close()
    return holding


def logged_in(app, nip):
    from tests.support.factories import PASSWORD
    client = app.test_client()
    assert client.post("/masuk", data={"nip": nip, "password": PASSWORD,
                                       "csrf_token": token(client, "/masuk")}
                       ).status_code == 302
    return client


def repost_form(page: str):
    """The busy page's form: its action and the fields it sends again."""
    form = re.search(r'<form method="post" action="([^"]*)" class="busy-form">(.*?)</form>',
                     page, re.S)
    assert form, page
    fields = MultiDict((html.unescape(n), html.unescape(v)) for n, v in re.findall(
        r'<input type="hidden" name="([^"]*)" value="([^"]*)">', form.group(2)))
    assert "Kirim lagi" in form.group(2)
    return html.unescape(form.group(1)), fields


def graded(db) -> int:
    db.session.commit()
    return db.session.scalar(select(func.count(QuizAttempt.id)).where(
        QuizAttempt.submitted_at.is_not(None)))


def test_quiz_post_when_busy_keeps_the_answers_and_grades_once_when_sent_again(
        busy_app, db, people, course, hold_lock):
    client = logged_in(busy_app, people["learner"].nip)
    url = start_attempt(client)
    db.session.commit()
    answers = right_form(db, url)
    form = {**answers, "csrf_token": token(client, url)}
    db.session.commit()

    with hold_lock():
        response = client.post(url, data=form)
        page = response.get_data(as_text=True)
        assert response.status_code == 503
        assert int(response.headers["Retry-After"]) > 0
        assert response.headers["Cache-Control"] == "no-store"
        assert BUSY_TEXT in page and "Kirim lagi" in page
        action, fields = repost_form(page)
        assert graded(db) == 0

    assert action.endswith(url)
    assert fields["csrf_token"] == form["csrf_token"]
    for name, value in answers.items():
        assert fields.getlist(name) == (value if isinstance(value, list) else [value])
    again = client.post(action, data=fields)
    assert again.status_code == 302 and again.headers["Location"].endswith("/hasil")
    assert client.post(action, data=fields).headers["Location"].endswith("/hasil")
    assert graded(db) == 1
    assert db.session.scalar(select(func.count(AttemptAnswer.id))) == len(answers)


def test_download_when_busy_is_503_with_a_try_again_link(busy_app, db, people, hold_lock):
    client = logged_in(busy_app, people["hr_city"].nip)
    with hold_lock():
        response = client.get("/laporan/rincian/unduh.csv?urut=name")
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert response.mimetype == "text/html"
    assert BUSY_TEXT in page
    assert 'href="/laporan/rincian/unduh.csv?urut=name"' in page
    assert "busy-form" not in page  # nothing to send again
    db.session.commit()
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "export")) == 0
    assert client.get("/laporan/rincian/unduh.csv?urut=name").status_code == 200


def test_login_when_busy_does_not_put_the_password_in_the_page(busy_app, people, hold_lock):
    client = busy_app.test_client()
    csrf = token(client, "/masuk")
    with hold_lock():
        response = client.post("/masuk", data={"nip": people["learner"].nip,
                                               "password": "rahasia-uji-123",
                                               "csrf_token": csrf})
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "rahasia-uji-123" not in page
    assert "kata sandi" in page.lower() and "busy-form" not in page


def test_upload_when_busy_says_the_file_must_be_chosen_again(busy_app, people, hold_lock):
    import io
    client = logged_in(busy_app, people["hr_city"].nip)
    csrf = token(client, "/laporan/impor-pegawai")
    with hold_lock():
        response = client.post("/laporan/impor-pegawai", data={
            "csrf_token": csrf, "action": "apply", "deactivate_missing": "y",
            "file": (io.BytesIO(b"nip,nama,opd_kode,jenis_pegawai\n"
                                  b"198609262015051099,Baru,BKPSDM,PNS\n"), "pegawai.csv")},
            content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "pilih berkasnya lagi" in page
    _action, fields = repost_form(page)
    assert fields["deactivate_missing"] == "y" and "file" not in fields


def test_other_database_errors_are_not_called_busy(app):
    from sqlalchemy.exc import OperationalError

    from lms.core.web import database_busy
    assert database_busy(OperationalError("BEGIN", {}, sqlite3.OperationalError(
        "database is locked")))
    assert not database_busy(OperationalError("SELECT", {}, sqlite3.OperationalError(
        "disk I/O error")))
