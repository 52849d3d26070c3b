"""A big export streams without SQLite's write lock: its audit row is committed first and
the rows are read in a read-only transaction, so a learner submitting a quiz while HR
downloads does not wait for the download to end.

The export runs in its own thread, as on a server, and is read a chunk at a time; while it
is held mid-stream another client submits a quiz."""

import threading
import time
from datetime import date, datetime
from datetime import time as clock_time

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, insert, select

from lms.core.clock import JAKARTA
from lms.mandatory import assignments
from lms.models import AuditEvent, Employee, QuizAttempt, RoleGrant
from tests.support.http import logged_in, login, right_form, start_attempt, token

ROWS = 12000  # more than two of the exports' read batches (5,000 and 2,000 rows)
TODAY = date(2026, 12, 2)
PROMPT = 5.0  # seconds: far below the 15 s busy timeout a blocked writer would wait


@pytest.fixture(autouse=True)
def _today(frozen):
    frozen.move_to(datetime.combine(TODAY, clock_time(10, 0), JAKARTA))


@pytest.fixture
def big(db, org, people, course):
    """ROWS employees who must all finish the course this year, and ROWS audit events."""
    db.session.execute(insert(Employee), [
        {"nip": f"X{i:08d}", "name": f"Pegawai {i:05d}", "opd_id": org["kel2"].id,
         "employment_type": "non_asn", "position": "Staf"} for i in range(ROWS)])
    db.session.execute(insert(AuditEvent), [
        {"action": "login", "actor_nip": f"X{i:08d}", "target": "", "details": {},
         "address": "10.0.0.1"} for i in range(ROWS)])
    assignments.create(db.session, course=course, due_date=date(2026, 12, 20),
                       opd=org["city"], by=None)
    db.session.commit()
    return org


class HeldDownload(threading.Thread):
    """Downloads `url` in this thread (as a server worker would), reads `pause_after`
    chunks, then waits for `resume` before reading the rest."""

    def __init__(self, app, nip, url, pause_after=2):
        super().__init__(daemon=True)
        self.app, self.nip, self.url, self.pause_after = app, nip, url, pause_after
        self.paused, self.resume = threading.Event(), threading.Event()
        self.body, self.status, self.error = b"", None, None

    def run(self):
        try:
            client = FlaskClient(self.app, self.app.response_class, use_cookies=True)
            assert login(client, self.nip).status_code == 302
            response = client.get(self.url, buffered=False)
            self.status = response.status_code
            chunks = iter(response.response)
            for _ in range(self.pause_after):
                self.body += next(chunks)
            self.paused.set()
            self.resume.wait(60)
            self.body += b"".join(chunks)
            response.close()
        except Exception as exc:  # reported by the test
            self.error = exc
        finally:
            self.paused.set()


def quiz_ready(app, db, nip):
    client = logged_in(app, nip)
    url = start_attempt(client)
    db.session.commit()
    form = {**right_form(db, url), "csrf_token": token(client, url)}
    db.session.commit()
    return client, url, form


@pytest.mark.parametrize("url, pause_after, lines", [
    # a header, then the ROWS employees and the five of `people`
    ("/laporan/rincian/unduh.csv", 2, ROWS + 6),  # formatted by the database
    ("/laporan/jp/unduh.csv", 1, ROWS + 6),  # formatted in Python
    ("/admin/audit.csv", 1, None),  # ROWS events and the logins
])
def test_quiz_submitted_during_a_big_export_does_not_wait(app, db, people, big, url,
                                                            pause_after, lines):
    db.session.add(RoleGrant(employee_id=people["hr_city"].id, role="admin"))
    db.session.commit()
    client, quiz_url, form = quiz_ready(app, db, people["learner"].nip)

    download = HeldDownload(app, people["hr_city"].nip, url, pause_after)
    download.start()
    assert download.paused.wait(60)
    assert download.error is None and download.status == 200
    try:
        started = time.monotonic()
        response = client.post(quiz_url, data=form)
        waited = time.monotonic() - started
        assert not download.resume.is_set()  # the download is still mid-stream
    finally:
        download.resume.set()
        download.join(60)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert response.headers["Location"].endswith("/hasil")
    assert waited < PROMPT
    assert download.error is None
    received = download.body.decode("utf-8-sig").count("\n")
    assert received == lines if lines else received > ROWS  # the whole file arrived
    db.session.commit()
    assert db.session.scalar(select(func.count(QuizAttempt.id)).where(
        QuizAttempt.submitted_at.is_not(None))) == 1


def test_quiz_submitted_while_a_big_xlsx_is_written_does_not_wait(app, db, people, big,
                                                                  monkeypatch):
    """The workbook is written before the response starts: hold it after 1,000 rows."""
    from lms.hr import detail_export
    client, quiz_url, form = quiz_ready(app, db, people["learner"].nip)
    download = HeldDownload(app, people["hr_city"].nip, "/laporan/rincian/unduh.xlsx", 0)
    original = detail_export.workbook_rows

    def held_rows(*args, **kwargs):
        for n, row in enumerate(original(*args, **kwargs)):
            if n == 1000:
                download.paused.set()
                download.resume.wait(60)
            yield row
    monkeypatch.setattr(detail_export, "workbook_rows", held_rows)

    download.start()
    assert download.paused.wait(60)
    try:
        started = time.monotonic()
        response = client.post(quiz_url, data=form)
        waited = time.monotonic() - started
    finally:
        download.resume.set()
        download.join(60)
    assert response.status_code == 302
    assert waited < PROMPT
    assert download.error is None and download.status == 200
    assert download.body[:2] == b"PK"  # a whole zip (xlsx) arrived
