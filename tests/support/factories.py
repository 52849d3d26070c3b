"""Factories for the organisation and its people, written to the test's database."""

from pathlib import Path

from werkzeug.security import generate_password_hash

from lms.core.extensions import db as _db
from lms.models import Employee, RoleGrant
from lms.org import tree

DATA = Path(__file__).parents[1] / "data"


PASSWORD = "rahasia-uji-123"
# Tests log in hundreds of times; a cheap hash keeps them fast. Production uses scrypt.


FAST_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


def make_opd(code, name, kind="dinas", parent=None):
    return tree.create(_db.session, code=code, name=name, kind=kind, parent=parent)


def make_employee(nip, opd, name=None, roles=(), password=True, employment_type="pns"):
    """roles: "trainer", "admin", ("hr", opd_or_None)."""
    employee = Employee(nip=nip, name=name or f"Pegawai {nip[-4:]}", opd_id=opd.id,
                        employment_type=employment_type,
                        password_hash=FAST_HASH if password else None)
    _db.session.add(employee)
    for role in roles:
        role, scope = role if isinstance(role, tuple) else (role, None)
        employee.grants.append(RoleGrant(role=role, opd_id=scope.id if scope else None))
    _db.session.flush()
    return employee
