"""The confidence question: asked before module 1 and after completion; the city view's
shares against hand-computed values, hidden under 5, for city-wide HR only."""

from datetime import UTC, datetime

from lms.core.extensions import db as _db
from lms.evaluation import confidence
from lms.models import Confidence
from lms.studio.analysis.figures import MIN_GROUP
from tests.support.certificates import complete
from tests.support.evaluation import store_form
from tests.support.factories import make_employee
from tests.support.http import logged_in, table_rows, token

QUESTION = "Seberapa yakin Anda memakai aplikasi uji?"


def _ask(course):
    course.confidence = QUESTION
    _db.session.commit()


def test_asked_before_module_one_and_after_completion(app, db, people, course):
    _ask(course)
    store_form()
    client = logged_in(app, people["learner"].nip)
    response = client.post("/kursus/dasar/mulai", data={"csrf_token": token(client,
                                                                          "/kursus/dasar")})
    assert response.headers["Location"].endswith("/evaluasi/dasar/keyakinan")
    page = client.get("/evaluasi/dasar/keyakinan").get_data(as_text=True)
    assert QUESTION in page
    # Sending without a choice asks again; a choice goes on to module 1.
    assert client.post("/evaluasi/dasar/keyakinan", data={
        "csrf_token": token(client, "/")}).status_code == 400
    response = client.post("/evaluasi/dasar/keyakinan", data={
        "nilai": "2", "csrf_token": token(client, "/")})
    assert response.headers["Location"].endswith("/kursus/dasar/pengantar")
    row = db.session.get(Confidence, (people["learner"].id, course.id))
    assert (row.before_value, row.after_value, row.opd_id) == (2, None,
                                                              people["learner"].opd_id)
    # Starting again does not ask again.
    response = client.post("/kursus/dasar/mulai", data={"csrf_token": token(client, "/")})
    assert "/keyakinan" not in response.headers["Location"]
    complete(people["learner"], course)
    assert client.get("/evaluasi/dasar/lanjut").headers["Location"].endswith(
        "/evaluasi/dasar/keyakinan")
    response = client.post("/evaluasi/dasar/keyakinan", data={
        "nilai": "4", "csrf_token": token(client, "/")})
    assert response.headers["Location"].endswith("/evaluasi/dasar/lanjut")
    db.session.expire_all()
    row = db.session.get(Confidence, (people["learner"].id, course.id))
    assert (row.before_value, row.after_value) == (2, 4) and len(row.after_month) == 7
    # Then the questionnaire.
    assert client.get("/evaluasi/dasar/lanjut").headers["Location"].endswith(
        "/evaluasi/dasar")


def test_skipping_the_question_is_recorded_and_not_asked_again(app, db, people, course):
    _ask(course)
    client = logged_in(app, people["learner"].nip)
    client.post("/kursus/dasar/mulai", data={"csrf_token": token(client, "/kursus/dasar")})
    client.post("/evaluasi/dasar/keyakinan", data={"lewati": "1",
                                                   "csrf_token": token(client, "/")})
    row = db.session.get(Confidence, (people["learner"].id, course.id))
    assert row.before_value is None and row.before_at is not None
    assert confidence.due(db.session, people["learner"].id, course) is None
    assert client.post("/evaluasi/dasar/keyakinan", data={
        "nilai": "7", "csrf_token": token(client, "/")}).status_code == 302  # not due


def _pairs(opd, course, values, month, start):
    """People in `opd` with (before, after) answers, the after in `month`."""
    for i, (before, after) in enumerate(values):
        person = make_employee(f"1991{start + i:014d}", opd)
        at = datetime(2026, int(month[5:]), 10, 3, tzinfo=UTC)
        _db.session.add(Confidence(employee_id=person.id, course_id=course.id,
                                   opd_id=opd.id, before_value=before, before_at=at,
                                   after_value=after, after_at=at, after_month=month))
    confidence.recount(_db.session)
    _db.session.commit()


