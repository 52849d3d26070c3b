"""What a course started from the studio's template still lacks: its own words and its JP.

The template (`lms/studio/creation.py`) writes example sentences a trainer is meant to
replace and leaves the JP empty. Published as they are, learners would read the example
as the course and be credited a number nobody chose, so the checker (studio and
`check-courses` alike) refuses both.
"""

from flask_babel import lazy_gettext as _l

from lms.content.parse import unfenced_lines
from lms.content.source import CourseSource, Problem

JP_MINUTES = 45  # one JP; content.validate credits at most floor(minutes / 45)

# The template's example sentences, as the template writes them (Indonesian: the course's
# language, whatever the trainer's page language is).
SUMMARY = "Satu kalimat tentang isi kursus ini dan untuk siapa."
INTRODUCTION = "Tulis pengantar kursus di sini: apa yang akan dipelajari dan untuk siapa."
MODULE_BODY = "Tulis isi modul di sini. Gunakan `##` untuk subjudul."
EXAMPLES = (SUMMARY, INTRODUCTION, MODULE_BODY)


def reading_minutes(course: CourseSource) -> int:
    return sum(m.minutes for m in course.modules
               if isinstance(m.minutes, int) and not isinstance(m.minutes, bool))


def suggested_jp(minutes: int) -> int:
    """The JP the reading time supports: whole 45 minutes, as credited."""
    return minutes // JP_MINUTES


def _example(rel: str, line: int) -> Problem:
    return Problem(rel, line, _l("this is the template's example text: replace it with "
                                 "your own words"))


def problems(course: CourseSource) -> list[Problem]:
    out = []
    if course.meta_ok and course.jp is None:  # `jp:` left empty, or no `jp:` at all
        minutes = reading_minutes(course)
        out.append(Problem(course.rel, course.meta_lines.get("jp", 1), _l(
            "choose how many JP the course credits: its modules take %(minutes)d minutes "
            "to read, which supports %(jp)d JP (one JP is 45 minutes)",
            minutes=minutes, jp=suggested_jp(minutes))))
    if course.meta_ok and str(course.meta.get("summary") or "").strip() == SUMMARY:
        out.append(_example(course.rel, course.meta_lines.get("summary", 1)))
    sources = [(course.rel, course.description_md, course.description_line)]
    sources += [(m.rel, m.body_md, m.body_line) for m in course.modules]
    for rel, text, first in sources:
        for n, line in unfenced_lines(text, first):
            if line.strip() in EXAMPLES:
                out.append(_example(rel, n))
    return out
