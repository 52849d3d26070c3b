"""A certificate with a wrong detail (a misspelt name) is replaced, not just revoked: the
old one is revoked with the reason and points to its replacement's number, the new one
prints what the HR record says now under a new number, once, audited; a revoked
certificate never comes back by itself."""

from datetime import datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from lms.certificates import backfill, issue
from lms.core.clock import JAKARTA
from lms.models import AuditEvent, Certificate, Enrollment
from tests.support.certificates import complete, pdf_text, qr_codes
from tests.support.http import logged_in, token


@pytest.fixture
def issued(db, frozen, people, course):
    frozen.move_to(datetime(2026, 3, 2, 9, tzinfo=JAKARTA))
    cert = complete(people["learner"], course)
    frozen.move_to(datetime(2026, 5, 11, 9, tzinfo=JAKARTA))
    return cert


def _post(client, url, reason, action=None):
    data = {"reason": reason, "csrf_token": token(client, url)}
    if action:
        data["action"] = action
    return client.post(url, data=data)


def _certificates(db, person) -> list[Certificate]:
    db.session.expire_all()
    return list(db.session.scalars(select(Certificate).filter_by(employee_id=person.id)
                                   .order_by(Certificate.id)))


def test_a_misspelt_name_is_corrected_under_a_new_number(app, db, people, issued):
    learner = people["learner"]
    printed = learner.name
    learner.name = "Rina Kartika Sari"  # corrected in the HR record (the import)
    db.session.commit()
    city = logged_in(app, people["hr_city"].nip)
    url = f"/laporan/sertifikat/{issued.code}/cabut"
    page = city.get(url).get_data(as_text=True)
    assert printed in page and "<strong>Rina Kartika Sari</strong>" in page
    response = _post(city, url, "Nama salah eja", action="replace")
    assert response.status_code == 302
    old, new = _certificates(db, learner)
    assert old.revoked_at is not None and old.revoked_reason == "Nama salah eja"
    assert new.revoked_at is None and new.replaces_id == old.id
    assert (new.name, new.number != old.number, new.code != old.code) == \
        ("Rina Kartika Sari", True, True)
    assert (new.year, new.sequence) == (2026, old.sequence + 1)
    assert (new.completed_on, new.started_on, new.jp) == \
        (old.completed_on, old.started_on, old.jp)
    assert "Rina Kartika Sari" in pdf_text(new.pdf)
    assert qr_codes(new.pdf) == [f"http://localhost/verifikasi/{new.code}"]
    [event] = db.session.scalars(select(AuditEvent).filter_by(action="certificate_replaced"))
    assert event.target == old.number and event.details["new"] == new.number

    old_check = city.get(f"/verifikasi/{old.code}").get_data(as_text=True)
    assert "verdict-revoked" in old_check and new.number in old_check
    assert new.code not in old_check  # the number only: the code stays the holder's secret
    assert "verdict-valid" in city.get(f"/verifikasi/{new.code}").get_data(as_text=True)


def test_the_holder_and_the_downloads_see_the_valid_one(app, db, people, issued, course):
    city = logged_in(app, people["hr_city"].nip)
    _post(city, f"/laporan/sertifikat/{issued.code}/cabut", "NIP salah", action="replace")
    old, new = _certificates(db, people["learner"])
    siasn = city.get("/laporan/sertifikat/siasn-2026.csv").get_data(as_text=True)
    assert new.number in siasn and old.number not in siasn
    learner = logged_in(app, people["learner"].nip)
    course_page = learner.get(f"/kursus/{course.slug}").get_data(as_text=True)
    assert new.code in course_page and old.code not in course_page
    mine = learner.get("/sertifikat").get_data(as_text=True)
    assert new.number in mine and old.number in mine  # the old one marked revoked


def test_replaced_once_and_revoked_ones_never_come_back(app, db, people, issued):
    city = logged_in(app, people["hr_city"].nip)
    url = f"/laporan/sertifikat/{issued.code}/cabut"
    assert _post(city, url, "Salah", action="replace").status_code == 302
    assert _post(city, url, "Lagi", action="replace").status_code == 302  # nothing new
    old, new = _certificates(db, people["learner"])
    assert _post(city, f"/laporan/sertifikat/{new.code}/cabut", "Dibatalkan",
                 action="revoke").status_code == 302
    assert len(_certificates(db, people["learner"])) == 2
    # Neither completing again nor the nightly backfill makes a third one.
    enrollment = db.session.scalars(select(Enrollment).filter_by(
        employee_id=people["learner"].id)).one()
    assert issue.issue(db.session, enrollment).id == new.id
    assert backfill.pending(db.session) == 0
    assert backfill.issue_next(db.session, 10) == (0, 0)
    db.session.commit()
    assert db.session.scalar(select(func.count(Certificate.id))) == 2


def test_the_database_refuses_two_valid_certificates(db, people, issued):
    twin = Certificate(**{c.name: getattr(issued, c.name) for c in Certificate.__table__.c
                          if c.name not in ("id", "code", "number", "sequence")},
                       code="X" * 20, number="tiruan", sequence=999)
    db.session.add(twin)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_an_opds_hr_may_not_replace(app, db, people, issued):
    kec = logged_in(app, people["hr_kec"].nip)
    url = f"/laporan/sertifikat/{issued.code}/cabut"
    assert kec.get(url).status_code == 403
    assert len(_certificates(db, people["learner"])) == 1
