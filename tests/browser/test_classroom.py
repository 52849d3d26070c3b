"""A classroom session on phones at 360 px: the facilitator ticks a name without
JavaScript and shows the code; an attendee types it in Melek. Every page passes axe."""

import re
from datetime import timedelta

from playwright.sync_api import Page

from lms.models import ClassSeat, ModuleProgress
from lms.studio import ownership
from tests.support.browser import check_page, log_in
from tests.support.classroom import START, make_session, seat


def test_facilitator_ticks_and_an_attendee_types_the_code(
        phone: Page, phone_without_js: Page, live_server, people, course, db, frozen):
    ownership.add_owner(db.session, course, people["trainer"])
    cs = make_session(course, people["trainer"])
    seat(cs, people["learner"])
    seat(cs, people["other"])
    frozen.move_to(START + timedelta(minutes=20))

    # The facilitator, without JavaScript, ticks Budi on the plain form.
    page = phone_without_js
    log_in(page, live_server, people["trainer"].nip)
    page.goto(f"{live_server}/kelas/{cs.id}/presensi")
    page.get_by_label(re.compile("Budi Santoso")).check()
    page.get_by_role("button", name="Simpan kehadiran").click()
    assert page.url.endswith(f"/kelas/{cs.id}")
    db.session.commit()
    ticked = db.session.scalars(db.select(ClassSeat).filter_by(
        employee_id=people["other"].id)).one()
    assert ticked.attended_via == "tick"

    # The same pages with JavaScript, for axe; the projector shows the code.
    log_in(phone, live_server, people["trainer"].nip)
    for url, name in ((f"/kelas/{cs.id}", "classroom-session-facilitator"),
                      (f"/kelas/{cs.id}/presensi", "classroom-ticks"),
                      ("/kelas/baru/dasar", "classroom-schedule")):
        phone.goto(live_server + url)
        check_page(phone, name)
    # Printed, the session page is the attendance list: no menus, a signature column.
    phone.goto(f"{live_server}/kelas/{cs.id}")
    phone.emulate_media(media="print")
    assert not phone.locator(".site-header").is_visible()
    assert not phone.get_by_role("button", name="Tambahkan").is_visible()
    assert phone.locator("th.signature").is_visible()
    phone.emulate_media(media="screen")
    assert not phone.locator("th.signature").is_visible()
    phone.goto(f"{live_server}/kelas/{cs.id}/kode")  # the page without its timed reload
    check_page(phone, "classroom-projector")
    code = phone.locator(".projector-code").inner_text().replace(" ", "")
    assert re.fullmatch(r"\d{6}", code)

    # Rina, on her phone, finds the page from the menu and types the code.
    context = phone.context.browser.new_context(viewport={"width": 360, "height": 740},
                                                device_scale_factor=2, locale="id-ID")
    attendee = context.new_page()
    try:
        log_in(attendee, live_server, people["learner"].nip)
        attendee.get_by_role("link", name="Sesi kelas").first.click()
        check_page(attendee, "classroom-index")
        attendee.get_by_role("link", name="Isi kode hadir").first.click()
        check_page(attendee, "classroom-check-in")
        attendee.get_by_label("Kode hadir (6 angka)").fill(code)
        attendee.get_by_role("button", name="Saya hadir").click()
        assert attendee.url.endswith(f"/kelas/{cs.id}")
        assert "Kehadiran Anda tercatat" in attendee.content()
        check_page(attendee, "classroom-session-attendee")
    finally:
        context.close()
    db.session.commit()
    closing = next(m for m in course.current_modules if m.key == "penutup")
    done = db.session.get(ModuleProgress, (people["learner"].id, closing.id))
    assert done is not None and done.completed_at is not None
