"""Reading published content for learners' pages (and for HR's and the assignments'
course lists): what a learner may open."""

from sqlalchemy import select
from sqlalchemy.orm import Session, defer, selectinload

from lms.models import Asset, Course, Module


def _published():
    return (Course.published.is_(True), Course.retired_at.is_(None))


def published_courses(session: Session) -> list[Course]:
    """Published courses with their modules' titles and order (not their bodies)."""
    return list(session.scalars(
        select(Course).where(*_published())
        .options(defer(Course.description_html),
                 selectinload(Course.modules).defer(Module.body_html))
        .order_by(Course.position, Course.title)))


def published_course(session: Session, slug: str) -> Course | None:
    return session.scalars(select(Course).where(Course.slug == slug, *_published())
                           .options(selectinload(Course.modules))).first()


def module_of(course: Course, key: str) -> Module | None:
    """The course's current module with this key, if any."""
    return next((m for m in course.current_modules if m.key == key), None)


def neighbours(course: Course, module: Module) -> tuple[Module | None, Module | None]:
    modules = course.current_modules
    i = modules.index(module)
    return (modules[i - 1] if i else None,
            modules[i + 1] if i + 1 < len(modules) else None)


def servable_asset(session: Session, sha: str, staff: bool = False) -> Asset | None:
    """An image or audio file by its hash, when it belongs to a course the learner may
    open; trainers and admins (`staff`) also see those of hidden courses, whose stored
    HTML the studio shows them."""
    query = select(Asset).join(Course, Asset.course_id == Course.id).where(Asset.sha256 == sha)
    if not staff:
        query = query.where(*_published())
    return session.scalars(query.limit(1)).first()
