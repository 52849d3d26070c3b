"""Every rule of the course format, each problem reported as path:line: message."""

import re
from pathlib import Path, PurePosixPath

from flask_babel import lazy_gettext as _l

from lms.content import audio, job_aid, unfinished
from lms.content.images import IMAGE_TYPES, MAX_IMAGE_BYTES
from lms.content.parse import (
    _rel,
    course_dirs,
    image_refs,
    option,
    parse_course,
    resolve_target,
    unfenced_lines,
)
from lms.content.source import WARNING, CourseSource, ModuleSource, Problem, QuestionSource
from lms.content.tree import check_file, read_folder
from lms.core.bounds import DB_INT_MAX
from lms.pretest import format as pretest_format

COURSE_KEYS = {"title", "summary", "jp", "version", "published", "order", "confidence",
               "pretest"}
CONFIDENCE_CHARS = 300  # the confidence question (lms/evaluation), one line
MODULE_KEYS = {"title", "id", "minutes", "quiz"}
QUIZ_KEYS = {"pass_mark", "attempts", "shuffle", "draw"}
ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
# Whole numbers the studio's forms allow too (studio/forms.py); past them an integer column,
# or a learner's JP summed over a year, would overflow in the database.
LIMITS = {"jp": (0, 100), "minutes": (0, 600), "attempts": (0, 100),
          "order": (-DB_INT_MAX, DB_INT_MAX)}
H1 = re.compile(r"^#\s")
# One JP is 45 minutes (config JP_MINUTES): a course may credit floor(minutes / 45) JP.
JP_MINUTES = unfinished.JP_MINUTES
# Words of the learner's URLs under /kursus/<slug>/ that a module ID would clash with.
RESERVED_MODULE_IDS = {"ringkas"}
resolve_image = resolve_target  # the name sync and older callers know


def load(root: Path) -> tuple[list[CourseSource], list[Problem]]:
    """Parse and validate every course under `root`."""
    courses, problems = [], []
    if not root.is_dir():
        return [], [Problem(str(root), 0, _l("no such folder"))]
    for folder in course_dirs(root):
        course, found = parse_course(folder, root)
        problems += found
        if course is not None:
            problems += validate_course(course)
            courses.append(course)
    return courses, sorted(problems, key=lambda p: (p.path, p.line, str(p.message)))


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _out_of_range(key: str, value, rel: str, line: int) -> list[Problem]:
    low, high = LIMITS[key]
    if _is_int(value) and not low <= value <= high:
        return [Problem(rel, line, _l("'%(key)s' must be between %(low)d and %(high)d",
                                      key=key, low=low, high=high))]
    return []


def _unknown_keys(data: dict, allowed: set, lines: dict, rel: str, prefix: str = ""):
    for key in data:
        if key not in allowed:
            yield Problem(rel, lines.get(prefix + str(key), 1), _l(
                "unknown front-matter key '%(key)s' (allowed: %(allowed)s)",
                key=key, allowed=", ".join(sorted(allowed))))


def validate_course(course: CourseSource) -> list[Problem]:
    rel = course.rel
    out = _course_meta(course) + pretest_format.check(course) if course.meta_ok else []
    if not ID.match(course.slug):
        out.append(Problem(rel, 1, _l("the folder name '%(name)s' must start with a letter "
                                      "or digit and use only lower-case letters, digits "
                                      "and '-' (at most 100)", name=course.slug)))
    if not course.modules:
        out.append(Problem(rel, 1, _l("the course has no module files (*.md)")))
    out += check_images(course.path, rel, image_refs(course.description_md,
                                                      course.description_line))
    out += audio.misplaced(rel, course.description_md, course.description_line)
    if course.job_aid is not None:
        out += job_aid.validate(course.job_aid)
    out += _answer_keys_outside_a_quiz(rel, course.description_md, course.description_line,
                                       in_readme=True)
    out += check_folder_files(course)
    seen_modules: dict[str, ModuleSource] = {}
    seen_questions: dict[str, tuple[str, int]] = {}
    for module in course.modules:
        if module.key in seen_modules:
            out.append(Problem(module.rel, module.meta_lines.get("id", 1), _l(
                "module ID '%(key)s' is already used by %(other)s",
                key=module.key, other=seen_modules[module.key].rel)))
        seen_modules[module.key] = module
        out += validate_module(module, course.path)
        for q in module.questions:
            if q.key in seen_questions:
                other_rel, other_line = seen_questions[q.key]
                out.append(Problem(module.rel, q.line, _l(
                    "duplicate question ID '%(key)s' (first used at %(where)s)",
                    key=q.key, where=f"{other_rel}:{other_line}")))
            else:
                seen_questions[q.key] = (module.rel, q.line)
    return out + unfinished.problems(course) + _jp_warning(course)


