"""YAML front matter with the line of every key, so problems point at the right line."""

from dataclasses import dataclass, field

import yaml
from flask_babel import lazy_gettext as _l


@dataclass
class FrontMatter:
    data: dict
    lines: dict[str, int]  # "title" -> 2, "quiz.pass_mark" -> 7
    body: str
    body_line: int  # file line where the body starts
    errors: list[tuple[int, str]] = field(default_factory=list)


def _key_lines(node, offset: int, prefix: str = "") -> dict[str, int]:
    lines = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            name = f"{prefix}{key_node.value}"
            lines[name] = key_node.start_mark.line + offset
            lines.update(_key_lines(value_node, offset, name + "."))
    return lines


def split(text: str) -> FrontMatter:
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
    # Line 1 is the opening '---', so YAML's 0-based line n is file line n + 2.
    offset = 2
    try:
        loader = yaml.SafeLoader(raw)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else {}
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + offset if mark else 1
        problem = getattr(exc, "problem", None) or str(exc)
        context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if context and context_mark and context_mark.line + offset != line:
            message = _l("unreadable YAML in front matter: %(problem)s (%(context)s, which "
                         "starts on line %(line)d)", problem=problem, context=context,
                         line=context_mark.line + offset)
        else:
            message = _l("unreadable YAML in front matter: %(problem)s", problem=problem)
        return FrontMatter({}, {}, body, body_line, [(line, message)])
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return FrontMatter({}, {}, body, body_line,
                           [(2, _l("front matter must be 'key: value' lines"))])
    return FrontMatter(data, _key_lines(node, offset), body, body_line)
