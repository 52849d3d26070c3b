"""Read a course folder into CourseSource objects, noting every structural problem.

Field rules and cross-checks live in validate.py; this module only reads.
"""

import re
from pathlib import Path, PurePosixPath

from flask_babel import lazy_gettext as _l

from lms.content import frontmatter
from lms.content.source import (
    CourseSource,
    ImageRef,
    JobAidSource,
    ModuleSource,
    Problem,
    QuestionSource,
    QuizSettings,
)

COURSE_FILE = "README.md"
JOB_AID_FILE = "RINGKAS.md"  # the one-page job aid; like README.md, never a module
RESERVED_FILES = (COURSE_FILE, JOB_AID_FILE)
ANY_H3 = re.compile(r"^###\s")
EXPLANATION_PREFIX = re.compile(r"^(\*\*)?(penjelasan|explanation)\s*:?\s*(\*\*)?\s*:?\s*",
                                re.IGNORECASE)
FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
ORDER_PREFIX = re.compile(r"^\d+[-_.]")

# The line shapes below are read by hand, not by regular expressions: patterns such as
# `.*?\s*$` backtrack over runs of spaces or of "![" and took seconds to minutes on a
# single long line. Each reader is linear in the line's length. "Whitespace" is what
# str.isspace() says, the same characters as `\s` in the patterns they replace.


def quiz_heading(line: str) -> bool:
    """`## Kuis` or `## Quiz` (any case), optionally closed by #s."""
    if not line.startswith("##") or not line[2:3].isspace():
        return False
    rest = line[2:].strip()
    tail = rest[4:].strip()
    return rest[:4].lower() in ("kuis", "quiz") and tail == "#" * len(tail)


def question_heading(line: str) -> tuple[str, str] | None:
    """(text, attributes) of `### Question text {#id .attr}`, or None."""
    if not line.startswith("###") or not line[3:4].isspace():
        return None
    rest = line[3:].strip()
    start = rest.rfind("{")
    if not rest.endswith("}") or start < 0 or "}" in rest[start + 1:-1]:
        return None
    return rest[:start].rstrip(), rest[start + 1:-1]


def option(stripped: str) -> tuple[str, str] | None:
    """(mark, text) of `- [x] text` or `* [ ] text` (a stripped line), or None."""
    if stripped[:1] not in ("-", "*") or not stripped[1:2].isspace():
        return None
    rest = stripped[1:].lstrip()
    if rest[:1] != "[" or rest[1:2] not in (" ", "x", "X") or rest[2:3] != "]" \
            or not rest[3:4].isspace():
        return None
    text = rest[3:].strip()
    return (rest[1], text) if text else None


def list_item(stripped: str) -> str | None:
    """The text of `- text` or `* text`, or None."""
    if stripped[:1] not in ("-", "*") or not stripped[1:2].isspace():
        return None
    return stripped[1:].strip() or None


def answer_label(stripped: str) -> str | None:
    """What follows `Jawaban:` (or `Answer:`, `Answers:`, any case), or None."""
    for word in ("jawaban", "answers", "answer"):
        if stripped[:len(word)].lower() == word:
            rest = stripped[len(word):].lstrip()
            if rest.startswith(":"):
                return rest[1:].strip()
    return None


_TARGET_END = re.compile(r"[)\s]")
_NOT_SPACE = re.compile(r"\S")


def _finder(line: str, pattern: re.Pattern):
    """pattern.search(line, start).start() (or -1), for starts that never go back: a
    result is reused while the start stays before it, so a line is scanned once."""
    last = [-1, -1]  # start, result

    def find(start: int) -> int:
        if last[0] < 0 or start < last[0] or (last[1] >= 0 and start > last[1]):
            m = pattern.search(line, start)
            last[:] = [start, m.start() if m else -1]
        return last[1]
    return find