def _jp_warning(course: CourseSource) -> list[Problem]:
    """A course crediting more JP than its modules' minutes support: printed and shown,
    never blocking (the trainer may know the minutes are low)."""
    minutes = [m.minutes for m in course.modules]
    if not course.meta_ok or not _is_int(course.jp) or not all(map(_is_int, minutes)):
        return []
    most = sum(minutes) // JP_MINUTES
    if course.jp <= most:
        return []
    return [Problem(course.rel, course.meta_lines.get("jp", 1), _l(
        "warning: jp %(jp)d is more than %(minutes)d minutes support (at most %(most)d JP)",
        jp=course.jp, minutes=sum(minutes), most=most), WARNING)]


def check_folder_files(course: CourseSource) -> list[Problem]:
    """Every file of the folder through tree.check_file, referenced or not: an unused
    `img/evil.svg` is stored with the course and served in the studio all the same.
    Images a page uses are checked where they are used (check_images names that line)."""
    refs = image_refs(course.description_md, course.description_line) + [
        ref for module in course.modules for ref in image_refs(module.text, 1)]
    used = {resolve_image(course.path, ref.target) for ref in refs}
    out = []
    for rel, data in read_folder(course.path).items():
        path = course.path.joinpath(*PurePosixPath(rel).parts)
        problem = None if path in used else check_file(rel, data)
        if problem is not None:
            out.append(Problem(_rel(path), 1, problem))
    return out


def _course_meta(course: CourseSource) -> list[Problem]:
    rel, meta, lines = course.rel, course.meta, course.meta_lines
    out = list(_unknown_keys(meta, COURSE_KEYS, lines, rel))
    for key, message in (("title", _l("the course has no title")),
                         ("summary", _l("the course has no summary")),
                         ("version", _l("the course has no version"))):
        if not str(meta.get(key) or "").strip():
            out.append(Problem(rel, lines.get(key, 1), message))
    if "version" in meta and not isinstance(meta["version"], str):
        out.append(Problem(rel, lines.get("version", 1), _l(
            "write the version in quotes, e.g. version: \"1.10\" (without quotes YAML reads "
            "1.10 as the number 1.1)")))
    if course.jp is None:
        pass  # unfinished.problems asks for it, with a suggestion
    elif not _is_int(course.jp) or course.jp < 0:
        out.append(Problem(rel, lines.get("jp", 1),
                           _l("'jp' must be a whole number of JP, 0 or more")))
    else:
        out += _out_of_range("jp", course.jp, rel, lines.get("jp", 1))
    if not isinstance(course.published, bool):
        out.append(Problem(rel, lines.get("published", 1),
                           _l("'published' must be true or false")))
    if not _is_int(course.order):
        out.append(Problem(rel, lines.get("order", 1), _l("'order' must be a whole number")))
    out += _out_of_range("order", course.order, rel, lines.get("order", 1))
    return out + _confidence(meta, rel, lines.get("confidence", 1))


def _confidence(meta: dict, rel: str, line: int) -> list[Problem]:
    if "confidence" not in meta:
        return []
    value = meta["confidence"]
    if not isinstance(value, str) or not value.strip():
        return [Problem(rel, line, _l("'confidence' must be the question's text, e.g. "
                                      "confidence: \"Seberapa yakin Anda ...?\""))]
    if len(value.strip()) > CONFIDENCE_CHARS or "\n" in value.strip():
        return [Problem(rel, line, _l("'confidence' must be one line of at most %(n)d "
                                      "characters", n=CONFIDENCE_CHARS))]
    return []


