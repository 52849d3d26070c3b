"""Publishing: a draft or an imported folder becomes what learners see, in the caller's
transaction, through the same validation and the same sync as courses/ on disk."""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from lms.content import revisions
from lms.content.source import Problem, errors
from lms.content.sync import SyncReport, apply_course
from lms.content.tree import Tree, tree_hash
from lms.models import Course, CourseRevision, Employee
from lms.studio import check, drafts


@dataclass
class Outcome:
    problems: list[Problem] = field(default_factory=list)
    conflict: str | None = None
    revision: CourseRevision | None = None
    report: SyncReport | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and self.conflict is None


def apply(session: Session, course: Course, tree: Tree, *, source: str, author: Employee,
          message: str, url_base: str = "/") -> Outcome:
    """Validate `tree` and, when it has no problem, make it the published course and a
    new revision. Nothing is written when there is a problem."""
    drafts.lock_course(session, course)
    with check.materialised(tree, course.slug) as (src, found):
        problems = errors(found)  # warnings do not stop a publish
        if problems or src is None:
            return Outcome(problems=problems)
        report = SyncReport()
        apply_course(src, course, session, report, url_base)
    revision = revisions.record(session, course, tree, source=source, author=author,
                                message=message)
    return Outcome(revision=revision, report=report)


def publish_draft(session: Session, course: Course, author: Employee, message: str,
                  overwrite: bool = False, url_base: str = "/") -> Outcome:
    drafts.lock_course(session, course)
    state = drafts.state(session, course)
    if state.draft is None:
        return Outcome(conflict=_l("There is no draft to publish."))
    if state.stale and not overwrite:
        return Outcome(conflict=_l(
            "Revision %(rev)d was published after this draft was started (from the files, "
            "an import or another owner). Compare the draft with it before publishing: "
            "publishing now replaces that revision's content.", rev=course.revision))
    outcome = apply(session, course, drafts.tree(state.draft), source="studio",
                    author=author, message=message, url_base=url_base)
    if outcome.ok:
        drafts.discard(session, course)
    return outcome


def import_tree(session: Session, course: Course, tree: Tree, base_tree_hash: str, *,
                author: Employee, message: str, overwrite: bool = False,
                url_base: str = "/") -> Outcome:
    """An uploaded folder. Its base is the export it came from (the zip's marker) or,
    for a zip made by hand from courses/, the folder as last synced."""
    drafts.lock_course(session, course)
    state = drafts.state(session, course)
    if not overwrite:
        if state.dirty:
            return Outcome(conflict=_l(
                "This course has unpublished changes in the browser draft. Publish or "
                "discard the draft first, or tick the box to replace it."))
        incoming = tree_hash(tree)
        base = base_tree_hash or course.files_hash
        conflict = revisions.incoming_conflict(course, incoming, base)
        if conflict:
            return Outcome(conflict=conflict)
        if incoming == base and course.tree_hash not in ("", base):
            return Outcome(conflict=_l(
                "This zip is an unchanged export of an older revision; the course has "
                "changed since. Nothing was imported."))
    outcome = apply(session, course, tree, source="import", author=author,
                    message=message, url_base=url_base)
    if outcome.ok:
        drafts.discard(session, course)
    return outcome
