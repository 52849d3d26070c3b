"""A course with a pre-test: reading (30 min), a module with a quiz (20 min), and a final
quiz (10 min) of POOL single-choice questions drawing DRAW; 60 minutes, 1 JP."""

import shutil

from lms.content.sync import sync
from lms.models import Course, PretestAttempt, QuizAttempt

from .factories import DATA
from .http import csrf_token

POOL, DRAW = 6, 3

README = """---
title: Uji Pre-test
summary: Kursus uji pre-test.
jp: 1
version: "1.0"
order: 3
{pretest}---
Kursus dengan pre-test.
"""

QUESTION = """### Soal akhir {n}? {{#akhir-{n}}}

- [x] Benar {n}
- [ ] Keliru {n}
- [ ] Salah kaprah {n}

> Penjelasan: rahasia-kunci-{n}.
"""


def write_course(root, pretest="pretest:\n  questions: 3\n  test_out: 60\n", pool=POOL,
                 draw=DRAW):
    folder = root / "uji-pre"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "README.md").write_text(README.format(pretest=pretest))
    (folder / "01-bacaan.md").write_text(
        "---\ntitle: Bacaan\nminutes: 30\n---\n## Isi\n\nBacaan.\n")
    (folder / "02-bagian.md").write_text(
        "---\ntitle: Bagian\nminutes: 20\n---\n## Isi\n\nBagian.\n\n## Kuis\n\n"
        "### Satu soal? {#bagian-1}\n\n- [x] Ya\n- [ ] Tidak\n\n> Penjelasan: ya.\n")
    quiz = "\n".join(QUESTION.format(n=n) for n in range(1, pool + 1))
    (folder / "03-kuis-akhir.md").write_text(
        f"---\ntitle: Kuis akhir\nminutes: 10\nquiz:\n  draw: {draw}\n  shuffle: true\n---\n"
        f"## Isi\n\nKuis akhir.\n\n## Kuis\n\n{quiz}")
    return folder


def make_course(db, tmp_path, **kwargs) -> Course:
    root = tmp_path / "courses"
    shutil.copytree(DATA / "courses", root)  # "dasar" stays: a sync retires what is missing
    write_course(root, **kwargs)
    report = sync(root, db.session)
    assert report.ok, [str(p) for p in report.problems]
    db.session.commit()
    return db.session.scalars(db.select(Course).filter_by(slug="uji-pre")).one()


def form_for(db, attempt, right: int) -> dict:
    """Submitted fields (display positions) with the first `right` questions right."""
    from lms.models import Question
    form = {}
    for i, d in enumerate(attempt.drawn):
        q = db.session.get(Question, d["q"])
        key = q.answer[0]
        wrong = next(o for o in range(len(q.options)) if o != key)
        form[f"q{q.id}"] = [str(d["o"].index(key if i < right else wrong))]
    return form


def post(client, url, data=None, page=None):
    data = dict(data or {})
    data["csrf_token"] = csrf_token(client, page or "/katalog")
    return client.post(url, data=data)


def take_pretest(client, db, employee, right: int):
    assert post(client, "/pre-test/uji-pre/mulai").status_code == 302
    attempt = db.session.scalars(db.select(PretestAttempt).filter_by(
        employee_id=employee.id)).one()
    response = post(client, "/pre-test/uji-pre/soal", form_for(db, attempt, right))
    assert response.headers["Location"] == "/pre-test/uji-pre/hasil"
    db.session.refresh(attempt)
    return attempt


def take_final(client, db, employee, right: int) -> QuizAttempt:
    response = post(client, "/kursus/uji-pre/kuis-akhir/kuis")
    attempt_id = int(response.headers["Location"].rsplit("/", 1)[1])
    attempt = db.session.get(QuizAttempt, attempt_id)
    post(client, f"/kuis/{attempt_id}", form_for(db, attempt, right))
    db.session.refresh(attempt)
    return attempt
