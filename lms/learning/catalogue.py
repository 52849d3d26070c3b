"""Reading published content for learners' pages."""

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import defer, selectinload

from lms.core.extensions import db
from lms.models import Course, Module


def published_courses() -> list[Course]:
    """Published courses with their modules' titles and order (not their bodies)."""
    return list(db.session.scalars(
        select(Course).where(Course.published.is_(True), Course.retired_at.is_(None))
        .options(defer(Course.description_html),
                 selectinload(Course.modules).defer(Module.body_html))
        .order_by(Course.position, Course.title)))


def course_or_404(slug: str) -> Course:
    course = db.session.scalars(
        select(Course).where(Course.slug == slug, Course.published.is_(True),
                             Course.retired_at.is_(None))
        .options(selectinload(Course.modules))).first()
    if course is None:
        abort(404)
    return course


def module_or_404(course: Course, key: str) -> Module:
    module = next((m for m in course.current_modules if m.key == key), None)
    if module is None:
        abort(404)
    return module


def neighbours(course: Course, module: Module) -> tuple[Module | None, Module | None]:
    modules = course.current_modules
    i = modules.index(module)
    return (modules[i - 1] if i else None,
            modules[i + 1] if i + 1 < len(modules) else None)
