"""Apply a validated course folder to the database, in the caller's transaction.

Nothing is written when any course has a problem (a conflict with browser edits counts
as one). Rows are matched by stable keys (course folder name, module ID, question ID)
so learners' progress and attempts survive edits; what left the folder is retired,
never deleted. Each applied folder is stored as a revision (see revisions.py).
"""

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.content import render, revisions
from lms.content.audio import AUDIO_TYPES
from lms.content.images import IMAGE_TYPES
from lms.content.parse import image_refs
from lms.content.source import CourseSource, ModuleSource, Problem, QuestionSource, errors
from lms.content.tree import read_folder, tree_hash
from lms.content.validate import load, resolve_image
from lms.core import clock
from lms.learning import progress
from lms.models import Asset, Course, Module, Question, QuestionVersion
from lms.pretest import format as pretest_format

MEDIA_TYPES = IMAGE_TYPES | AUDIO_TYPES
LEVELS = ("course", "module", "question")
# "kept": the files did not change but the browser did, so the browser's version stays.
OUTCOMES = ("added", "updated", "unchanged", "retired", "kept")
KIND_NAMES = {"course": _l("course"), "module": _l("module"), "question": _l("question"),
              "job_aid": _l("job aid")}
OUTCOME_NAMES = {"added": _l("added"), "updated": _l("updated"), "unchanged": _l("unchanged"),
                 "retired": _l("retired"), "kept": _l("kept as edited in the browser")}


@dataclass
class SyncReport:
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # printed; they block nothing
    counts: dict[str, Counter] = field(default_factory=lambda: {
        k: Counter() for k in (*LEVELS, "job_aid")})
    changes: list = field(default_factory=list)  # "kursus x: ditambahkan", ... (lazy)

    def note(self, kind: str, outcome: str, name: str) -> None:
        self.counts[kind][outcome] += 1
        if outcome != "unchanged":
            self.changes.append(_l("%(kind)s %(name)s: %(outcome)s", kind=KIND_NAMES[kind],
                                   name=name, outcome=OUTCOME_NAMES[outcome]))

    @property
    def ok(self) -> bool:
        return not self.problems


