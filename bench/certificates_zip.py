"""Stream the zip of one OPD's certificates (HR's /laporan/sertifikat/pdf-<year>.zip)
through the real view and print time, size and memory next to the target: 10,000
certificates in under 2 minutes, in flat memory.

    .venv/bin/python bench/certificates_zip.py                  # 10,000, SQLite in a temp dir
    .venv/bin/python bench/certificates_zip.py --certificates 2000
    .venv/bin/python bench/certificates_zip.py \
        --database-url postgresql+psycopg://melek:melek@127.0.0.1/melek_bench  # drops its tables

One certificate is made the real way (a course completed through learning.progress, so
its PDF is rendered by lms.certificates.pdf); the other rows are inserted directly and
reuse that PDF's bytes, because rendering 10,000 PDFs (about 0.15 s each) would time the
generator, not the download. Every row is otherwise distinct (code, number, person,
course), and the zip holds 10,000 files of the real size.

Memory is measured twice, streaming a tenth of the certificates (one unit of the OPD)
and then all of them: flat memory means the second peak is not ten times the first (what
grows is the zip's directory, about 85 bytes a file, kept in memory up to 1 MB and then
spooled to a temporary file). The peak is tracemalloc's (Python allocations while
streaming; that run is slower, so the time comes from a run without tracemalloc), beside
the process's resident size, sampled. docs/performance.md has the figures.
"""

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
import zipfile
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from lms import create_app  # noqa: E402
from lms.certificates import codes, settings  # noqa: E402
from lms.core import clock  # noqa: E402
from lms.core.extensions import db  # noqa: E402
from lms.learning import progress  # noqa: E402
from lms.models import Certificate, Course, Employee, Module, RoleGrant  # noqa: E402
from lms.org import tree  # noqa: E402

TARGET_SECONDS = 120
COURSES = 4  # certificates per person
BATCH = 500


