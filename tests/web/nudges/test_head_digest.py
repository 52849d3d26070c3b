"""The weekly OPD digest goes to the OPD's head too, when one is recorded and has an email
(issue 15): once a week, without links to HR's pages they could not open."""

from datetime import date

from sqlalchemy import select

from lms.models import Digest
from lms.org import heads
from tests.support.factories import make_employee
from tests.support.nudges import at


def test_the_head_of_an_opd_gets_its_digest(app, db, frozen, mailbox, assigned, people, org,
                                            runner):
    camat = make_employee("197501012000031001", org["kec"], "Pak Camat")
    camat.email = "camat@example.go.id"
    lurah = make_employee("197601012000031002", org["kel1"], "Bu Lurah")
    lurah.email = "lurah@example.go.id"  # a kelurahan is a unit, not an OPD: no digest
    kadis = make_employee("197701012000031003", org["kominfo"], "Kadis Tanpa Email")
    for node, person in ((org["kec"], camat), (org["kel1"], lurah), (org["kominfo"], kadis)):
        heads.appoint(db.session, node, person, today=date(2026, 12, 1), source="admin",
                      by=None)
    people["hr_kec"].email = "siti@example.go.id"
    db.session.commit()
    frozen.move_to(at(date(2026, 12, 7)))  # a Monday
    result = runner.invoke(args=["lms", "send-digests"])
    assert result.exit_code == 0, result.output
    assert sorted(m["To"] for m in mailbox) == ["camat@example.go.id", "siti@example.go.id"]
    [mail] = [m for m in mailbox if m["To"] == "camat@example.go.id"]
    text = mail.get_body(("plain",)).get_content()
    assert "Kecamatan Pamulang" in mail["Subject"] and "0 dari 4 (0%)" in text
    assert "sebagai kepala Kecamatan Pamulang" in text and "/laporan" not in text
    html = mail.get_body(("html",)).get_content()
    assert "/laporan" not in html and "sebagai kepala Kecamatan Pamulang" in html
    assert runner.invoke(args=["lms", "send-digests"]).exit_code == 0
    assert len(mailbox) == 2  # the same ISO week: not again
    weeks = db.session.scalars(select(Digest.week).where(
        Digest.employee_id == camat.id)).all()
    assert weeks == ["2026-W50"]


def test_an_officer_who_heads_an_opd_gets_one_digest(app, db, frozen, mailbox, assigned,
                                                     people, org, runner):
    people["hr_kec"].email = "siti@example.go.id"
    heads.appoint(db.session, org["kec"], people["hr_kec"], today=date(2026, 12, 1),
                  source="admin", by=None)
    db.session.commit()
    frozen.move_to(at(date(2026, 12, 7)))
    assert runner.invoke(args=["lms", "send-digests"]).exit_code == 0
    assert [m["To"] for m in mailbox] == ["siti@example.go.id"]
    assert "/laporan" in mailbox[0].get_body(("plain",)).get_content()  # the officer's
