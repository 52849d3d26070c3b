"""What changed between two states of a course folder, file by file."""

import difflib
from dataclasses import dataclass, field

from lms.content.tree import Tree, is_text


@dataclass
class Line:
    kind: str  # "add", "remove", "context", "hunk"
    text: str


@dataclass
class FileDiff:
    path: str
    status: str  # "added", "removed", "changed"
    lines: list[Line] = field(default_factory=list)  # text files only


def compare(old: Tree, new: Tree, context: int = 3) -> list[FileDiff]:
    out = []
    for path in sorted(old.keys() | new.keys()):
        before, after = old.get(path), new.get(path)
        if before == after:
            continue
        status = "added" if before is None else "removed" if after is None else "changed"
        diff = FileDiff(path, status)
        if is_text(path):
            diff.lines = _lines(before or b"", after or b"", context)
        out.append(diff)
    return out


def _lines(before: bytes, after: bytes, context: int) -> list[Line]:
    a = before.decode("utf-8", "replace").splitlines()
    b = after.decode("utf-8", "replace").splitlines()
    lines = []
    for raw in list(difflib.unified_diff(a, b, lineterm="", n=context))[2:]:
        if raw.startswith("@@"):
            lines.append(Line("hunk", raw))
        elif raw.startswith("+"):
            lines.append(Line("add", raw[1:]))
        elif raw.startswith("-"):
            lines.append(Line("remove", raw[1:]))
        else:
            lines.append(Line("context", raw[1:]))
    return lines