def validate_module(module: ModuleSource, course_dir: Path) -> list[Problem]:
    rel, meta, lines = module.rel, module.meta, module.meta_lines
    out = list(_unknown_keys(meta, MODULE_KEYS, lines, rel))
    if module.meta_ok and not module.title.strip():
        out.append(Problem(rel, lines.get("title", 1), _l("the module has no title")))
    if not ID.match(module.key):
        out.append(Problem(rel, lines.get("id", 1), _l(
            "module ID '%(key)s' must start with a letter or digit and use only "
            "lower-case letters, digits and '-' (at most 100)",
            key=module.key)))
    elif module.key in RESERVED_MODULE_IDS:
        out.append(Problem(rel, lines.get("id", 1), _l(
            "module ID '%(key)s' is reserved (the address of the course's job aid): rename "
            "the file or write another ID in 'id:'", key=module.key)))
    if not _is_int(module.minutes) or module.minutes < 0:
        out.append(Problem(rel, lines.get("minutes", 1),
                           _l("'minutes' must be a whole number of minutes, 0 or more")))
    else:
        out += _out_of_range("minutes", module.minutes, rel, lines.get("minutes", 1))
    for n, line in unfenced_lines(module.body_md, module.body_line):
        if H1.match(line):
            out.append(Problem(rel, n, _l("use '##' for headings inside a module: the "
                                          "title from the front matter is the only '#'")))
    out += check_images(course_dir, rel, image_refs(module.body_md, module.body_line))
    out += audio.check_refs(course_dir, rel, module.body_md, module.body_line)
    out += _answer_keys_outside_a_quiz(rel, module.body_md, module.body_line)
    out += _validate_quiz_settings(module)
    for q in module.questions:
        out += validate_question(q, rel, course_dir)
    return out


def _looks_like_quiz_heading(line: str) -> bool:
    """'## Kuiz', '### Kuis', '## Quis:', '**Kuis**', '## KUIS AKHIR': a heading (or a
    bold line) whose first word is 'kuis' or 'quiz' give or take one letter."""
    text = line.strip()
    if not text.startswith(("#", "**", "__")):
        return False
    words = re.sub(r"[^a-z]+", " ", text[:80].lower()).split()
    return bool(words) and any(_near(words[0], word) for word in ("kuis", "quiz"))


