"""What people see of the nudges: HR's reminder pages and weekly digest, the WhatsApp
summaries, and the learner's deadline notice."""

from datetime import date
from urllib.parse import unquote

from sqlalchemy import select

from lms.core import clock
from lms.mandatory import assignments
from lms.models import Digest
from tests.support.factories import make_employee
from tests.support.http import login
from tests.support.nudges import at, finish, run


def test_hr_sees_reminders_within_its_scope_only(app, db, client, frozen, mailbox, assigned,
                                                 people, org, runner):
    frozen.move_to(at(date(2026, 12, 11)))
    run(runner)
    assert login(client, people["hr_kec"].nip).status_code == 302
    page = client.get("/laporan/pengingat/").get_data(as_text=True)
    missing = page.split('id="missing"')[1].split('id="sent"')[0]
    assert "Wati" in missing and "Rina Sari" not in missing
    assert "Rina Sari" in page and "terkirim" in page
    employee = client.get(f"/laporan/pegawai/{assigned['rina'].nip}").get_data(as_text=True)
    assert "rina@example.go.id" in employee and "3 hari sebelum batas waktu" in employee
    other_hr = make_employee("199304042019031007", org["kominfo"], "HR Kominfo",
                             roles=[("hr", org["kominfo"])])
    db.session.commit()
    other = app.test_client()
    assert login(other, other_hr.nip).status_code == 302
    page = other.get("/laporan/pengingat/").get_data(as_text=True)
    assert "Wati" not in page and "Rina Sari" not in page
    learner = app.test_client()
    assert login(learner, people["learner"].nip).status_code == 302
    assert learner.get("/laporan/pengingat/").status_code == 403


def test_the_weekly_digest_goes_once_a_week_and_says_what_changed(app, db, frozen, mailbox,
                                                                  assigned, people, runner):
    people["hr_kec"].email = "siti@example.go.id"
    db.session.commit()
    frozen.move_to(at(date(2026, 12, 7)))  # a Monday
    result = runner.invoke(args=["lms", "send-digests"])
    assert result.exit_code == 0, result.output
    assert [m["To"] for m in mailbox] == ["siti@example.go.id"]  # Hendra has no address
    first = mailbox[0].get_body(("plain",)).get_content()
    assert "Kecamatan Pamulang" in mailbox[0]["Subject"]
    assert "0 dari 4 (0%)" in first and "Dasar Uji" in first  # Siti works there too
    frozen.move_to(at(date(2026, 12, 9)))
    assert runner.invoke(args=["lms", "send-digests"]).exit_code == 0
    assert len(mailbox) == 1  # the same ISO week: not again
    finish(db, assigned["agus"], assigned["course"], clock.now())
    frozen.move_to(at(date(2026, 12, 15)))  # next Monday, the day after the deadline
    assert runner.invoke(args=["lms", "send-digests"]).exit_code == 0
    assert len(mailbox) == 2
    second = mailbox[1].get_body(("plain",)).get_content()
    assert "1 dari 4 (25%)" in second and "+25" in second
    assert "Rina Sari" in second and "Wati" in second and "Agus" not in second.split(
        "Terlambat")[1]
    assert "Budi" not in second  # outside Kecamatan Pamulang
    html = mailbox[1].get_body(("html",)).get_content()
    assert "<table" in html and "http://localhost/laporan/terlambat" in html
    weeks = db.session.scalars(select(Digest.week).order_by(Digest.week)).all()
    assert weeks == ["2026-W50", "2026-W50", "2026-W51", "2026-W51"]  # Siti's, Hendra's


def test_hr_pages_offer_a_whatsapp_message_without_names(app, db, client, frozen, assigned,
                                                         people):
    frozen.move_to(at(date(2026, 12, 15)))
    assert login(client, people["hr_kec"].nip).status_code == 302
    for url in ("/laporan/", f"/laporan/kursus/{assigned['course'].slug}",
                "/laporan/terlambat"):
        page = client.get(url).get_data(as_text=True)
        assert 'href="https://wa.me/?text=' in page, url
        shared = unquote(page.split('href="https://wa.me/?text=')[1].split('"')[0])
        assert "Kecamatan Pamulang" in shared or "Kota" in shared, (url, shared)
        assert "http://localhost/" in shared
        for name in ("Rina", "Agus", "Wati"):
            assert name not in shared, (url, shared)
        assert shared.split("\n")[0] in page  # the same text, in a box to copy
    overview = client.get("/laporan/").get_data(as_text=True)
    text = unquote(overview.split('href="https://wa.me/?text=')[1].split('"')[0])
    assert "0 dari 4 pegawai selesai (0%), 4 terlambat" in text


def test_the_dashboard_names_the_next_deadline_and_new_courses(app, db, client, frozen,
                                                               assigned, people):
    frozen.move_to(at(date(2026, 12, 11)))
    assert login(client, people["learner"].nip).status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "Senin, 14 Desember 2026" in page and "3 hari lagi" in page
    assert "Baru untuk Anda" in page
    notice = page.split('id="next-due-heading"')[1].split("</section>")[0]
    assert f'href="/kursus/{assigned["course"].slug}"' in notice  # not started: the course
    # Three weeks later the assignment is no longer new; the deadline has passed.
    frozen.move_to(at(date(2027, 1, 4)))
    assert login(client, people["learner"].nip).status_code == 302  # sessions last 8 hours
    page = client.get("/").get_data(as_text=True)
    assert "Baru untuk Anda" not in page and "21 hari terlambat" in page


def test_the_no_email_list_forgets_people_once_they_have_an_address(app, db, client, runner,
                                                                    frozen, mailbox,
                                                                    assigned, people):
    frozen.move_to(at(date(2026, 11, 30)))
    run(runner)
    assert login(client, people["hr_kec"].nip).status_code == 302
    missing = client.get("/laporan/pengingat/").get_data(as_text=True).split(
        'id="sent"')[0]
    assert "Wati" in missing
    assigned["wati"].email = "wati@example.go.id"
    db.session.commit()
    frozen.move_to(at(date(2026, 12, 11)))
    run(runner)
    assert "wati@example.go.id" in [m["To"] for m in mailbox]
    assert login(client, people["hr_kec"].nip).status_code == 302
    missing = client.get("/laporan/pengingat/").get_data(as_text=True).split(
        'id="sent"')[0]
    assert "Wati" not in missing


def test_a_shared_message_says_which_filters_its_figures_have(app, db, client, frozen,
                                                              assigned, people):
    with assignments.changing(db.session, assigned["wati"]):
        assigned["wati"].employment_type = "pppk"
    db.session.commit()
    frozen.move_to(at(date(2026, 12, 15)))
    assert login(client, people["hr_kec"].nip).status_code == 302
    page = client.get("/laporan/terlambat?jenis=pppk&tahun=2026").get_data(as_text=True)
    shared = unquote(page.split('href="https://wa.me/?text=')[1].split('"')[0])
    assert shared.startswith("Kecamatan Pamulang (PPPK, batas waktu tahun 2026), "), shared
    assert "1 kursus wajib" in shared  # Wati's, not the four of everyone
