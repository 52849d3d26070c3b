"""Generate a city-sized data set for the report benchmarks.

    .venv/bin/python bench/generate.py --employees 15000 --database-url sqlite:////tmp/b15k.db
    .venv/bin/python bench/generate.py --employees 100000 \
        --database-url postgresql+psycopg://melek:melek@127.0.0.1/melek_bench

Builds the schema from scratch (drops what is there), a Tangsel-like OPD tree grown to
several hundred units (schools, puskesmas, kelurahan), 50 courses of 4 modules, the
employees, 10 mandatory assignments, realistic progress, and the derived tables through
the application's own set-based code (assignments.rebuild_course, counts.rebuild).
Prints a progress bar; the accounts `bench-hr-city` and `bench-hr-opd` (password
`bench`) are created for bench/reports.py.

Each course's last module is a quiz of 5 questions; every completed enrolment has a passed
attempt at it and one in five a failed one before (attempts without their answers: the
item analysis bench has those). On PostgreSQL the rows go in with COPY and the foreign
keys are added back (checked in one pass) at the end, so a million employees take minutes:

    .venv/bin/python bench/generate.py --employees 1000000 \
        --database-url postgresql+psycopg://melek:melek@127.0.0.1/melek_big
"""

import argparse
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bulk import Loader  # noqa: E402
from sqlalchemy import func, insert, select, text  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from lms import create_app  # noqa: E402
from lms.core import clock  # noqa: E402
from lms.core.extensions import db  # noqa: E402
from lms.demo.organisation import FIRST_NAMES, LAST_NAMES  # noqa: E402
from lms.demo.seed import build_tree  # noqa: E402
from lms.mandatory import assignments, counts  # noqa: E402
from lms.models import (  # noqa: E402
    Course,
    Employee,
    Enrollment,
    JpYear,
    Module,
    ModuleProgress,
    Opd,
    Question,
    QuizAttempt,
    RoleGrant,
)
from lms.org import tree  # noqa: E402

BATCH = 5000
QUESTIONS = 5
COURSES, MODULES, MANDATORY = 50, 4, 10


def grow_tree(session, nodes: dict) -> list[Opd]:
    """Add the many small units a real city has under a few big OPDs."""
    extra = [("DISDIKBUD.SD", "SD Negeri", 160), ("DISDIKBUD.SMP", "SMP Negeri", 25),
             ("DINKES", "UPTD Puskesmas", 30), ("SETDA", "Subbagian", 20)]
    for parent_code, label, count in extra:
        parent = nodes[parent_code]
        for i in range(count):
            node = tree.create(session, code=f"{parent_code}.B{i + 1:03d}",
                               name=f"{label} {i + 1}", kind="unit", parent=parent)
            nodes[node.code] = node
    return [n for code, n in nodes.items() if code != "TANGSEL"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=15000)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database_url, "SECRET_KEY": "bench"})
    started = time.perf_counter()
    with app.app_context():
        db.drop_all()
        db.create_all()
        session = db.session
        nodes = build_tree(session)
        units = grow_tree(session, nodes)
        weights = [40 if n.code.startswith("DISDIKBUD.SD.") or
                   n.code.startswith("DISDIKBUD.SMP.") else 25 if n.kind == "unit" else 10
                   for n in units]
        courses = []
        for c in range(COURSES):
            course = Course(slug=f"kursus-{c + 1:02d}", title=f"Kursus {c + 1:02d}", jp=2,
                            position=c, published=True, description_html="<p>x</p>",
                            module_count=MODULES)
            session.add(course)
            courses.append(course)
        session.flush()
        for course in courses:
            for m in range(MODULES):
                session.add(Module(course_id=course.id, key=f"m{m + 1}", position=m,
                                   title=f"Modul {m + 1}", minutes=8, body_html="<p>x</p>"))
        session.flush()
        loader = Loader(session)
        quizzes = {}
        for course in courses:
            last = session.scalar(select(Module.id).where(Module.course_id == course.id,
                                                         Module.position == MODULES - 1))
            for q in range(QUESTIONS):
                session.add(Question(module_id=last, key=f"q{q + 1}", position=q,
                                     kind="single", prompt_html=f"<p>Soal {q + 1}</p>",
                                     options=["<p>Ya</p>", "<p>Tidak</p>", "<p>Mungkin</p>"],
                                     answer=[0]))
            session.flush()
            drawn = [{"q": q.id, "v": 1, "o": [0, 1, 2]} for q in session.scalars(
                select(Question).where(Question.module_id == last))]
            quizzes[course.id] = (last, Loader.json(drawn) if loader.postgres else drawn)
        session.commit()
        modules = {c.id: [m.id for m in session.scalars(
            select(Module).where(Module.course_id == c.id).order_by(Module.position))]
            for c in courses}

        password = generate_password_hash("bench")
        now = clock.now()
        loader.drop_foreign_keys()
        with click.progressbar(length=args.employees, label="employees and progress") as bar:
            done = 0
            while done < args.employees:
                n = min(BATCH, args.employees - done)
                rows = []
                for i in range(done, done + n):
                    node = rng.choices(units, weights)[0]
                    rows.append((i + 1, f"B{i:017d}", node.id,
                                 f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                                 "Staf", rng.choices(["pns", "pppk", "non_asn"],
                                                     [75, 15, 10])[0], True, 0, now))
                loader.write(Employee, EMPLOYEE_COLUMNS, rows)
                _progress(loader, rng, range(done + 1, done + n + 1), courses, modules,
                          quizzes, now)
                session.commit()
                done += n
                bar.update(n)

        loader.ids_given("employee")
        hr_city = Employee(nip="bench-hr-city", name="HR Kota", opd_id=nodes["BKPSDM"].id,
                           password_hash=password)
        hr_opd = Employee(nip="bench-hr-opd", name="HR Disdikbud",
                          opd_id=nodes["DISDIKBUD"].id, password_hash=password)
        session.add_all([hr_city, hr_opd])
        session.flush()
        session.add_all([RoleGrant(employee_id=hr_city.id, role="hr"),
                         RoleGrant(employee_id=hr_opd.id, role="hr",
                                   opd_id=nodes["DISDIKBUD"].id)])
        this_year = clock.today().year
        with click.progressbar(courses[:MANDATORY], label="assignments and counts") as bar:
            for i, course in enumerate(bar):
                due = date(this_year, 1 + (i % 12), 28)
                target = {0: {}, 1: {"employment_type": "pns"},
                          2: {"opd": nodes["DISDIKBUD"]}, 3: {"opd": nodes["DINKES"]}}
                assignments.create(session, course=course, due_date=due, by=hr_city,
                                   **target.get(i % 4, {}))
        counts.rebuild(session)
        _jp(session, now)
        session.commit()
        loader.restore()
        rows = {t: session.scalar(text(f"SELECT count(*) FROM {t}")) for t in
                ("employee", "opd", "enrollment", "module_progress", "quiz_attempt",
                 "requirement", "course_stat", "jp_year")}
    print(f"generated in {time.perf_counter() - started:.1f} s: {rows}")


