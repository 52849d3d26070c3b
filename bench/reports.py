"""Time the HR report pages and exports on a generated data set (bench/generate.py),
next to a naive live aggregation over the same data. Prints figures; asserts nothing.

    .venv/bin/python bench/reports.py --database-url sqlite:////tmp/b15k.db
"""

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import and_, func, select  # noqa: E402
from sqlalchemy.orm import aliased  # noqa: E402
from timing import median_ms  # noqa: E402

from lms import create_app  # noqa: E402
from lms.core import clock  # noqa: E402
from lms.core.extensions import db  # noqa: E402
from lms.hr import queries  # noqa: E402
from lms.hr.filters import Filters  # noqa: E402
from lms.models import Employee, Enrollment, Opd, Requirement  # noqa: E402
from lms.org.scope import Scope  # noqa: E402


def login(app, nip):
    client = app.test_client()
    response = client.post("/masuk", data={"nip": nip, "password": "bench"})
    assert response.status_code == 302, response.status_code
    return client


def page(client, url):
    def get():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    return get


def export(client, url):
    """Seconds, bytes, and how much the process's peak memory grew while streaming."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start, cpu = time.perf_counter(), time.process_time()
    response = client.get(url, buffered=False)
    size = 0
    for chunk in response.response:
        size += len(chunk)
    response.close()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    return seconds, size / 1e6, grown / 1024, cpu


def naive_overview(f: Filters, city: Opd):
    """The city overview counted live from requirement and enrollment rows."""
    row = aliased(Opd)
    query = (select(row.id, Requirement.course_id, func.count(Requirement.employee_id),
                    func.count(Enrollment.completed_at))
             .select_from(row).join(Opd, Opd.path.like(row.path + "%"))
             .join(Requirement, Requirement.opd_id == Opd.id)
             .join(Employee, and_(Employee.id == Requirement.employee_id, Employee.active))
             .outerjoin(Enrollment, and_(Enrollment.employee_id == Requirement.employee_id,
                                         Enrollment.course_id == Requirement.course_id))
             .where(row.parent_id == city.id, f.due_condition(Requirement.due_date))
             .group_by(row.id, Requirement.course_id))
    return db.session.execute(query).all()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--no-xlsx", action="store_true",
                        help="skip the XLSX exports")
    parser.add_argument("--city-xlsx", action="store_true",
                        help="also the city-wide XLSX (700,000 rows at 100,000 employees)")
    parser.add_argument("--no-naive", action="store_true",
                        help="skip the naive live count (seconds to minutes)")
    args = parser.parse_args()
    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database_url, "SECRET_KEY": "bench",
                      "WTF_CSRF_ENABLED": False})
    with app.app_context():
        employees = db.session.scalar(select(func.count(Employee.id)))
        dialect = db.engine.dialect.name
    city, opd = login(app, "bench-hr-city"), login(app, "bench-hr-opd")
    pages = [("city overview", city, "/laporan/"),
             ("one OPD's overview", opd, "/laporan/?opd=DISDIKBUD"),
             ("one OPD's detail page", opd, "/laporan/rincian?opd=DISDIKBUD"),
             ("OPD detail, sorted by status", opd, "/laporan/rincian?urut=status"),
             ("OPD detail, sorted by due date", opd, "/laporan/rincian?urut=due"),
             ("OPD detail, by status, page 3", opd, "/laporan/rincian?urut=status&halaman=3"),
             ("city detail, sorted by status", city, "/laporan/rincian?urut=status"),
             ("city detail, sorted by due date", city, "/laporan/rincian?urut=due"),
             ("Dinkes detail, sorted by status", city,
              "/laporan/rincian?opd=DINKES&urut=status"),
             ("course detail (city)", city, "/laporan/kursus/kursus-01"),
             ("overdue list (city)", city, "/laporan/terlambat"),
             ("JP compliance (city)", city, "/laporan/jp")]
    print(f"{employees} employees on {dialect}, median of {args.runs} runs")
    for name, client, url in pages:
        print(f"  {name:32s} {median_ms(page(client, url), args.runs):8.1f} ms   {url}")
    with app.app_context():
        roots = list(db.session.scalars(select(Opd).where(Opd.parent_id.is_(None))))
        f = Filters(year=clock.today().year, today=clock.today(), scope=Scope(roots, True))
        top = queries.children(db.session, roots[0])
        ids = [c.id for c in queries.mandatory_courses(db.session, f)]
        maintained = median_ms(lambda: queries.rows_for(db.session, top, f, ids,
                                                        direct_of=roots[0]), args.runs)
        naive = None if args.no_naive else median_ms(lambda: naive_overview(f, roots[0]),
                                                      max(3, args.runs // 3))
    print(f"  overview numbers from course_stat  {maintained:8.1f} ms")
    if naive is not None:
        print(f"  the same counted live (naive)      {naive:8.1f} ms   "
              f"ratio naive/maintained {naive / maintained:6.1f}x")
    downloads = [("CSV, city-wide, employee level", city, "/laporan/rincian/unduh.csv"),
                 ("CSV, one OPD, employee level", opd,
                  "/laporan/rincian/unduh.csv?opd=DISDIKBUD")]
    if not args.no_xlsx:
        downloads.append(("XLSX, Dinkes, employee level", city,
                          "/laporan/rincian/unduh.xlsx?opd=DINKES"))
    if args.city_xlsx:
        downloads.append(("XLSX, city-wide, employee level", city,
                          "/laporan/rincian/unduh.xlsx"))
    for name, client, url in downloads:
        seconds, megabytes, grown, _cpu = export(client, url)
        print(f"  {name:32s} {seconds:8.2f} s  {megabytes:.1f} MB file, peak memory "
              f"+{grown:.0f} MB")


if __name__ == "__main__":
    main()
