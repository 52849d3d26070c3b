"""The participant evaluation: offered after a course, skippable unless required before
the certificate, anonymous in every table, page and export, and hidden under 5."""

from sqlalchemy import inspect, select

from lms.core.extensions import db as _db
from lms.evaluation import questionnaire
from lms.learning import progress
from lms.models import (
    Certificate,
    EvaluationDone,
    EvaluationPending,
    EvaluationResponse,
    EvaluationScore,
)
from lms.studio import ownership
from tests.support.certificates import complete
from tests.support.evaluation import crowd, store_form
from tests.support.factories import make_employee
from tests.support.http import logged_in, token

ANSWER = {"item-relevan": "5", "item-jelas": "4", "item-komentar": "Contoh surat membantu"}


def _answer(app, person, data=ANSWER, slug="dasar"):
    client = logged_in(app, person.nip)
    return client.post(f"/evaluasi/{slug}", data={**data, "csrf_token": token(client, "/")})


def test_the_questionnaire_follows_the_last_module_and_is_recorded_without_a_name(
        app, db, people, course):
    store_form()
    client = logged_in(app, people["learner"].nip)
    for module in course.current_modules[:-1]:
        progress.record_score(_db.session, people["learner"].id, module, 100, True)
    _db.session.commit()
    last = course.current_modules[-1]
    response = client.post(f"/kursus/dasar/{last.key}/selesai",
                           data={"csrf_token": token(client, f"/kursus/dasar/{last.key}")})
    assert response.headers["Location"].endswith("/evaluasi/dasar/lanjut")
    assert client.get("/evaluasi/dasar/lanjut").headers["Location"].endswith("/evaluasi/dasar")
    page = client.get("/evaluasi/dasar").get_data(as_text=True)
    assert "Materi sesuai pekerjaan saya" in page and 'name="lewati"' in page
    assert _answer(app, people["learner"]).status_code == 302
    assert db.session.get(EvaluationDone, (people["learner"].id, course.id)).answered
    [pending] = db.session.scalars(select(EvaluationPending)).all()
    assert pending.scores == {"relevan": 5, "jelas": 4}
    assert pending.comment == "Contoh surat membantu"
    # Answered once: the page sends the learner back, a second post changes nothing.
    assert client.get("/evaluasi/dasar").status_code == 302
    assert _answer(app, people["learner"]).status_code == 302
    assert db.session.scalar(select(_db.func.count()).select_from(EvaluationPending)) == 1


def test_no_answer_table_can_name_a_person_or_a_time():
    """Anonymity by schema: the tables holding answers have no employee, no time and no
    sequential id; the table naming people holds no answer."""
    for model in (EvaluationPending, EvaluationResponse, EvaluationScore):
        columns = {c.name: c for c in inspect(model).columns}
        assert not any("employee" in name or name.endswith("_at") for name in columns)
        for key in inspect(model).primary_key:
            assert key.autoincrement is not True and str(key.type).startswith("VARCHAR") \
                or key.name == "item_key"
    assert set(c.name for c in inspect(EvaluationDone).columns) == {
        "employee_id", "course_id", "answered"}


def test_answers_wait_until_five_then_move_shuffled_under_new_ids(app, db, org, course):
    store_form()
    people = crowd(org["kel1"], 5, course)
    for person in people[:4]:
        assert _answer(app, person).status_code == 302
    pending_ids = set(db.session.scalars(select(EvaluationPending.id)))
    assert len(pending_ids) == 4
    assert db.session.scalar(select(_db.func.count()).select_from(EvaluationResponse)) == 0
    assert _answer(app, people[4]).status_code == 302
    released = set(db.session.scalars(select(EvaluationResponse.id)))
    assert len(released) == 5 and not released & pending_ids
    assert db.session.scalar(select(_db.func.count()).select_from(EvaluationPending)) == 0
    assert db.session.scalar(select(_db.func.count()).select_from(EvaluationScore)) == 10


