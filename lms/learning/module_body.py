"""The module page's body (breadcrumb, the text, the quiz box, previous and next),
rendered once per worker and reused, as the course cards are (learning.cards).

It is a pure function of its key: the course's content stamp (renewed by every change
to the course, so the text, titles and neighbours are current), the module, the
learner's figures on it (done, best score, attempts left, an open attempt), the language
and the mount point. Most learners share a body: a module not done yet, no attempt. The
CSRF token of its button is a blank put in on the way out (core.fragments); the learner's
figures are read fresh each request and are part of the key."""

from flask import render_template
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from lms.core.fragments import Blank, Kept, fill
from lms.learning.catalogue import neighbours

_TOKEN = Blank()
_kept = Kept(2048)  # module bodies per worker (10-20 KB each, the text included)


def body(course, module, state, attempts_left: int | None, open_attempt_id: int | None,
         locale: str, root: str) -> Markup:
    """The HTML of `module`'s page body for a learner with `state` (None: not begun)."""
    done = bool(state and state.completed_at)
    best = state.best_score if state else None
    key = (course.id, course.stamp, module.key, done, best, attempts_left, open_attempt_id,
           locale, root)

    def render() -> str:
        previous, following = neighbours(course, module)
        return render_template(
            "learning/_module_body.html", course=course, module=module, done=done,
            best_score=best, attempts_left=attempts_left, open_attempt_id=open_attempt_id,
            previous=previous, following=following,
            position=course.current_modules.index(module) + 1, csrf_token=_TOKEN)

    return fill(_kept.get(key, render), {_TOKEN: generate_csrf()})
