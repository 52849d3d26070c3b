"""Deadline reminders and HR's weekly digest, through a real SMTP server (aiosmtpd) and
the real CLI, with the clock walked day by day; and the WhatsApp-ready summaries."""

import threading
from datetime import date, datetime, timedelta
from urllib.parse import unquote

import pytest
from sqlalchemy import func, select

from lms.core import clock, jobs
from lms.core.clock import JAKARTA
from lms.learning import progress
from lms.mandatory import assignments
from lms.models import Digest, Reminder
from lms.models.nudges import NO_EMAIL, SENDING, SENT
from lms.nudges import schedule
from tests.support.factories import make_employee
from tests.support.http import login

DUE = date(2026, 12, 14)  # a Monday
BEFORE = (14, 3)


def at(day: date, hour: int = 7) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=JAKARTA)


@pytest.mark.parametrize(("today", "expected"), [
    (date(2026, 11, 29), None), (date(2026, 11, 30), -14), (date(2026, 12, 10), -14),
    (date(2026, 12, 11), -3), (date(2026, 12, 13), -3), (date(2026, 12, 14), 0),
    (date(2026, 12, 20), 0), (date(2026, 12, 21), 7), (date(2026, 12, 27), 7),
    (date(2026, 12, 28), 14), (date(2027, 3, 1), 77),
])
def test_the_step_of_each_day(today, expected):
    assert schedule.step(DUE, today, BEFORE, 7) == expected


@pytest.fixture
def mailbox(app, smtp_server, monkeypatch):
    start, received = smtp_server
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", start())
    return received


@pytest.fixture
def assigned(db, org, people, course):
    """Dasar due Monday 14 December 2026 for Kecamatan Pamulang: Rina (email), Agus
    (email, finishes on 12 December) and Wati (no email); Budi at Diskominfo is outside."""
    rina = people["learner"]
    rina.email = "rina@example.go.id"
    agus = make_employee("199101012019031005", org["kel2"], "Agus Salim")
    agus.email = "agus@example.go.id"
    wati = make_employee("199202022019032006", org["kel2"], "Wati")
    people["other"].email = "budi@example.go.id"
    assignments.create(db.session, course=course, due_date=DUE, opd=org["kec"], by=None)
    db.session.commit()
    return {"rina": rina, "agus": agus, "wati": wati, "course": course}


def _finish(db, employee, course, when):
    for module in course.current_modules:
        progress.complete_module(db.session, employee.id, module, when)
    db.session.commit()


def _run(runner, *args):
    result = runner.invoke(args=["lms", "send-reminders", *args])
    assert result.exit_code == 0, result.output
    return result.output


def _to(message) -> str:
    return message["To"]


def test_a_scripted_month_sends_exactly_the_expected_reminders(app, db, runner, frozen,
                                                               mailbox, assigned):
    schedule_seen = []
    day = date(2026, 11, 25)
    while day <= date(2027, 1, 5):
        frozen.move_to(at(day))
        if day == date(2026, 12, 12):
            _finish(db, assigned["agus"], assigned["course"], clock.now())
        before = len(mailbox)
        _run(runner)
        _run(runner)  # a second run the same day (a retried timer) sends nothing more
        schedule_seen += [(day, _to(m)) for m in mailbox[before:]]
        day += timedelta(days=1)

    rina = [d for d, to in schedule_seen if to == "rina@example.go.id"]
    agus = [d for d, to in schedule_seen if to == "agus@example.go.id"]
    assert rina == [date(2026, 11, 30), date(2026, 12, 11), date(2026, 12, 14),
                    date(2026, 12, 21), date(2026, 12, 28), date(2027, 1, 4)]
    assert agus == [date(2026, 11, 30), date(2026, 12, 11)]  # none once completed
    assert len(mailbox) == 8  # nobody else: not Wati (no email), not Budi (not assigned)
    wati = db.session.scalars(select(Reminder).where(
        Reminder.employee_id == assigned["wati"].id).order_by(Reminder.step)).all()
    assert [(r.step, r.state) for r in wati] == [(s, NO_EMAIL) for s in (-14, -3, 0, 7, 14, 21)]
    assert db.session.scalar(select(func.count()).select_from(Reminder)
                             .where(Reminder.state == SENT)) == 8


