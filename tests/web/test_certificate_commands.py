"""`lms issue-certificates`: certificates for completions from before certificates
existed, in completion order, safe to run twice, after a crash, or twice at once. And
`lms demo`: the demo's signing official, its certificates seeded unsigned, then a key."""

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
from sqlalchemy import delete, func, select

from lms.certificates import backfill, settings, signing
from lms.core import clock
from lms.core.database import write_intent
from lms.core.extensions import db as _db
from lms.models import Certificate, Course, Employee, Enrollment
from tests.support.certificates import complete
from tests.support.factories import make_employee

START = datetime.fromisoformat("2026-03-02T08:00:00+07:00")


def completed_without_certificates(db, org, course, frozen, count):
    """`count` people who completed the course on successive days, the newest account
    first (so completion order is not id order), then certificates removed as if they
    completed before Melek made any."""
    people = [make_employee(f"1990010120150110{i:02d}", org["kel1"]) for i in range(count)]
    db.session.commit()
    for day, person in enumerate(reversed(people)):
        frozen.move_to(START + timedelta(days=day))
        complete(person, course)
    db.session.execute(delete(Certificate))
    db.session.commit()
    return list(reversed(people))  # in completion order


def numbered(db):
    db.session.expire_all()
    return [(c.employee_id, c.sequence) for c in db.session.scalars(
        select(Certificate).order_by(Certificate.sequence))]


def test_issues_in_completion_order_and_a_second_run_issues_nothing(runner, db, org, course,
                                                                    frozen, english):
    people = completed_without_certificates(db, org, course, frozen, 3)
    first = runner.invoke(args=["lms", "issue-certificates"])
    assert first.exit_code == 0, first.output
    assert "3 certificate(s) issued." in first.output
    assert numbered(db) == [(p.id, i) for i, p in enumerate(people, start=1)]
    cert = db.session.scalars(select(Certificate).filter_by(employee_id=people[0].id)).one()
    assert cert.completed_on.isoformat() == "2026-03-02" and cert.pdf.startswith(b"%PDF-")

    second = runner.invoke(args=["lms", "issue-certificates"])
    assert second.exit_code == 0 and "0 certificate(s) issued." in second.output
    assert len(numbered(db)) == 3


def test_a_crash_keeps_the_batches_done_and_a_rerun_carries_on(runner, db, org, course,
                                                               frozen, english, monkeypatch):
    people = completed_without_certificates(db, org, course, frozen, 3)
    real, calls = backfill.issue, []

    def failing_second(session, enrollment):
        calls.append(enrollment.id)
        if len(calls) == 2:
            raise RuntimeError("the host went down")
        return real(session, enrollment)

    monkeypatch.setattr(backfill, "issue", failing_second)
    crashed = runner.invoke(args=["lms", "issue-certificates", "--batch", "1"])
    assert crashed.exit_code != 0 and isinstance(crashed.exception, RuntimeError)
    assert numbered(db) == [(people[0].id, 1)]  # the first batch was committed

    monkeypatch.setattr(backfill, "issue", real)
    rerun = runner.invoke(args=["lms", "issue-certificates", "--batch", "1"])
    assert rerun.exit_code == 0 and "2 certificate(s) issued." in rerun.output
    assert numbered(db) == [(p.id, i) for i, p in enumerate(people, start=1)]


def test_completions_with_a_certificate_are_left_alone(runner, db, org, people, course,
                                                       english):
    kept = complete(people["learner"], course)
    result = runner.invoke(args=["lms", "issue-certificates"])
    assert "0 certificate(s) issued." in result.output
    assert numbered(db) == [(people["learner"].id, 1)]
    assert db.session.get(Certificate, kept.id).number == kept.number


@pytest.mark.parametrize("batch", [1, 4])
def test_two_runs_at_once_issue_each_certificate_once(app, db, org, course, frozen, batch):
    """Two hosts (threads, each with its own session) running the command's loop."""
    people = completed_without_certificates(db, org, course, frozen, 6)

    def run(_):
        made = 0
        with app.app_context(), write_intent():
            while True:
                looked, issued = backfill.issue_next(_db.session, batch)
                _db.session.commit()
                made += issued
                if not looked:
                    return made

    with ThreadPoolExecutor(2) as pool:
        made = list(pool.map(run, range(2)))
    assert sum(made) == 6
    # The year's lock is held to each batch's commit: numbers still follow completions.
    assert numbered(db) == [(p.id, i) for i, p in enumerate(people, start=1)]


def test_demo_prints_its_signer_and_signs_only_what_is_completed_after_it(
        app, runner, db, tmp_path, monkeypatch):
    key = tmp_path / "instance" / "certificate-signing.p12"
    monkeypatch.setitem(app.config, "CERTIFICATE_SIGNING_P12", str(key))
    assert runner.invoke(args=["lms", "sync-courses"]).exit_code == 0
    result = runner.invoke(args=["lms", "demo", "--employees", "60"])
    assert result.exit_code == 0, result.output
    assert app.config["CERTIFICATE_SIGNING_P12"] == str(key)  # put back after seeding

    chosen = settings.current(db.session)
    assert (chosen.organiser, chosen.signer_position) == ("BKPSDM Kota Tangerang Selatan",
                                                          "Kepala BKPSDM")
    assert chosen.signer_name and len(chosen.signer_nip) == 18
    seeded = list(db.session.scalars(select(Certificate)))
    assert seeded and not any(c.signed for c in seeded)  # seeded fast, unsigned
    assert {c.signer_name for c in seeded} == {chosen.signer_name}
    completions = db.session.scalar(select(func.count(Enrollment.id)).where(
        Enrollment.completed_at.is_not(None)))
    assert len(seeded) == completions
    assert key.is_file() and key.stat().st_mode & 0o077 == 0

    # Clicking through the demo: a learner who has not completed the course completes it.
    course = db.session.scalars(select(Course)).one()
    done = select(Enrollment.employee_id).where(Enrollment.course_id == course.id,
                                                Enrollment.completed_at.is_not(None))
    learner = db.session.scalars(select(Employee).where(Employee.id.not_in(done))).first()
    assert complete(learner, course).signed
    assert runner.invoke(args=["lms", "issue-certificates"]).exit_code == 0


def test_demo_keeps_a_key_that_is_there(app, runner, db, tmp_path, monkeypatch):
    key = tmp_path / "own.p12"
    signing.make_demo_key(key, clock.now())
    before = key.read_bytes()
    monkeypatch.setitem(app.config, "CERTIFICATE_SIGNING_P12", str(key))
    runner.invoke(args=["lms", "sync-courses"])
    assert runner.invoke(args=["lms", "demo", "--employees", "30"]).exit_code == 0
    assert key.read_bytes() == before
    signed = list(db.session.scalars(select(Certificate.signed)))
    assert signed and not any(signed)

