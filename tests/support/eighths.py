"""A course cut in eighths, where rounding shows: eight modules (1 of 8 done is 12.5%), and
a first module whose quiz has eight questions (5 of 8 right is 62.5) with pass mark 63."""

import shutil

from lms.content.sync import sync
from lms.models import Course

from .factories import DATA

README = """---
title: Delapan Bagian
summary: Kursus uji pembulatan.
jp: 1
version: "1.0"
order: 2
---
Delapan modul.
"""

QUESTION = """### Soal nomor {n}? {{#soal-{n}}}

- [x] Benar {n}
- [ ] Keliru {n}

> Penjelasan: jawaban {n}.
"""


def make_course(db, tmp_path) -> Course:
    root = tmp_path / "courses"
    shutil.copytree(DATA / "courses", root)  # "dasar" stays: a sync retires what is missing
    folder = root / "delapan"
    folder.mkdir()
    (folder / "README.md").write_text(README)
    quiz = "\n".join(QUESTION.format(n=n) for n in range(1, 9))
    (folder / "01-kuis.md").write_text(
        "---\ntitle: Modul Kuis\nminutes: 5\nquiz:\n  pass_mark: 63\n---\n"
        f"## Isi\n\nBacaan.\n\n## Kuis\n\n{quiz}")
    for n in range(2, 9):
        (folder / f"0{n}-bagian-{n}.md").write_text(
            f"---\ntitle: Bagian {n}\nminutes: 1\n---\n## Isi\n\nBagian {n}.\n")
    report = sync(root, db.session)
    assert report.ok, [str(p) for p in report.problems]
    db.session.commit()
    return db.session.scalars(db.select(Course).filter_by(slug="delapan")).one()


def responses(attempt, module, right: int) -> dict[int, list[str]]:
    """Graded input with the first `right` drawn questions answered correctly."""
    by_id = {q.id: q for q in module.current_questions}
    out = {}
    for i, d in enumerate(attempt.drawn):
        q = by_id[d["q"]]
        wrong = next(o for o in range(len(q.options)) if o not in q.answer)
        out[q.id] = [str(q.answer[0])] if i < right else [str(wrong)]
    return out
