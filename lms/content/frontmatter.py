"""YAML front matter with the line of every key, so problems point at the right line.

Front matter is a handful of `key: value` lines, so the reader refuses what such lines
never need and what could hang or crash the check: aliases (`*name`, the "billion
laughs" and self-referencing values), nesting deeper than MAX_DEPTH, and values a
constructor cannot build (an impossible date). Every YAML problem becomes one plain
message with its line, in the trainer's language, never PyYAML's English.
"""

import re
from dataclasses import dataclass, field

import yaml
from flask_babel import lazy_gettext as _l

BOM = "\ufeff"
MAX_DEPTH = 10  # a course needs 2 (quiz: settings)
# A real front matter is a dozen lines; PyYAML slows down more than linearly on big ones.
MAX_CHARS = 20_000


@dataclass
class FrontMatter:
    data: dict
    lines: dict[str, int]  # "title" -> 2, "quiz.pass_mark" -> 7
    body: str
    body_line: int  # file line where the body starts
    errors: list[tuple[int, str]] = field(default_factory=list)


class _Refused(yaml.MarkedYAMLError):
    """Something front matter never needs; `problem` is one of the names below."""


ALIAS, DEEP, VALUE = "alias", "deep", "value"


class _Loader(yaml.SafeLoader):
    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(problem=ALIAS, problem_mark=event.start_mark)
        if self._depth >= MAX_DEPTH:
            raise _Refused(problem=DEEP, problem_mark=event.start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep)
        except yaml.YAMLError:
            raise
        except Exception as exc:  # e.g. ValueError for 2024-13-45, KeyError for !!bool x
            raise _Refused(problem=VALUE, problem_mark=node.start_mark) from exc


def _key_lines(node, offset: int, prefix: str = "") -> dict[str, int]:
    lines = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            name = f"{prefix}{key_node.value}"
            lines[name] = key_node.start_mark.line + offset
            lines.update(_key_lines(value_node, offset, name + "."))
    return lines


def split(text: str) -> FrontMatter:
    # Notepad and some Windows editors start UTF-8 files with a byte order mark.
    text = text.removeprefix(BOM)
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return FrontMatter({}, {}, text, 1,
                           [(1, _l("the file must start with front matter: a line '---', "
                                   "'key: value' lines, and a closing '---'"))])
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        return FrontMatter({}, {}, "", len(lines) + 1,
                           [(1, _l("front matter is not closed: add a line '---' after it"))])
    raw = "".join(lines[1:end])
    body = "".join(lines[end + 1:])
    body_line = end + 2
    if len(raw) > MAX_CHARS:
        return FrontMatter({}, {}, body, body_line, [(1, _l(
            "the front matter is longer than %(n)d characters: it holds only a few "
            "'key: value' lines, and the text goes below the closing '---'", n=MAX_CHARS))])
    # Line 1 is the opening '---', so YAML's 0-based line n is file line n + 2.
    offset = 2
    try:
        loader = _Loader(raw)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else {}
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        line, problem = _explain(exc, offset, raw)
        return FrontMatter({}, {}, body, body_line, [(line, _l(
            "unreadable YAML in front matter: %(problem)s", problem=problem))])
    except RecursionError:  # not reachable with MAX_DEPTH; a traceback is never the answer
        return FrontMatter({}, {}, body, body_line, [(2, _l(
            "unreadable YAML in front matter: %(problem)s", problem=_deep()))])
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return FrontMatter({}, {}, body, body_line,
                           [(2, _l("front matter must be 'key: value' lines"))])
    return FrontMatter(data, _key_lines(node, offset), body, body_line)


# --- PyYAML's problems in plain words ---------------------------------------------------

_START_CHAR = re.compile(r"found character '(.+?)' that cannot start any token")


def _deep():
    return _l("it is nested too deeply (more than %(n)d levels): front matter holds only "
              "'key: value' lines and the settings under 'quiz:'", n=MAX_DEPTH)


