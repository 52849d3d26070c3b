"""Certificates as learners and strangers meet them: issued once on completion, listed and
downloaded by their owner only, and checked by anyone at /verifikasi."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy import func, select

from lms.certificates import codes
from lms.core import clock
from lms.models import Certificate, Transcript, VerificationMiss
from tests.support.certificates import (
    LAST_MODULE,
    certificates_of,
    finish_course,
    pass_first_module,
)
from tests.support.factories import make_employee
from tests.support.http import fresh_client, logged_in, token


def test_completing_a_course_issues_one_certificate(app, db, people, course):
    client = logged_in(app, people["learner"].nip)
    finish_course(client, db)
    [cert] = certificates_of(db, people["learner"])
    year = clock.year_of(cert.issued_at)
    assert (cert.year, cert.sequence, cert.jp) == (year, 1, course.jp)
    assert cert.number == f"00001/MELEK/BKPSDM/{cert.number.split('/')[3]}/{year}"
    assert (cert.name, cert.nip, cert.course_title) == ("Rina Sari", people["learner"].nip,
                                                        course.title)
    assert cert.pdf.startswith(b"%PDF-") and not cert.signed
    page = client.get("/sertifikat").get_data(as_text=True)
    assert course.title in page and f"/sertifikat/{cert.code}.pdf" in page
    assert f"/sertifikat/{cert.code}.pdf" in client.get("/").get_data(as_text=True)
    assert f"/sertifikat/{cert.code}.pdf" in client.get("/kursus/dasar").get_data(as_text=True)
    download = client.get(f"/sertifikat/{cert.code}.pdf")
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert download.data == cert.pdf  # the document made at issue, byte for byte
    assert "attachment" in download.headers["Content-Disposition"]


def test_marking_done_again_or_resyncing_never_makes_a_second(app, db, people, course):
    from lms.content.sync import sync
    from tests.conftest import DATA
    client = logged_in(app, people["learner"].nip)
    finish_course(client, db)
    again = client.post(LAST_MODULE + "/selesai", data={"csrf_token": token(client, LAST_MODULE)})
    assert again.status_code == 302
    pass_first_module(client, db)  # a later pass of the quiz
    assert sync(DATA / "courses", db.session).ok
    db.session.commit()
    assert len(certificates_of(db, people["learner"])) == 1


def test_two_tabs_finishing_the_last_module_at_once_make_one(app, db, people, course):
    client = logged_in(app, people["learner"].nip)
    pass_first_module(client, db)
    form = {"csrf_token": token(client, LAST_MODULE)}
    db.session.commit()
    with ThreadPoolExecutor(6) as pool:
        responses = list(pool.map(lambda _: client.post(LAST_MODULE + "/selesai", data=form),
                                  range(6)))
    assert {r.status_code for r in responses} == {302}
    assert len(certificates_of(db, people["learner"])) == 1


def test_people_finishing_at_once_get_distinct_numbers_in_sequence(app, db, org, course):
    nips = [f"1991020320190310{i:02d}" for i in range(6)]
    people = [make_employee(nip, org["kel1"]) for nip in nips]
    db.session.commit()
    clients = [logged_in(app, nip) for nip in nips]
    for client in clients:
        pass_first_module(client, db)
    forms = [{"csrf_token": token(c, LAST_MODULE)} for c in clients]
    db.session.commit()
    with ThreadPoolExecutor(len(clients)) as pool:
        responses = list(pool.map(lambda a: a[0].post(LAST_MODULE + "/selesai", data=a[1]),
                                  zip(clients, forms, strict=True)))
    assert {r.status_code for r in responses} == {302}
    issued = [c for p in people for c in certificates_of(db, p)]
    assert sorted(c.sequence for c in issued) == [1, 2, 3, 4, 5, 6]
    assert len({c.number for c in issued}) == len({c.code for c in issued}) == 6


def test_a_certificate_is_only_its_owners_to_download(app, db, people, course):
    finish_course(logged_in(app, people["learner"].nip), db)
    [cert] = certificates_of(db, people["learner"])
    assert logged_in(app, people["other"].nip).get(f"/sertifikat/{cert.code}.pdf") \
        .status_code == 404
    stranger = fresh_client(app).get(f"/sertifikat/{cert.code}.pdf")
    assert stranger.status_code == 302 and "/masuk" in stranger.headers["Location"]


def test_anyone_can_check_a_certificate_without_logging_in(app, db, people, course):
    finish_course(logged_in(app, people["learner"].nip), db)
    [cert] = certificates_of(db, people["learner"])
    page = fresh_client(app).get(f"/verifikasi/{cert.code}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "verdict-valid" in html
    assert "Rina Sari" in html and course.title in html and cert.number in html
    nip = people["learner"].nip
    assert nip not in html and nip[:4] in html and nip[-4:] in html  # partly masked
    assert page.headers["X-Robots-Tag"] == "noindex"


def test_a_typed_code_is_forgiving_and_a_revoked_one_says_so(app, db, people, course):
    finish_course(logged_in(app, people["learner"].nip), db)
    [cert] = certificates_of(db, people["learner"])
    typed = codes.shown(cert.code).lower().replace("-", " ").replace("0", "o")
    visitor = fresh_client(app)
    answer = visitor.get("/verifikasi/", query_string={"kode": typed})
    assert answer.status_code == 302 and answer.headers["Location"].endswith(cert.code)
    cert.revoked_at, cert.revoked_reason = clock.now(), "Diterbitkan karena salah data"
    db.session.commit()
    html = visitor.get(f"/verifikasi/{cert.code}").get_data(as_text=True)
    assert "verdict-revoked" in html and "Diterbitkan karena salah data" in html
    assert "verdict-valid" not in html


def test_unknown_and_malformed_codes_are_not_found_and_counted(app, db):
    visitor = fresh_client(app)
    for code in (codes.new_code(), "ABC", "x" * 300, "0000-0000-0000-000!"):
        response = visitor.get(f"/verifikasi/{code}")
        assert response.status_code == 404 and "verdict-revoked" in response.get_data(
            as_text=True)
    assert db.session.scalar(select(func.count(VerificationMiss.id))) == 4


def test_guessing_codes_pauses_the_address_not_others(app, db, people, course, frozen):
    finish_course(logged_in(app, people["learner"].nip), db)
    [cert] = certificates_of(db, people["learner"])
    limit = app.config["VERIFY_MAX_MISSES_PER_ADDRESS"]
    guesser = fresh_client(app)
    guesser.environ_base["REMOTE_ADDR"] = "10.9.9.9"
    for _ in range(limit):
        assert guesser.get(f"/verifikasi/{codes.new_code()}").status_code == 404
    # Paused: not even a real code is answered, so nothing can be learned by guessing.
    assert guesser.get(f"/verifikasi/{cert.code}").status_code == 429
    assert fresh_client(app).get(f"/verifikasi/{cert.code}").status_code == 200
    frozen.move_to(clock.now() + timedelta(minutes=app.config["VERIFY_WINDOW_MINUTES"] + 1))
    assert guesser.get(f"/verifikasi/{cert.code}").status_code == 200


def test_the_yearly_transcript_is_a_checkable_snapshot(app, db, people, course):
    client = logged_in(app, people["learner"].nip)
    finish_course(client, db)
    year = clock.today().year
    first = client.get(f"/sertifikat/rekap-jp-{year}.pdf")
    assert first.status_code == 200 and first.data.startswith(b"%PDF-")
    client.get(f"/sertifikat/rekap-jp-{year}.pdf")
    [record] = db.session.scalars(select(Transcript)).all()  # same content: one snapshot
    assert (record.year, record.total_jp) == (year, course.jp)
    assert [line[0] for line in record.lines] == [course.title]
    html = fresh_client(app).get(f"/verifikasi/{record.code}").get_data(as_text=True)
    assert "verdict-valid" in html and course.title in html
    assert client.get("/sertifikat/rekap-jp-99999.pdf").status_code == 404
    assert client.get("/sertifikat/rekap-jp-1999.pdf").status_code == 404


def test_nothing_is_issued_before_the_course_is_complete(app, db, people, course):
    pass_first_module(logged_in(app, people["learner"].nip), db)
    assert db.session.scalar(select(func.count(Certificate.id))) == 0


def test_a_certificate_that_cannot_be_made_never_costs_the_completion(app, db, people,
                                                                      course, tmp_path):
    from lms.certificates import backfill
    broken = tmp_path / "broken.p12"
    broken.write_bytes(b"not a key")
    app.config["CERTIFICATE_SIGNING_P12"] = str(broken)
    try:
        client = logged_in(app, people["learner"].nip)
        finish_course(client, db)  # the learner's last step answers normally
    finally:
        app.config["CERTIFICATE_SIGNING_P12"] = ""
    assert "Kursus selesai" in client.get("/").get_data(as_text=True)
    assert certificates_of(db, people["learner"]) == []
    assert backfill.issue_next(db.session, 10) == (1, 1)  # what issue-certificates does
    db.session.commit()
    assert len(certificates_of(db, people["learner"])) == 1