def test_the_message_names_the_deadline_in_words_and_links_the_next_module(
        app, db, runner, frozen, mailbox, assigned):
    course = assigned["course"]
    first, second = course.current_modules
    progress.complete_module(db.session, assigned["rina"].id, first)
    db.session.commit()
    frozen.move_to(at(date(2026, 12, 11)))
    output = _run(runner)
    by_to = {_to(m): m for m in mailbox}
    rina, agus = by_to["rina@example.go.id"], by_to["agus@example.go.id"]
    assert "Senin, 14 Desember 2026" in rina["Subject"]
    text = rina.get_body(("plain",)).get_content()
    html = rina.get_body(("html",)).get_content()
    assert "Senin, 14 Desember 2026" in text and "3 hari" in text
    assert f"http://localhost/kursus/{course.slug}/{second.key}" in text
    assert f'href="http://localhost/kursus/{course.slug}/{second.key}"' in html
    assert "Lanjutkan dari tempat Anda berhenti" in text
    # Agus has not started: his link opens the course page, with its "Mulai" button.
    agus_text = agus.get_body(("plain",)).get_content()
    assert f"http://localhost/kursus/{course.slug}\r\n" in agus_text
    assert "Buka kursusnya" in agus_text
    assert "Rina Sari" in output and "agus@example.go.id" in output
    assert "Wati" in output  # listed for HR: no address


def test_english_readers_get_english(app, db, runner, frozen, mailbox, assigned):
    assigned["rina"].locale = "en"
    db.session.commit()
    frozen.move_to(at(DUE))
    _run(runner)
    rina = next(m for m in mailbox if _to(m) == "rina@example.go.id")
    assert rina["Subject"] == "Today is the deadline for “Dasar Uji”"
    assert "Today, Monday, 14 December 2026" in rina.get_body(("plain",)).get_content()


def test_a_dry_run_sends_and_records_nothing(app, db, runner, frozen, assigned, smtp_server,
                                             monkeypatch):
    _start, received = smtp_server
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")  # not even needed for a dry run
    frozen.move_to(at(date(2026, 12, 11)))
    output = _run(runner, "--dry-run")
    assert output.count("akan dikirim\t") == 2 and "Wati" in output
    assert received == []
    assert db.session.scalar(select(func.count()).select_from(Reminder)) == 0


def test_without_a_mail_server_it_refuses_and_records_nothing(app, db, runner, frozen,
                                                              assigned, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    frozen.move_to(at(date(2026, 12, 11)))
    result = runner.invoke(args=["lms", "send-reminders"])
    assert result.exit_code == 1 and "MAIL_SERVER" in result.output
    assert db.session.scalar(select(func.count()).select_from(Reminder)) == 0


def _many(db, org, course, n):
    for i in range(n):
        person = make_employee(f"19800101200001{i:04d}", org["kel1"], f"Pegawai {i}")
        person.email = f"p{i}@example.go.id"
    assignments.create(db.session, course=course, due_date=DUE, opd=org["kec"], by=None)
    db.session.commit()


def _parallel(app, n=2):
    results = []

    def one():
        results.append(app.test_cli_runner().invoke(args=["lms", "send-reminders"]))

    threads = [threading.Thread(target=one) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_hosts_at_once_send_each_reminder_once(app, db, org, people, course, frozen,
                                                   smtp_server, monkeypatch):
    start, received = smtp_server
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", start(lambda envelope: __import__(
        "time").sleep(0.01)))
    _many(db, org, course, 60)
    frozen.move_to(at(date(2026, 12, 11)))
    results = _parallel(app)
    assert all(r.exit_code == 0 for r in results), [r.output for r in results]
    assert len(received) == 60
    assert len({m["To"] for m in received}) == 60


