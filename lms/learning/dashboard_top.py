"""The top of the dashboard (the next deadline, with a kind word when courses are late,
and the year's JP), rendered once per worker and reused, as the course cards are
(learning.cards).

Its key is all it prints: the next deadline's course (content stamp), date, status, the
learner's place in it and how the deadline reads today, how many courses are late or new,
whether the learner has begun anything, the year's JP and target, the language and the
mount point. It holds no form. The figures are read fresh each request."""

from flask import render_template
from markupsafe import Markup

from lms.core.fragments import Kept
from lms.learning.history import JpStanding
from lms.learning.progress import CourseProgress

_kept = Kept(4096)  # about 1.5 KB each


def top(next_due: CourseProgress | None, next_due_words: str | None, overdue: int,
        first_time: bool, new_count: int, jp: JpStanding, locale: str, root: str) -> Markup:
    due = None if next_due is None else (
        next_due.course.id, next_due.course.stamp, next_due.due_date, next_due.status,
        next_due.enrollment is not None,
        next_due.next_module.key if next_due.next_module else None)
    key = (due, next_due_words, overdue, first_time, new_count, jp.year, jp.total,
           jp.target, locale, root)
    return Markup(_kept.get(key, lambda: render_template(
        "learning/_dashboard_top.html", next_due=next_due, next_due_words=next_due_words,
        overdue=overdue, first_time=first_time, new_count=new_count, jp=jp)))
