"""Many learners submitting at once: no "database is locked", every quiz graded once.

Requests run in parallel threads, each with its own app context and database session,
against the same database file (or PostgreSQL), like several gunicorn workers."""

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from lms.models import AttemptAnswer, QuizAttempt
from tests.support.factories import make_employee
from tests.support.http import fresh_client, logged_in, right_form, start_attempt, token
from tests.support.studio import draft_text

LEARNERS = 8


def test_parallel_submissions_from_many_learners(app, db, org, course):
    nips = [f"1990010120150110{i:02d}" for i in range(LEARNERS)]
    for nip in nips:
        make_employee(nip, org["kel1"])
    db.session.commit()
    clients = [logged_in(app, nip) for nip in nips]
    urls = [start_attempt(c) for c in clients]
    db.session.commit()
    forms = [{**right_form(db, url), "csrf_token": token(c, url)}
             for c, url in zip(clients, urls, strict=True)]
    db.session.commit()
    with ThreadPoolExecutor(LEARNERS) as pool:
        responses = list(pool.map(lambda args: args[0].post(args[1], data=args[2]),
                                  zip(clients, urls, forms, strict=True)))
    assert [r.status_code for r in responses] == [302] * LEARNERS
    db.session.commit()
    graded = db.session.scalar(select(func.count(QuizAttempt.id)).where(
        QuizAttempt.passed.is_(True)))
    assert graded == LEARNERS


def test_same_attempt_submitted_in_parallel_is_graded_once(app, db, people, course):
    client = logged_in(app, people["learner"].nip)
    url = start_attempt(client)
    db.session.commit()
    form = {**right_form(db, url), "csrf_token": token(client, url)}
    db.session.commit()
    # Two tabs with the same cookies, pressing submit at the same moment.
    with ThreadPoolExecutor(4) as pool:
        responses = list(pool.map(lambda _: client.post(url, data=form), range(4)))
    assert {r.status_code for r in responses} == {302}
    assert {r.headers["Location"] for r in responses} == {url + "/hasil"}
    db.session.commit()
    assert db.session.scalar(select(func.count(AttemptAnswer.id))) == 4


def test_owners_saving_one_file_at_once_never_overwrite_each_other(app, db, org, course):
    """Four co-owners press "Save" on the same module at the same moment, each from the
    version they opened: exactly one save lands, the others are told and keep their text."""
    from lms.studio import ownership
    from tests.support.studio import VERSION
    owners = [make_employee(f"1980010120100110{i:02d}", org["aptika"], roles=["trainer"])
              for i in range(4)]
    for owner in owners:
        ownership.add_owner(db.session, course, owner)
    db.session.commit()
    url = "/studio/dasar/berkas/02-penutup.md"
    clients = [logged_in(app, o.nip) for o in owners]
    version = VERSION.search(clients[0].get(url).get_data(as_text=True)).group(1)
    forms = [{"text": f"---\ntitle: Penutup\n---\n\nVersi pemilik {i}\n", "version": version,
              "csrf_token": token(c, url)} for i, c in enumerate(clients)]
    db.session.commit()
    with ThreadPoolExecutor(len(clients)) as pool:
        responses = list(pool.map(lambda args: args[0].post(url, data=args[1]),
                                  zip(clients, forms, strict=True)))
    codes = sorted(r.status_code for r in responses)
    assert codes == [200, 200, 200, 302]
    winner = next(i for i, r in enumerate(responses) if r.status_code == 302)
    db.session.expire_all()
    saved = draft_text(db, course, "02-penutup.md")
    assert f"Versi pemilik {winner}" in saved
    for i, r in enumerate(responses):
        if i != winner:
            assert f"Versi pemilik {i}" in r.get_data(as_text=True)  # their text kept


def test_parallel_starts_of_a_one_attempt_quiz_make_one_attempt(app, db, people, course):
    """Ten clicks on "Kerjakan kuis" at once (two tabs, an impatient double click, a slow
    office network): one attempt is drawn and every request is sent to it."""
    module = next(m for m in course.current_modules if m.key == "pengantar")
    module.max_attempts = 1
    db.session.commit()
    client = logged_in(app, people["learner"].nip)
    form = {"csrf_token": token(client, "/kursus/dasar/pengantar")}
    db.session.commit()
    with ThreadPoolExecutor(10) as pool:
        responses = list(pool.map(
            lambda _: client.post("/kursus/dasar/pengantar/kuis", data=form), range(10)))
    assert {r.status_code for r in responses} == {302}
    db.session.commit()
    attempts = db.session.scalars(select(QuizAttempt)).all()
    assert len(attempts) == 1
    assert {r.headers["Location"] for r in responses} == {f"/kuis/{attempts[0].id}"}


class CountingChecks:
    """Wraps the login's password check: how many passwords were really checked."""

    def __init__(self, monkeypatch):
        import threading

        import lms.auth.signin as signin
        self.count, self._lock, real = 0, threading.Lock(), signin.check_password_hash

        def counted(stored, password):
            with self._lock:
                self.count += 1
            return real(stored, password)
        monkeypatch.setattr(signin, "check_password_hash", counted)


def parallel_logins(app, attempts, address="10.20.30.40"):
    """(nip, password) pairs posted at the same moment, each from its own browser."""
    clients = [fresh_client(app) for _ in attempts]
    forms = [{"nip": nip, "password": password, "csrf_token": token(c, "/masuk")}
             for c, (nip, password) in zip(clients, attempts, strict=True)]
    with ThreadPoolExecutor(len(attempts)) as pool:
        return list(pool.map(
            lambda args: args[0].post("/masuk", data=args[1],
                                      environ_base={"REMOTE_ADDR": address}),
            zip(clients, forms, strict=True)))


def test_parallel_wrong_passwords_check_at_most_the_account_limit(app, db, people,
                                                                   monkeypatch):
    from lms.models import AuditEvent
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    checks = CountingChecks(monkeypatch)
    db.session.commit()
    responses = parallel_logins(app, [(people["learner"].nip, f"salah-{i}")
                                      for i in range(50)])
    codes = [r.status_code for r in responses]
    assert checks.count == limit
    assert codes.count(401) == limit and codes.count(429) == 50 - limit
    db.session.commit()
    failed = db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "login_failed"))
    assert failed == limit


def test_parallel_spraying_from_one_address_checks_at_most_the_address_limit(
        app, db, org, monkeypatch):
    """Thirty different NIPs tried at once from one address, one password each: no more
    different NIPs are checked than the address allows, however the requests interleave."""
    monkeypatch.setitem(app.config, "LOGIN_MAX_NIPS_PER_ADDRESS", 6)
    checks = CountingChecks(monkeypatch)
    db.session.commit()
    responses = parallel_logins(app, [(f"19900101201501{i:04d}", "tebakan-umum")
                                      for i in range(30)])
    codes = [r.status_code for r in responses]
    assert checks.count == 6
    assert codes.count(401) == 6 and codes.count(429) == 24
