"""Time the studio's item-analysis pages (lms/studio/analysis/) on generated answers: a quiz
of 10 questions (8 drawn per attempt), every learner's first attempt and a retake for
30% of them, learners spread over 25 OPDs. Prints medians; asserts nothing.

    .venv/bin/python bench/item_analysis.py [--learners 5000] [--runs 7]
    .venv/bin/python bench/item_analysis.py --database-url postgresql+psycopg://...
      (an empty database: its tables are created, and dropped at the end)
"""

import argparse
import random
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402
from timing import median_ms  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from lms import create_app  # noqa: E402
from lms.core.extensions import db  # noqa: E402
from lms.models import (  # noqa: E402
    AttemptAnswer,
    Course,
    Employee,
    Enrollment,
    Module,
    ModuleProgress,
    Opd,
    Question,
    QuizAttempt,
    RoleGrant,
)
from lms.studio import analysis

T0 = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)




def generate(learners: int, rng: random.Random) -> None:
    s = db.session
    city = Opd(code="KOTA", name="Kota", kind="kota", path="", depth=0)
    s.add(city)
    s.flush()
    city.path = f"/{city.id}/"
    units = []
    for i in range(25):
        opd = Opd(code=f"OPD{i}", name=f"OPD {i}", kind="dinas", parent_id=city.id, depth=1)
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
    admin = Employee(nip="bench-admin", name="Admin", opd_id=city.id,
                     password_hash=generate_password_hash("bench"))
    admin.grants.append(RoleGrant(role="admin"))
    s.add(admin)
    course = Course(slug="bench", title="Bench", jp=2)
    s.add(course)
    s.flush()
    quiz = Module(course_id=course.id, key="kuis", position=1, title="Kuis", draw_count=8,
                  shuffle=True, pass_mark=70)
    other = Module(course_id=course.id, key="bacaan", position=2, title="Bacaan")
    s.add_all([quiz, other])
    s.flush()
    questions = []
    for k in range(10):
        kind = "text" if k == 9 else "multiple" if k in (3, 6) else "single"
        q = Question(module_id=quiz.id, key=f"q{k}", position=k, kind=kind,
                     prompt_html=f"<p>Soal {k}</p>", version=2 if k == 0 else 1,
                     options=[] if kind == "text" else [f"Pilihan {i}" for i in range(4)],
                     answer=["benar"] if kind == "text" else [0, 2] if kind == "multiple"
                     else [k % 4])
        s.add(q)
        questions.append(q)
    s.flush()
    s.execute(insert(Employee), [
        {"id": admin.id + 1 + i, "nip": f"B{i:09d}", "name": f"Learner {i}",
         "opd_id": rng.choice(units), "employment_type": "pns"} for i in range(learners)])
    attempts, answers, enrolments, progress = [], [], [], []
    attempt_id = 0
    for i in range(learners):
        employee_id = admin.id + 1 + i
        ability = rng.gauss(0, 1)
        enrolments.append({"employee_id": employee_id, "course_id": course.id,
                           "started_at": T0})
        for sitting in range(2 if rng.random() < 0.3 else 1):
            attempt_id += 1
            drawn = rng.sample(questions, 8)
            right = 0
            for q in drawn:
                odds = ability + sitting - (q.position - 4) / 3
                ok = rng.random() < 1 / (1 + 2.718 ** -odds)
                right += ok
                if q.kind == "text":
                    response = ["benar" if ok else rng.choice(["salah", "Salah ", "kurang"])]
                elif q.kind == "multiple":
                    response = ["0", "2"] if ok else rng.choice([["0"], ["1", "2"], ["3"]])
                else:
                    key = q.answer[0]
                    response = [str(key if ok else rng.choice(
                        [o for o in range(4) if o != key]))]
                answers.append({"attempt_id": attempt_id, "question_id": q.id,
                                "question_version": 1 if q.version == 2 and i % 2 else
                                q.version, "response": response, "correct": ok})
            score = round(100 * right / 8)
            attempts.append({"id": attempt_id, "employee_id": employee_id,
                             "module_id": quiz.id, "drawn": [], "score": score,
                             "passed": score >= 70, "started_at": T0,
                             "submitted_at": T0 + timedelta(minutes=attempt_id)})
        if attempts[-1]["passed"]:
            progress.append({"employee_id": employee_id, "module_id": quiz.id,
                             "completed_at": T0, "best_score": attempts[-1]["score"]})
    s.execute(insert(Enrollment), enrolments)
    s.execute(insert(QuizAttempt), attempts)
    for start in range(0, len(answers), 20000):
        s.execute(insert(AttemptAnswer), answers[start:start + 20000])
    if progress:
        s.execute(insert(ModuleProgress), progress)
    s.commit()
    print(f"{learners} learners, {len(attempts)} attempts, {len(answers)} answers")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=5000)
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
                generate(args.learners, random.Random(7))
                if db.engine.dialect.name == "postgresql":
                    with db.engine.connect() as conn:
                        conn.exec_driver_sql("ANALYZE")
                        conn.commit()
                course = db.session.query(Course).one()
                module = course.current_modules[0]
                print(f"{db.engine.dialect.name}, median of {args.runs} runs")
                domain = [("module_stats (the quiz page's figures)",
                           lambda: analysis.module_stats(db.session, module)),
                          ("course_stats (the course page's figures)",
                           lambda: analysis.course_stats(db.session, course))]
                for name, fn in domain:
                    print(f"  {name:44s} {median_ms(fn, args.runs):8.1f} ms")
                client = app.test_client()
                assert client.post("/masuk", data={"nip": "bench-admin",
                                                   "password": "bench"}).status_code == 302
                for name, page in (("quiz page, whole request", "/studio/bench/statistik/kuis"),
                                   ("course page, whole request", "/studio/bench/statistik")):
                    def get(page=page):
                        assert client.get(page).status_code == 200
                    print(f"  {name:44s} {median_ms(get, args.runs):8.1f} ms")
            finally:
                db.session.remove()
                db.drop_all()


if __name__ == "__main__":
    main()
