"""The employee import's optional `kepala` column: ya means "this person heads the unit in
opd_kode". It speaks of the people in the file only: a listed person marked ya becomes
their unit's head (ending whoever headed it), and a listed person who heads some unit but
is not marked ya for it in the file stops heading it. Units whose head is not in the file
keep them; a file without the column changes no head. Planned with the rest (reads
only), written set-based inside the import's transaction."""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, bindparam, exists, insert, literal, not_, select, update
from sqlalchemy.orm import Session

from lms.core import clock
from lms.models import Employee, OpdHead

HEAD_WORDS = {"ya": True, "y": True, "yes": True, "1": True, "true": True,
              "tidak": False, "t": False, "no": False, "0": False, "false": False, "": False}


@dataclass
class HeadPlan:
    appointed: list[tuple[str, str]] = field(default_factory=list)  # nip, unit code
    ended: list[tuple[str, str]] = field(default_factory=list)
    new_heads: list[dict] = field(default_factory=list, repr=False)  # opd, nip
    ends: list[dict] = field(default_factory=list, repr=False)  # opd, employee
    employee_ids: list[int] = field(default_factory=list, repr=False)  # whose reach moves


def check(row: dict):
    """The cell's meaning, in the import's words (None when it is fine)."""
    if "head" not in row:
        return None
    value = HEAD_WORDS.get(str(row["head"]).strip().lower())
    if value is None:
        return _l("'kepala' must be ya or tidak, not '%(value)s'", value=row["head"])
    row["head"] = value
    if value and not row.get("active", True):
        return _l("a person who is not active cannot head a unit: write kepala tidak, or "
                  "aktif ya")
    return None


def plan(session: Session, rows: list[dict], lines: dict[str, int],
         opd_codes: dict[int, str]) -> tuple[HeadPlan, list[tuple[int, str]]]:
    """What the column changes, and line-numbered problems (two heads for one unit)."""
    result, problems, first = HeadPlan(), [], {}
    for row in rows:
        if row["head"]:
            if row["opd_id"] in first:
                problems.append((lines[row["nip"]], _l(
                    "NIP %(nip)s is a second head of unit %(code)s in the file (the first "
                    "is on line %(line)d): one head per unit", nip=row["nip"],
                    code=row["opd"], line=lines[first[row["opd_id"]]])))
            else:
                first[row["opd_id"]] = row["nip"]
    if problems:
        return result, problems
    heads = session.execute(select(OpdHead.opd_id, OpdHead.employee_id, Employee.nip)
                            .join(Employee, Employee.id == OpdHead.employee_id)
                            .where(OpdHead.ended_on.is_(None))).all()
    by_unit = {opd_id: (employee_id, nip) for opd_id, employee_id, nip in heads}
    listed = {r["nip"] for r in rows}
    for opd_id, employee_id, nip in heads:
        if nip in listed and first.get(opd_id) != nip:  # the file says: not this unit's head
            result.ends.append({"opd": opd_id, "employee": employee_id})
            result.ended.append((nip, opd_codes[opd_id]))
            result.employee_ids.append(employee_id)
    for opd_id, nip in first.items():
        now = by_unit.get(opd_id)
        if now is not None and now[1] == nip:
            continue
        if now is not None and now[1] not in listed:  # replaced by the file's head
            result.ends.append({"opd": opd_id, "employee": now[0]})
            result.ended.append((now[1], opd_codes[opd_id]))
            result.employee_ids.append(now[0])
        result.new_heads.append({"opd": opd_id, "nip": nip})
        result.appointed.append((nip, opd_codes[opd_id]))
    appointed = {nip for nip, _code in result.appointed}
    result.employee_ids += [r["id"] for r in rows if "id" in r and r["nip"] in appointed]
    return result, []


def apply(session: Session, heads: HeadPlan | None, by: Employee | None) -> None:
    """End, then add, by two statements over many rows; after the employees are written
    (a new employee may head a unit), before their requirements are re-derived."""
    if heads is None:
        return
    table = OpdHead.__table__
    common = {"today": clock.today(), "by": by.id if by else None, "at": clock.now()}

    def typed(name):
        return bindparam(name, type_=table.c[{"today": "started_on", "by": "recorded_by_id",
                                              "at": "recorded_at", "opd": "opd_id"}[name]].type)

    if heads.ends:
        session.execute(update(table).where(
            table.c.opd_id == bindparam("opd"), table.c.employee_id == bindparam("employee"),
            table.c.ended_on.is_(None)).values(ended_on=typed("today")),
            [dict(end, **common) for end in heads.ends])
    if heads.new_heads:
        current = exists(select(table.c.id).where(table.c.opd_id == typed("opd"),
                                                  table.c.ended_on.is_(None)))
        person = (select(typed("opd"), Employee.id, typed("today"), literal("import"),
                         typed("by"), typed("at"))
                  .where(and_(Employee.nip == bindparam("nip"), not_(current))))
        session.execute(insert(table).from_select(
            ["opd_id", "employee_id", "started_on", "source", "recorded_by_id",
             "recorded_at"], person), [dict(new, **common) for new in heads.new_heads])


def describe(heads: HeadPlan | None, done: bool = False) -> str:
    if heads is None:
        return ""
    if done:
        return str(_l("Heads: %(appointed)d appointed, %(ended)d ended.",
                      appointed=len(heads.appointed), ended=len(heads.ended)))
    return str(_l("Heads: %(appointed)d to appoint, %(ended)d to end.",
                  appointed=len(heads.appointed), ended=len(heads.ended)))
