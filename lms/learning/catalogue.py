"""Reading published content for learners' pages (and for HR's and the assignments'
course lists): what a learner may open."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, defer, selectinload

from lms.models import Asset, Course, Module, Question


def _published():
    return (Course.published.is_(True), Course.retired_at.is_(None))


def published_filter():
    """The conditions a course meets when learners may open it."""
    return _published()


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


def module_of(course, key: str):
    """The course's current module with this key, if any."""
    return next((m for m in course.current_modules if m.key == key), None)


def neighbours(course, module):
    """The modules before and after `module` (ORM rows or cached views alike)."""
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


# Learner pages: published content as plain frozen data, cached in this process under
# each course's content stamp. The stamp is read from the database by every page's first
# query (learning.state), so a copy is only reused while it is what the database holds:
# a publish on another worker or host changes the stamp and the next request loads anew.
# Nothing here can be stale; it only saves loading the same rows again.

@dataclass(frozen=True)
class ModuleView:
    id: int
    course_id: int
    key: str
    position: int
    title: str
    minutes: int
    body_html: str
    pass_mark: int
    max_attempts: int
    has_quiz: bool


@dataclass(frozen=True)
class CourseView:
    id: int
    slug: str
    title: str
    summary: str
    description_html: str
    jp: int
    job_aid_title: str
    confidence: str | None  # the course's confidence question (lms.evaluation)
    stamp: str
    current_modules: tuple[ModuleView, ...]


_cache: dict[int, CourseView] = {}  # course id -> its content at the stamp it carries


def content(session: Session, stamps: dict[int, str]) -> dict[int, CourseView]:
    """{course id: its content} for courses whose content stamp the caller has just read;
    only courses not cached at that stamp are loaded (two queries for all of them)."""
    found = {cid: view for cid in stamps
             if (view := _cache.get(cid)) is not None and view.stamp == stamps[cid]}
    missing = [cid for cid in stamps if cid not in found]
    if missing:
        for view in _load(session, missing):
            _cache[view.id] = view
            found[view.id] = view
    return found


def _load(session: Session, ids: list[int]) -> list[CourseView]:
    courses = list(session.scalars(select(Course).where(Course.id.in_(ids))
                                   .options(selectinload(Course.modules))))
    module_ids = [m.id for c in courses for m in c.current_modules]
    with_quiz = set(session.scalars(select(Question.module_id).distinct().where(
        Question.module_id.in_(module_ids), Question.retired_at.is_(None))))
    return [CourseView(
        id=c.id, slug=c.slug, title=c.title, summary=c.summary,
        description_html=c.description_html, jp=c.jp, job_aid_title=c.job_aid_title,
        confidence=c.confidence, stamp=c.content_stamp,
        current_modules=tuple(ModuleView(
            id=m.id, course_id=c.id, key=m.key, position=m.position, title=m.title,
            minutes=m.minutes, body_html=m.body_html, pass_mark=m.pass_mark,
            max_attempts=m.max_attempts, has_quiz=m.id in with_quiz)
            for m in c.current_modules)) for c in courses]
