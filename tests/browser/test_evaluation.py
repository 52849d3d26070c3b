"""The evaluation's pages on a 360-px phone with axe: the confidence question, the
questionnaire, the trainer's results, the admin page and the city's confidence view
(its SVG chart and tables); the questionnaire is answered without JavaScript."""

from datetime import UTC, datetime

from playwright.sync_api import Page

from lms.evaluation import answers, confidence
from lms.models import Confidence
from lms.studio import ownership
from tests.support.browser import check_page, log_in
from tests.support.certificates import complete
from tests.support.evaluation import crowd, store_form
from tests.support.factories import make_employee


def test_learner_pages_pass_axe_and_work_without_javascript(
        phone: Page, phone_without_js: Page, live_server, people, course, db):
    course.confidence = "Seberapa yakin Anda memakai aplikasi uji?"
    db.session.commit()
    store_form()
    log_in(phone, live_server, people["learner"].nip)
    phone.goto(f"{live_server}/kursus/dasar")
    phone.get_by_role("button", name="Mulai kursus ini").click()
    assert phone.url.endswith("/evaluasi/dasar/keyakinan")
    check_page(phone, "evaluasi-keyakinan")
    db.session.rollback()  # a fresh snapshot: the server wrote since this one began
    complete(people["learner"], course)
    log_in(phone_without_js, live_server, people["learner"].nip)
    phone_without_js.goto(f"{live_server}/evaluasi/dasar")
    assert phone_without_js.evaluate("document.documentElement.scrollWidth") <= 360
    phone_without_js.locator("label[for=item-relevan-5]").click()
    phone_without_js.locator("#item-komentar").fill("Bagus")
    phone_without_js.locator("form.quiz button[type=submit]:not([name])").click()
    assert phone_without_js.url.endswith("/kursus/dasar")
    phone.goto(f"{live_server}/evaluasi/dasar")
    phone.goto(f"{live_server}/evaluasi/dasar/keyakinan")  # the after question
    check_page(phone, "evaluasi-keyakinan-setelah")


def test_results_admin_and_city_pages_pass_axe(phone: Page, live_server, org, people,
                                                course, db):
    form = store_form()
    ownership.add_owner(db.session, course, people["trainer"])
    course.confidence = "Seberapa yakin Anda?"
    db.session.commit()
    for i, person in enumerate(crowd(org["kel1"], 6, course)):
        answers.submit(db.session, person.id, course, form, {"relevan": 1 + i % 5,
                                                              "jelas": 4}, "Komentar")
        at = datetime(2026, 3 + i % 2, 5, tzinfo=UTC)
        db.session.add(Confidence(employee_id=person.id, course_id=course.id,
                                  opd_id=person.opd_id, before_value=2 + i % 3, before_at=at,
                                  after_value=4, after_at=at, after_month=at.strftime("%Y-%m")))
    confidence.recount(db.session)
    make_employee("196501011990011001", org["bkpsdm"], "Admin", roles=["admin"])
    db.session.commit()
    log_in(phone, live_server, people["trainer"].nip)
    phone.goto(f"{live_server}/evaluasi/hasil/dasar")
    check_page(phone, "evaluasi-hasil")
    phone.goto(f"{live_server}/evaluasi/hasil")
    check_page(phone, "evaluasi-hasil-daftar")
    hr = fresh_page(phone)
    log_in(hr, live_server, people["hr_city"].nip)
    hr.goto(f"{live_server}/laporan/keyakinan")
    assert hr.locator("svg rect").count() >= 2
    check_page(hr, "laporan-keyakinan")
    admin = fresh_page(phone)
    log_in(admin, live_server, "196501011990011001")
    admin.goto(f"{live_server}/admin/evaluasi")
    check_page(admin, "admin-evaluasi")


def fresh_page(page: Page) -> Page:
    context = page.context.browser.new_context(viewport={"width": 360, "height": 740},
                                               locale="id-ID")
    return context.new_page()
