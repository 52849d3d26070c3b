"""Employee import from the HR system's export (CSV or XLSX): every row checked and
reported by line, a dry run that shows what would change, and an all-or-nothing apply that
changes nothing the second time. Moves between OPDs are recorded as transfers."""

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from . import assignments, roles, stats
from .core import clock
from .models import Assignment, Employee, Opd, Transfer
from .scope import hr_scope

COLUMNS = {  # header as written (lower case, spaces as _) -> field
    "nip": "nip", "nip_baru": "nip", "id_pegawai": "nip",
    "nama": "name", "nama_lengkap": "name", "name": "name",
    "email": "email", "surel": "email", "e-mail": "email",
    "jabatan": "position", "nama_jabatan": "position", "position": "position",
    "opd_kode": "opd", "kode_opd": "opd", "kode_unit": "opd", "unit_kode": "opd",
    "jenis_pegawai": "kind", "jenis": "kind", "status_pegawai": "kind",
    "aktif": "active", "status_aktif": "active", "active": "active",
}
REQUIRED = ("nip", "name", "opd", "kind")
KINDS = {"pns": "pns", "pppk": "pppk", "non-asn": "non_asn", "non asn": "non_asn",
         "nonasn": "non_asn", "non_asn": "non_asn"}
YES = {"ya": True, "y": True, "yes": True, "1": True, "aktif": True, "true": True,
       "tidak": False, "t": False, "no": False, "0": False, "nonaktif": False,
       "tidak aktif": False, "false": False, "": True}
NIP = re.compile(r"^\d{18}$")
INTERNAL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-_/]{2,31}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
FIELDS = ("name", "email", "position", "kind", "active")


class ImportFileError(ValueError):
    pass


@dataclass
class Plan:
    created: list[str] = field(default_factory=list)
    updated: list[tuple[str, list[str]]] = field(default_factory=list)
    moved: list[tuple[str, str, str]] = field(default_factory=list)  # nip, from, to
    deactivated: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # missing, but the importer may not
    unchanged: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return len(self.created) + len(self.updated) + len(self.deactivated)


