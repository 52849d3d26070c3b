"""The module page's body, rendered once per worker and reused, as the course cards are
(learning.cards), in two stored parts:

- the text (breadcrumb, title, the module's text, previous and next), keyed on the
  course's content stamp (renewed by every change to the course), the module, done or
  not, the language and the mount point: at most a few copies of each module's text per
  worker, however many learners read it;
- the quiz box, keyed on the learner's figures on the module as well (best score,
  attempts left, an open attempt): small, so a store of them stays small even when
  every learner has an attempt of their own open.

The box goes into the text, and the CSRF token of its button into the box, on the way
out (core.fragments). The learner's figures are read fresh each request."""

from flask import render_template
from markupsafe import Markup

from lms.core.fragments import Blank, Kept, fill
from lms.learning.catalogue import neighbours

_TOKEN, _BOX = Blank(), Blank()
_texts = Kept(1024)  # as large as the modules' text; a few per module and language
_boxes = Kept(4096)  # about 0.5 KB each


def body(course, module, state, attempts_left: int | None, open_attempt_id: int | None,
         locale: str, root: str, token: str) -> Markup:
    """The HTML of `module`'s page body for a learner with `state` (None: not begun)."""
    done = bool(state and state.completed_at)
    best = state.best_score if state else None
    page = (course.id, course.stamp, module.key, done, locale, root)

    def text() -> str:
        previous, following = neighbours(course, module)
        return render_template(
            "learning/_module_text.html", course=course, module=module, done=done,
            previous=previous, following=following, quiz_box=_BOX,
            position=course.current_modules.index(module) + 1)

    def box() -> str:
        return render_template(
            "learning/_module_quiz_box.html", course=course, module=module, done=done,
            best_score=best, attempts_left=attempts_left, open_attempt_id=open_attempt_id,
            csrf_token=_TOKEN)

    quiz_box = fill(_boxes.get((*page, best, attempts_left, open_attempt_id), box),
                    {_TOKEN: token})
    return fill(_texts.get(page, text), {_BOX: quiz_box})