def test_results_hidden_under_five_and_shown_without_names(app, db, org, people, course):
    store_form()
    ownership.add_owner(db.session, course, people["trainer"])
    db.session.commit()
    crowd_people = crowd(org["kel1"], 6, course)
    for person in crowd_people[:4]:
        _answer(app, person)
    trainer = logged_in(app, people["trainer"].nip)
    page = trainer.get("/evaluasi/hasil/dasar").get_data(as_text=True)
    assert "hidden: too few answers" in page or "disembunyikan" in page
    assert "Contoh surat membantu" not in page
    _answer(app, crowd_people[4], {"item-relevan": "3", "item-jelas": "4",
                                   "item-komentar": "Terlalu cepat"})
    _answer(app, crowd_people[5], {"item-relevan": "1", "item-komentar": ""})
    page = trainer.get("/evaluasi/hasil/dasar").get_data(as_text=True)
    # Released: the first five (the sixth waits for four more). relevan: 5,5,5,5,3 ->
    # mean 23/5 = 4.6, agree 4/5 = 80%; jelas: 4,4,4,4,4 -> mean 4.0, agree 100%.
    assert "4,6" in page and "80%" in page and "4,0" in page and "100%" in page
    assert page.count("Contoh surat membantu") == 4 and "Terlalu cepat" in page
    for person in crowd_people:
        assert person.name not in page and person.nip not in page
    csv = trainer.get("/evaluasi/hasil.csv").get_data(as_text=True)
    assert "dasar,Dasar Uji,relevan,Materi sesuai pekerjaan saya,5,4.6,80,0,0,1,0,4" in csv
    for text in ("Contoh surat", "Terlalu cepat", *[p.nip for p in crowd_people],
                 *[p.name for p in crowd_people]):
        assert text not in csv


def test_comments_only_for_the_course_trainers_and_city_hr(app, db, org, people, course):
    store_form()
    other_trainer = make_employee("197001012000011009", org["aptika"], "Lain",
                                  roles=["trainer"])
    ownership.add_owner(db.session, course, people["trainer"])
    db.session.commit()
    for person in crowd(org["kel1"], 5, course):
        _answer(app, person)
    assert logged_in(app, people["trainer"].nip).get("/evaluasi/hasil/dasar").status_code \
        == 200
    assert logged_in(app, people["hr_city"].nip).get("/evaluasi/hasil/dasar").status_code \
        == 200
    assert logged_in(app, other_trainer.nip).get("/evaluasi/hasil/dasar").status_code == 403
    assert logged_in(app, people["hr_kec"].nip).get("/evaluasi/hasil/dasar").status_code \
        == 403
    assert logged_in(app, people["learner"].nip).get("/evaluasi/hasil/dasar").status_code \
        == 403
    assert logged_in(app, other_trainer.nip).get("/evaluasi/hasil.csv").get_data(
        as_text=True).count("\n") == 1  # the header only: no course of theirs


def test_skipping_is_allowed_unless_required(app, db, people, course):
    store_form()
    complete(people["learner"], course)
    client = logged_in(app, people["learner"].nip)
    response = client.post("/evaluasi/dasar", data={"lewati": "1", "csrf_token": token(
        client, "/evaluasi/dasar")})
    assert response.status_code == 302
    assert db.session.get(EvaluationDone, (people["learner"].id, course.id)).answered is False
    assert db.session.scalar(select(_db.func.count()).select_from(EvaluationPending)) == 0


def test_a_value_never_offered_is_refused(app, db, people, course):
    store_form()
    complete(people["learner"], course)
    assert _answer(app, people["learner"], {"item-relevan": "9"}).status_code == 400
    assert db.session.get(EvaluationDone, (people["learner"].id, course.id)) is None


def test_required_before_the_certificate_download(app, db, org, people, course):
    store_form()
    early = crowd(org["kel1"], 1, course, prefix="1980")[0]
    admin = logged_in(app, make_employee("196501011990011001", org["bkpsdm"], "Admin",
                                         roles=["admin"]).nip)
    db.session.commit()
    assert admin.post("/admin/evaluasi/pengaturan", data={
        "pengaturan-required": "y",
        "csrf_token": token(admin, "/admin/evaluasi")}).status_code == 302
    assert questionnaire.settings(db.session).required
    cert = complete(people["learner"], course)
    client = logged_in(app, people["learner"].nip)
    response = client.get(f"/sertifikat/{cert.code}.pdf")
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/evaluasi/dasar")
    page = client.get("/evaluasi/dasar").get_data(as_text=True)
    assert 'name="lewati"' not in page
    assert client.post("/evaluasi/dasar", data={"lewati": "1", "csrf_token": token(
        client, "/evaluasi/dasar")}).status_code == 400
    assert _answer(app, people["learner"]).status_code == 302
    response = client.get(f"/sertifikat/{cert.code}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    # Completed before the setting was switched on: never waits.
    old = db.session.scalars(select(Certificate).filter_by(employee_id=early.id)).one()
    assert logged_in(app, early.nip).get(f"/sertifikat/{old.code}.pdf").status_code == 200