def read_table(data: bytes, filename: str) -> list[tuple[int, list[str]]]:
    """(line number, cells) for every row of a CSV (UTF-8, comma or semicolon) or XLSX."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook
        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        except Exception as exc:  # openpyxl raises many kinds on a bad file
            raise ImportFileError(_l("the file is not a readable XLSX workbook")) from exc
        return [(n, ["" if v is None else str(v).strip() for v in row])
                for n, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(_l("the file is not UTF-8 text: save it as “CSV UTF-8”")) from exc
    delimiter = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") \
        else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = []
    try:
        for row in reader:
            rows.append((reader.line_num, [c.strip() for c in row]))
    except csv.Error as exc:  # e.g. a cell over the csv module's 128 KiB limit
        raise ImportFileError(_l("line %(line)d cannot be read as CSV: %(error)s",
                                 line=reader.line_num, error=str(exc))) from exc
    return rows


def plausible_nip(nip: str) -> bool:
    """18 digits starting with a real birth date (YYYYMMDD) of a working-age person."""
    if not NIP.match(nip):
        return False
    try:
        born = date(int(nip[:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        return False
    return 1940 <= born.year <= clock.today().year - 15


def plan(session: Session, table: list[tuple[int, list[str]]],
         deactivate_missing: bool = False,
         by: Employee | None = None) -> tuple[Plan, list[dict]]:
    """Check every row and work out what applying would do. Returns the plan and the
    clean rows (empty when there is any problem). `by`: who imports (None: the CLI,
    run by the server's operator); a row changing someone they may not manage
    (`roles.may_manage`) is a problem, and such people missing from the file are kept."""
    result = Plan()
    if not table:
        result.problems.append((1, _l("the file is empty")))
        return result, []
    header_line, header = table[0]
    names = [COLUMNS.get(h.strip().lower().replace(" ", "_")) for h in header]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        result.problems.append((header_line, _l(
            "the first line must name the columns nip, nama, jabatan, opd_kode, "
            "jenis_pegawai, aktif (missing: %(missing)s)", missing=", ".join(missing))))
        return result, []
    opds = {o.code: o for o in session.scalars(select(Opd))}
    seen: dict[str, int] = {}
    rows = []
    for line, cells in table[1:]:
        if not any(cells):
            continue
        row = {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(names)
               if name}
        problem = _check(row, opds, seen, line)
        if problem:
            result.problems.append((line, problem))
            continue
        seen[row["nip"]] = line
        rows.append(row)
    if result.problems:
        return result, []
    existing = {e.nip: e for e in session.scalars(select(Employee))}
    may_change = _may_change(session, by)
    for row in rows:
        person = existing.get(row["nip"])
        if person is None:
            result.created.append(row["nip"])
            continue
        diff = [f for f in FIELDS if _current(person, f) != row[f]]
        if (diff or person.opd.code != row["opd"]) and not may_change(person):
            result.problems.append((seen[row["nip"]], _l(
                "NIP %(nip)s holds a role (admin, HR or trainer): only an admin can "
                "change this person", nip=row["nip"])))
            continue
        if person.opd.code != row["opd"]:
            result.moved.append((row["nip"], person.opd.code, row["opd"]))
            diff.append("opd")
        if diff:
            result.updated.append((row["nip"], diff))
        else:
            result.unchanged += 1
    if result.problems:
        return result, []
    if deactivate_missing:
        in_file = {r["nip"] for r in rows}
        for nip in sorted(nip for nip, e in existing.items()
                          if e.active and nip not in in_file):
            (result.deactivated if may_change(existing[nip]) else result.kept).append(nip)
    return result, rows


def _may_change(session: Session, by: Employee | None) -> Callable[[Employee], bool]:
    if by is None:
        return lambda person: True
    scope, holders = hr_scope(session, by), roles.role_holder_ids(session)
    return lambda person: roles.may_manage(by, person, scope, holders)


def _current(person: Employee, name: str):
    return {"name": person.name, "email": person.email or "", "position": person.position,
            "kind": person.employment_type, "active": person.active}[name]


def _check(row: dict, opds: dict, seen: dict, line: int):
    nip = re.sub(r"\s+", "", row.get("nip", ""))
    row["nip"] = nip
    kind = KINDS.get(row.get("kind", "").strip().lower())
    if kind is None:
        return _l("unknown employment type '%(value)s' (PNS, PPPK or NON-ASN)",
                  value=row.get("kind", ""))
    row["kind"] = kind
    if kind == "non_asn":
        if not (plausible_nip(nip) or INTERNAL_ID.match(nip)):
            return _l("'%(nip)s' is not an 18-digit NIP nor an internal ID", nip=nip)
    elif not NIP.match(nip):
        return _l("NIP '%(nip)s' must have 18 digits", nip=nip)
    elif not plausible_nip(nip):
        return _l("NIP '%(nip)s' does not start with a plausible birth date", nip=nip)
    if nip in seen:
        return _l("NIP %(nip)s appears twice in the file (first on line %(line)d)",
                  nip=nip, line=seen[nip])
    row["name"] = " ".join(row.get("name", "").split())
    if not row["name"]:
        return _l("the name is empty")
    if len(row["name"]) > 200 or len(row.get("position", "")) > 200:
        return _l("the name or position is longer than 200 characters")
    if row.get("opd", "") not in opds:
        return _l("unknown OPD code '%(code)s'", code=row.get("opd", ""))
    row["email"] = row.get("email", "").strip().lower()
    if row["email"] and not EMAIL.match(row["email"]):
        return _l("'%(email)s' is not an email address", email=row["email"])
    active = YES.get(row.get("active", "").strip().lower())
    if active is None:
        return _l("'aktif' must be ya or tidak, not '%(value)s'", value=row.get("active"))
    row["active"] = active
    row["position"] = row.get("position", "").strip()
    return None


def summary(result: Plan) -> dict:
    return {"created": len(result.created), "updated": len(result.updated),
            "moved": len(result.moved), "deactivated": len(result.deactivated),
            "kept": len(result.kept), "unchanged": result.unchanged}


def apply(session: Session, rows: list[dict], result: Plan, by: Employee | None = None,
          on_progress: Callable[[int], None] = lambda n: None) -> None:
    """Apply a clean plan in the caller's transaction, then re-derive requirements and
    report counts once, set-based (a per-person update would take minutes at 15,000)."""
    opds = {o.code: o.id for o in session.scalars(select(Opd))}
    existing = {e.nip: e for e in session.scalars(select(Employee))}
    new = []
    for row in rows:
        person = existing.get(row["nip"])
        values = {"name": row["name"], "email": row["email"] or None,
                  "position": row["position"], "employment_type": row["kind"],
                  "active": row["active"], "opd_id": opds[row["opd"]]}
        if person is None:
            new.append(values | {"nip": row["nip"]})
        else:
            if person.opd_id != values["opd_id"]:
                session.add(Transfer(employee_id=person.id, from_opd_id=person.opd_id,
                                     to_opd_id=values["opd_id"], by_id=by.id if by else None))
            for key, value in values.items():
                if getattr(person, key) != value:
                    setattr(person, key, value)
        on_progress(1)
    if new:
        session.add_all(Employee(**values) for values in new)
    for nip in result.deactivated:
        existing[nip].active = False
    session.flush()
    for course_id in session.scalars(select(Assignment.course_id).where(
            Assignment.revoked_at.is_(None)).distinct()):
        assignments.rebuild_course(session, course_id)
    stats.rebuild(session)
