"""The course cards of the dashboard and the catalogue, each rendered once per worker and
reused.

A card is a pure function of what it prints: the course's content (its stamp), the
learner's figures on it, the language and where the site is mounted, so its key is all of
those and a stored card is never stale. Learners share cards: most are a course not
started yet, the same for everyone. The CSRF token of a card's "Start" button, the only
part that is the session's, is stored as a blank and put in on the way out
(core.fragments). Nothing about the learner is cached: their figures are read fresh each
request and are part of the key (docs/performance.md)."""

from dataclasses import dataclass
from datetime import date

from flask import render_template
from markupsafe import Markup

from lms.core.fragments import Blank, Kept, fill
from lms.learning.progress import CourseProgress

_TOKEN = Blank()
_kept = Kept(4096)  # cards per worker (about 1.5 KB each)


@dataclass(frozen=True)
class Key:
    template: str
    course_id: int
    stamp: str
    level: int
    status: str
    due_date: date | None
    enrolled: bool
    jp_awarded: int | None
    done: int
    total: int
    percent: int
    next_key: str | None
    new: bool
    certificate: str | None
    locale: str
    root: str


def key(template: str, row: CourseProgress, level: int, new: set[int],
        certificates: dict[int, str], locale: str, root: str) -> Key:
    e = row.enrollment
    return Key(template, row.course.id, row.course.stamp, level, row.status, row.due_date,
               e is not None, e.jp_awarded if e else None, row.done, row.total,
               row.percent, row.next_module.key if row.next_module else None,
               row.course.id in new, certificates.get(row.course.id), locale, root)


def cards(template: str, rows: list[CourseProgress], locale: str, root: str, token: str,
          level: int = 3, new: frozenset[int] = frozenset(),
          certificates: dict[int, str] | None = None) -> list[Markup]:
    """The HTML of each row's card drawn by `template`, for this request (`token`: its
    CSRF token, asked for once per page, not once per card)."""
    certificates = certificates or {}
    drawn = []
    for row in rows:
        k = key(template, row, level, new, certificates, locale, root)
        html = _kept.get(k, lambda row=row: render_template(
            template, row=row, level=level, new=new, certificates=certificates,
            csrf_token=_TOKEN))
        drawn.append(fill(html, {_TOKEN: token}))
    return drawn
