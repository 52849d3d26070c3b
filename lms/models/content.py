"""Published course content, as synced from `courses/` or published in the studio.

Rows are never deleted once learners may have touched them: a module or question that
leaves the source gets `retired_at` and drops out of what learners see, while attempts
and progress keep pointing at it.
"""

import uuid
from datetime import datetime

from sqlalchemy import (
    JSON,
    ForeignKey,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, Session, WriteOnlyMapped, mapped_column, relationship

from lms.core import clock
from lms.core.extensions import db
from lms.models._types import UTCDateTime


class Course(db.Model):
    __tablename__ = "course"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    jp: Mapped[int] = mapped_column(default=0)
    version: Mapped[str] = mapped_column(String(40), default="1")
    position: Mapped[int] = mapped_column(default=0)
    published: Mapped[bool] = mapped_column(default=True)
    module_count: Mapped[int] = mapped_column(default=0, server_default="0")  # current ones
    source_hash: Mapped[str] = mapped_column(String(64), default="")
    # The course folder as published (tree_hash) and as last read from courses/
    # (files_hash): their difference is how a sync tells browser edits from file edits.
    tree_hash: Mapped[str] = mapped_column(String(64), default="", server_default="")
    files_hash: Mapped[str] = mapped_column(String(64), default="", server_default="")
    # Number of the latest revision; 0 until one is stored.
    revision: Mapped[int] = mapped_column(default=0, server_default="0")
    # RINGKAS.md, the one-page job aid; an empty title: the course has none.
    job_aid_title: Mapped[str] = mapped_column(String(200), default="", server_default="")
    job_aid_html: Mapped[str] = mapped_column(Text, default="", server_default="")
    # `confidence:` in README.md: asked before module 1 and after completion (evaluation/).
    confidence: Mapped[str] = mapped_column(String(300), default="", server_default="")
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    # A new random token whenever anything learners see of the course changes (the
    # course, a module or a question, by any path: see _new_stamps). Learner pages read it
    # with their first query and reuse content cached under it (learning.catalogue).
    content_stamp: Mapped[str] = mapped_column(String(32), default=lambda: uuid.uuid4().hex,
                                               server_default="")

    modules: Mapped[list["Module"]] = relationship(
        back_populates="course", order_by="Module.position")

    @property
    def current_modules(self) -> list["Module"]:
        return [m for m in self.modules if m.retired_at is None]


class Module(db.Model):
    __tablename__ = "module"
    __table_args__ = (UniqueConstraint("course_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    key: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    minutes: Mapped[int] = mapped_column(default=0)
    body_html: Mapped[str] = mapped_column(Text, default="")
    source_hash: Mapped[str] = mapped_column(String(64), default="")
    # Quiz settings; a module without current questions has no quiz.
    pass_mark: Mapped[int] = mapped_column(default=70)
    max_attempts: Mapped[int] = mapped_column(default=0)  # 0: unlimited
    shuffle: Mapped[bool] = mapped_column(default=False)
    draw_count: Mapped[int | None] = mapped_column()
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    course: Mapped[Course] = relationship(back_populates="modules")
    questions: Mapped[list["Question"]] = relationship(
        back_populates="module", order_by="Question.position")

    @property
    def current_questions(self) -> list["Question"]:
        return [q for q in self.questions if q.retired_at is None]

    @property
    def has_quiz(self) -> bool:
        return bool(self.current_questions)


class Question(db.Model):
    """One quiz question. `options` holds the display HTML of each choice; `answer` the
    key (indexes of correct options, or normalised accepted texts): it never leaves the
    server before grading. `version` grows when the question's source changes, so answer
    statistics can be kept per version."""

    __tablename__ = "question"
    __table_args__ = (UniqueConstraint("module_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id"), index=True)
    key: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(12))  # single, multiple, truefalse, text
    prompt_html: Mapped[str] = mapped_column(Text)
    options: Mapped[list] = mapped_column(JSON, default=list)
    answer: Mapped[list] = mapped_column(JSON, default=list)
    explanation_html: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)
    source_hash: Mapped[str] = mapped_column(String(64), default="")
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    module: Mapped[Module] = relationship(back_populates="questions")
    # Only ever added to (at publish); read with a query, never loaded with the question.
    wordings: WriteOnlyMapped["QuestionVersion"] = relationship()


class QuestionVersion(db.Model):
    """What learners saw in one statistics version of a question, kept so the figures of
    an earlier version can be read next to its own wording and key."""

    __tablename__ = "question_version"

    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), primary_key=True)
    version: Mapped[int] = mapped_column(primary_key=True)
    prompt_html: Mapped[str] = mapped_column(Text)
    options: Mapped[list] = mapped_column(JSON, default=list)
    answer: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class Asset(db.Model):
    """An image or audio file from a course folder, stored with the content it belongs to
    so every worker and host serves the same bytes the published HTML refers to."""

    __tablename__ = "asset"
    __table_args__ = (UniqueConstraint("course_id", "path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    path: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    mime: Mapped[str] = mapped_column(String(50))
    data: Mapped[bytes] = mapped_column(LargeBinary)

    course: Mapped[Course] = relationship()



def _course_of(session, obj):
    if isinstance(obj, Question):
        obj = obj.module or (session.get(Module, obj.module_id) if obj.module_id else None)
    if isinstance(obj, Module):
        obj = obj.course or (session.get(Course, obj.course_id) if obj.course_id else None)
    return obj if isinstance(obj, Course) else None


@event.listens_for(Session, "before_flush")
def _new_stamps(session, _context, _instances):
    """Give every course whose course, module or question rows this flush writes a new
    content stamp, so no cached copy of its old content is ever served again."""
    changed = [*session.new, *session.deleted,
               *(o for o in session.dirty if session.is_modified(o))]
    if not any(isinstance(o, (Course, Module, Question)) for o in changed):
        return
    with session.no_autoflush:
        courses = {_course_of(session, o) for o in changed}
    for course in courses - {None}:
        course.content_stamp = uuid.uuid4().hex
