"""The organisation tree: add, rename and move units, and import the tree from CSV.

Every change is recorded in opd_change. Moving a unit rewrites the materialised path of
its whole subtree in one statement and re-derives the requirements of assignments,
since an assignment to an OPD reaches whoever is under it now.
"""

import csv
import io
import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from lms.core.cells import control_character
from lms.mandatory import assignments
from lms.models import Assignment, Opd, OpdChange
from lms.models.org import OPD_KINDS

HEADERS = {"kode": "code", "code": "code", "nama": "name", "name": "name",
           "jenis": "kind", "kind": "kind", "kode_induk": "parent", "parent_code": "parent",
           "induk": "parent"}


CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-_]*")
CODE_MAX, NAME_MAX = 32, 200  # the columns' lengths


def in_order(session: Session, within=None) -> list[Opd]:
    """Every node in tree order (parents before their units), optionally only those
    matching `within` (a Scope's SQL condition)."""
    query = select(Opd).order_by(Opd.path)
    if within is not None:
        query = query.where(within)
    return list(session.scalars(query))


def by_code(session: Session, code: str) -> Opd | None:
    return session.scalars(select(Opd).where(Opd.code == code)).first() if code else None


def option_label(node: Opd, top_depth: int = 0) -> str:
    """A node's name indented by its depth below `top_depth`, for a dropdown."""
    return "\u2003" * (node.depth - top_depth) + node.name


class OrgError(ValueError):
    pass


def code_problem(code: str):
    """The one rule for an OPD code, for the form and the CSV import alike: codes are keys
    in URLs and files, and land in spreadsheets (a code starting with = would be a
    formula)."""
    if not code or len(code) > CODE_MAX:
        return _l("the code is empty or longer than 32 characters")
    if not CODE.fullmatch(code):
        return _l("the code may hold only letters, digits, '.', '-' and '_', and must "
                  "start with a letter or a digit")
    return None


def name_problem(name: str):
    """The one rule for an OPD name (already trimmed), for the form and the import."""
    if not name:
        return _l("the name is empty")
    if len(name) > NAME_MAX:
        return _l("the name is longer than 200 characters")
    if control_character(name):
        return _l("the name holds a hidden control character (%(char)s): type it again",
                  char=control_character(name))
    return None


def _log(session: Session, node: Opd, what: str, old, new, by) -> None:
    session.add(OpdChange(opd_id=node.id, field=what, old_value=old, new_value=new,
                          by_id=by.id if by else None))


def create(session: Session, *, code: str, name: str, kind: str, parent: Opd | None,
           by=None) -> Opd:
    node = Opd(code=code, name=name, kind=kind, parent_id=parent.id if parent else None,
               depth=parent.depth + 1 if parent else 0)
    session.add(node)
    session.flush()
    node.path = f"{parent.path if parent else '/'}{node.id}/"
    _log(session, node, "created", None, f"{code} {name}", by)
    session.flush()
    return node


def change(session: Session, node: Opd, *, code: str, name: str, kind: str,
           parent: Opd | None, by=None) -> list[str]:
    """Apply what differs; returns the fields that changed."""
    changed = []
    for what, new in (("code", code), ("name", name), ("kind", kind)):
        old = getattr(node, what)
        if old != new:
            _log(session, node, what, old, new, by)
            setattr(node, what, new)
            changed.append(what)
    if (parent.id if parent else None) != node.parent_id:
        if parent is not None and parent.path.startswith(node.path):
            raise OrgError(_l("A unit cannot be moved under itself or one of its own units."))
        _log(session, node, "parent", node.parent.code if node.parent else None,
             parent.code if parent else None, by)
        _move(session, node, parent)
        changed.append("parent")
    session.flush()
    return changed


def _move(session: Session, node: Opd, parent: Opd | None) -> None:
    old_prefix = node.path
    new_prefix = f"{parent.path if parent else '/'}{node.id}/"
    shift = (parent.depth + 1 if parent else 0) - node.depth
    node.parent_id = parent.id if parent else None
    session.flush()
    session.execute(
        update(Opd).where(Opd.path.like(old_prefix + "%"))
        .values(path=new_prefix + func.substr(Opd.path, len(old_prefix) + 1),
                depth=Opd.depth + shift).execution_options(synchronize_session=False))
    session.expire_all()
    for course_id in session.scalars(select(Assignment.course_id).where(
            Assignment.revoked_at.is_(None)).distinct()):
        assignments.rebuild_course(session, course_id)


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[tuple[str, list[str]]] = field(default_factory=list)
    unchanged: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)


