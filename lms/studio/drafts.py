"""The browser's working copy of a course: one draft per course, shared by its owners.

A draft starts as a copy of the published folder. Each save says which version of the
file it edits (`expected`): when a co-owner saved the same file in between, the save is
refused with both texts kept, never overwritten.
"""

import hashlib
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.content import revisions
from lms.content.tree import Tree, tree_hash
from lms.core import clock
from lms.models import Course, CourseDraft, DraftFile, Employee


class StaleEdit(Exception):
    """The file changed since the editor opened it."""


@dataclass
class DraftState:
    draft: CourseDraft | None
    dirty: bool  # differs from the published revision
    stale: bool  # a newer revision was published since the draft started


def file_version(data: bytes | None) -> str:
    return hashlib.sha256(data or b"").hexdigest()[:16]


def get(session: Session, course: Course) -> CourseDraft | None:
    return session.get(CourseDraft, course.id)


def lock_course(session: Session, course: Course) -> None:
    """Owners saving or publishing at once take turns (PostgreSQL row lock; SQLite writes
    are serialised already): the second sees the first's draft and revision."""
    session.execute(select(Course.id).where(Course.id == course.id).with_for_update())
    session.refresh(course)


def open_draft(session: Session, course: Course, person: Employee) -> CourseDraft:
    lock_course(session, course)
    draft = session.scalars(select(CourseDraft).where(
        CourseDraft.course_id == course.id)).first()
    if draft is None:
        base = revisions.latest(session, course)
        draft = CourseDraft(course_id=course.id, base_revision_id=base.id if base else None,
                            updated_by_id=person.id, updated_at=clock.now())
        session.add(draft)
        for path, data in revisions.published_tree(session, course).items():
            draft.files.append(DraftFile(path=path, data=data))
        session.flush()
    return draft


def start_from(session: Session, course: Course, tree: Tree, person: Employee) -> CourseDraft:
    """Replace the draft with `tree` (a new course's template, or a restored revision)."""
    lock_course(session, course)
    discard(session, course)
    base = revisions.latest(session, course)
    draft = CourseDraft(course_id=course.id, base_revision_id=base.id if base else None,
                        updated_by_id=person.id, updated_at=clock.now())
    draft.files = [DraftFile(path=p, data=d) for p, d in sorted(tree.items())]
    session.add(draft)
    session.flush()
    return draft


def tree(draft: CourseDraft) -> Tree:
    return {f.path: f.data for f in draft.files}


def write(session: Session, draft: CourseDraft, path: str, data: bytes | None,
          person: Employee, expected: str | None = None) -> None:
    """Store (or with data=None, delete) one file of a draft from open_draft. `expected`
    is file_version() of the text the editor started from; None skips the check (new
    files, uploads)."""
    # Under the lock open_draft took, so the comparison sees every earlier save.
    session.refresh(draft, ["files"])
    found = next((f for f in draft.files if f.path == path), None)
    if expected is not None and file_version(found.data if found else None) != expected:
        raise StaleEdit(path)
    if data is None:
        if found is not None:
            draft.files.remove(found)
    elif found is None:
        draft.files.append(DraftFile(path=path, data=data))
    else:
        found.data = data
    draft.updated_by_id, draft.updated_at = person.id, clock.now()
    session.flush()


def state(session: Session, course: Course) -> DraftState:
    draft = get(session, course)
    if draft is None:
        return DraftState(None, False, False)
    latest = revisions.latest(session, course)
    stale = (latest.id if latest else None) != draft.base_revision_id
    return DraftState(draft, tree_hash(tree(draft)) != course.tree_hash, stale)


def discard(session: Session, course: Course) -> None:
    draft = get(session, course)
    if draft is not None:
        session.delete(draft)
        session.flush()


def owned_drafts(session: Session, course_ids: list[int]) -> set[int]:
    """Which of these courses have a draft, in one query, for list pages."""
    if not course_ids:
        return set()
    return set(session.scalars(select(CourseDraft.course_id).where(
        CourseDraft.course_id.in_(course_ids))))
