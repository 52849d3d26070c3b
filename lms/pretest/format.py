"""`pretest:` in a course's README.md: read, checked with line numbers, stored at sync.

    pretest:
      questions: 5     # drawn from the final quiz's questions, 1 to all of them
      test_out: 80     # optional: a pre-test score from which the modules may be skipped

The final quiz is the course's last module that has a quiz (`## Kuis`); it is also the
post-test. Problems go through content.validate with the rest of the format's rules.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from lms.content.source import WARNING, CourseSource, ModuleSource, Problem
from lms.models import Course, CoursePretest

KEY = "pretest"
KEYS = {"questions", "test_out"}


@dataclass(frozen=True)
class Settings:
    questions: int
    test_out: int | None = None


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def final_quiz(course: CourseSource) -> ModuleSource | None:
    """The last module with questions: the post-test, and the pre-test's pool."""
    with_quiz = [m for m in course.modules if m.questions]
    return with_quiz[-1] if with_quiz else None


def settings(course: CourseSource) -> Settings | None:
    """The course's pre-test as declared (call after check() found no problem)."""
    raw = course.meta.get(KEY)
    if not isinstance(raw, dict):
        return None
    return Settings(raw["questions"], raw.get("test_out"))


def check(course: CourseSource) -> list[Problem]:
    if KEY not in course.meta:
        return []
    rel, lines, raw = course.rel, course.meta_lines, course.meta[KEY]
    line = lines.get(KEY, 1)
    if not isinstance(raw, dict):
        return [Problem(rel, line, _l(
            "'pretest' holds settings written indented below it, e.g. a line "
            "'  questions: 5' (and optionally '  test_out: 80')"))]
    out = [Problem(rel, lines.get(f"{KEY}.{name}", line), _l(
        "unknown key '%(key)s' under 'pretest' (known: questions, test_out)", key=name))
        for name in raw if name not in KEYS]
    pool = final_quiz(course)
    count = raw.get("questions")
    where = lines.get(f"{KEY}.questions", line)
    if pool is None:
        out.append(Problem(rel, line, _l(
            "a pre-test is drawn from the final quiz, but no module of this course has a "
            "quiz: add '## Kuis' with questions to the last module")))
    elif "questions" not in raw:
        out.append(Problem(rel, line, _l(
            "'pretest' needs 'questions': how many of the final quiz's %(pool)d questions "
            "the pre-test shows", pool=len(pool.questions))))
    elif not _is_int(count) or not 1 <= count <= len(pool.questions):
        out.append(Problem(rel, where, _l(
            "'questions' must be a whole number from 1 to the number of questions in the "
            "final quiz %(file)s (%(pool)d)", file=pool.path.name, pool=len(pool.questions))))
    else:
        out += _overlap_warning(rel, where, count, pool)
    if "test_out" in raw:
        value = raw["test_out"]
        if not _is_int(value) or not 1 <= value <= 100:
            out.append(Problem(rel, lines.get(f"{KEY}.test_out", line), _l(
                "'test_out' must be a whole number from 1 to 100: the pre-test score from "
                "which a learner may skip the modules")))
    return out


def _overlap_warning(rel: str, line: int, count: int, pool: ModuleSource) -> list[Problem]:
    """A pool too small for two separate forms: the post-test repeats pre-test items."""
    draw = pool.quiz.draw if _is_int(pool.quiz.draw) else len(pool.questions)
    if count + draw <= len(pool.questions):
        return []
    return [Problem(rel, line, _l(
        "warning: the pre-test (%(pre)d) and the final quiz (%(post)d) together need more "
        "than the final quiz's %(pool)d questions, so the final quiz will repeat some "
        "pre-test questions; add questions or lower 'draw' for two separate forms",
        pre=count, post=draw, pool=len(pool.questions)), WARNING)]


def store(session: Session, course: Course, src: CourseSource) -> None:
    """Make course_pretest say what the README says (content.sync, after a change)."""
    wanted = settings(src)
    row = session.get(CoursePretest, course.id) if course.id else None
    if wanted is None:
        if row is not None:
            session.delete(row)
        return
    if row is None:
        row = CoursePretest(course=course)
        session.add(row)
    row.questions, row.test_out = wanted.questions, wanted.test_out
