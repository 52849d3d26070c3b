"""Leaders first in Chromium at 360 px: city-wide HR walks to the leaders page (chart and
table), and a learner whose head has completed a mandatory course reads so on the course
page without JavaScript; both axe clean, no sideways scrolling."""

from datetime import datetime, time

import pytest
from playwright.sync_api import expect

from lms.core.clock import JAKARTA
from tests.support.browser import check_page, log_in
from tests.support.leaders import STAF_KEL1, plant_heads
from tests.support.reports import TODAY, plant


@pytest.fixture
def data(db, org, people, course, frozen):
    frozen.move_to(datetime.combine(TODAY, time(10, 0), JAKARTA))
    plant(db, org, people, course)
    plant_heads(db, org, people, course)


def test_hr_city_view_and_the_learners_course_page(phone, chromium, live_server, people,
                                                   data):
    page = phone
    log_in(page, live_server, people["hr_city"].nip)
    check_page(page, "leaders-360-overview")  # the heads under the matrix
    page.get_by_role("link", name="Keteladanan pimpinan", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Keteladanan pimpinan")
    expect(page.get_by_role("img", name="Staf menurut teladan kepalanya")).to_be_visible()
    expect(page.get_by_role("row", name="Kelurahan Benda Baru")).to_contain_text("Selesai")
    expect(page.locator("#compare-caption")).to_be_visible()
    check_page(page, "leaders-360-hr")
    context = chromium.new_context(viewport={"width": 360, "height": 740},
                                   device_scale_factor=2, locale="id-ID")
    learner = context.new_page()
    # Staf Kel1's head (Rina, of Kelurahan Benda Baru) has completed the course.
    log_in(learner, live_server, STAF_KEL1)
    learner.goto(live_server + "/kursus/dasar")
    expect(learner.locator(".callout-tip")).to_have_text(
        "Kepala Kelurahan Anda sudah menyelesaikan kursus ini.")
    check_page(learner, "leaders-360-course")
    context.close()
