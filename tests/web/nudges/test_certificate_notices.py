"""A certificate replaced by a corrected one is told to its holder by email: once, with
both numbers and the reason, in their language; not for a replacement older than a week
(the first run after an upgrade), not for a plain revocation."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from lms.core.clock import JAKARTA
from lms.models import Certificate, CertificateNotice
from lms.models.nudges import SENT
from lms.nudges.certificate_notices import TOLD_WITHIN
from tests.support.certificates import complete
from tests.support.http import logged_in, token


@pytest.fixture
def issued(db, frozen, people, course):
    frozen.move_to(datetime(2026, 3, 2, 9, tzinfo=JAKARTA))
    people["learner"].email = "rina@example.go.id"
    db.session.commit()
    cert = complete(people["learner"], course)
    frozen.move_to(datetime(2026, 5, 11, 9, tzinfo=JAKARTA))
    return cert


def _revoke(app, people, cert, action=None):
    city = logged_in(app, people["hr_city"].nip)
    url = f"/laporan/sertifikat/{cert.code}/cabut"
    data = {"reason": "Nama salah eja", "csrf_token": token(city, url)}
    if action:
        data["action"] = action
    page = city.post(url, data=data, follow_redirects=True).get_data(as_text=True)
    assert ("diberi tahu lewat email" in page) == (action == "replace")


def _run(runner, *args):
    result = runner.invoke(args=["lms", "send-notices", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_holder_is_told_once_with_both_numbers(app, db, runner, people, issued, mailbox):
    _revoke(app, people, issued, action="replace")
    db.session.expire_all()
    new = db.session.scalars(select(Certificate).where(Certificate.replaces_id == issued.id)
                             ).one()
    output = _run(runner)
    assert "sertifikat diganti" in output and "1 pemberitahuan terkirim" in output
    [message] = mailbox
    assert message["To"] == "rina@example.go.id"
    assert message["Subject"] == "Sertifikat Anda untuk “Dasar Uji” telah diperbaiki"
    text = " ".join(message.get_body(("plain",)).get_content().split())
    assert (f"nomor {new.number}. Sertifikat lama, nomor {issued.number}, tidak berlaku "
            "lagi") in text
    assert "Alasannya: Nama salah eja" in text and "SIASN" in text
    assert "http://localhost/sertifikat" in text
    assert new.code not in text and issued.code not in text  # the codes stay out of mail
    [row] = db.session.scalars(select(CertificateNotice))
    assert (row.certificate_id, row.state) == (new.id, SENT)
    assert "0 pemberitahuan terkirim" in _run(runner)
    assert len(mailbox) == 1


def test_in_english_for_who_chose_it(app, db, runner, people, issued, mailbox):
    people["learner"].locale = "en"
    db.session.commit()
    _revoke(app, people, issued, action="replace")
    _run(runner)
    [message] = mailbox
    assert message["Subject"] == "Your certificate for “Dasar Uji” has been corrected"
    assert "The reason given: Nama salah eja" in message.get_body(("plain",)).get_content()


def test_a_replacement_older_than_a_week_is_not_told(app, db, runner, people, issued,
                                                     mailbox, frozen):
    _revoke(app, people, issued, action="replace")
    frozen.move_to(datetime(2026, 5, 11, 9, tzinfo=JAKARTA) + TOLD_WITHIN
                   + timedelta(minutes=1))
    assert "0 pemberitahuan terkirim" in _run(runner)
    assert mailbox == []


def test_a_plain_revocation_sends_nothing(app, db, runner, people, issued, mailbox):
    _revoke(app, people, issued)
    db.session.expire_all()
    assert db.session.get(Certificate, issued.id).revoked_at is not None
    assert "0 pemberitahuan terkirim" in _run(runner)
    assert mailbox == []
