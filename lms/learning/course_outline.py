"""The course page's outline (description, job aid, classroom link, the module list with
the learner's done marks), rendered once per worker and reused, as the course cards are
(learning.cards).

Its key is all it prints: the course's content stamp, which of its modules the learner
has done, the language and the mount point; it holds no form. The part above it (status,
progress, the buttons, the pre-test) is rendered per request."""

from flask import render_template
from markupsafe import Markup

from lms.core.fragments import Kept

_kept = Kept(2048)  # outlines per worker (2-5 KB each)


def outline(course, done: set[int], locale: str, root: str) -> Markup:
    """The outline of `course` for a learner who has done the modules `done`."""
    mine = frozenset(m.id for m in course.current_modules if m.id in done)
    key = (course.id, course.stamp, mine, locale, root)
    return Markup(_kept.get(key, lambda: render_template(
        "learning/_course_outline.html", course=course, done=mine)))
