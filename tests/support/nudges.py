"""Reminders and digests in tests: the fixed deadline, the clock at 07:00 Jakarta, and
running the command."""

import threading
from datetime import date, datetime

from lms.core.clock import JAKARTA
from lms.learning import progress
from lms.mandatory import assignments
from tests.support.factories import make_employee

DUE = date(2026, 12, 14)  # a Monday
JOINED = datetime(2020, 1, 1, tzinfo=JAKARTA)  # long before any assignment
BEFORE = (14, 3)


def at(day: date, hour: int = 7) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=JAKARTA)


def finish(db, employee, course, when):
    for module in course.current_modules:
        progress.complete_module(db.session, employee.id, module, when)
    db.session.commit()


def run(runner, *args):
    result = runner.invoke(args=["lms", "send-reminders", *args])
    assert result.exit_code == 0, result.output
    return result.output


def to(message) -> str:
    return message["To"]


def many(db, org, course, n):
    for i in range(n):
        person = make_employee(f"19800101200001{i:04d}", org["kel1"], f"Pegawai {i}")
        person.email = f"p{i}@example.go.id"
    assignments.create(db.session, course=course, due_date=DUE, opd=org["kec"], by=None)
    db.session.commit()


def parallel(app, n=2, command="send-reminders"):
    results = []

    def one():
        results.append(app.test_cli_runner().invoke(args=["lms", command]))

    threads = [threading.Thread(target=one) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def messages_for(db, runner, mailbox, address):
    """Run the command; the messages `address` has received so far."""
    run(runner)
    return [m for m in mailbox if to(m) == address]