def test_claims_hold_even_when_the_lease_does_not(app, db, org, people, course, frozen,
                                                  smtp_server, monkeypatch):
    """As if the lease had lapsed under a slow run: both runs work at once, and the
    claim on each message still lets only one of them send it."""
    start, received = smtp_server
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", start(lambda envelope: __import__(
        "time").sleep(0.01)))
    monkeypatch.setattr(jobs, "take", lambda session, name, me: object())
    monkeypatch.setattr(jobs, "release", lambda session, name, me: None)
    _many(db, org, course, 60)
    frozen.move_to(at(date(2026, 12, 11)))
    results = _parallel(app)
    assert all(r.exit_code == 0 for r in results), [r.output for r in results]
    assert sorted(m["To"] for m in received) == sorted(f"p{i}@example.go.id"
                                                       for i in range(60))


KILLED_RUN = """
import os, signal, sys
from datetime import datetime
import time_machine
from lms import create_app
from lms.nudges import cli
app = create_app({"TESTING": True, "SECRET_KEY": "x", "LMS_ENV": "test",
                  "SQLALCHEMY_DATABASE_URI": sys.argv[1], "PUBLIC_BASE_URL": "http://localhost",
                  "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": int(sys.argv[2]),
                  "CERTIFICATE_SIGNING_P12": ""})
real, calls = cli._Outbox.send, []
def send(self, message):
    calls.append(message)
    if len(calls) == 3:
        os.kill(os.getpid(), signal.SIGKILL)  # no finally, no atexit: a power cut
    return real(self, message)
cli._Outbox.send = send
with time_machine.travel(datetime.fromisoformat(sys.argv[3]), tick=False):
    app.test_cli_runner().invoke(args=["lms", "send-reminders"])
"""


def test_a_killed_run_loses_at_most_the_message_in_flight(app, db, org, people, course,
                                                          frozen, mailbox):
    import subprocess
    import sys

    _many(db, org, course, 20)
    db.session.remove()
    when = at(date(2026, 12, 11))
    done = subprocess.run([sys.executable, "-c", KILLED_RUN,
                           app.config["SQLALCHEMY_DATABASE_URI"], str(app.config["MAIL_PORT"]),
                           when.isoformat()], capture_output=True, text=True, timeout=120)
    assert done.returncode == -9, done.stderr
    assert len(mailbox) == 2
    unsure = db.session.scalars(select(Reminder).where(Reminder.state == SENDING)).all()
    assert len(unsure) == 1  # claimed, then the process died: not confirmed
    frozen.move_to(when + timedelta(hours=1))  # the dead run's lease has lapsed
    _run(app.test_cli_runner())
    delivered = [m["To"] for m in mailbox]
    assert len(delivered) == 19 == len(set(delivered))  # everyone but the one in flight
    assert unsure[0].email not in delivered


def test_a_refused_message_is_tried_again_next_run(app, db, runner, frozen, assigned,
                                                   smtp_server, monkeypatch):
    start, received = smtp_server
    refuse = {"rina@example.go.id"}
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", start(
        lambda envelope: "550 mailbox full" if set(envelope.rcpt_tos) & refuse else None))
    frozen.move_to(at(date(2026, 12, 11)))
    result = runner.invoke(args=["lms", "send-reminders"])
    assert result.exit_code == 1 and "GAGAL" in result.output
    refuse.clear()
    frozen.move_to(at(date(2026, 12, 12)))
    _run(runner)
    accepted = [m["To"] for m in received]
    assert accepted.count("agus@example.go.id") == 1
    assert accepted.count("rina@example.go.id") == 2  # refused once, then delivered
    row = db.session.scalars(select(Reminder).where(
        Reminder.employee_id == assigned["rina"].id)).one()
    assert (row.state, row.attempts) == (SENT, 2)


def test_a_second_host_stops_while_the_first_holds_the_lease(app, db, runner, frozen,
                                                             mailbox, assigned):
    frozen.move_to(at(date(2026, 12, 11)))
    assert jobs.take(db.session, "send-reminders", "other-host:1") is not None
    output = _run(runner)
    assert "other-host:1" in output and mailbox == []
    frozen.move_to(at(date(2026, 12, 11), 8))  # the lease lapses after ten minutes
    _run(runner)
    assert len(mailbox) == 2