def import_csv(session: Session, text: str, by=None, apply: bool = False) -> ImportResult:
    """Check every row first (line numbers as in the file); apply only when there is no
    problem and `apply` is set. Re-importing the same file changes nothing."""
    result = ImportResult()
    rows = _read(text, result)
    existing = {o.code: o for o in session.scalars(select(Opd))}
    in_file = {}
    for line, row in rows:
        if row["code"] in in_file:
            result.problems.append((line, _l("code %(code)s appears twice in the file",
                                             code=row["code"])))
        in_file.setdefault(row["code"], (line, row))
    for code, (line, row) in in_file.items():
        if row["parent"] and row["parent"] not in in_file and row["parent"] not in existing:
            result.problems.append((line, _l("unknown parent code %(code)s",
                                             code=row["parent"])))
        if row["parent"] == code:
            result.problems.append((line, _l("a unit cannot be its own parent")))
    order = _parents_first(in_file, existing, result)
    if result.problems:
        result.problems.sort(key=lambda p: p[0])
        return result
    for code in order:
        line, row = in_file[code]
        parent_code = row["parent"] or None
        node = existing.get(code)
        parent = existing.get(parent_code) if parent_code else None
        if node is None:
            result.created.append(code)
            if apply:
                existing[code] = create(session, code=code, name=row["name"],
                                        kind=row["kind"], parent=parent, by=by)
            continue
        diff = [f for f, old, new in (("name", node.name, row["name"]),
                                      ("kind", node.kind, row["kind"]),
                                      ("parent", node.parent.code if node.parent else None,
                                       parent_code)) if old != new]
        if not diff:
            result.unchanged += 1
            continue
        result.updated.append((code, diff))
        if apply:
            try:
                change(session, node, code=code, name=row["name"], kind=row["kind"],
                       parent=parent, by=by)
            except OrgError as exc:
                result.problems.append((line, str(exc)))
    return result


def _read(text: str, result: ImportResult) -> list[tuple[int, dict]]:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = next(reader)
    except StopIteration:
        result.problems.append((1, _l("the file is empty")))
        return []
    columns = [HEADERS.get(h.strip().lower()) for h in header]
    missing = {"code", "name", "kind", "parent"} - set(columns)
    if missing:
        result.problems.append((1, _l(
            "the first line must name the columns kode, nama, jenis, kode_induk "
            "(missing: %(missing)s)", missing=", ".join(sorted(missing)))))
        return []
    rows = []
    try:
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            row = {c: v.strip() for c, v in zip(columns, values, strict=False) if c}
            problem = _row_problem(row)
            if problem:
                result.problems.append((line, problem))
            else:
                rows.append((line, row))
    except csv.Error as exc:  # e.g. a cell over the csv module's 128 KiB limit
        result.problems.append((reader.line_num, _l(
            "line %(line)d cannot be read as CSV: %(error)s", line=reader.line_num,
            error=str(exc))))
    return rows


def _row_problem(row: dict):
    problem = code_problem(row.get("code", "")) or name_problem(row.get("name", ""))
    if problem:
        return problem
    if row.get("kind") not in OPD_KINDS:
        return _l("unknown kind %(kind)s (known: %(kinds)s)", kind=row.get("kind", ""),
                  kinds=", ".join(OPD_KINDS))
    row.setdefault("parent", "")
    return None


def _parents_first(in_file: dict, existing: dict, result: ImportResult) -> list[str]:
    order, state = [], {}

    def visit(code, trail):
        if state.get(code) == "done" or code not in in_file:
            return
        if state.get(code) == "visiting":
            result.problems.append((in_file[code][0], _l(
                "the parent codes go round in a circle: %(codes)s",
                codes=" → ".join(trail + [code]))))
            return
        state[code] = "visiting"
        parent = in_file[code][1]["parent"]
        if parent:
            visit(parent, trail + [code])
        state[code] = "done"
        order.append(code)

    for code in in_file:
        visit(code, [])
    return order
