"""Starting a course in the browser."""

import re
import unicodedata

import yaml
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.content import unfinished
from lms.content.validate import ID
from lms.models import Course, Employee
from lms.studio import drafts, ownership

# The example sentences are content.unfinished's: the checker refuses them until the
# trainer writes their own, and `jp:` is left empty for the trainer to choose.
README = f"""---
title: {{title}}
summary: {unfinished.SUMMARY}
jp:
version: "1.0"
---

{unfinished.INTRODUCTION}
"""

FIRST_MODULE = f"""---
title: Pengantar
minutes: 5
---

{unfinished.MODULE_BODY}
"""


# Studio addresses that a course folder name would shadow (/studio/baru, /studio/impor).
RESERVED = {"baru", "impor"}


class CourseError(ValueError):
    pass


def folder_name(session: Session, title: str) -> str:
    """A free folder name made from the title: 'Tanda Tangan Elektronik (TTE)' becomes
    'tanda-tangan-elektronik-tte', or 'tanda-tangan-elektronik-tte-2' when taken."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    base = "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))[:60].strip("-")
    base = base or "kursus"
    taken = set(session.scalars(select(Course.slug).where(Course.slug.like(base + "%"))))
    slug, n = base, 2
    while slug in taken or slug in RESERVED:
        slug, n = f"{base}-{n}", n + 1
    return slug


def create(session: Session, slug: str, title: str, person: Employee,
           template: bool = True) -> Course:
    """A new, unpublished course owned by `person`, with a draft to start from (or
    none, for a course arriving as a zip). Without a folder name, one is made from the
    title."""
    slug = slug.strip().lower() or folder_name(session, title)
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
