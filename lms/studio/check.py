"""Validate a course folder held as data with exactly the checks `check-courses` runs:
the folder is written to a temporary directory and read back by the same parser."""

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from lms.content.parse import parse_course
from lms.content.source import CourseSource, Problem
from lms.content.tree import Tree, write_folder
from lms.content.validate import validate_course


@contextmanager
def materialised(tree: Tree, slug: str) -> Iterator[tuple[CourseSource | None, list[Problem]]]:
    """The parsed course and its problems, with paths shown as `slug/file.md`. The
    folder exists until the block ends, so images can be read from it."""
    with tempfile.TemporaryDirectory(prefix="melek-course-") as tmp:
        root = Path(tmp)
        folder = root / slug
        folder.mkdir()
        write_folder(tree, folder)
        course, problems = parse_course(folder, root)
        if course is not None:
            problems += validate_course(course)
        shown = [replace(p, path=_within(p.path, root.resolve())) for p in problems]
        yield course, sorted(shown, key=lambda p: (p.path, p.line, str(p.message)))


def _within(path: str, root: Path) -> str:
    """`slug/file.md`, whatever directory the server runs in (the parser shows paths
    relative to the working directory when it can)."""
    absolute = Path(path) if Path(path).is_absolute() else Path.cwd() / path
    try:
        return absolute.resolve().relative_to(root).as_posix()
    except ValueError:
        return path


def problems(tree: Tree, slug: str) -> list[Problem]:
    with materialised(tree, slug) as (_, found):
        return found
