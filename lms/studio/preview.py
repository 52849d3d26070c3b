"""A draft shown the way learners will see it: the same parser and the same renderer
as publishing, run on demand (drafts are read by their few owners, not by learners)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from lms.content import render
from lms.content.tree import Tree
from lms.studio import check


@dataclass
class PreviewQuestion:
    key: str
    kind: str
    prompt_html: str
    options_html: list[str]
    explanation_html: str


@dataclass
class PreviewModule:
    path: str
    key: str
    title: str
    minutes: int
    body_html: str
    pass_mark: int
    questions: list[PreviewQuestion] = field(default_factory=list)


@dataclass
class PreviewCourse:
    title: str
    summary: str
    description_html: str
    modules: list[PreviewModule]


def resolver(tree: Tree, url_for_path: Callable[[str], str]):
    """Image links in a draft point at the draft's own files."""
    def resolve(target: str) -> str | None:
        key = str(PurePosixPath(target)).removeprefix("./")
        return url_for_path(key) if key in tree else None
    return resolve


def build(tree: Tree, slug: str, url_for_path: Callable[[str], str]) -> PreviewCourse | None:
    resolve = resolver(tree, url_for_path)
    with check.materialised(tree, slug) as (src, _):
        if src is None:
            return None
        modules = [PreviewModule(
            path=m.path.name, key=m.key, title=m.title, minutes=m.minutes
            if isinstance(m.minutes, int) else 0, body_html=render.render(m.body_md, resolve),
            pass_mark=m.quiz.pass_mark if isinstance(m.quiz.pass_mark, int) else 70,
            questions=[PreviewQuestion(q.key, q.kind, render.render(q.prompt_md, resolve),
                                       [render.render_inline(o, resolve) for o in q.options],
                                       render.render(q.explanation_md, resolve))
                       for q in m.questions]) for m in src.modules]
        return PreviewCourse(src.title, src.summary,
                             render.render(src.description_md, resolve), modules)
