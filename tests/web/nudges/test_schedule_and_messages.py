"""Deadline reminders through a real SMTP server (aiosmtpd) and the real CLI, with the
clock walked day by day: the schedule, the words, and who is not reminded."""

from datetime import date, timedelta
from email.utils import parsedate_to_datetime

import pytest
from sqlalchemy import func, select

from lms.core import clock
from lms.learning import progress
from lms.mandatory import assignments
from lms.models import Reminder
from lms.models.nudges import NO_EMAIL, SENT
from lms.nudges import schedule
from tests.support.nudges import BEFORE, DUE, at, finish, messages_for, run, to


@pytest.mark.parametrize(("today", "expected"), [
    (date(2026, 11, 29), None), (date(2026, 11, 30), -14), (date(2026, 12, 10), -14),
    (date(2026, 12, 11), -3), (date(2026, 12, 13), -3), (date(2026, 12, 14), 0),
    (date(2026, 12, 20), 0), (date(2026, 12, 21), 7), (date(2026, 12, 27), 7),
    (date(2026, 12, 28), 14), (date(2027, 3, 1), 77),
])
def test_the_step_of_each_day(today, expected):
    assert schedule.step(DUE, today, BEFORE, 7) == expected


def test_a_scripted_month_sends_exactly_the_expected_reminders(app, db, runner, frozen,
                                                               mailbox, assigned):
    schedule_seen = []
    day = date(2026, 11, 25)
    while day <= date(2027, 1, 5):
        frozen.move_to(at(day))
        if day == date(2026, 12, 12):
            finish(db, assigned["agus"], assigned["course"], clock.now())
        before = len(mailbox)
        run(runner)
        run(runner)  # a second run the same day (a retried timer) sends nothing more
        schedule_seen += [(day, to(m)) for m in mailbox[before:]]
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
    output = run(runner)
    by_to = {to(m): m for m in mailbox}
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
    run(runner)
    rina = next(m for m in mailbox if to(m) == "rina@example.go.id")
    assert rina["Subject"] == "Today is the deadline for “Dasar Uji”"
    assert "Today, Monday, 14 December 2026" in rina.get_body(("plain",)).get_content()


def test_each_message_carries_its_date_and_its_own_message_id(app, db, runner, frozen,
                                                             mailbox, assigned, monkeypatch):
    # RFC 5322 requires a Date; a relay on another host adds neither header.
    monkeypatch.setitem(app.config, "MAIL_FROM", "Melek <melek@tangerangselatankota.go.id>")
    frozen.move_to(at(date(2026, 12, 11)))
    run(runner)
    assert len(mailbox) == 2
    for message in mailbox:
        assert parsedate_to_datetime(message["Date"]) == at(date(2026, 12, 11))
        assert message["Message-ID"].endswith("@tangerangselatankota.go.id>")
    assert len({m["Message-ID"] for m in mailbox}) == 2


def test_a_dry_run_sends_and_records_nothing(app, db, runner, frozen, assigned, smtp_server,
                                             monkeypatch):
    _start, received = smtp_server
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")  # not even needed for a dry run
    frozen.move_to(at(date(2026, 12, 11)))
    output = run(runner, "--dry-run")
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


def test_words_count_from_the_day_sent_not_the_step(app, db, runner, frozen, mailbox, org,
                                                    people, course, assigned):
    frozen.move_to(at(DUE + timedelta(days=2)))  # the timer did not run on the day itself
    run(runner)
    rina = next(m for m in mailbox if to(m) == "rina@example.go.id")
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


def test_a_course_title_with_a_line_break_cannot_forge_headers(app, db, runner, frozen,
                                                               mailbox, assigned):
    assigned["course"].title = "Dasar\r\nBcc: everyone@example.go.id"
    assigned["rina"].name = "<b>Rina</b> & co"
    db.session.commit()
    frozen.move_to(at(date(2026, 12, 11)))
    run(runner)
    rina = next(m for m in mailbox if to(m) == "rina@example.go.id")
    assert rina["Bcc"] is None and "Bcc: everyone" in rina["Subject"]
    html = rina.get_body(("html",)).get_content()
    assert "&lt;b&gt;Rina&lt;/b&gt; &amp; co" in html and "<b>Rina" not in html


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
    run(runner)
    assert mailbox == []  # Wati has no address; Agus inactive; Rina moved out
    with assignments.changing(db.session, assigned["rina"]):
        assigned["rina"].opd_id = org["kel1"].id
    assignment = db.session.scalars(select(Assignment)).one()
    assignment.due_date = date(2026, 12, 21)  # a week's extension
    assignments.rebuild_course(db.session, assignment.course_id)
    db.session.commit()
    frozen.move_to(at(date(2026, 12, 7)))
    run(runner)
    assert [m["To"] for m in mailbox] == ["rina@example.go.id"]
    assert "Senin, 21 Desember 2026" in mailbox[0]["Subject"]
    assignments.revoke(db.session, assignment)
    db.session.commit()
    frozen.move_to(at(date(2026, 12, 18)))
    run(runner)
    assert len(mailbox) == 1
