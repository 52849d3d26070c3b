"""The certificate and JP transcript PDFs as a reader, a phone and a PDF viewer see them:
the text printed, the QR code (decoded from the image, as a camera would) leading to a
verification page that says "valid", the signature when a key is configured, and the
numbers counted per Jakarta year."""

from datetime import date, datetime
from urllib.parse import urlsplit

from pyhanko.sign.validation.status import SignatureCoverageLevel
from sqlalchemy import select

from lms.certificates import settings, signing
from lms.certificates.pdf import nip_shown
from lms.core import clock
from lms.learning import jp
from lms.models import Certificate, Transcript
from tests.support.certificates import complete, pdf_text, qr_codes, signature_status
from tests.support.factories import make_employee
from tests.support.http import login

SIGNER = {"organiser": "BKPSDM Kota Tangerang Selatan", "signer_name": "Drs. Ahmad Fauzi",
          "signer_nip": "197203151998031002", "signer_position": "Kepala BKPSDM",
          "number_pattern": settings.DEFAULT_PATTERN}


def _settings(db, org, **changes):
    admin = make_employee("197001011995031001", org["kominfo"], "Admin", roles=["admin"])
    settings.save(db.session, admin, **{**SIGNER, **changes})
    db.session.commit()


def _verification_path(app, url: str, code: str) -> str:
    assert url == f"{app.config['PUBLIC_BASE_URL']}/verifikasi/{code}"
    return urlsplit(url).path


def test_certificate_prints_what_it_certifies_and_its_qr_verifies(app, db, org, people,
                                                                   course, client, frozen):
    frozen.move_to(datetime.fromisoformat("2026-12-02T10:00:00+07:00"))
    _settings(db, org)
    learner = people["learner"]
    learner.position = "Pengadministrasi Umum"
    cert = complete(learner, course)
    assert not cert.signed

    text = pdf_text(cert.pdf)
    for printed in ("Rina Sari", f"NIP {nip_shown(learner.nip)}", "Pengadministrasi Umum",
                    "Kelurahan Benda Baru", "Dasar Uji", "2 JP", "00001/MELEK/BKPSDM/XII/2026",
                    "Penyelenggara: BKPSDM Kota Tangerang Selatan", "Drs. Ahmad Fauzi",
                    "Kepala BKPSDM", f"NIP {nip_shown('197203151998031002')}",
                    "2 Desember 2026"):
        assert printed in text, printed

    (url,) = qr_codes(cert.pdf)
    page = client.get(_verification_path(app, url, cert.code))  # nobody signed in
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "verdict-valid" in html and "verdict-revoked" not in html
    assert "Dasar Uji" in html and "Rina Sari" in html and cert.number in html
    assert learner.nip not in html  # masked on a public page


def test_signed_certificate_has_a_valid_intact_signature(app, db, org, people, course,
                                                         tmp_path, monkeypatch):
    key = tmp_path / "signing.p12"
    signing.make_demo_key(key, clock.now())
    monkeypatch.setitem(app.config, "CERTIFICATE_SIGNING_P12", str(key))
    _settings(db, org)
    cert = complete(people["learner"], course)
    # The second is signed into the space the first one's signature measured.
    later = complete(people["other"], course)

    for signed in (cert, later):
        assert signed.signed
        status = signature_status(signed.pdf, key)
        assert status.intact and status.valid and status.trusted
        assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        assert status.bottom_line
    # Signing keeps what the certificate says and where its QR leads.
    assert "Dasar Uji" in pdf_text(cert.pdf)
    assert qr_codes(cert.pdf) == [f"{app.config['PUBLIC_BASE_URL']}/verifikasi/{cert.code}"]


def test_signature_of_a_changed_pdf_is_not_intact(app, db, org, people, course, tmp_path,
                                                  monkeypatch):
    key = tmp_path / "signing.p12"
    signing.make_demo_key(key, clock.now())
    monkeypatch.setitem(app.config, "CERTIFICATE_SIGNING_P12", str(key))
    _settings(db, org)
    cert = complete(people["learner"], course)
    forged = cert.pdf.replace(b"/Creator (Melek)", b"/Creator (Mele!)")
    assert forged != cert.pdf
    assert not signature_status(forged, key).intact


def test_transcript_lists_the_years_training_and_its_qr_verifies(app, db, org, people,
                                                                 course, client, frozen):
    frozen.move_to(datetime.fromisoformat("2026-06-15T10:00:00+07:00"))
    _settings(db, org)
    learner, hr = people["learner"], people["hr_city"]
    complete(learner, course)
    jp.record_external(db.session, learner, title="Bimtek SIPD", organiser="BPSDM Banten",
                       start_date=date(2026, 3, 2), end_date=date(2026, 3, 4), jp=8, by=hr)
    jp.record_external(db.session, learner, title="Diklat lama", organiser="LAN RI",
                       start_date=date(2025, 12, 1), end_date=date(2025, 12, 3), jp=16, by=hr)
    db.session.commit()

    assert login(client, learner.nip).status_code == 302
    response = client.get("/sertifikat/rekap-jp-2026.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    for printed in ("REKAP JP 2026", "Rina Sari", nip_shown(learner.nip), "Dasar Uji",
                    "15 Juni 2026", "Bimtek SIPD", "BPSDM Banten", "4 Maret 2026",
                    "Jumlah: 10 JP dari target 20 JP"):
        assert printed in text, printed
    assert "Diklat lama" not in text  # another year

    record = db.session.scalars(select(Transcript)).one()
    (url,) = qr_codes(response.data)
    checker = app.test_client()  # somebody else, signed in nowhere
    page = checker.get(_verification_path(app, url, record.code))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "verdict-valid" in html
    assert "Bimtek SIPD" in html and "Dasar Uji" in html and "Rina Sari" in html


def test_numbers_count_per_jakarta_year(app, db, org, course, frozen):
    """Three completions late on 31 December (Jakarta) are 00001-00003 of 2026; half an
    hour into 1 January in Jakarta, still 31 December in UTC, starts 2027 at 00001."""
    _settings(db, org)
    learners = [make_employee(f"1990010120150110{i:02d}", org["kel1"]) for i in range(4)]
    db.session.commit()
    frozen.move_to(datetime.fromisoformat("2026-12-31T23:30:00+07:00"))
    numbers = [complete(person, course).number for person in learners[:3]]
    frozen.move_to(datetime.fromisoformat("2027-01-01T00:30:00+07:00"))
    assert clock.now().year == 2026  # UTC
    numbers.append(complete(learners[3], course).number)
    assert numbers == ["00001/MELEK/BKPSDM/XII/2026", "00002/MELEK/BKPSDM/XII/2026",
                       "00003/MELEK/BKPSDM/XII/2026", "00001/MELEK/BKPSDM/I/2027"]
    rows = db.session.execute(select(Certificate.year, Certificate.sequence)
                              .order_by(Certificate.id)).all()
    assert [tuple(r) for r in rows] == [(2026, 1), (2026, 2), (2026, 3), (2027, 1)]