EMPLOYEE_COLUMNS = ("id", "nip", "opd_id", "name", "position", "employment_type", "active",
                    "auth_epoch", "created_at")
ENROLMENT_COLUMNS = ("employee_id", "course_id", "started_at", "completed_at", "jp_awarded",
                     "modules_done", "score")
PROGRESS_COLUMNS = ("employee_id", "module_id", "completed_at", "best_score")
ATTEMPT_COLUMNS = ("employee_id", "module_id", "drawn", "started_at", "submitted_at", "score",
                   "passed")


def _progress(loader, rng, employee_ids, courses, modules, quizzes, now):
    """About 60% of people in each mandatory course and in two voluntary ones, 55% of
    those finished; a finished course's quiz passed, one in five after a failed try."""
    enrollments, progress_rows, attempts = [], [], []
    for employee_id in employee_ids:
        for course in courses[:MANDATORY] + rng.sample(courses[MANDATORY:], 2):
            if rng.random() > 0.6:
                continue
            started = now - timedelta(days=rng.randint(1, 300))
            finished = rng.random() < 0.55
            count = MODULES if finished else rng.randint(0, MODULES - 1)
            completed_at = started + timedelta(days=rng.randint(0, 20)) if finished else None
            completed_at = min(completed_at, now) if completed_at else None
            scores = [rng.choice([70, 80, 90, 100]) for _ in range(count)]
            enrollments.append((employee_id, course.id, started, completed_at,
                                course.jp if finished else None, count,
                                round(sum(scores) / count) if count else None))
            for module_id, score in zip(modules[course.id], scores, strict=False):
                progress_rows.append((employee_id, module_id, started, score))
            if finished:
                quiz, drawn = quizzes[course.id]
                if rng.random() < 0.2:
                    attempts.append((employee_id, quiz, drawn, started, started, 40, False))
                attempts.append((employee_id, quiz, drawn, completed_at, completed_at,
                                 scores[-1], True))
    loader.write(Enrollment, ENROLMENT_COLUMNS, enrollments)
    loader.write(ModuleProgress, PROGRESS_COLUMNS, progress_rows)
    loader.write(QuizAttempt, ATTEMPT_COLUMNS, attempts)


def _jp(session, now):
    """JP per employee and year from completions, set-based (as the 0002 migration)."""
    year = now.year
    session.execute(insert(JpYear).from_select(
        ["employee_id", "year", "jp"],
        select(Enrollment.employee_id, text(str(year)), func.sum(Enrollment.jp_awarded))
        .where(Enrollment.completed_at.is_not(None)).group_by(Enrollment.employee_id)))


if __name__ == "__main__":
    main()
