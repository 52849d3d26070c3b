"""Read a course folder into CourseSource objects, noting every structural problem.

Field rules and cross-checks live in validate.py; this module only reads.
"""

import re
from pathlib import Path

from flask_babel import lazy_gettext as _l

from . import frontmatter
from .source import CourseSource, ImageRef, ModuleSource, Problem, QuestionSource, QuizSettings

COURSE_FILE = "README.md"
QUIZ_HEADING = re.compile(r"^##\s+(kuis|quiz)\s*#*\s*$", re.IGNORECASE)
QUESTION_HEADING = re.compile(r"^###\s+(?P<text>.*?)\s*\{(?P<attrs>[^{}]*)\}\s*$")
ANY_H3 = re.compile(r"^###\s")
OPTION = re.compile(r"^[-*]\s+\[(?P<mark>[ xX])\]\s+(?P<text>.+?)\s*$")
ANSWER_LABEL = re.compile(r"^(jawaban|answers?)\s*:\s*(?P<inline>.*?)\s*$", re.IGNORECASE)
LIST_ITEM = re.compile(r"^[-*]\s+(?P<text>.+?)\s*$")
EXPLANATION_PREFIX = re.compile(r"^(\*\*)?(penjelasan|explanation)\s*:?\s*(\*\*)?\s*:?\s*",
                                re.IGNORECASE)
FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<target>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
ORDER_PREFIX = re.compile(r"^\d+[-_.]")


def course_dirs(root: Path) -> list[Path]:
    return sorted(p for p in root.iterdir()
                  if p.is_dir() and not p.name.startswith((".", "_")))


