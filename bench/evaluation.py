"""Time the confidence city view and the evaluation results at 100,000 employees: the
page, its CSV, and the domain queries alone. Builds its own data set (drops what is in
the database): the Tangsel-like tree grown as bench/generate.py grows it, employees,
three courses with a confidence question answered before and after by most of their
learners, and anonymous evaluation answers. Prints figures; asserts nothing.

    .venv/bin/python bench/evaluation.py --database-url sqlite:////tmp/beval.db
    .venv/bin/python bench/evaluation.py --database-url postgresql+psycopg://...
"""

import argparse
import random
import secrets
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from generate import grow_tree  # noqa: E402
from sqlalchemy import insert, select, text  # noqa: E402
from timing import median_ms  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from lms import create_app  # noqa: E402
from lms.core import clock  # noqa: E402
from lms.core.extensions import db  # noqa: E402
from lms.demo.seed import build_tree  # noqa: E402
from lms.evaluation import answers, confidence, questionnaire  # noqa: E402
from lms.models import (  # noqa: E402
    Confidence,
    Course,
    Employee,
    EvaluationResponse,
    EvaluationScore,
    RoleGrant,
)

BATCH = 10000
COURSES = 3


def build(session, employees: int, rng: random.Random) -> list[Course]:
    nodes = build_tree(session)
    units = grow_tree(session, nodes)
    courses = [Course(slug=f"kursus-{c}", title=f"Kursus {c}", jp=1, position=c,
                      confidence="Seberapa yakin Anda?", description_html="")
               for c in range(COURSES)]
    session.add_all(courses)
    q, problems = questionnaire.check(ROOT / "courses")
    assert not problems
    form = questionnaire.store(session, q, "files")
    scale = [i["key"] for i in form.items if i["kind"] == questionnaire.SCALE]
    hr = Employee(nip="bench-hr-city", name="HR Kota", opd_id=nodes["BKPSDM"].id,
                  password_hash=generate_password_hash("bench"))
    session.add(hr)
    session.flush()
    session.add(RoleGrant(employee_id=hr.id, role="hr"))
    now = clock.now()
    for start in range(0, employees, BATCH):
        people = [{"nip": f"E{i:017d}", "name": "x", "opd_id": rng.choice(units).id,
                   "position": "", "employment_type": "pns", "active": True,
                   "auth_epoch": 0, "created_at": now}
                  for i in range(start, min(start + BATCH, employees))]
        session.execute(insert(Employee), people)
        ids = session.execute(select(Employee.id, Employee.opd_id).where(
            Employee.nip.in_([p["nip"] for p in people]))).all()
        rows, responses, scores = [], [], []
        for employee_id, opd_id in ids:
            for course in courses:
                if rng.random() > 0.6:
                    continue
                before = rng.randint(1, 5)
                row = {"employee_id": employee_id, "course_id": course.id, "opd_id": opd_id,
                       "before_value": before, "before_at": now, "after_value": None,
                       "after_at": None, "after_month": None}
                if rng.random() < 0.7:
                    at = now - timedelta(days=rng.randint(0, 360))
                    row.update(after_value=min(5, before + rng.randint(0, 2)), after_at=at,
                               after_month=clock.jakarta(at).strftime("%Y-%m"))
                    if rng.random() < 0.5:
                        rid = secrets.token_hex(16)
                        responses.append({"id": rid, "course_id": course.id,
                                          "form_id": form.id, "comment": ""})
                        scores += [{"response_id": rid, "item_key": k,
                                    "value": rng.randint(1, 5)} for k in scale]
                rows.append(row)
        session.execute(insert(Confidence), rows)
        session.execute(insert(EvaluationResponse), responses)
        session.execute(insert(EvaluationScore), scores)
        session.commit()
    started = time.perf_counter()
    confidence.recount(session)
    answers.recount(session)
    session.commit()
    print(f"  counts rebuilt set-based in {time.perf_counter() - started:.2f} s")
    session.execute(text("ANALYZE"))
    session.commit()
    return courses


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=100_000)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database_url, "SECRET_KEY": "bench",
                      "WTF_CSRF_ENABLED": False})
    with app.app_context():
        db.drop_all()
        db.create_all()
        started = time.perf_counter()
        courses = build(db.session, args.employees, random.Random(13))
        counts = {t: db.session.scalar(text(f"SELECT count(*) FROM {t}")) for t in
                  ("employee", "opd", "confidence", "evaluation_response",
                   "evaluation_score", "confidence_stat", "evaluation_stat")}
        print(f"{db.engine.dialect.name}: generated in {time.perf_counter() - started:.1f} s:"
              f" {counts}")
        form = questionnaire.current(db.session)
        figures = {
            "confidence.city_view (all courses)":
                lambda: confidence.city_view(db.session),
            "confidence.city_view (one course)":
                lambda: confidence.city_view(db.session, courses[0].id),
            "answers.item_results (one course)":
                lambda: answers.item_results(db.session, courses[0].id, form),
        }
        for name, fn in figures.items():
            print(f"  {name:42s} {median_ms(fn, args.runs):8.1f} ms")
        client = app.test_client()
        response = client.post("/masuk", data={"nip": "bench-hr-city", "password": "bench"})
        assert response.status_code == 302, response.status_code
        for url in ("/laporan/keyakinan", f"/laporan/keyakinan?kursus={courses[0].slug}",
                    "/laporan/keyakinan.csv", f"/evaluasi/hasil/{courses[0].slug}",
                    "/evaluasi/hasil.csv"):
            def get(url=url):
                r = client.get(url)
                assert r.status_code == 200, (url, r.status_code)
                r.get_data()
            print(f"  GET {url:40s} {median_ms(get, args.runs):8.1f} ms")


if __name__ == "__main__":
    main()