def test_city_view_shares_per_course_opd_and_month(app, db, org, people, course):
    _ask(course)
    # Kecamatan Pamulang (its kelurahan rolled in): 6 pairs in March.
    _pairs(org["kel1"], course, [(2, 4), (3, 5), (4, 4), (1, 2), (2, 3)], "2026-03", 0)
    _pairs(org["kec"], course, [(5, 5)], "2026-03", 10)
    # Diskominfo: 4 pairs in April, too few to show on their own.
    _pairs(org["aptika"], course, [(2, 4), (4, 5), (3, 3), (2, 2)], "2026-04", 20)
    # BKPSDM: 5 pairs in May, nobody confident; enough people, but the smallest group shown,
    # so hidden too: else total minus the rest would give Diskominfo's shares.
    _pairs(org["bkpsdm"], course, [(1, 1)] * 5, "2026-05", 30)
    # Only before: not a pair, counted nowhere.
    lone = make_employee("199200000000000099", org["kel2"])
    db.session.add(Confidence(employee_id=lone.id, course_id=course.id, opd_id=org["kel2"].id,
                              before_value=5, before_at=datetime(2026, 3, 1, tzinfo=UTC)))
    confidence.recount(db.session)
    db.session.commit()
    view = confidence.city_view(db.session)
    # All: 15 pairs; confident before: (4,4),(5,5),(4,5) = 3 -> 20%;
    # after: 4,5,4,5,4,5 = 6 -> 40%; change +20 points.
    assert (view.total.pairs, view.total.before_percent, view.total.after_percent,
            view.total.change) == (15, 20, 40, 20)
    opds = {line.label: line.share for line in view.opds}
    kec = opds["Kecamatan Pamulang"]
    # 6 pairs: before 4,5 -> 2/6 = 33%; after 4,5,4,5 -> 4/6 = 67%.
    assert (kec.pairs, kec.before_percent, kec.after_percent) == (6, 33, 67)
    kominfo = opds["Dinas Komunikasi dan Informatika"]
    assert kominfo.pairs == 4 and kominfo.before_percent is None and kominfo.change is None
    assert kominfo.small and not kominfo.withheld
    bkpsdm = opds[org["bkpsdm"].name]
    assert bkpsdm.withheld and not bkpsdm.small and bkpsdm.after_percent is None
    months = {line.month: line.share for line in view.months}
    assert (months["2026-03"].before_percent, months["2026-03"].after_percent) == (33, 67)
    assert months["2026-04"].after_percent is None
    assert months["2026-05"].withheld and months["2026-05"].after_percent is None
    # What is shown never gives a hidden group's shares by subtraction: the hidden ones
    # together are at least MIN_GROUP people, in every table.
    for lines in (view.opds, view.months):
        assert sum(line.share.pairs for line in lines if not line.share.shown) >= MIN_GROUP

    hr = logged_in(app, people["hr_city"].nip)
    page = hr.get("/laporan/keyakinan").get_data(as_text=True)
    rows = table_rows(page)
    assert rows["Kecamatan Pamulang"][1:4] == ["33%", "67%", "+34"]
    assert "<svg" in page and "<rect" in page
    csv = hr.get("/laporan/keyakinan.csv?kursus=dasar").get_data(as_text=True)
    assert "opd,Kecamatan Pamulang,6,33,67,34" in csv
    assert "month,2026-04,<5,,," in csv  # as the page says it, not the exact count
    assert "month,2026-05,5,,," in csv
    assert rows[org["bkpsdm"].name] == ["5", "disembunyikan untuk melindungi kelompok kecil"]
    assert rows["Dinas Komunikasi dan Informatika"] == ["kurang dari 5",
                                                        "disembunyikan: terlalu sedikit orang"]
    assert logged_in(app, people["hr_kec"].nip).get("/laporan/keyakinan").status_code == 403
    assert logged_in(app, people["learner"].nip).get(
        "/laporan/keyakinan.csv").status_code == 403
