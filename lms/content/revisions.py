"""Published states of a course folder, and the rule that decides between a change in
the files and a change in the browser.

Every publish (sync from courses/, the studio, an imported zip, a restore) stores the
folder as a revision. `Course.tree_hash` is the folder learners see now;
`Course.files_hash` the folder as last read from courses/. When both moved away from
the last point they agreed on, neither side wins silently.
"""

from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.content.tree import Tree, from_archive, read_folder, replace_folder, to_zip, tree_hash
from lms.core import clock
from lms.models import Course, CourseRevision, Employee


def record(session: Session, course: Course, tree: Tree, *, source: str,
           author: Employee | None = None, message: str = "") -> CourseRevision | None:
    """Store `tree` as the course's next revision; None when it is what is published."""
    digest = tree_hash(tree)
    if digest == course.tree_hash:
        return None
    course.revision += 1
    revision = CourseRevision(course_id=course.id, number=course.revision, source=source,
                              author_id=author.id if author else None,
                              message=message.strip(), created_at=clock.now(),
                              tree_hash=digest, archive=to_zip(tree, course.slug))
    session.add(revision)
    course.tree_hash = digest
    session.flush()
    return revision


def latest(session: Session, course: Course) -> CourseRevision | None:
    return get(session, course, course.revision) if course.revision else None


def get(session: Session, course: Course, number: int) -> CourseRevision | None:
    return session.scalars(select(CourseRevision).where(
        CourseRevision.course_id == course.id, CourseRevision.number == number)).first()


def history(session: Session, course: Course) -> list[CourseRevision]:
    return list(session.scalars(select(CourseRevision).where(
        CourseRevision.course_id == course.id).order_by(CourseRevision.number.desc())))


def published_tree(session: Session, course: Course) -> Tree:
    revision = latest(session, course)
    return from_archive(revision.archive) if revision else {}


def unsynced_files(course: Course, root: Path) -> bool:
    """The course's folder under `root` changed since it was last synced (or exported):
    writing over it would lose that work."""
    folder = root / course.slug
    if not folder.is_dir():
        return False
    current = tree_hash(read_folder(folder))
    return current not in (course.files_hash, course.tree_hash)


def export_to_folder(session: Session, course: Course, root: Path) -> Path:
    """Write the published course into `root/<slug>/` (as `courses/` holds it) and note
    that files and browser are in step again, so the next sync has nothing to decide."""
    tree = published_tree(session, course)
    folder = root / course.slug
    replace_folder(tree, folder)
    course.files_hash = tree_hash(tree)
    session.flush()
    return folder


def incoming_conflict(course: Course, incoming_hash: str, base_hash: str) -> str | None:
    """Why a folder from outside (courses/ or a zip) must not replace what is published,
    or None. `base_hash` is the folder it was last in step with: for courses/ the
    folder as last synced, for an exported zip the export."""
    if incoming_hash == course.tree_hash or not course.tree_hash:
        return None  # already in step, or nothing published to lose
    if course.tree_hash == base_hash:
        return None  # only the files changed
    if incoming_hash == base_hash:
        return None  # only the browser changed: the caller keeps the browser's version
    return _l("course '%(slug)s' was changed both in the files and in the browser since "
              "they were last in step (now at revision %(rev)d): neither is applied. "
              "Export the browser version, merge the two, then sync or import again",
              slug=course.slug, rev=course.revision)
