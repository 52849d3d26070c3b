"""The pre-test pages and the learning-gain pages pass axe at 360 px; the pre-test
works without JavaScript."""

from playwright.sync_api import Page

from lms.models import PretestAttempt, QuizAttempt
from lms.pretest import parallel
from lms.studio import ownership
from tests.support.browser import check_page, log_in
from tests.support.factories import make_employee
from tests.support.pretest import make_course


def test_a_learner_takes_the_pretest_without_javascript(phone_without_js: Page, live_server,
                                                         people, db, tmp_path):
    make_course(db, tmp_path)
    page = phone_without_js
    log_in(page, live_server, people["learner"].nip)
    page.goto(f"{live_server}/kursus/uji-pre")
    page.get_by_role("button", name="Mulai kursus ini").click()
    assert page.url.endswith("/pre-test/uji-pre")
    page.get_by_role("button", name="Kerjakan pre-test").click()
    for group in page.locator("fieldset").all():
        group.locator("input").first.check()
    page.get_by_role("button", name="Kirim jawaban").click()
    assert page.url.endswith("/pre-test/uji-pre/hasil")
    db.session.commit()  # a fresh snapshot: the server wrote in its own transaction
    assert db.session.scalars(db.select(PretestAttempt)).one().score is not None


def test_pretest_and_gain_pages_pass_axe(phone: Page, live_server, people, db, org, tmp_path):
    course = make_course(db, tmp_path)
    final = course.current_modules[-1]
    for i in range(6):
        person = make_employee(f"1990010120150100{i:02d}", org["kel1"])
        db.session.add(PretestAttempt(employee_id=person.id, course_id=course.id,
                                      opd_id=person.opd_id, module_id=final.id, drawn=[],
                                      score=20 * (i % 3),
                                      submitted_at=course.updated_at))
        db.session.flush()
        attempt = QuizAttempt(employee_id=person.id, module_id=final.id, drawn=[],
                              score=60 + 10 * (i % 4), passed=True,
                              submitted_at=course.updated_at)
        db.session.add(attempt)
        db.session.flush()
        parallel.record_post(db.session, attempt)
    ownership.add_owner(db.session, course, people["trainer"])
    db.session.commit()
    log_in(phone, live_server, people["learner"].nip)
    phone.goto(f"{live_server}/kursus/uji-pre")
    check_page(phone, "pretest-course")
    phone.get_by_role("link", name="Buka pre-test").click()
    check_page(phone, "pretest-offer")
    phone.get_by_role("button", name="Kerjakan pre-test").click()
    check_page(phone, "pretest-questions")
    for group in phone.locator("fieldset").all():
        group.locator("input").first.check()
    phone.get_by_role("button", name="Kirim jawaban").click()
    check_page(phone, "pretest-result")
    phone.context.clear_cookies()
    log_in(phone, live_server, people["trainer"].nip)
    phone.goto(f"{live_server}/studio/uji-pre/capaian")
    assert "6" in phone.locator("table").first.inner_text()
    check_page(phone, "pretest-gain-studio")
    phone.context.clear_cookies()
    log_in(phone, live_server, people["hr_city"].nip)
    phone.goto(f"{live_server}/laporan/kursus/uji-pre/capaian")
    check_page(phone, "pretest-gain-hr")
