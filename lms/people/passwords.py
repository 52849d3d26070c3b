"""Password rules and one-time set-password links.

A link is a signed token carrying the employee id and a fingerprint of their current
password hash: once the password is set, the hash changes and the link stops working
(single use), and it expires after LINK_HOURS. Nothing is stored server-side.
"""

import hashlib

from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from werkzeug.security import generate_password_hash

from lms.models import Employee

LINK_HOURS = 72
MIN_LENGTH = 10
COMMON = {"password", "password1", "passw0rd", "12345678", "123456789", "1234567890",
          "qwertyuiop", "sayangku", "indonesia", "bismillah", "tangerangselatan", "tangsel123",
          "katasandi", "rahasia123", "admin12345", "melek-demo", "iloveyou12"}
NOT_THE_SAME = _l("The two passwords are not the same.")


def password_counts(employee: Employee, admins_only: bool) -> bool:
    """Whether a Melek password would let `employee` in: with PASSWORD_LOGIN=admins-only
    only an admin's does, so a link or letter for anyone else would set a password that
    opens nothing."""
    return not admins_only or employee.has_role("admin")


def admins_only(config) -> bool:
    return config["PASSWORD_LOGIN"] == "admins-only"


def problems(password: str, nip: str) -> list:
    out = []
    if len(password) < MIN_LENGTH:
        out.append(_l("Use at least %(n)d characters; a phrase of four words is easiest.",
                      n=MIN_LENGTH))
    if nip and nip in password.replace(" ", ""):
        out.append(_l("Do not put your NIP in your password."))
    if password.lower() in COMMON or len(set(password)) < 4:
        out.append(_l("This password is too easy to guess."))
    return out


def set_password(employee: Employee, password: str) -> None:
    employee.password_hash = generate_password_hash(password)
    employee.auth_epoch += 1  # sessions signed in with the old password end


def _fingerprint(employee: Employee) -> str:
    return hashlib.sha256((employee.password_hash or "none").encode()).hexdigest()[:16]


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="melek-set-password")


def make_token(secret: str, employee: Employee) -> str:
    return _serializer(secret).dumps({"e": employee.id, "f": _fingerprint(employee)})


def read_token(secret: str, token: str, load) -> Employee | None:
    """The employee a still-valid token was made for, else None. `load(id)` fetches."""
    try:
        data = _serializer(secret).loads(token, max_age=LINK_HOURS * 3600)
    except (BadSignature, SignatureExpired):
        return None
    employee = load(data.get("e"))
    if employee is None or not employee.active or _fingerprint(employee) != data.get("f"):
        return None
    return employee
