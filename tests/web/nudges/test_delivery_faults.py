"""Reminders when things go wrong: two hosts at once, a lapsed lease, a killed run, a
reply that times out, a server that drops the connection, a message that cannot be built."""

from datetime import date, timedelta

from sqlalchemy import select

from lms.core import jobs
from lms.models import Reminder
from lms.models.nudges import SENDING, SENT
from tests.support.nudges import at, many, parallel, run


def test_two_hosts_at_once_send_each_reminder_once(app, db, org, people, course, frozen,
                                                   smtp_server, monkeypatch):
    start, received = smtp_server
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", start(lambda envelope: __import__(
        "time").sleep(0.01)))
    many(db, org, course, 60)
    frozen.move_to(at(date(2026, 12, 11)))
    results = parallel(app)
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
    many(db, org, course, 60)
    frozen.move_to(at(date(2026, 12, 11)))
    results = parallel(app)
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

    many(db, org, course, 20)
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
    run(app.test_cli_runner())
    delivered = [m["To"] for m in mailbox]
    assert len(delivered) == 19 == len(set(delivered))  # everyone but the one in flight
    assert unsure[0].email not in delivered


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
    many(db, org, course, 10)
    frozen.move_to(at(date(2026, 12, 11)))
    runner = app.test_cli_runner()
    assert runner.invoke(args=["lms", "send-reminders"]).exit_code == 1  # one refused
    assert len(seen) == 10
    frozen.move_to(at(date(2026, 12, 12)))
    run(runner)  # the refused one, again
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
    run(runner)
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
    output = run(runner)
    assert "other-host:1" in output and mailbox == []
    frozen.move_to(at(date(2026, 12, 11), 8))  # the lease lapses after ten minutes
    run(runner)
    assert len(mailbox) == 2


def test_the_lease_lapses_and_only_its_holder_releases_it(db, frozen):
    frozen.move_to(at(date(2026, 12, 11)))
    assert jobs.take(db.session, "job", "a:1") is not None
    assert jobs.take(db.session, "job", "b:2") is None
    jobs.release(db.session, "job", "b:2")  # not the holder: nothing happens
    assert jobs.take(db.session, "job", "b:2") is None
    frozen.move_to(at(date(2026, 12, 11)) + jobs.LEASE + timedelta(seconds=1))
    assert jobs.take(db.session, "job", "b:2") is not None
