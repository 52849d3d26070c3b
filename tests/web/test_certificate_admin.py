"""The certificate settings page (/admin/sertifikat): admins only, the pattern and the
images checked, every change audited, and a change reaching only certificates issued
after it."""

import io
import re
from datetime import datetime

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader
from sqlalchemy import func, select

from lms.models import AuditEvent, Certificate, CertificateSettings
from tests.support.certificates import complete, pdf_text
from tests.support.factories import make_employee
from tests.support.http import csrf_token, login

URL = "/admin/sertifikat"
FIELDS = {"organiser": "BKPSDM Kota Tangerang Selatan", "signer_name": "Drs. Ahmad Fauzi",
          "signer_nip": "19720315 199803 1 002", "signer_position": "Kepala BKPSDM",
          "number_pattern": "{NOMOR}/MELEK/BKPSDM/{BULAN}/{TAHUN}"}


def picture(kind="PNG", size=(240, 80)) -> bytes:
    image = Image.new("RGB", size, "white")
    ImageDraw.Draw(image).line([(10, 60), (120, 15), (230, 55)], fill="navy", width=4)
    out = io.BytesIO()
    image.save(out, kind)
    return out.getvalue()


@pytest.fixture
def admin(people, org):
    return make_employee("197001011995031001", org["kominfo"], "Bambang", roles=["admin"])


@pytest.fixture
def as_admin(client, admin):
    assert login(client, admin.nip).status_code == 302
    return client


def save(client, **changes):
    data = {**FIELDS, **changes, "csrf_token": csrf_token(client, URL)}
    return client.post(URL, data={k: v for k, v in data.items() if v is not None},
                       content_type="multipart/form-data")


def saved(db):
    db.session.expire_all()
    return db.session.get(CertificateSettings, 1)


def audit_rows(db):
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "certificate_settings_changed").order_by(AuditEvent.id)))


@pytest.mark.parametrize("role", ["hr_city", "hr_kec", "learner", "trainer"])
def test_only_admins_may_open_or_change_the_settings(client, db, people, course, role):
    assert login(client, people[role].nip).status_code == 302
    assert client.get(URL).status_code == 403
    assert client.get(URL + "/contoh.pdf").status_code == 403
    token = csrf_token(client, "/")
    assert client.post(URL, data={**FIELDS, "csrf_token": token}).status_code == 403
    assert saved(db) is None


def test_signed_out_visitors_are_sent_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]


def test_admin_home_links_to_the_settings(as_admin):
    assert f'href="{URL}"' in as_admin.get("/admin/").get_data(as_text=True)


def at(frozen, moment, client, admin):
    """The clock moved first, then logged in (a session cookie from the future would not
    be accepted)."""
    frozen.move_to(datetime.fromisoformat(moment))
    assert login(client, admin.nip).status_code == 302
    return client


def test_page_shows_the_next_number_from_the_pattern(client, admin, db, people, course,
                                                     frozen):
    as_admin = at(frozen, "2026-12-02T09:00:00+07:00", client, admin)
    html = as_admin.get(URL).get_data(as_text=True)
    assert "00001/MELEK/BKPSDM/XII/2026" in html
    assert 'value="BKPSDM Kota Tangerang Selatan"' in html  # the defaults, before a save
    complete(people["other"], course)
    assert "00002/MELEK/BKPSDM/XII/2026" in as_admin.get(URL).get_data(as_text=True)


@pytest.mark.parametrize("pattern", ["MELEK/{TAHUN}", "{NOMOR}/MELEK", "{NOMOR}/{TAHUN}/{OPD}",
                                     "{NOMOR}/{TAHUN}?x=1", "{NOMOR}/{TAHUN}/" + "X" * 60, ""])
def test_a_pattern_that_cannot_number_is_refused(as_admin, db, pattern):
    response = save(as_admin, number_pattern=pattern)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'class="field has-error">\s*<label for="number_pattern"', html)
    assert saved(db) is None and not audit_rows(db)


def test_required_fields_and_the_nip_are_checked(as_admin, db):
    html = save(as_admin, signer_name="", signer_nip="12345").get_data(as_text=True)
    assert re.search(r'has-error">\s*<label for="signer_name"', html)
    assert re.search(r'has-error">\s*<label for="signer_nip"', html)
    assert saved(db) is None