def test_hr_sees_reminders_within_its_scope_only(app, db, client, frozen, mailbox, assigned,
                                                 people, org, runner):
    frozen.move_to(at(date(2026, 12, 11)))
    _run(runner)
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
    _finish(db, assigned["agus"], assigned["course"], clock.now())
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


def test_the_lease_lapses_and_only_its_holder_releases_it(db, frozen):
    frozen.move_to(at(date(2026, 12, 11)))
    assert jobs.take(db.session, "job", "a:1") is not None
    assert jobs.take(db.session, "job", "b:2") is None
    jobs.release(db.session, "job", "b:2")  # not the holder: nothing happens
    assert jobs.take(db.session, "job", "b:2") is None
    frozen.move_to(at(date(2026, 12, 11)) + jobs.LEASE + timedelta(seconds=1))
    assert jobs.take(db.session, "job", "b:2") is not None


def test_words_count_from_the_day_sent_not_the_step(app, db, runner, frozen, mailbox, org,
                                                    people, course, assigned):
    frozen.move_to(at(DUE + timedelta(days=2)))  # the timer did not run on the day itself
    _run(runner)
    rina = next(m for m in mailbox if _to(m) == "rina@example.go.id")
    text = rina.get_body(("plain",)).get_content()
    assert "Hari ini" not in rina["Subject"] and "Hari ini" not in text
    assert "2 hari yang lalu" in text
    from lms.models import Assignment

    later = date(2027, 2, 1)
    assignments.revoke(db.session, db.session.scalars(select(Assignment)).one())
    assignments.create(db.session, course=course, due_date=later, opd=org["kec"], by=None)
    db.session.commit()
    frozen.move_to(at(later - timedelta(days=10)))  # not in time for the 14-day step
    assert "10 hari lagi" in (
        messages_for(db, runner, mailbox, "rina@example.go.id")[-1]
        .get_body(("plain",)).get_content())


def messages_for(db, runner, mailbox, to):
    _run(runner)
    return [m for m in mailbox if _to(m) == to]


def test_a_timed_out_reply_is_not_confirmed_and_never_sent_again(app, db, runner, frozen,
                                                                  assigned, smtp_server,
                                                                  monkeypatch):
    import smtplib
    import time

    from lms.core import mail

    start, received = smtp_server
    slow = {"rina@example.go.id"}

    def on_data(envelope):
        if set(envelope.rcpt_tos) & slow:
            slow.clear()
            time.sleep(1.5)  # the server has the message; only its "250" comes late

    class QuickSMTP(smtplib.SMTP):
        def __init__(self, host, port, timeout=20):
            super().__init__(host, port, timeout=1)

    monkeypatch.setattr(mail.smtplib, "SMTP", QuickSMTP)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", start(on_data))
    frozen.move_to(at(date(2026, 12, 11)))
    result = runner.invoke(args=["lms", "send-reminders"])
    assert result.exit_code == 1 and "BELUM PASTI" in result.output
    frozen.move_to(at(date(2026, 12, 12)))
    runner.invoke(args=["lms", "send-reminders"])
    assert [m["To"] for m in received].count("rina@example.go.id") == 1
    assert [m["To"] for m in received].count("agus@example.go.id") == 1  # reconnected
    row = db.session.scalars(select(Reminder).where(
        Reminder.employee_id == assigned["rina"].id)).one()
    assert row.state == SENDING and "timed out" in row.error


def test_a_server_that_closes_the_connection_part_way_is_reconnected(app, db, org, people,
                                                                      course, frozen,
                                                                      smtp_server,
                                                                      monkeypatch):
    start, received = smtp_server
    seen = []

    def on_data(envelope):
        seen.append(envelope.rcpt_tos[0])
        return "421 4.7.0 too many messages in this connection" if len(seen) == 3 else None

    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", start(on_data))
    _many(db, org, course, 10)
    frozen.move_to(at(date(2026, 12, 11)))
    runner = app.test_cli_runner()
    assert runner.invoke(args=["lms", "send-reminders"]).exit_code == 1  # one refused
    assert len(seen) == 10
    frozen.move_to(at(date(2026, 12, 12)))
    _run(runner)  # the refused one, again
    assert len(seen) == 11 and len(set(seen)) == 10