def build(session, total: int) -> tuple[int, int]:
    """The OPD DINKES (with the unit DINKES.PKM01 holding a tenth of the people), four
    courses, `total` certificates this year; a city-wide HR account. Returns the PDF's
    size and the number of certificates in the unit."""
    city = tree.create(session, code="TANGSEL", name="Kota Tangerang Selatan", kind="kota",
                       parent=None)
    opd = tree.create(session, code="DINKES", name="Dinas Kesehatan", kind="dinas",
                      parent=city)
    unit = tree.create(session, code="DINKES.PKM01", name="UPTD Puskesmas 1", kind="unit",
                       parent=opd)
    courses = [Course(slug=f"kursus-{c + 1}", title=f"Literasi Digital {c + 1}", jp=2 + c,
                      position=c, module_count=1) for c in range(COURSES)]
    session.add_all(courses)
    session.flush()
    modules = [Module(course_id=c.id, key="m1", title="Modul", position=0) for c in courses]
    session.add_all(modules)
    hr = Employee(nip="bench-hr-city", name="HR Kota", opd_id=city.id,
                  password_hash=generate_password_hash("bench", method="pbkdf2:sha256:1000"))
    session.add(hr)
    session.flush()
    session.add(RoleGrant(employee_id=hr.id, role="hr"))
    people = -(-total // COURSES)
    in_unit = people // 10
    now = clock.now()
    session.execute(insert(Employee), [
        {"nip": f"1990{i:014d}", "name": f"Pegawai {i + 1}", "position": "Staf",
         "opd_id": unit.id if i < in_unit else opd.id, "employment_type": "pns",
         "active": True, "auth_epoch": 0, "created_at": now} for i in range(people)])
    ids = list(session.scalars(select(Employee.id).where(Employee.nip.like("1990%"))
                               .order_by(Employee.nip)))
    # The one real certificate: a course completed, the PDF rendered at issue.
    progress.complete_module(session, ids[0], modules[0])
    first = session.scalars(select(Certificate)).one()
    pdf, year, started = first.pdf, first.year, first.started_on
    chosen = settings.current(session)
    rows, sequence = [], 1
    for index, employee_id in enumerate(ids):
        for c, course in enumerate(courses):
            if (index, c) == (0, 0) or sequence >= total:
                continue
            sequence += 1
            rows.append({
                "code": codes.new_code(), "year": year, "sequence": sequence,
                "number": settings.number(chosen.number_pattern, year, 1, sequence),
                "employee_id": employee_id, "course_id": course.id, "name": f"Pegawai {index}",
                "nip": f"1990{index:014d}", "position": "Staf", "opd_name": opd.name,
                "course_title": course.title, "jp": course.jp, "started_on": started,
                "completed_on": started + timedelta(days=c), "organiser": chosen.organiser,
                "signer_name": "", "signer_nip": "", "signer_position": "", "issued_at": now,
                "pdf": pdf, "signed": False})
            if len(rows) == BATCH:
                session.execute(insert(Certificate), rows)
                rows.clear()
    if rows:
        session.execute(insert(Certificate), rows)
    session.commit()
    return len(pdf), min(in_unit * COURSES, total)


def rss_mb() -> float:
    """The process's resident size now (Linux), in MB."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    except OSError:
        return float("nan")


def stream(client, url: str, out=None, trace: bool = False) -> dict:
    """GET `url` unbuffered and consume the body as a browser would."""
    if trace:
        tracemalloc.start()
    start_rss = peak_rss = rss_mb()
    start = time.perf_counter()
    response = client.get(url, buffered=False)
    assert response.status_code == 200, response.status_code
    size = 0
    for n, chunk in enumerate(response.response):
        size += len(chunk)
        if out is not None:
            out.write(chunk)
        if n % 200 == 0:
            peak_rss = max(peak_rss, rss_mb())
    response.close()
    figures = {"seconds": time.perf_counter() - start, "mb": size / 1e6,
               "rss_start": start_rss, "rss_peak": max(peak_rss, rss_mb())}
    if trace:
        figures["traced_peak"] = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--certificates", type=int, default=10_000)
    parser.add_argument("--database-url", help="default: a SQLite file in a temp dir")
    args = parser.parse_args()
    workdir = tempfile.TemporaryDirectory(prefix="melek-bench-zip-")
    url = args.database_url or f"sqlite:///{workdir.name}/bench.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                      "WTF_CSRF_ENABLED": False, "CERTIFICATE_SIGNING_P12": "",
                      "PUBLIC_BASE_URL": "http://localhost"})
    started = time.perf_counter()
    with app.app_context():
        db.drop_all()
        db.create_all()
        pdf_size, in_unit = build(db.session, args.certificates)
        year = db.session.scalar(select(Certificate.year))
        db.session.remove()
    print(f"{args.certificates:,} certificates in one OPD ({url.split(':')[0]}), "
          f"generated in {time.perf_counter() - started:.1f} s (one rendered PDF of "
          f"{pdf_size:,} bytes, reused for every row)")

    client = app.test_client()
    response = client.post("/masuk", data={"nip": "bench-hr-city", "password": "bench"})
    assert response.status_code == 302, response.status_code
    whole = f"/laporan/sertifikat/pdf-{year}.zip?opd=DINKES"
    part = f"/laporan/sertifikat/pdf-{year}.zip?opd=DINKES.PKM01"

    with tempfile.TemporaryFile() as out:
        timed = stream(client, whole, out=out)
        out.seek(0)
        with zipfile.ZipFile(out) as archive:
            names = archive.namelist()
            assert len(names) == args.certificates, len(names)
            assert archive.read(names[-1]).startswith(b"%PDF-")
    small = stream(client, part, trace=True)
    large = stream(client, whole, trace=True)

    ratio = timed["seconds"] / TARGET_SECONDS
    print(f"zip of {args.certificates:,} PDFs: {timed['seconds']:.1f} s, {timed['mb']:.1f} MB "
          f"({timed['mb'] / timed['seconds']:.0f} MB/s)   target < {TARGET_SECONDS} s "
          f"-> {ratio:.2f} of the budget; {len(names):,} files, each a PDF")
    print(f"peak Python memory while streaming: {in_unit:,} PDFs {small['traced_peak']:.1f} MB,"
          f" {args.certificates:,} PDFs {large['traced_peak']:.1f} MB "
          f"(x{large['traced_peak'] / small['traced_peak']:.1f} for x"
          f"{args.certificates / in_unit:.0f} the PDFs, {large['mb'] / small['mb']:.0f}x the "
          f"bytes)   target: flat")
    print(f"resident size: {timed['rss_start']:.0f} MB before the download, "
          f"{timed['rss_peak']:.0f} MB at most while {timed['mb']:.0f} MB streamed")
    workdir.cleanup()


if __name__ == "__main__":
    main()
