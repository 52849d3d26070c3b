"""The checked employee file, kept until it is applied (no second upload), what the check
lists for the importer, the template file, and the new people still without a password."""

import hashlib
import io
import json
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from lms.core import clock
from lms.models import Employee, Opd, PendingImport
from lms.org.scope import Scope
from lms.people.roster import Plan

KEPT_FOR = timedelta(hours=2)  # a check older than this is done again
LISTED = 200  # rows listed per kind of change; the counts say how many in all
NEW_FOR = timedelta(days=14)  # "new people without a password": created this recently
FIELD_LABELS = {"name": _l("name"), "email": _l("email"), "position": _l("position"),
                "employment_type": _l("employment type"), "active": _l("active"),
                "opd": _l("OPD")}
TEMPLATE_COLUMNS = ["nip", "nama", "email", "jabatan", "opd_kode", "jenis_pegawai", "aktif"]


def digest(result: Plan) -> str:
    """A fingerprint of what a check showed: applying goes ahead only while it holds."""
    shown = [result.created, result.updated, result.moved, result.deactivated, result.kept]
    if result.heads is not None:
        shown += [result.heads.appointed, result.heads.ended]
    return hashlib.sha256(json.dumps(shown, default=list).encode()).hexdigest()


def keep(session: Session, by: Employee, filename: str, data: bytes, deactivate: bool,
         result: Plan) -> PendingImport:
    """Keep a checked file for `by`, replacing whatever they had kept before."""
    session.execute(delete(PendingImport).where(
        (PendingImport.employee_id == by.id)
        | (PendingImport.created_at < clock.now() - KEPT_FOR)))
    pending = PendingImport(employee_id=by.id, filename=filename[:255], data=data,
                            deactivate_missing=deactivate, plan_digest=digest(result))
    session.add(pending)
    session.flush()
    return pending


def take(session: Session, by: Employee, pending_id: int) -> PendingImport | None:
    """`by`'s kept file with this id, unless it is too old (or someone else's)."""
    pending = session.get(PendingImport, pending_id)
    if pending is None or pending.employee_id != by.id \
            or pending.created_at < clock.now() - KEPT_FOR:
        return None
    return pending


def listing(session: Session, result: Plan, rows: list[dict]) -> dict:
    """What the check lists, the first LISTED of each kind: new people (NIP, name, OPD),
    changed people and what changes, moves, and who is deactivated (NIP, name)."""
    by_nip = {r["nip"]: r for r in rows}
    created = [(nip, by_nip[nip]["name"], by_nip[nip]["opd"])
               for nip in result.created[:LISTED]]
    updated = [(nip, by_nip[nip]["name"], ", ".join(str(FIELD_LABELS.get(f, f))
                                                  for f in fields))
               for nip, fields in result.updated[:LISTED]]
    moved = [(nip, by_nip[nip]["name"], old, new) for nip, old, new in result.moved[:LISTED]]
    names = dict(session.execute(select(Employee.nip, Employee.name).where(
        Employee.nip.in_(result.deactivated[:LISTED]))).all()) if result.deactivated else {}
    deactivated = [(nip, names.get(nip, "")) for nip in result.deactivated[:LISTED]]
    return {"created": created, "updated": updated, "moved": moved,
            "deactivated": deactivated, "limit": LISTED}


def without_password(session: Session, scope: Scope | None, limit: int = 100) -> list:
    """Active people created in the last NEW_FOR who have no password yet (they cannot
    log in until someone makes them a set-password link), newest first. `scope`: an HR
    user's (None: an admin's, everyone)."""
    query = (select(Employee).join(Opd, Opd.id == Employee.opd_id)
             .where(Employee.active, Employee.password_hash.is_(None),
                    Employee.created_at >= clock.now() - NEW_FOR)
             .order_by(Employee.created_at.desc(), Employee.name).limit(limit))
    if scope is not None:
        query = query.where(scope.condition(Opd.path))
    return list(session.scalars(query))


def template_file(example_opd: str | None) -> bytes:
    """An empty import file: the columns in order, the nip column formatted as text (so
    Excel keeps all 18 digits), and a second sheet that explains each column."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("pegawai")
    sheet.column_dimensions["A"].number_format = "@"
    for letter, width in zip("ABCDEFG", (22, 30, 28, 28, 16, 16, 8), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    sheet.append(TEMPLATE_COLUMNS)
    notes = workbook.create_sheet("petunjuk")
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["B"].width = 90
    for row in (
            ("nip", str(_l("18 digits, typed as text (this column is already text)"))),
            ("nama", str(_l("full name"))),
            ("email", str(_l("optional"))),
            ("jabatan", str(_l("position"))),
            ("opd_kode", str(_l("the OPD or unit code as in Melek, for example %(code)s",
                                code=example_opd or "DISKOMINFO"))),
            ("jenis_pegawai", "PNS, PPPK, NON-ASN"),
            ("aktif", str(_l("ya or tidak (empty: ya)")))):
        notes.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
