"""The scale path: time what a province-sized data set (bench/generate.py --employees
1000000, on PostgreSQL) asks of the application, through its pages (test client, no
network). Prints figures; asserts nothing.

    .venv/bin/python bench/scale.py \
        --database-url postgresql+psycopg://melek:melek@127.0.0.1/melek_big --runs 5

The city overview, Dinas Pendidikan's employee list (by name, by status, by due date, and
200 pages in), the city-wide employee CSV, and quiz submissions by learners of that OPD:
each learner starts the quiz of a mandatory course's last module and submits it, which
grades it, records the module and updates the report counts in one transaction.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reports import export, login  # noqa: E402
from sqlalchemy import func, select, update  # noqa: E402
from timing import median_ms  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from lms import create_app  # noqa: E402
from lms.core.extensions import db  # noqa: E402
from lms.models import Employee, Opd, QuizAttempt  # noqa: E402
from lms.models.content import Course, Module, Question  # noqa: E402


def page(client, url):
    def get():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    return get


def learners(app, count: int) -> list[str]:
    """NIPs of `count` Dinas Pendidikan employees, given the password "bench"."""
    with app.app_context():
        opd = db.session.scalar(select(Opd).where(Opd.code == "DISDIKBUD"))
        nips = list(db.session.scalars(
            select(Employee.nip).join(Opd, Opd.id == Employee.opd_id)
            .where(Opd.path.like(opd.path + "%"), Employee.nip.like("B%"))
            .order_by(Employee.id).limit(count)))
        db.session.execute(update(Employee).where(Employee.nip.in_(nips))
                           .values(password_hash=generate_password_hash("bench")))
        db.session.commit()
    return nips


def submissions(app, nips: list[str]) -> tuple[list[float], list[float]]:
    """Milliseconds to start and to submit the last module's quiz of kursus-01."""
    with app.app_context():
        module = db.session.scalar(select(Module).join(Course).where(
            Course.slug == "kursus-01").order_by(Module.position.desc()))
        key, module_id = module.key, module.id
    starts, submits = [], []
    for nip in nips:
        client = login(app, nip)
        began = time.perf_counter()
        response = client.post(f"/kursus/kursus-01/{key}/kuis")
        starts.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 302, response.status_code
        url = response.headers["Location"]
        with app.app_context():
            attempt = db.session.get(QuizAttempt, int(url.rsplit("/", 1)[1]))
            form = {f"q{d['q']}": [str(i) for i in db.session.get(Question, d["q"]).answer]
                    for d in attempt.drawn}
            assert attempt.module_id == module_id
        began = time.perf_counter()
        response = client.post(url, data=form)
        submits.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 302 and response.headers["Location"].endswith(
            "/hasil"), response.status_code
    return starts, submits


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-csv", action="store_true")
    args = parser.parse_args()
    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database_url, "SECRET_KEY": "bench",
                      "WTF_CSRF_ENABLED": False})
    with app.app_context():
        employees = db.session.scalar(select(func.count(Employee.id)))
    city, opd = login(app, "bench-hr-city"), login(app, "bench-hr-opd")
    pages = [("city overview", city, "/laporan/"),
             ("Dinas Pendidikan's overview", opd, "/laporan/?opd=DISDIKBUD"),
             ("its list, by name", opd, "/laporan/rincian?opd=DISDIKBUD"),
             ("its list, by status", opd, "/laporan/rincian?opd=DISDIKBUD&urut=status"),
             ("its list, by due date", opd, "/laporan/rincian?opd=DISDIKBUD&urut=due"),
             ("by status, page 200", opd,
              "/laporan/rincian?opd=DISDIKBUD&urut=status&halaman=200"),
             ("by due date, page 200", opd,
              "/laporan/rincian?opd=DISDIKBUD&urut=due&halaman=200"),
             ("city list, by status", city, "/laporan/rincian?urut=status"),
             ("overdue list (city)", city, "/laporan/terlambat"),
             ("JP compliance (city)", city, "/laporan/jp")]
    print(f"{employees} employees, {args.database_url}, median of {args.runs} runs")
    for name, client, url in pages:
        print(f"  {name:30s} {median_ms(page(client, url), args.runs):9.1f} ms   {url}")
    starts, submits = submissions(app, learners(app, args.runs))
    print(f"  quiz started (median)          {statistics.median(starts):9.1f} ms")
    print(f"  quiz submitted (median)        {statistics.median(submits):9.1f} ms   "
          f"({', '.join(f'{s:.0f}' for s in submits)})")
    if not args.no_csv:
        seconds, megabytes, grown, cpu = export(city, "/laporan/rincian/unduh.csv")
        print(f"  CSV, city-wide, employee level {seconds:9.2f} s   {megabytes:.0f} MB, "
              f"peak memory +{grown:.0f} MB, CPU of this process {cpu:.2f} s")


if __name__ == "__main__":
    main()
