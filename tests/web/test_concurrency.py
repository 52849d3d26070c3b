"""Many learners submitting at once: no "database is locked", every quiz graded once.

Requests run in parallel threads, each with its own app context and database session,
against the same database file (or PostgreSQL), like several gunicorn workers."""

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from lms.models import AttemptAnswer, Question, QuizAttempt
from tests.conftest import CSRF, PASSWORD, IsolatedClient, make_employee

LEARNERS = 8


def fresh_client(app):
    return IsolatedClient(app, app.response_class, use_cookies=True)


def token(client, url):
    return CSRF.search(client.get(url).get_data(as_text=True)).group(1)


def logged_in(app, nip):
    client = fresh_client(app)
    client.post("/masuk", data={"nip": nip, "password": PASSWORD,
                                "csrf_token": token(client, "/masuk")})
    return client


def start_attempt(client):
    response = client.post("/kursus/dasar/pengantar/kuis",
                           data={"csrf_token": token(client, "/kursus/dasar/pengantar")})
    return response.headers["Location"]


def right_form(db, url):
    attempt = db.session.get(QuizAttempt, int(url.rsplit("/", 1)[1]))
    form = {}
    for d in attempt.drawn:
        q = db.session.get(Question, d["q"])
        form[f"q{q.id}"] = q.answer[0] if q.kind == "text" else [str(i) for i in q.answer]
    return form


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
    from lms.studio import drafts, ownership
    from tests.studio_helpers import VERSION
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
    saved = drafts.read(drafts.get(db.session, course), "02-penutup.md").decode()
    assert f"Versi pemilik {winner}" in saved
    for i, r in enumerate(responses):
        if i != winner:
            assert f"Versi pemilik {i}" in r.get_data(as_text=True)  # their text kept
