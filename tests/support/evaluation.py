"""The evaluation in tests: a stored questionnaire, a crowd of people who completed the
test course, and their answers."""

from lms.core.extensions import db as _db
from lms.evaluation import questionnaire
from lms.models import Course
from tests.support.certificates import complete
from tests.support.factories import make_employee

FORM = """---
title: Evaluasi uji
version: "1"
---
Terima kasih.

### Materi sesuai pekerjaan saya {#relevan}
### Penjelasan jelas {#jelas}
### Saran Anda {#komentar .komentar}
"""


def store_form(text: str = FORM):
    q, problems = questionnaire.parse(text, questionnaire.FILE)
    assert not problems, [str(p) for p in problems]
    form = questionnaire.store(_db.session, q, "files")
    _db.session.commit()
    return form


def crowd(opd, n: int, course: Course, start: int = 0, prefix: str = "1990"):
    """n employees in `opd` who completed `course`."""
    people = []
    for i in range(start, start + n):
        person = make_employee(f"{prefix}{i:014d}", opd, f"Peserta Rahasia {i}")
        _db.session.commit()
        complete(person, course)
        people.append(person)
    return people