def _rel(path: Path) -> str:
    """The path as the person running the check can open it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _read(path: Path, rel: str, problems: list[Problem]) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problems.append(Problem(rel, 1, _l("the file is not UTF-8 text")))
    except OSError as exc:
        problems.append(Problem(rel, 1, _l("cannot read the file: %(error)s",
                                           error=exc.strerror)))
    return None


def _read_with_front_matter(path: Path, rel: str, problems: list[Problem]):
    text = _read(path, rel, problems)
    if text is None:
        return None, None
    fm = frontmatter.split(text)
    problems += [Problem(rel, line, msg) for line, msg in fm.errors]
    return text, fm


def unfenced_lines(text: str, first_line: int):
    """Yield (file line number, line) for lines outside fenced code blocks."""
    fence = None
    for n, line in enumerate(text.splitlines(), start=first_line):
        m = FENCE.match(line)
        if m:
            marker = m.group(1)
            if fence is None:
                fence = marker[0] * len(marker)
            elif marker.startswith(fence):
                fence = None
            continue
        if fence is None:
            yield n, line


def image_refs(text: str, first_line: int) -> list[ImageRef]:
    return [ImageRef(m.group("target"), m.group("alt").strip(), n)
            for n, line in unfenced_lines(text, first_line)
            for m in IMAGE.finditer(line)]


def parse_course(folder: Path, root: Path) -> tuple[CourseSource | None, list[Problem]]:
    problems: list[Problem] = []
    readme = folder / COURSE_FILE
    rel = _rel(readme)
    if not readme.is_file():
        return None, [Problem(_rel(folder), 0,
                              _l("a course folder needs a %(file)s with the course's "
                                 "title, summary, JP and version", file=COURSE_FILE))]
    text, fm = _read_with_front_matter(readme, rel, problems)
    if fm is None:
        return None, problems
    data = fm.data
    course = CourseSource(
        path=folder, rel=rel, slug=folder.name, title=str(data.get("title") or ""),
        summary=str(data.get("summary") or ""), jp=data.get("jp"),
        version=str(data.get("version") if data.get("version") is not None else ""),
        published=data.get("published", True), order=data.get("order", 0),
        description_md=fm.body, description_line=fm.body_line, modules=[], text=text,
        meta_lines=fm.lines, meta=data, meta_ok=not fm.errors)
    for path in sorted(folder.glob("*.md")):
        if path.name == COURSE_FILE:
            continue
        module, module_problems = parse_module(path, root)
        problems += module_problems
        if module is not None:
            course.modules.append(module)
    return course, problems


def parse_module(path: Path, root: Path) -> tuple[ModuleSource | None, list[Problem]]:
    problems: list[Problem] = []
    rel = _rel(path)
    text = _read(path, rel, problems)
    if text is None:
        return None, problems
    module, found = parse_module_text(text, path, rel)
    return module, problems + found


def parse_module_text(text: str, path: Path, rel: str) -> tuple[ModuleSource, list[Problem]]:
    """A module file's text (from disk or the studio's draft)."""
    fm = frontmatter.split(text)
    problems = [Problem(rel, line, msg) for line, msg in fm.errors]
    data = fm.data
    quiz_meta = data.get("quiz") or {}
    quiz = QuizSettings(line=fm.lines.get("quiz", 0))
    if isinstance(quiz_meta, dict):
        quiz.pass_mark = quiz_meta.get("pass_mark", 70)
        quiz.attempts = quiz_meta.get("attempts", 0)
        quiz.shuffle = quiz_meta.get("shuffle", False)
        quiz.draw = quiz_meta.get("draw")
    body, questions, quiz_line = _split_quiz(fm.body, fm.body_line, rel, problems)
    module = ModuleSource(
        path=path, rel=rel, key=str(data.get("id") or ORDER_PREFIX.sub("", path.stem)),
        title=str(data.get("title") or ""), minutes=data.get("minutes", 0), body_md=body,
        body_line=fm.body_line, quiz=quiz, questions=questions, quiz_line=quiz_line,
        text=text, meta_lines=fm.lines, meta=data, meta_ok=not fm.errors)
    return module, problems


def _split_quiz(body: str, first_line: int, rel: str, problems: list[Problem]):
    lines = body.splitlines()
    quiz_at = next((n for n, line in unfenced_lines(body, first_line)
                    if QUIZ_HEADING.match(line)), None)
    if quiz_at is None:
        return body, [], 0
    idx = quiz_at - first_line
    content = "\n".join(lines[:idx]).rstrip() + "\n"
    questions: list[QuestionSource] = []
    block: list[tuple[int, str]] = []
    for n, line in enumerate(lines[idx + 1:], start=quiz_at + 1):
        if ANY_H3.match(line):
            if block:
                questions.append(_parse_question(block, rel, problems))
            block = [(n, line)]
        elif block:
            block.append((n, line))
        elif line.strip():
            problems.append(Problem(rel, n, _l("no text is allowed between '## Kuis' and "
                                               "the first question: start each question "
                                               "with '### Question text {#id}'")))
    if block:
        questions.append(_parse_question(block, rel, problems))
    return content, [q for q in questions if q is not None], quiz_at


def _parse_question(block, rel: str, problems: list[Problem]) -> QuestionSource | None:
    head_line, head = block[0]
    m = QUESTION_HEADING.match(head)
    attrs = m.group("attrs").split() if m else []
    key = next((a[1:] for a in attrs if a.startswith("#")), "")
    if not m or not key:
        problems.append(Problem(rel, head_line, _l(
            "a question heading needs an ID at its end, e.g. '### Question text {#my-id}'")))
        return None
    q = QuestionSource(key=key, line=head_line, prompt_md=m.group("text"),
                       multiple_flag=".beberapa" in attrs or ".multiple" in attrs,
                       text="\n".join(line for _, line in block))
    for a in attrs:
        if not a.startswith("#") and a not in (".beberapa", ".multiple"):
            problems.append(Problem(rel, head_line, _l(
                "unknown question attribute '%(attr)s' (known: .beberapa, .multiple)", attr=a)))
    prompt_extra: list[str] = []
    explanation: list[str] = []
    in_answers = False
    for n, line in block[1:]:
        stripped = line.strip()
        option = OPTION.match(stripped)
        answer_label = ANSWER_LABEL.match(stripped)
        if stripped.startswith(">") and not (q.options or q.accepted or in_answers):
            prompt_extra.append(line)  # a quote or callout inside the scenario
        elif stripped.startswith(">"):
            explanation.append(stripped[1:].removeprefix(" "))
        elif option:
            if q.accepted or explanation:
                problems.append(Problem(rel, n, _l("an option must come before the answers "
                                                   "and the explanation")))
            q.options.append(option.group("text"))
            q.option_lines.append(n)
            if option.group("mark") in "xX":
                q.correct.append(len(q.options) - 1)
        elif answer_label:
            in_answers = True
            if answer_label.group("inline"):
                q.accepted.append(answer_label.group("inline"))
        elif in_answers and LIST_ITEM.match(stripped):
            q.accepted.append(LIST_ITEM.match(stripped).group("text"))
        elif not stripped:
            if explanation:
                explanation.append("")
            elif not (q.options or q.accepted):
                prompt_extra.append("")
        elif q.options or q.accepted or explanation:
            problems.append(Problem(rel, n, _l(
                "unexpected text after the options: write the scenario before the options, "
                "and the explanation as a quote ('> Penjelasan: ...')")))
        else:
            prompt_extra.append(line)
    extra = "\n".join(prompt_extra).strip()
    if extra:
        q.prompt_md = q.prompt_md + "\n\n" + extra
    q.explanation_md = EXPLANATION_PREFIX.sub("", "\n".join(explanation).strip(), count=1)
    return q