def _near(a: str, b: str) -> bool:
    """At most one letter added, dropped or changed."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def _answer_keys_outside_a_quiz(rel: str, text: str, first_line: int,
                                in_readme: bool = False) -> list[Problem]:
    """'- [x]' and '- [ ]' lines before '## Kuis' (or in a module without one) would be
    shown to learners as reading text: the answer key in plain sight. The usual cause
    is a misspelled quiz heading, so the message names it when there is one."""
    heading = None
    for n, line in unfenced_lines(text, first_line):
        if _looks_like_quiz_heading(line):
            heading = (n, line.strip())
        elif option(line.strip()):
            if in_readme:
                message = _l("this line looks like a quiz answer ('- [x]' or '- [ ]'), but a "
                             "course's README.md cannot hold a quiz, so learners would read "
                             "the answer key. Put the quiz at the end of a module file under "
                             "the heading '## Kuis', or write a checklist without '[ ]' and "
                             "'[x]'")
            elif heading:
                message = _l("this line looks like a quiz answer ('- [x]' or '- [ ]'), but it "
                             "is not in a quiz, so learners would read the answer key. A quiz "
                             "starts with a heading written exactly '## Kuis': line "
                             "%(line)d (%(heading)s) is not. If this is a checklist, write "
                             "it without '[ ]' and '[x]'",
                             line=heading[0], heading=heading[1][:60])
            else:
                message = _l("this line looks like a quiz answer ('- [x]' or '- [ ]'), but it "
                             "is not in a quiz, so learners would read the answer key. If "
                             "this is the quiz, put it at the end of the module under the "
                             "heading '## Kuis'. If this is a checklist, write it without "
                             "'[ ]' and '[x]'")
            return [Problem(rel, n, message)]
    return []


def _validate_quiz_settings(module: ModuleSource) -> list[Problem]:
    rel, lines, quiz = module.rel, module.meta_lines, module.quiz
    raw = module.meta.get("quiz")
    out = []
    if raw is not None and not isinstance(raw, dict):
        return [Problem(rel, quiz.line, _l("'quiz' must hold 'key: value' settings"))]
    out += _unknown_keys(raw or {}, QUIZ_KEYS, lines, rel, prefix="quiz.")
    if not _is_int(quiz.pass_mark) or not 1 <= quiz.pass_mark <= 100:
        out.append(Problem(rel, lines.get("quiz.pass_mark", quiz.line),
                           _l("'pass_mark' must be a whole number from 1 to 100")))
    if not _is_int(quiz.attempts) or quiz.attempts < 0:
        out.append(Problem(rel, lines.get("quiz.attempts", quiz.line),
                           _l("'attempts' must be a whole number: 0 (no limit) or more")))
    else:
        out += _out_of_range("attempts", quiz.attempts, rel,
                             lines.get("quiz.attempts", quiz.line))
    if not isinstance(quiz.shuffle, bool):
        out.append(Problem(rel, lines.get("quiz.shuffle", quiz.line),
                           _l("'shuffle' must be true or false")))
    if quiz.draw is not None and (not _is_int(quiz.draw)
                                  or not 1 <= quiz.draw <= len(module.questions)):
        out.append(Problem(rel, lines.get("quiz.draw", quiz.line), _l(
            "'draw' must be between 1 and the number of questions (%(count)d)",
            count=len(module.questions))))
    if raw is not None and not module.quiz_line:
        out.append(Problem(rel, quiz.line, _l("quiz settings given, but the module has no "
                                              "'## Kuis' section")))
    if module.quiz_line and not module.questions:
        out.append(Problem(rel, module.quiz_line, _l("the quiz has no questions")))
    return out


def validate_question(q: QuestionSource, rel: str, course_dir: Path) -> list[Problem]:
    out = []
    if not ID.match(q.key):
        out.append(Problem(rel, q.line, _l(
            "question ID '%(key)s' must start with a letter or digit and use only "
            "lower-case letters, digits and '-' (at most 100)",
            key=q.key)))
    if not q.prompt_md.strip():
        out.append(Problem(rel, q.line, _l("the question has no text")))
    if q.options and q.accepted:
        out.append(Problem(rel, q.line, _l("a question has either options ('- [x]') or "
                                           "accepted answers ('Jawaban:'), not both")))
    elif not q.options and not q.accepted:
        out.append(Problem(rel, q.line, _l("the question has no options ('- [x] right', "
                                           "'- [ ] wrong') and no 'Jawaban:'")))
    elif q.options:
        if len(q.options) < 2:
            out.append(Problem(rel, q.option_lines[0],
                               _l("a question needs at least two options")))
        if not q.correct:
            out.append(Problem(rel, q.line, _l("no correct option: mark it '- [x]'")))
        elif q.kind == "truefalse" and len(q.correct) != 1:
            out.append(Problem(rel, q.line, _l("mark exactly one of 'Benar' and 'Salah' "
                                               "with '- [x]'")))
        seen = set()
        for text, line in zip(q.options, q.option_lines, strict=True):
            if text.strip().lower() in seen:
                out.append(Problem(rel, line, _l("the same option appears twice")))
            seen.add(text.strip().lower())
    if q.multiple_flag and q.kind in ("truefalse", "text"):
        out.append(Problem(rel, q.line, _l("'.beberapa' is only for questions with options "
                                           "other than Benar/Salah")))
    if not q.explanation_md.strip():
        out.append(Problem(rel, q.line, _l("the question has no explanation: add a quote "
                                           "'> Penjelasan: ...' after the options")))
    out += check_images(course_dir, rel, image_refs(q.text, q.line))
    return out + audio.misplaced(rel, q.text, q.line)


def check_images(course_dir: Path, rel: str, refs) -> list[Problem]:
    out = []
    checked: dict[Path, object] = {}
    for ref in refs:
        if audio.is_audio(ref.target):
            continue  # audio.check_refs (module text) or audio.misplaced (elsewhere)
        if not ref.alt:
            out.append(Problem(rel, ref.line, _l(
                "image '%(target)s' has no description: write it between the brackets, "
                "![like this](%(target)s)", target=ref.target)))
        resolved = resolve_image(course_dir, ref.target)
        if resolved is None:
            out.append(Problem(rel, ref.line, _l(
                "image '%(target)s' must be a file inside the course folder",
                target=ref.target)))
        elif resolved.suffix.lower() not in IMAGE_TYPES:
            out.append(Problem(rel, ref.line, _l(
                "image '%(target)s' must be PNG, JPEG, GIF, SVG or WebP", target=ref.target)))
        elif not resolved.is_file():
            out.append(Problem(rel, ref.line, _l("broken image link: '%(target)s' not found",
                                                 target=ref.target)))
        elif resolved.stat().st_size > MAX_IMAGE_BYTES:
            out.append(Problem(rel, ref.line, _l("image '%(target)s' is larger than 2 MB",
                                                 target=ref.target)))
        else:
            problem = _check_content(resolved, checked)
            if problem is not None:
                out.append(Problem(rel, ref.line, _l("image '%(target)s': %(problem)s",
                                                     target=ref.target, problem=problem)))
    return out


def _check_content(path: Path, checked: dict):
    """tree.check_file on the file's bytes, once per file and check_images call."""
    if path not in checked:
        try:
            checked[path] = check_file(path.name, path.read_bytes())
        except OSError as exc:
            checked[path] = _l("cannot read the file: %(error)s", error=exc.strerror)
    return checked[path]