def test_saving_stores_and_audits_the_changed_fields(as_admin, db, admin):
    response = save(as_admin)
    assert response.status_code == 302 and response.headers["Location"] == URL
    row = saved(db)
    assert (row.organiser, row.signer_name, row.signer_nip, row.signer_position) == (
        "BKPSDM Kota Tangerang Selatan", "Drs. Ahmad Fauzi", "197203151998031002",
        "Kepala BKPSDM")
    assert row.updated_by_id == admin.id
    (event,) = audit_rows(db)
    assert event.actor_id == admin.id
    assert event.details["fields"] == ["signer_name", "signer_nip", "signer_position"]

    save(as_admin)  # the same again: nothing changed, nothing audited
    assert len(audit_rows(db)) == 1
    save(as_admin, number_pattern="SERT-{NOMOR}/{TAHUN}")
    assert audit_rows(db)[-1].details["fields"] == ["number_pattern"]
    assert "Drs. Ahmad Fauzi" in as_admin.get(URL).get_data(as_text=True)


@pytest.mark.parametrize("upload", [
    b"just text, not a picture\n",  # a text file named .png
    b"GIF89a" + b"\x00" * 64,  # an image, but neither PNG nor JPEG
    b"\x89PNG\r\n\x1a\n" + b"\x00" * (512 * 1024),  # over 512 KB
    b"\x89PNG\r\n\x1a\n" + b"not really a PNG after its first eight bytes" * 10,
])
def test_images_are_judged_by_their_bytes(as_admin, db, upload):
    response = save(as_admin, signature_image=(io.BytesIO(upload), "tanda-tangan.png"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'has-error">\s*<label for="signature_image"', html)
    assert saved(db) is None


def test_images_are_stored_printed_and_removable(as_admin, db, people, course):
    signature, emblem = picture("PNG"), picture("JPEG", (120, 120))
    response = save(as_admin, signature_image=(io.BytesIO(signature), "ttd.png"),
                    emblem_image=(io.BytesIO(emblem), "lambang.jpg"))
    assert response.status_code == 302
    row = saved(db)
    assert row.signature_image == signature and row.emblem_image == emblem
    html = as_admin.get(URL).get_data(as_text=True)
    assert 'src="data:image/png;base64,' in html and 'src="data:image/jpeg;base64,' in html
    assert 'name="remove_signature"' in html and 'name="remove_emblem"' in html

    cert = complete(people["learner"], course)
    page = PdfReader(io.BytesIO(cert.pdf)).pages[0]
    assert len(page.images) == 3  # the emblem, the signature and the QR code

    save(as_admin, remove_signature="y")
    row = saved(db)
    assert row.signature_image is None and row.emblem_image == emblem
    assert audit_rows(db)[-1].details["fields"] == ["signature_image"]
    assert 'name="remove_signature"' not in as_admin.get(URL).get_data(as_text=True)


def test_new_settings_reach_new_certificates_and_never_issued_ones(client, admin, db, people,
                                                                   course, frozen):
    as_admin = at(frozen, "2026-12-02T09:00:00+07:00", client, admin)
    save(as_admin)
    first = complete(people["learner"], course)
    before = (first.number, first.signer_name, first.pdf)
    assert first.number == "00001/MELEK/BKPSDM/XII/2026"

    save(as_admin, signer_name="Dr. Sri Handayani", number_pattern="SERT-{NOMOR}/{TAHUN}",
         organiser="Pemerintah Kota Tangerang Selatan")
    second = complete(people["other"], course)
    assert second.number == "SERT-00002/2026"  # the sequence runs on within the year
    assert second.signer_name == "Dr. Sri Handayani"
    assert "Dr. Sri Handayani" in pdf_text(second.pdf)
    assert "Penyelenggara: Pemerintah Kota Tangerang Selatan" in pdf_text(second.pdf)

    db.session.expire_all()
    first = db.session.get(Certificate, first.id)
    assert (first.number, first.signer_name, first.pdf) == before
    assert "Drs. Ahmad Fauzi" in pdf_text(first.pdf)
    assert db.session.scalar(select(func.count(Certificate.id))) == 2


def test_sample_certificate_shows_the_saved_settings(as_admin, db):
    save(as_admin, signature_image=(io.BytesIO(picture()), "ttd.png"))
    response = as_admin.get(URL + "/contoh.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert "CONTOH" in text and "Drs. Ahmad Fauzi" in text and "Kepala BKPSDM" in text
    assert db.session.scalar(select(func.count(Certificate.id))) == 0


def test_what_admins_type_is_shown_as_text(as_admin, db):
    payload = '<script>alert("x")</script>'
    assert save(as_admin, organiser=payload, signer_name=payload).status_code == 302
    html = as_admin.get(URL).get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