def _digest(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()


class _Assets:
    """The images and audio one course refers to: read once, stored by content hash."""

    def __init__(self, course_dir: Path, url_base: str):
        self.course_dir = course_dir
        self.url_base = url_base.rstrip("/")
        self.files: dict[str, tuple[str, bytes]] = {}  # relative path -> (sha, bytes)

    def key(self, target: str) -> str:
        return str(PurePosixPath(*PurePosixPath(target).parts)).removeprefix("./")

    def load(self, target: str) -> str:
        key = self.key(target)
        if key not in self.files:
            data = resolve_image(self.course_dir, target).read_bytes()
            self.files[key] = (hashlib.sha256(data).hexdigest(), data)
        return self.files[key][0]

    def url(self, target: str) -> str | None:
        key = self.key(target)
        if key not in self.files:
            return None
        sha = self.files[key][0]
        return f"{self.url_base}/aset/{sha}/{PurePosixPath(key).name}"

    def fingerprint(self, text: str, first_line: int) -> str:
        return ",".join(sorted(self.load(r.target) for r in image_refs(text, first_line)))


def sync(root: Path, session: Session, url_base: str = "/",
         prefer_files: frozenset[str] = frozenset()) -> SyncReport:
    """Apply every course folder under `root`. A course changed in the browser since
    the last sync keeps the browser's version when its files did not change, and is a
    conflict when they did, unless its slug is in `prefer_files`."""
    report = SyncReport()
    sources, found = load(root)
    report.problems = errors(found)
    report.warnings = [p for p in found if p.warning]
    if report.problems:
        return report
    existing = {c.slug: c for c in session.scalars(select(Course))}
    pending = []
    for src in sources:
        course = existing.get(src.slug)
        tree = read_folder(src.path)
        digest = tree_hash(tree)
        if course is not None and src.slug not in prefer_files:
            if course.files_hash == digest and course.tree_hash not in ("", digest):
                report.note("course", "kept", src.slug)
                continue
            conflict = revisions.incoming_conflict(course, digest, course.files_hash)
            if conflict:
                report.problems.append(Problem(src.rel, 1, conflict))
                continue
        pending.append((src, course, tree, digest))
    if report.problems:
        return report
    now = clock.now()
    for src, course, tree, digest in pending:
        course = apply_course(src, course, session, report, url_base, now)
        revisions.record(session, course, tree, source="files")
        course.files_hash = digest
    seen = {s.slug for s in sources}
    for slug, course in existing.items():
        # A course made or changed in the browser is not the folder's to retire (one
        # started in the studio and never published has no source yet).
        if (slug not in seen and course.retired_at is None and course.source_hash
                and course.tree_hash == course.files_hash):
            course.retired_at = now
            report.note("course", "retired", slug)
    session.flush()
    return report


def apply_course(src: CourseSource, course: Course | None, session: Session,
                 report: SyncReport, url_base: str = "/", now=None) -> Course:
    """Make the database say what `src` says (a course already validated)."""
    now = now or clock.now()
    assets = _Assets(src.path, url_base)
    readme_hash = _digest(src.text, assets.fingerprint(src.description_md,
                                                       src.description_line))
    if src.job_aid is not None:  # the hash of a course without one stays as it was
        readme_hash = _digest(readme_hash, src.job_aid.text)
    outcome = "unchanged"
    if course is None:
        course = Course(slug=src.slug)
        session.add(course)
        outcome = "added"
    elif course.retired_at is not None or course.source_hash != readme_hash:
        outcome = "updated"
    if outcome != "unchanged":
        course.title, course.summary = src.title.strip(), src.summary.strip()
        course.jp, course.version = src.jp, src.version
        course.published, course.position = src.published, src.order
        course.description_html = render.render(src.description_md, assets.url)
        _fill_job_aid(course, src, report)
        course.confidence = src.confidence
        pretest_format.store(session, course, src)
        course.source_hash = readme_hash
        course.retired_at = None
        course.updated_at = now
    elif src.job_aid is not None:
        report.note("job_aid", "unchanged", src.slug)

    modules_changed = _sync_modules(src, course, session, assets, report, now)
    if outcome == "unchanged" and modules_changed:
        outcome = "updated"
        course.updated_at = now
    if modules_changed:
        session.flush()
        course.module_count = len(src.modules)
        progress.recount(session, course.id)
    _store_assets(course, assets, session)
    report.note("course", outcome, src.slug)
    return course


def _fill_job_aid(course: Course, src: CourseSource, report: SyncReport) -> None:
    aid = src.job_aid
    title, html = (aid.title.strip(), render.render(aid.body_md)) if aid else ("", "")
    before = (course.job_aid_title or "", course.job_aid_html or "")
    if (title, html) != before:
        outcome = "retired" if not title else "updated" if before[0] else "added"
        report.note("job_aid", outcome, src.slug)
    elif title:
        report.note("job_aid", "unchanged", src.slug)
    course.job_aid_title, course.job_aid_html = title, html


def _sync_modules(src: CourseSource, course: Course, session: Session, assets: _Assets,
                  report: SyncReport, now) -> bool:
    existing = {m.key: m for m in course.modules} if course.id else {}
    changed = False
    for position, msrc in enumerate(src.modules):
        module = existing.pop(msrc.key, None)
        name = f"{src.slug}/{msrc.key}"
        digest = _digest(msrc.text, assets.fingerprint(msrc.text, 1))
        if module is None:
            module = Module(course=course, key=msrc.key)
            session.add(module)
            outcome = "added"
        elif (module.source_hash != digest or module.retired_at is not None
              or module.position != position):
            outcome = "updated"
        else:
            outcome = "unchanged"
        if outcome != "unchanged":
            _fill_module(module, msrc, position, digest, assets, now)
        q_changed = _sync_questions(msrc, module, session, assets, report, name, now,
                                    refresh=outcome != "unchanged")
        if outcome == "unchanged" and q_changed:
            outcome = "updated"
        report.note("module", outcome, name)
        changed |= outcome != "unchanged"
    return _retire(existing, "module", f"{src.slug}/", report, now) or changed


def _fill_module(module: Module, src: ModuleSource, position: int, digest: str,
                 assets: _Assets, now) -> None:
    module.position = position
    module.title = src.title.strip()
    module.minutes = src.minutes
    module.body_html = render.render(src.body_md, assets.url)
    module.pass_mark = src.quiz.pass_mark
    module.max_attempts = src.quiz.attempts
    module.shuffle = src.quiz.shuffle
    module.draw_count = src.quiz.draw
    module.source_hash = digest
    module.retired_at = None
    module.updated_at = now


def _sync_questions(msrc: ModuleSource, module: Module, session: Session, assets: _Assets,
                    report: SyncReport, module_name: str, now, refresh: bool) -> bool:
    """`refresh`: the module file changed, so even a question whose statistics version
    stays (a blank line added) is rendered again from its current text."""
    existing = {q.key: q for q in module.questions} if module.id else {}
    changed = False
    for position, qsrc in enumerate(msrc.questions):
        question = existing.pop(qsrc.key, None)
        digest = _question_digest(qsrc, assets)
        new_version = True
        if question is None:
            question = Question(module=module, key=qsrc.key, version=1)
            session.add(question)
            outcome = "added"
        elif question.source_hash != digest:
            question.version += 1  # answers to the old wording stay with the old version
            outcome = "updated"
        else:
            new_version = False
            moved = question.retired_at is not None or question.position != position
            outcome = "updated" if moved else "unchanged"
        if outcome != "unchanged" or refresh:
            _fill_question(question, qsrc, position, digest, assets)
        if new_version:
            question.wordings.add(QuestionVersion(
                version=question.version, prompt_html=question.prompt_html,
                options=question.options, answer=question.answer))
        report.note("question", outcome, f"{module_name}#{qsrc.key}")
        changed |= outcome != "unchanged"
    return _retire(existing, "question", f"{module_name}#", report, now) or changed


def _retire(leftovers: dict, kind: str, prefix: str, report: SyncReport, now) -> bool:
    """Hide what left the folder; rows stay for the learners' history."""
    retired = False
    for key, row in leftovers.items():
        if row.retired_at is None:
            row.retired_at = now
            report.note(kind, "retired", prefix + key)
            retired = True
    return retired


def _question_digest(src: QuestionSource, assets: _Assets) -> str:
    """What a learner sees and is graded on: blank lines and moves within the file do not
    start a new statistics version."""
    def tidy(text: str) -> str:
        return "\n".join(line.rstrip() for line in text.strip().splitlines() if line.strip())
    return _digest(tidy(src.prompt_md), *map(tidy, src.options), repr(src.correct),
                   *map(tidy, src.accepted), tidy(src.explanation_md), src.kind,
                   assets.fingerprint(src.text, src.line))


def _fill_question(question: Question, src: QuestionSource, position: int, digest: str,
                   assets: _Assets) -> None:
    question.position = position
    question.kind = src.kind
    question.prompt_html = render.render(src.prompt_md, assets.url)
    question.options = [render.render_inline(o, assets.url) for o in src.options]
    question.answer = sorted(src.correct) if src.options else list(src.accepted)
    question.explanation_html = render.render(src.explanation_md, assets.url)
    question.source_hash = digest
    question.retired_at = None


def _store_assets(course: Course, assets: _Assets, session: Session) -> None:
    stored = {a.path: a for a in session.scalars(
        select(Asset).where(Asset.course_id == course.id))} if course.id else {}
    for path, (sha, data) in assets.files.items():
        asset = stored.pop(path, None)
        if asset is None:
            session.add(Asset(course=course, path=path, sha256=sha, data=data,
                              mime=MEDIA_TYPES[PurePosixPath(path).suffix.lower()]))
        elif asset.sha256 != sha:
            asset.sha256, asset.data = sha, data
            asset.mime = MEDIA_TYPES[PurePosixPath(path).suffix.lower()]
    for asset in stored.values():
        session.delete(asset)  # images and audio carry no learner history
