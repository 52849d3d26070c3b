"""The folder a studio page works on: the draft when there is one, else what is
published; and where each validator problem sits in the editor's fields."""

from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _

from lms.content import render, revisions
from lms.content.tree import Tree
from lms.core.extensions import db
from lms.models import Course, CourseDraft
from lms.studio import check, drafts, module_text, preview


@dataclass
class Working:
    course: Course
    tree: Tree
    draft: CourseDraft | None

    def text(self, path: str) -> str:
        return self.tree.get(path, b"").decode("utf-8", "replace")

    def render(self, markdown: str) -> str:
        return render.render(markdown, self.resolver())

    def resolver(self):
        return preview.resolver(self.tree, lambda p: url_for(
            "studio.draft_file", slug=self.course.slug, path=p))


def working_copy(course: Course) -> Working:
    draft = drafts.get(db.session, course)
    if draft is not None:
        return Working(course, drafts.tree(draft), draft)
    return Working(course, revisions.published_tree(db.session, course), None)


@dataclass
class Located:
    line: int  # in the file
    message: str
    where: str  # "settings", "body", "question"
    field_line: int = 0  # line within the body field
    question: str | None = None
    warning: bool = False  # shown apart: it does not stop publishing

    @property
    def label(self) -> str:
        if self.where == "body":
            return _("Content, line %(n)d", n=self.field_line)
        if self.where == "question":
            return _("Question %(key)s", key=self.question)
        return _("Settings, line %(n)d", n=self.line)


def checked(work: Working, slug: str, path: str) -> dict[str, list[Located]]:
    """A file's problems and, apart, its warnings (which do not stop publishing), as a
    page's `problems` and `warnings`."""
    found = locate(work, slug, path)
    return {"problems": [p for p in found if not p.warning],
            "warnings": [p for p in found if p.warning]}


def locate(work: Working, slug: str, path: str) -> list[Located]:
    found = [p for p in check.problems(work.tree, slug) if p.path == f"{slug}/{path}"]
    if not found or path not in work.tree:
        return [Located(p.line, str(p.message), "settings", warning=p.warning)
                for p in found]
    source = module_text.read(path, work.text(path)).source
    lead = len(source.body_md) - len(source.body_md.lstrip("\n"))
    starts = [(q.line, q.key) for q in source.questions]
    out = []
    for p in found:
        question = next((key for start, key in reversed(starts) if p.line >= start), None)
        if question:
            out.append(Located(p.line, str(p.message), "question", question=question,
                               warning=p.warning))
        elif p.line >= source.body_line + lead:
            out.append(Located(p.line, str(p.message), "body",
                               field_line=p.line - source.body_line - lead + 1,
                               warning=p.warning))
        else:
            out.append(Located(p.line, str(p.message), "settings", warning=p.warning))
    return out
