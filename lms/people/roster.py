"""Employee import from the HR system's export (CSV or XLSX): every row checked and
reported by line, a dry run that shows what would change, and an all-or-nothing apply that
changes nothing the second time. Moves between OPDs are recorded as transfers."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, insert, literal, select, update
from sqlalchemy.orm import Session

from lms.core import audit, cells, clock
from lms.mandatory import assignments, counts
from lms.models import Employee, Opd, Transfer
from lms.org.scope import hr_scope
from lms.people import roles, roster_heads
from lms.people.roster_file import SCIENTIFIC, BadCell, column_letter

COLUMNS = {  # header as written (lower case, spaces as _) -> field
    "nip": "nip", "nip_baru": "nip", "id_pegawai": "nip",
    "nama": "name", "nama_lengkap": "name", "name": "name",
    "email": "email", "surel": "email", "e-mail": "email",
    "jabatan": "position", "nama_jabatan": "position", "position": "position",
    "opd_kode": "opd", "kode_opd": "opd", "kode_unit": "opd", "unit_kode": "opd",
    "jenis_pegawai": "employment_type", "jenis": "employment_type",
    "status_pegawai": "employment_type",
    "aktif": "active", "status_aktif": "active", "active": "active",
    "kepala": "head", "kepala_unit": "head",  # optional: roster_heads
}
REQUIRED = ("nip", "name", "opd", "employment_type")
EMPLOYMENT_TYPE_WORDS = {"pns": "pns", "pppk": "pppk", "non-asn": "non_asn", "non asn": "non_asn",
                         "nonasn": "non_asn", "non_asn": "non_asn"}
YES = {"ya": True, "y": True, "yes": True, "1": True, "aktif": True, "true": True,
       "tidak": False, "t": False, "no": False, "0": False, "nonaktif": False,
       "tidak aktif": False, "false": False, "": True}
NIP = re.compile(r"^\d{18}$")
INTERNAL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-_/]{2,31}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
FIELDS = ("name", "email", "position", "employment_type", "active")
@dataclass
class Plan:
    created: list[str] = field(default_factory=list)
    updated: list[tuple[str, list[str]]] = field(default_factory=list)
    moved: list[tuple[str, str, str]] = field(default_factory=list)  # nip, from, to
    deactivated: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # missing, but the importer may not
    unchanged: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)
    deactivated_ids: list[int] = field(default_factory=list, repr=False)
    heads: roster_heads.HeadPlan | None = None  # None: the file has no kepala column

    @property
    def changes(self) -> int:
        heads = len(self.heads.appointed) + len(self.heads.ended) if self.heads else 0
        return len(self.created) + len(self.updated) + len(self.deactivated) + heads


def plausible_nip(nip: str, year: int | None = None) -> bool:
    """18 digits starting with a real birth date (YYYYMMDD) of a working-age person
    (`year`: this Jakarta year, when the caller checks many)."""
    if not NIP.match(nip):
        return False
    try:
        born = date(int(nip[:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        return False
    return 1940 <= born.year <= (year or clock.today().year) - 15


def plan(session: Session, table: list[tuple[int, list]],
         deactivate_missing: bool = False,
         by: Employee | None = None) -> tuple[Plan, list[dict]]:
    """Check every row and work out what applying would do: reads only, so it runs before
    the write transaction. Returns the plan and the clean rows, each with what `apply`
    writes (empty when there is any problem). `by`: who imports (None: the CLI, run by
    the server's operator); a row changing someone they may not manage
    (`roles.may_manage`) is a problem, and such people missing from the file are kept."""
    result = Plan()
    if not table:
        result.problems.append((1, _l("the file is empty")))
        return result, []
    header_line, header = table[0]
    header = [h.strip() if isinstance(h, str) else "" for h in header]
    names = [COLUMNS.get(h.lower().replace(" ", "_")) for h in header]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        result.problems.append((header_line, _l(
            "the first line must name the columns nip, nama, jabatan, opd_kode, "
            "jenis_pegawai, aktif (missing: %(missing)s)", missing=", ".join(missing))))
        return result, []
    first: dict[str, int] = {}
    for i, name in enumerate(names):
        if name in first:  # one would silently overwrite the other
            result.problems.append((header_line, _l(
                "column %(second)s repeats column %(first)s: delete one of them",
                first=f"{header[first[name]]} ({column_letter(first[name])})",
                second=f"{header[i]} ({column_letter(i)})")))
        elif name:
            first[name] = i
    if result.problems:
        return result, []
    columns = {name: header[i] for name, i in first.items()}
    opds = dict(session.execute(select(Opd.code, Opd.id)).all())
    seen: dict[str, int] = {}
    rows, year = [], clock.today().year
    for line, values in table[1:]:
        if not any(values):
            continue
        row = {name: (values[i] if i < len(values) else "") for i, name in enumerate(names)
               if name}
        problem = _cell_problem(row, columns) or _check(row, opds, seen, line, year)
        if problem:
            result.problems.append((line, problem))
            continue
        seen[row["nip"]] = line
        rows.append(row)
    if result.problems:
        return result, []
    codes = {opd_id: code for code, opd_id in opds.items()}
    # Plain rows, not ORM objects: a city's 200,000 employees load in a second this way.
    existing = {e.nip: e for e in session.execute(select(*_PLANNED))}
    may_change = _may_change(session, by)
    for row in rows:
        row["opd_id"] = opds[row["opd"]]
        person = existing.get(row["nip"])
        if person is None:
            result.created.append(row["nip"])
            continue
        row["id"] = person.id
        diff = [f for f, old in zip(FIELDS, _current(person), strict=True) if old != row[f]]
        if (diff or person.opd_id != row["opd_id"]) and not may_change(person):
            result.problems.append((seen[row["nip"]], _l(
                "NIP %(nip)s holds a role (admin, HR or trainer): only an admin can "
                "change this person", nip=row["nip"])))
            continue
        if person.opd_id != row["opd_id"]:
            result.moved.append((row["nip"], codes[person.opd_id], row["opd"]))
            row["moved"] = True
            diff.append("opd")
        if diff:
            row["changed"] = True
            row["reach"] = bool({"opd", "employment_type", "active"} & set(diff))
            if "active" in diff and not row["active"]:
                # 'aktif: tidak' deactivates: HR looks for that person among the
                # deactivated, not among the changed ones with the field "active".
                result.deactivated.append(row["nip"])
                diff.remove("active")
            if diff:
                result.updated.append((row["nip"], diff))
        else:
            result.unchanged += 1
    if result.problems:
        return result, []
    if "head" in first:
        result.heads, result.problems = roster_heads.plan(session, rows, seen, codes)
        if result.problems:
            return result, []
    if deactivate_missing:
        in_file = {r["nip"] for r in rows}
        gone = sorted((e.nip, e.id) for nip, e in existing.items()
                      if e.active and nip not in in_file)
        for nip, employee_id in gone:
            if may_change(existing[nip]):
                result.deactivated.append(nip)
                result.deactivated_ids.append(employee_id)
            else:
                result.kept.append(nip)
    return result, rows


_PLANNED = (Employee.id, Employee.nip, Employee.name, Employee.email, Employee.position,
            Employee.employment_type, Employee.active, Employee.opd_id)


def _may_change(session: Session, by: Employee | None) -> Callable:
    """Whether `by` may change a planned person (a row of _PLANNED)."""
    if by is None:
        return lambda person: True
    scope = hr_scope(session, by)
    holders = roles.role_holder_ids(session, scope)
    paths = dict(session.execute(select(Opd.id, Opd.path)).all())
    return lambda person: roles.may_manage_by_place(by, person.id, paths[person.opd_id],
                                                     scope, holders)


def _current(person) -> tuple:
    """The person's FIELDS as the file writes them."""
    return (person.name, person.email or "", person.position, person.employment_type,
            person.active)


def _cell_problem(row: dict, columns: dict):
    """What is wrong with a cell before its meaning is checked, in words that say what to
    do in Excel."""
    for name, value in row.items():
        column = columns[name]
        if isinstance(value, BadCell):
            if value.kind == "formula":
                return _l("cell %(cell)s (column %(column)s) holds a formula whose result "
                          "was not saved: open the file in Excel, save it again so the "
                          "formulas get their values, then import it again",
                          cell=value.ref, column=column)
            if value.kind == "error":
                return _l("cell %(cell)s (column %(column)s) shows the error %(error)s: "
                          "correct it in Excel or type the value, then import it again",
                          cell=value.ref, column=column, error=value.value)
            return _long_number(f"{value.value:G}", column)
        if name == "nip" and SCIENTIFIC.match(value):
            return _long_number(value, column)
        char = cells.control_character(value)
        if char:
            return _l("column %(column)s holds a hidden control character (%(char)s): "
                      "type the cell again in the file, save it, then import it again",
                      column=column, char=char)
    return None


def _long_number(shown: str, column: str):
    return _l("column %(column)s holds %(value)s as a number, so Excel has dropped its last "
              "digits: format the column %(column)s as Text in Excel, type the values "
              "again, save, then import it again", column=column, value=shown)


def _check(row: dict, opds: dict, seen: dict, line: int, year: int):
    nip = re.sub(r"\s+", "", row.get("nip", ""))
    row["nip"] = nip
    kind = EMPLOYMENT_TYPE_WORDS.get(row.get("employment_type", "").strip().lower())
    if kind is None:
        return _l("unknown employment type '%(value)s' (PNS, PPPK or NON-ASN)",
                  value=row.get("employment_type", ""))
    row["employment_type"] = kind
    if kind == "non_asn":
        if not (plausible_nip(nip, year) or INTERNAL_ID.match(nip)):
            return _l("'%(nip)s' is not an 18-digit NIP nor an internal ID", nip=nip)
    elif not NIP.match(nip):
        return _l("NIP '%(nip)s' must have 18 digits", nip=nip)
    elif not plausible_nip(nip, year):
        return _l("NIP '%(nip)s' does not start with a plausible birth date", nip=nip)
    if nip in seen:
        return _l("NIP %(nip)s appears twice in the file (first on line %(line)d)",
                  nip=nip, line=seen[nip])
    row["name"] = " ".join(row.get("name", "").split())
    if not row["name"]:
        return _l("the name is empty")
    if len(row["name"]) > 200 or len(row.get("position", "")) > 200:
        return _l("the name or position is longer than 200 characters")
    if row.get("opd", "") not in opds:  # codes of every OPD
        return _l("unknown OPD code '%(code)s'", code=row.get("opd", ""))
    row["email"] = row.get("email", "").strip().lower()
    if row["email"] and not EMAIL.match(row["email"]):
        return _l("'%(email)s' is not an email address", email=row["email"])
    active = YES.get(row.get("active", "").strip().lower())
    if active is None:
        return _l("'aktif' must be ya or tidak, not '%(value)s'", value=row.get("active"))
    row["active"] = active
    row["position"] = row.get("position", "").strip()
    return roster_heads.check(row)


def summary(result: Plan) -> dict:
    heads = ({"heads_appointed": len(result.heads.appointed),
              "heads_ended": len(result.heads.ended)} if result.heads else {})
    return {"created": len(result.created), "updated": len(result.updated),
            "moved": len(result.moved), "deactivated": len(result.deactivated),
            "kept": len(result.kept), "unchanged": result.unchanged, **heads}


def describe(result: Plan) -> str:
    """The one-line account of a plan, for the page and the command line alike."""
    text = _l("%(created)d to create, %(updated)d to update (%(moved)d moved), "
              "%(deactivated)d to deactivate, %(unchanged)d unchanged.",
              created=len(result.created), updated=len(result.updated),
              moved=len(result.moved), deactivated=len(result.deactivated),
              unchanged=result.unchanged)
    return f"{text} {roster_heads.describe(result.heads)}".strip()


def describe_done(result: Plan) -> str:
    """The same account once applied, in the past tense."""
    text = _l("Done: %(created)d created, %(updated)d updated (%(moved)d moved), "
              "%(deactivated)d deactivated, %(unchanged)d unchanged.",
              created=len(result.created), updated=len(result.updated),
              moved=len(result.moved), deactivated=len(result.deactivated),
              unchanged=result.unchanged)
    return f"{text} {roster_heads.describe(result.heads, done=True)}".strip()


def apply_and_audit(session: Session, rows: list[dict], result: Plan, *, source: str,
                    by: Employee | None = None, address: str = "",
                    on_progress: Callable[[int], None] = lambda n: None) -> None:
    """`apply` and its audit row, inside the caller's `database.writing` block; the
    caller commits. The browser and the command line import through here."""
    apply(session, rows, result, by=by, on_progress=on_progress)
    audit.record(session, "import_employees", actor=by, target=source,
                 details=summary(result), address=address)


BATCH = 10000  # rows per executemany: the progress bar moves, memory stays flat
IDS = 5000  # ids per IN (...): well under SQLite's 32,766 parameters per statement
INSERT_SQL = ("INSERT INTO employee (name, email, position, employment_type, active, opd_id, "
              "nip, auth_epoch, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?) "
              "ON CONFLICT (nip) DO NOTHING")
UPDATE_SQL = ("UPDATE employee SET name = ?, email = ?, position = ?, employment_type = ?, "
              "active = ?, opd_id = ? WHERE id = ?")


def apply(session: Session, rows: list[dict], result: Plan, by: Employee | None = None,
          on_progress: Callable[[int], None] = lambda n: None) -> None:
    """Write a clean plan in the caller's write transaction, set-based, reading only who
    moved since `plan` read everything, before the lock: the changed and the new rows each
    by one statement run over many rows (through the driver, whose executemany is many
    times faster than per-row processing), the transfers by one, and the requirements
    and report counts of only the people whose reach can change (new, moved, another
    employment type, (de)activated) taken out and re-derived by a few statements.

    The statements apply the file to the rows as they are when they run: a transfer is
    recorded only if the person is still elsewhere, and someone another import created in
    between is left as that import made them."""
    # Everything is prepared before the first statement, which takes the write lock.
    stamp = clock.now()
    moved = [{"employee": r["id"], "to_opd": r["opd_id"], "at": stamp,
              "by": by.id if by else None} for r in rows if r.get("moved")]
    changed = [_values(r) + (r["id"],) for r in rows if r.get("changed")]
    created_at = _created_at(session, stamp)
    new = [_values(r) + (r["nip"], created_at) for r in rows if "id" not in r]
    connection = session.connection()  # the write transaction (and lock) begins here
    drifted = _drifted(session, rows)
    moved += [{"employee": r["id"], "to_opd": r["opd_id"], "at": stamp,
               "by": by.id if by else None} for r in rows if r.get("id") in drifted]
    touched = sorted({r["id"] for r in rows if r.get("reach")}.union(
        drifted, result.deactivated_ids, result.heads.employee_ids if result.heads else ()))
    batches = list(_id_batches(touched))
    first_new = None
    if new:
        first_new = (session.scalar(select(func.max(Employee.id))) or 0) + 1
    for batch in batches:
        counts.shift(session, lambda column, ids=batch: column.in_(ids), -1)
    if moved:
        table = Employee.__table__
        elsewhere = select(table.c.id, table.c.opd_id, bindparam("to_opd"), bindparam("at"),
                           literal("import"), bindparam("by")).where(
            table.c.id == bindparam("employee"), table.c.opd_id != bindparam("to_opd"))
        session.execute(insert(Transfer.__table__).from_select(
            ["employee_id", "from_opd_id", "to_opd_id", "at", "source", "by_id"], elsewhere),
            moved)
    for sql, params in ((UPDATE_SQL, changed), (INSERT_SQL, new)):
        for start in range(0, len(params), BATCH):
            connection.exec_driver_sql(_driver_sql(session, sql), params[start:start + BATCH])
            on_progress(len(params[start:start + BATCH]))
    for batch in _id_batches(result.deactivated_ids):
        session.execute(update(Employee).where(Employee.id.in_(batch)).values(active=False)
                        .execution_options(synchronize_session=False))
    on_progress(len(rows) - len(changed) - len(new))
    roster_heads.apply(session, result.heads, by)
    groups = [lambda column, ids=batch: column.in_(ids) for batch in batches]
    if new:  # this import's rows: later ids, this import's moment
        groups.append(lambda column: column.in_(select(Employee.id).where(
            Employee.id >= first_new, Employee.created_at == stamp)))
    for group in groups:
        assignments.rebuild_employees(session, group)
        counts.shift(session, group, +1)
    session.expire_all()  # the rows changed under the ORM's feet


def _drifted(session: Session, rows: list[dict]) -> set[int]:
    """Changed people whose OPD, type or active flag another write changed since `plan`:
    the file now changes their reach too (requirements, counts, a transfer)."""
    planned = {r["id"]: (r["opd_id"], r["employment_type"], bool(r["active"]))
               for r in rows if r.get("changed") and not r.get("reach")}
    return {key for batch in _id_batches(sorted(planned))
            for key, *now in session.execute(select(
                Employee.id, Employee.opd_id, Employee.employment_type, Employee.active)
                .where(Employee.id.in_(batch)))
            if (now[0], now[1], bool(now[2])) != planned[key]}


def _values(row: dict) -> tuple:
    return (row["name"], row["email"] or None, row["position"], row["employment_type"],
            row["active"], row["opd_id"])


def _created_at(session: Session, moment):
    """The moment as SQLAlchemy itself would bind it (SQLite keeps text, always with
    microseconds), converted once; the driver's own adapter would drop ".000000" from a
    whole second, and the rows would no longer compare equal to `moment`."""
    dialect = session.get_bind().dialect
    convert = Employee.__table__.c.created_at.type.dialect_impl(dialect).bind_processor(dialect)
    return convert(moment) if convert else moment


def _driver_sql(session: Session, sql: str) -> str:
    """SQL written with ? placeholders, in the driver's own style (psycopg: %s)."""
    return sql if session.get_bind().dialect.paramstyle == "qmark" else sql.replace("?", "%s")


def _id_batches(ids: list[int]):
    for start in range(0, len(ids), IDS):
        yield ids[start:start + IDS]
