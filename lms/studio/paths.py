"""Which files of a course folder are modules, and what a new one is called."""

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from lms.content.audio import is_audio
from lms.content.parse import ORDER_PREFIX, RESERVED_FILES
from lms.content.tree import Tree
from lms.studio import module_text

MODULE_FILE = re.compile(r"^[^/]+\.md$")


@dataclass
class ModuleFile:
    path: str
    title: str
    questions: int


@dataclass
class MediaFile:
    path: str
    audio: bool


def is_module(path: str) -> bool:
    """A Markdown file at the top of the folder other than README.md and RINGKAS.md."""
    return bool(MODULE_FILE.match(path)) and path not in RESERVED_FILES


def media_files(tree: Tree) -> list[MediaFile]:
    """The images and audio of a course (the files in its subfolders)."""
    return [MediaFile(p, is_audio(p)) for p in sorted(tree) if "/" in p]


def module_files(tree: Tree) -> list[ModuleFile]:
    out = []
    for path in sorted(p for p in tree if is_module(p)):
        text = module_text.read(path, tree[path].decode("utf-8", "replace"))
        out.append(ModuleFile(path, str(text.meta.get("title") or path), len(text.questions)))
    return out


def reading_minutes(tree: Tree) -> int:
    """The modules' reading time in minutes (whole numbers only: the checker names the
    rest), which the JP suggestion is made from."""
    total = 0
    for path in (p for p in tree if is_module(p)):
        minutes = module_text.read(path, tree[path].decode("utf-8", "replace")).meta.get(
            "minutes")
        if isinstance(minutes, int) and not isinstance(minutes, bool):
            total += minutes
    return total


def new_module_path(tree: Tree, title: str) -> str:
    numbers = [int(m.group(0).rstrip("-_.")) for p in tree if is_module(p)
               for m in [ORDER_PREFIX.match(p)] if m]
    taken = {ORDER_PREFIX.sub("", p.removesuffix(".md")) for p in tree if is_module(p)}
    key = module_text.new_key(title, taken)
    return f"{max(numbers, default=0) + 1:02d}-{key}.md"


def question_keys(tree: Tree) -> set[str]:
    """Question IDs are unique within a course."""
    return {q.key for p in tree if is_module(p)
            for q in module_text.read(p, tree[p].decode("utf-8", "replace")).questions}


def reordered(tree: Tree, path: str, step: int) -> dict[str, str]:
    """The renames that move module `path` one place up (step -1) or down (+1): modules
    are numbered again 01-, 02-, ... in the new order. The part after the number is the
    module's ID, so renaming keeps learners' progress."""
    paths = sorted(p for p in tree if is_module(p))
    i = paths.index(path)
    j = i + step
    if not 0 <= j < len(paths):
        return {}
    paths[i], paths[j] = paths[j], paths[i]
    width = max(2, len(str(len(paths))))
    renames = {}
    for n, old in enumerate(paths, start=1):
        key = ORDER_PREFIX.sub("", PurePosixPath(old).stem) or PurePosixPath(old).stem
        new = f"{n:0{width}d}-{key}.md"
        if new != old:
            renames[old] = new
    return renames
