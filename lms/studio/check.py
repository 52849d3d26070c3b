"""Validate a course folder held as data with exactly the checks `check-courses` runs:
the folder is written to a temporary directory and read back by the same parser."""

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from ..content.parse import parse_course
from ..content.source import CourseSource, Problem
from ..content.tree import Tree, write_folder
from ..content.validate import validate_course


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
        prefix = str(root.resolve()) + "/"
        shown = [replace(p, path=p.path.removeprefix(prefix).removeprefix(tmp + "/"))
                 for p in problems]
        yield course, sorted(shown, key=lambda p: (p.path, p.line, str(p.message)))


def problems(tree: Tree, slug: str) -> list[Problem]:
    with materialised(tree, slug) as (_, found):
        return found