def _explain(exc: yaml.YAMLError, offset: int, raw_text: str):
    """(file line, plain message) for a YAML error. The line is where YAML noticed the
    problem; where something was opened earlier (a '[' or a quote) the message names
    that line too."""
    problem = str(getattr(exc, "problem", None) or "")
    context = str(getattr(exc, "context", None) or "")
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + offset if mark else 1
    opened = getattr(exc, "context_mark", None)
    opened_line = opened.line + offset if opened else line
    if isinstance(exc, yaml.reader.ReaderError):  # a control character such as \x0c
        before = raw_text[:exc.position] if isinstance(exc.position, int) else ""
        # Lines counted as split() counts them: "x" ends the last, maybe partial, line.
        return len((before + "x").splitlines()) - 1 + offset, _l(
            "there is an invisible control character (U+%(code)04X) here: delete it",
            code=exc.character if isinstance(exc.character, int) else 0)
    if isinstance(exc, _Refused):
        if problem == DEEP:
            return line, _deep()
        if problem == VALUE:
            return line, _l("this value cannot be read (for example an impossible date "
                            "such as 2024-13-45): put it in quotes")
        return line, _aliases()
    if "alias" in problem or "anchor" in problem or "alias" in context or \
            "anchor" in context:
        return line, _aliases()
    if "tab" in problem:
        return line, _l("there is a tab character: indent with spaces only")
    if "mapping values are not allowed" in problem:
        raw = raw_text.splitlines()
        text = raw[mark.line] if mark and mark.line < len(raw) else ""
        if text[:1].isspace():  # "  pass_mark: 80" then "   attempts: 2"
            return line, _l("there is a colon (:) where none was expected: indent this "
                            "line exactly like the lines above it")
        return line, _l("there is a colon (:) where none was expected. If the value holds "
                        "':', put it in quotes, e.g. title: \"Kuis akhir: Sisumaker\"")
    if "quoted scalar" in context:
        if "escape" in problem:
            return line, _l("a backslash (\\) inside double quotes starts a special code: "
                            "use single quotes ('...') instead")
        return line, _l("the quotation mark on line %(line)d is not closed: end the value "
                        "with the same quotation mark", line=opened_line)
    if "flow sequence" in context:
        return line, _l("the '[' on line %(line)d is not closed. Close it with ']', or put "
                        "the value in quotes if it starts with '['", line=opened_line)
    if "flow mapping" in context:
        return line, _l("the '{' on line %(line)d is not closed. Close it with '}', or put "
                        "the value in quotes if it starts with '{'", line=opened_line)
    start_char = _START_CHAR.search(problem)
    if start_char:
        return line, _l("a value cannot start with %(char)s: put the value in quotes",
                        char=start_char.group(1))
    if "simple key" in context:
        return line, _l("this line is not 'key: value': write each setting as key: value "
                        "on one line")
    if "tag" in problem or "tag" in context:
        return line, _l("'!' starts a YAML tag, which front matter does not use: remove it "
                        "or put the value in quotes")
    if "unhashable" in problem:
        return line, _l("a key must be a plain name followed by a colon, e.g. title:")
    if "block scalar" in context:
        return line, _l("a '|' or '>' block here cannot be read: write the text in quotes "
                        "on one line")
    if "document" in problem or "directive" in context or "directive" in problem:
        return line, _l("there is more than 'key: value' lines here (a second '---' "
                        "block, or a line starting with '%'): remove it")
    if "block" in context or "block end" in problem:
        return line, _l("the lines are not lined up: keys start at the beginning of the "
                        "line, and the settings under 'quiz:' all with the same number of "
                        "spaces")
    return line, _l("check the colons, the quotation marks and the spaces at the start of "
                    "the line")


def _aliases():
    return _l("'&' and '*' mark YAML anchors and aliases, which front matter does not "
              "use: write every value out in full, or put a value starting with & or * "
              "in quotes")
