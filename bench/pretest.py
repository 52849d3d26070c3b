"""Time the learning-gain pages (lms/pretest/gains.py) at city size: 100,000 employees in
25 OPDs of 3 units, a course whose final quiz (10 questions, 5 drawn) is the post-test;
60% of employees took the pre-test, 10% declined, 80% of those who took it sat the
final quiz (30% of them twice). Prints medians; asserts nothing.

    .venv/bin/python bench/pretest.py [--employees 100000] [--runs 7]
    .venv/bin/python bench/pretest.py --database-url postgresql+psycopg://...
      (an empty database: its tables are created, and dropped at the end)
"""

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select  # noqa: E402
from timing import median_ms  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from lms import create_app  # noqa: E402
from lms.core.extensions import db  # noqa: E402
from lms.models import (  # noqa: E402
    Course,
    CoursePretest,
    Employee,
    Module,
    Opd,
    PretestAttempt,
    Question,
    QuizAttempt,
    RoleGrant,
)
from lms.org.scope import hr_scope  # noqa: E402
from lms.pretest import gains  # noqa: E402

T0 = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)


def cpu_ms(fn, runs: int) -> float:
    """Median CPU time of this process (the database work on SQLite runs in it too):
    on a shared machine wall time also counts the waits for a free core."""
    fn()
    times = []
    for _ in range(runs):
        start = time.process_time()
        fn()
        times.append((time.process_time() - start) * 1000)
    return statistics.median(times)
BATCH = 20000


def generate(employees: int, rng: random.Random) -> None:
    s = db.session
    city = Opd(code="KOTA", name="Kota", kind="kota", path="", depth=0)
    s.add(city)
    s.flush()
    city.path = f"/{city.id}/"
    units = []
    for i in range(25):
        opd = Opd(code=f"OPD{i}", name=f"OPD {i:02d}", kind="dinas", parent_id=city.id,
                  depth=1)
        s.add(opd)
        s.flush()
        opd.path = f"{city.path}{opd.id}/"
        for j in range(3):
            unit = Opd(code=f"OPD{i}.{j}", name=f"Unit {i}.{j}", kind="unit",
                       parent_id=opd.id, depth=2)
            s.add(unit)
            s.flush()
            unit.path = f"{opd.path}{unit.id}/"
            units.append(unit.id)
    staff = Employee(nip="bench-admin", name="Admin", opd_id=city.id,
                     password_hash=generate_password_hash("bench"))
    staff.grants.extend([RoleGrant(role="admin"), RoleGrant(role="hr")])
    s.add(staff)
    course = Course(slug="bench", title="Bench", jp=1)
    s.add(course)
    s.flush()
    final = Module(course_id=course.id, key="kuis-akhir", position=1, title="Kuis akhir",
                   draw_count=5, shuffle=True)
    s.add(final)
    s.add(CoursePretest(course_id=course.id, questions=5, test_out=80))
    s.flush()
    for k in range(10):
        s.add(Question(module_id=final.id, key=f"q{k}", position=k, kind="single",
                       prompt_html=f"<p>{k}</p>", options=["a", "b", "c"], answer=[0]))
    s.flush()
    first = staff.id + 1
    rows = [{"id": first + i, "nip": f"B{i:09d}", "name": f"Learner {i}",
             "opd_id": rng.choice(units), "employment_type": "pns"} for i in range(employees)]
    for start in range(0, len(rows), BATCH):
        s.execute(insert(Employee), rows[start:start + BATCH])
    pre, post = [], []
    for i in range(employees):
        roll = rng.random()
        if roll >= 0.7:
            continue
        took = roll < 0.6
        score = rng.choice(range(0, 101, 20)) if took else None
        pre.append({"employee_id": first + i, "course_id": course.id,
                    "opd_id": rows[i]["opd_id"], "module_id": final.id,
                    "drawn": [], "skipped": not took, "skipped_modules": [],
                    "started_at": T0, "submitted_at": T0 if took else None, "score": score,
                    "post_score": None})
        if took and rng.random() < 0.8:
            for n in range(2 if rng.random() < 0.3 else 1):
                after = min(100, score + rng.choice(range(0, 61, 20)) + 20 * n)
                if n == 0:  # the first graded attempt is the post-test (record_post)
                    pre[-1]["post_score"] = after
                post.append({"employee_id": first + i, "module_id": final.id, "drawn": [],
                             "started_at": T0, "score": after, "passed": after >= 70,
                             "submitted_at": T0 + timedelta(days=1 + n, seconds=i)})
    for start in range(0, len(pre), BATCH):
        s.execute(insert(PretestAttempt), pre[start:start + BATCH])
    for start in range(0, len(post), BATCH):
        s.execute(insert(QuizAttempt), post[start:start + BATCH])
    s.commit()
    print(f"{employees} employees, {len(pre)} pre-test rows, {len(post)} final-quiz attempts")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.db"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                          "WTF_CSRF_ENABLED": False})
        with app.app_context():
            db.create_all()
            try:
                generate(args.employees, random.Random(7))
                if db.engine.dialect.name == "postgresql":
                    with db.engine.connect() as conn:
                        conn.exec_driver_sql("ANALYZE")
                        conn.commit()
                course = db.session.query(Course).one()
                staff = db.session.scalars(select(Employee).filter_by(nip="bench-admin")).one()
                scope = hr_scope(db.session, staff)
                opd = db.session.scalars(select(Opd).filter_by(code="OPD3")).one()
                units = list(db.session.scalars(select(Opd).where(Opd.parent_id == opd.id)))
                print(f"{db.engine.dialect.name}, median of {args.runs} runs "
                      "(wall ms; CPU ms of this process)")
                with app.test_request_context():
                    total = gains.for_trainers(db.session, course).total
                    print(f"  paired learners {total.learners}, mean pre {total.mean_pre}, "
                          f"post {total.mean_post}, g {total.normalised}")
                    domain = [("for_trainers (course + 25 OPDs)",
                               lambda: gains.for_trainers(db.session, course)),
                              ("for_hr, city-wide (25 OPDs)",
                               lambda: gains.for_hr(db.session, course, scope, None,
                                                    scope.roots)),
                              ("for_hr, one OPD (3 units)",
                               lambda: gains.for_hr(db.session, course, scope, opd, units))]
                    for name, fn in domain:
                        print(f"  {name:44s} {median_ms(fn, args.runs):8.1f} ms "
                              f"{cpu_ms(fn, args.runs):8.1f} ms CPU")
                client = app.test_client()
                assert client.post("/masuk", data={"nip": "bench-admin",
                                                   "password": "bench"}).status_code == 302
                for name, page in (("trainers' page, whole request", "/studio/bench/capaian"),
                                   ("HR page, whole request",
                                    "/laporan/kursus/bench/capaian")):
                    def get(page=page):
                        assert client.get(page).status_code == 200, page
                    print(f"  {name:44s} {median_ms(get, args.runs):8.1f} ms "
                          f"{cpu_ms(get, args.runs):8.1f} ms CPU")
            finally:
                db.session.remove()
                db.drop_all()


if __name__ == "__main__":
    main()