def images(line: str) -> list[tuple[str, str]]:
    r"""(alt, target) of each `![alt](target)` or `![alt](target "title")` in a line:
    what `!\[([^\]]*)\]\(([^)\s]+)(?:\s+"[^"]*")?\)` finds, in one pass."""
    found = []
    close, target_end = _finder(line, re.compile(r"\]")), _finder(line, _TARGET_END)
    after_space, quote = _finder(line, _NOT_SPACE), _finder(line, re.compile('"'))
    pos = 0
    while (start := line.find("![", pos)) >= 0:
        end_alt = close(start + 2)
        if end_alt < 0:
            break
        pos = end_alt + 1  # every "![" before this "]" ends its alt text here too
        if line[end_alt + 1:end_alt + 2] != "(":
            continue
        first = end_alt + 2
        last = target_end(first)
        last = len(line) if last < 0 else last
        if last == first:
            continue
        if line[last:last + 1] == ")":
            found.append((line[start + 2:end_alt], line[first:last]))
            pos = last + 1
            continue
        title = after_space(last)
        if title < 0 or line[title] != '"':
            continue
        closing = quote(title + 1)
        if closing >= 0 and line[closing + 1:closing + 2] == ")":
            found.append((line[start + 2:end_alt], line[first:last]))
            pos = closing + 2
    return found


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
    return [ImageRef(target, alt.strip(), n)
            for n, line in unfenced_lines(text, first_line)
            for alt, target in images(line)]


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
        meta_lines=fm.lines, meta=data, meta_ok=not fm.errors,
        confidence=str(data.get("confidence") or "").strip())
    course.job_aid = _parse_job_aid(folder / JOB_AID_FILE, problems)
    for path in sorted(folder.glob("*.md")):
        if path.name in RESERVED_FILES:
            continue
        module, module_problems = parse_module(path, root)
        problems += module_problems
        if module is not None:
            course.modules.append(module)
    return course, problems


def _parse_job_aid(path: Path, problems: list[Problem]) -> JobAidSource | None:
    if not path.is_file():
        return None
    rel = _rel(path)
    text, fm = _read_with_front_matter(path, rel, problems)
    if fm is None:
        return None
    return JobAidSource(rel=rel, title=str(fm.data.get("title") or ""), body_md=fm.body,
                        body_line=fm.body_line, text=text, meta_lines=fm.lines,
                        meta=fm.data, meta_ok=not fm.errors)


def resolve_target(course_dir: Path, target: str) -> Path | None:
    """The file an image or audio link points at, or None when it leaves the course
    folder (an address, an absolute path, '..')."""
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//|^/", target):
        return None
    parts = PurePosixPath(target).parts
    if ".." in parts:
        return None
    return course_dir.joinpath(*parts)


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
                    if quiz_heading(line)), None)
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
    heading = question_heading(head)
    attrs = heading[1].split() if heading else []
    key = next((a[1:] for a in attrs if a.startswith("#")), "")
    if not heading or not key:
        problems.append(Problem(rel, head_line, _l(
            "a question heading needs an ID at its end, e.g. '### Question text {#my-id}'")))
        return None
    q = QuestionSource(key=key, line=head_line, prompt_md=heading[0],
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
        shown = option(stripped)
        label = answer_label(stripped)
        item = list_item(stripped) if in_answers else None
        if stripped.startswith(">") and not (q.options or q.accepted or in_answers):
            prompt_extra.append(line)  # a quote or callout inside the scenario
        elif stripped.startswith(">"):
            explanation.append(stripped[1:].removeprefix(" "))
        elif shown:
            if q.accepted or explanation:
                problems.append(Problem(rel, n, _l("an option must come before the answers "
                                                   "and the explanation")))
            mark, text = shown
            q.options.append(text)
            q.option_lines.append(n)
            if mark in "xX":
                q.correct.append(len(q.options) - 1)
        elif label is not None:
            in_answers = True
            if label:
                q.accepted.append(label)
        elif item:
            q.accepted.append(item)
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
