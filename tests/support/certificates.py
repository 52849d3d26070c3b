"""Certificates in tests: completing a course through the learning code itself or over
HTTP as a learner does (either issues the certificate), and reading a PDF back: its
text, its QR code, its signature."""

import io
from concurrent.futures import ThreadPoolExecutor

from pypdf import PdfReader
from pyzbar import pyzbar

from lms.core.extensions import db as _db
from lms.learning import progress
from lms.models import Certificate, Course, Employee

from .http import right_form, start_attempt, token

LAST_MODULE = "/kursus/dasar/penutup"


def complete(employee: Employee, course: Course) -> Certificate:
    """Pass every quiz and finish every module of `course` now, as the learner's pages
    do; returns the certificate that completing the course issued."""
    for module in course.current_modules:
        if module.has_quiz:
            progress.record_score(_db.session, employee.id, module, 100, True)
        else:
            progress.complete_module(_db.session, employee.id, module)
    _db.session.commit()
    return _db.session.scalars(_db.select(Certificate).filter_by(
        employee_id=employee.id, course_id=course.id)).one()


def pdf_text(document: bytes) -> str:
    """Every page's text, with runs of whitespace made single spaces."""
    reader = PdfReader(io.BytesIO(document))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def qr_codes(document: bytes) -> list[str]:
    """What the QR codes drawn in the PDF say, read from the embedded images by zbar as
    a phone camera would read them from paper."""
    found = []
    for page in PdfReader(io.BytesIO(document)).pages:
        for image in page.images:
            picture = image.image.convert("L")
            found += [code.data.decode() for code in pyzbar.decode(picture)
                      if code.type == "QRCODE"]
    return found


def signature_status(document: bytes, p12_path):
    """pyHanko's verdict on the PDF's one signature, trusting only the certificate in
    the PKCS#12 file at `p12_path` (read here with `cryptography`, not with Melek's
    code)."""
    from asn1crypto import x509
    from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    _key, cert, _chain = pkcs12.load_key_and_certificates(p12_path.read_bytes(), None)
    reader = PdfFileReader(io.BytesIO(document))
    (signature,) = reader.embedded_signatures
    trusted = x509.Certificate.load(cert.public_bytes(Encoding.DER))
    context = ValidationContext(trust_roots=[trusted])
    # In a thread of its own: pyHanko runs asyncio.run(), refused beside the event loop
    # a browser test's Playwright session leaves in this one.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(validate_pdf_signature, signature, context).result()


def pass_first_module(client, db):
    url = start_attempt(client)
    response = client.post(url, data={**right_form(db, url), "csrf_token": token(client, url)})
    assert response.status_code == 302, response.status_code


def finish_course(client, db):
    """Pass the quiz of module 1, mark module 2 read: the course is complete."""
    pass_first_module(client, db)
    response = client.post(LAST_MODULE + "/selesai",
                           data={"csrf_token": token(client, LAST_MODULE)})
    assert response.status_code == 302, response.status_code


def certificates_of(db, employee) -> list[Certificate]:
    return list(db.session.scalars(_db.select(Certificate).where(
        Certificate.employee_id == employee.id)))
