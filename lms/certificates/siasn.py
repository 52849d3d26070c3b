"""HR's downloads for SIASN (BKN's civil-service information system), per OPD and year:
the course records as CSV, one row per certificate, in the columns SIASN's "Riwayat
Diklat/Kursus" names them; and the certificates' PDFs in one zip, named by NIP.
docs/siasn.md gives the mapping and what HR fills in by hand.

Both are read while the response streams, in constant memory whatever the number of
certificates: the CSV rows come from the database in batches, and the zip is written
forwards into a buffer emptied after every file, with a few PDFs in memory at a time."""

import re
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

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
    """(file name, completion date, PDF) per certificate, in NIP order. The ids are read
    first (small, and sorted without dragging the PDFs through the sort); the PDFs are
    then fetched a batch at a time."""
    ids = list(session.scalars(_in_order(selection(where, year).add_columns(Certificate.id))))
    for start in range(0, len(ids), PDF_BATCH):
        batch = ids[start:start + PDF_BATCH]
        rows = {r.id: r for r in session.execute(
            select(Certificate.id, Employee.nip, Course.slug, Certificate.completed_on,
                   Certificate.pdf)
            .join(Employee, Employee.id == Certificate.employee_id)
            .join(Course, Course.id == Certificate.course_id)
            .where(Certificate.id.in_(batch)))}
        for cert_id in batch:
            r = rows.pop(cert_id)
            yield pdf_name(r.nip, r.slug), r.completed_on, r.pdf


class _Drain:
    """A file that only goes forwards (zipfile then writes data descriptors instead of
    seeking back), holding what was written until `take()` hands it over."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def write(self, data) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


def zip_chunks(entries: Iterable[tuple[str, date, bytes]]) -> Iterator[bytes]:
    """A zip of `entries`, as the bytes of one file after another, then the directory.
    PDFs are already compressed, so they are stored as they are (and stay byte for byte
    what Melek serves)."""
    sink = _Drain()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, day, data in entries:
            info = zipfile.ZipInfo(name, date_time=(day.year, day.month, day.day, 0, 0, 0))
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
            yield sink.take()
    yield sink.take()
