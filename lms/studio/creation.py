"""Starting a course in the browser."""

import yaml
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.content.validate import ID
from lms.models import Course, Employee
from lms.studio import drafts, ownership

README = """---
title: {title}
summary: Satu kalimat tentang isi kursus ini dan untuk siapa.
jp: 2
version: "1.0"
---

Tulis pengantar kursus di sini: apa yang akan dipelajari dan untuk siapa.
"""

FIRST_MODULE = """---
title: Pengantar
minutes: 5
---

Tulis isi modul di sini. Gunakan `##` untuk subjudul.
"""


# Studio addresses that a course folder name would shadow (/studio/baru, /studio/impor).
RESERVED = {"baru", "impor"}


class CourseError(ValueError):
    pass


def create(session: Session, slug: str, title: str, person: Employee,
           template: bool = True) -> Course:
    """A new, unpublished course owned by `person`, with a draft to start from (or
    none, for a course arriving as a zip)."""
    slug = slug.strip().lower()
    if not ID.match(slug) or slug in RESERVED:
        raise CourseError(_l("The folder name must start with a letter or digit and use "
                             "only lower-case letters, digits and '-'."))
    if session.scalars(select(Course.id).where(Course.slug == slug)).first():
        raise CourseError(_l("A course with this folder name already exists."))
    position = (session.scalar(select(func.max(Course.position))) or 0) + 10
    course = Course(slug=slug, title=title.strip(), published=False, position=position)
    session.add(course)
    session.flush()
    ownership.add_owner(session, course, person)
    if not template:
        return course
    quoted = yaml.safe_dump(title.strip(), allow_unicode=True, width=1000).splitlines()[0]
    drafts.start_from(session, course, {
        "README.md": README.format(title=quoted).encode(),
        "01-pengantar.md": FIRST_MODULE.encode()}, person)
    return course
