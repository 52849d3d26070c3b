"""HR's downloads for SIASN (BKN's civil-service information system), per OPD and year:
the course records as CSV, one row per certificate, in the columns SIASN's "Riwayat
Diklat/Kursus" names them; and the certificates' PDFs in one zip, named by NIP.
docs/siasn.md gives the mapping and what HR fills in by hand.

Both are read while the response streams, in constant memory whatever the number of
certificates: the CSV rows come from the database in batches, and the zip is written
forwards (lms.certificates.zipstream) with a few PDFs in memory at a time."""

import re
from collections.abc import Iterator
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.certificates import zipstream
from lms.certificates.register import selection
from lms.models import Certificate, Course, Employee

# SIASN's field names (camelCase, as its riwayat kursus API and upload template have
# them), the NIP first. The course-type codes come from SIASN's own reference lists,
# which Melek cannot know: they stay empty for HR to fill in.
COLUMNS = ["nipBaru", "namaKursus", "institusiPenyelenggara", "jumlahJam", "nomorSertipikat",
           "tahunKursus", "tanggalKursus", "tanggalSelesaiKursus", "jenisDiklatId",
           "jenisKursusId"]
SIASN_DATE = "%d-%m-%Y"
CSV_BATCH = 2000
PDF_BATCH = 25  # PDFs in memory at once (each some tens of KB)
ID_BATCH = 1000
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def siasn_date(value: date) -> str:
    return value.strftime(SIASN_DATE)


def pdf_name(nip: str, slug: str) -> str:
    """`<NIP>-<course slug>.pdf`: unique, since a person has one certificate per course."""
    return f"{_UNSAFE.sub('_', nip)}-{_UNSAFE.sub('_', slug)}.pdf"


def _in_order(query):
    return query.order_by(Employee.nip, Course.slug)


def csv_rows(session: Session, where, year: int) -> Iterator[list]:
    """The CSV's rows (a generator: the query runs when the response starts reading).
    Texts are neutralised by core.downloads like every export's."""
    query = _in_order(selection(where, year).add_columns(
        Employee.nip, Certificate.course_title, Certificate.organiser, Certificate.jp,
        Certificate.number, Certificate.year, Certificate.started_on, Certificate.completed_on))
    result = session.connection().execution_options(yield_per=CSV_BATCH).execute(query)
    for chunk in result.partitions():
        for r in chunk:
            yield [r.nip, r.course_title, r.organiser, r.jp, r.number, r.year,
                   siasn_date(r.started_on), siasn_date(r.completed_on), "", ""]


def pdf_entries(session: Session, where, year: int) -> Iterator[tuple[str, date, bytes]]:
    """(file name, completion date, PDF) per certificate, in NIP order. The ids come
    sorted in a stream of their own (the PDFs are not dragged through the sort); each
    batch's PDFs are then fetched beside it, so a few PDFs are in memory at a time."""
    ids = session.connection().execution_options(yield_per=ID_BATCH).execute(
        _in_order(selection(where, year).add_columns(Certificate.id)))
    for batch in ids.partitions(PDF_BATCH):
        wanted = [r.id for r in batch]
        rows = {r.id: r for r in session.execute(
            select(Certificate.id, Employee.nip, Course.slug, Certificate.completed_on,
                   Certificate.pdf)
            .join(Employee, Employee.id == Certificate.employee_id)
            .join(Course, Course.id == Certificate.course_id)
            .where(Certificate.id.in_(wanted)))}
        for cert_id in wanted:
            r = rows.pop(cert_id)
            yield pdf_name(r.nip, r.slug), r.completed_on, r.pdf


def zip_chunks(session: Session, where, year: int) -> Iterator[bytes]:
    """The zip of the PDFs (lms.certificates.zipstream: forwards, constant memory)."""
    return zipstream.chunks(pdf_entries(session, where, year))