def test_one_message_that_cannot_be_built_does_not_stop_the_run(app, db, runner, frozen,
                                                                mailbox, assigned,
                                                                monkeypatch):
    from lms.nudges import messages

    real = messages.reminder

    def flaky(d):
        if d.email == "rina@example.go.id":
            raise ValueError("Header values may not contain linefeed")
        return real(d)

    monkeypatch.setattr(messages, "reminder", flaky)
    frozen.move_to(at(date(2026, 12, 11)))
    result = runner.invoke(args=["lms", "send-reminders"])
    assert result.exit_code == 1
    assert [m["To"] for m in mailbox] == ["agus@example.go.id"]
    row = db.session.scalars(select(Reminder).where(
        Reminder.employee_id == assigned["rina"].id)).one()
    assert row.state == "failed" and "linefeed" in row.error


def test_a_course_title_with_a_line_break_cannot_forge_headers(app, db, runner, frozen,
                                                               mailbox, assigned):
    assigned["course"].title = "Dasar\r\nBcc: everyone@example.go.id"
    assigned["rina"].name = "<b>Rina</b> & co"
    db.session.commit()
    frozen.move_to(at(date(2026, 12, 11)))
    _run(runner)
    rina = next(m for m in mailbox if _to(m) == "rina@example.go.id")
    assert rina["Bcc"] is None and "Bcc: everyone" in rina["Subject"]
    html = rina.get_body(("html",)).get_content()
    assert "&lt;b&gt;Rina&lt;/b&gt; &amp; co" in html and "<b>Rina" not in html


def test_the_no_email_list_forgets_people_once_they_have_an_address(app, db, client, runner,
                                                                    frozen, mailbox,
                                                                    assigned, people):
    frozen.move_to(at(date(2026, 11, 30)))
    _run(runner)
    assert login(client, people["hr_kec"].nip).status_code == 302
    missing = client.get("/laporan/pengingat/").get_data(as_text=True).split(
        'id="sent"')[0]
    assert "Wati" in missing
    assigned["wati"].email = "wati@example.go.id"
    db.session.commit()
    frozen.move_to(at(date(2026, 12, 11)))
    _run(runner)
    assert "wati@example.go.id" in [m["To"] for m in mailbox]
    assert login(client, people["hr_kec"].nip).status_code == 302
    missing = client.get("/laporan/pengingat/").get_data(as_text=True).split(
        'id="sent"')[0]
    assert "Wati" not in missing


def test_nobody_is_reminded_of_what_no_longer_binds_them(app, db, runner, frozen, mailbox,
                                                         assigned, org):
    """Deactivated, moved out of the assigned OPD, the assignment revoked, the course
    retired: no reminder, and a moved deadline gets its own schedule."""
    from lms.models import Assignment

    frozen.move_to(at(date(2026, 11, 30)))
    assigned["agus"].active = False
    with assignments.changing(db.session, assigned["rina"]):
        assigned["rina"].opd_id = org["aptika"].id
    db.session.commit()
    _run(runner)
    assert mailbox == []  # Wati has no address; Agus inactive; Rina moved out
    with assignments.changing(db.session, assigned["rina"]):
        assigned["rina"].opd_id = org["kel1"].id
    assignment = db.session.scalars(select(Assignment)).one()
    assignment.due_date = date(2026, 12, 21)  # a week's extension
    assignments.rebuild_course(db.session, assignment.course_id)
    db.session.commit()
    frozen.move_to(at(date(2026, 12, 7)))
    _run(runner)
    assert [m["To"] for m in mailbox] == ["rina@example.go.id"]
    assert "Senin, 21 Desember 2026" in mailbox[0]["Subject"]
    assignments.revoke(db.session, assignment)
    db.session.commit()
    frozen.move_to(at(date(2026, 12, 18)))
    _run(runner)
    assert len(mailbox) == 1


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
