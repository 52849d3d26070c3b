"""Verification codes: 80 random bits in Crockford's base32 (no I, L, O or U, so nothing
is misread from paper), shown in groups of four. The code is the proof: it is not the
certificate's number and cannot be derived from it."""

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 16  # 16 x 5 bits = 80 bits
_TYPED = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def shown(code: str) -> str:
    """ABCD-EFGH-JKMN-PQRS."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def normalise(typed: str) -> str | None:
    """A code as typed or scanned (any case, spaces or dashes, O for 0, I or L for 1),
    or None when it cannot be one."""
    code = re.sub(r"[\s\-]", "", typed or "").upper().translate(_TYPED)
    if len(code) != LENGTH or any(c not in ALPHABET for c in code):
        return None
    return code
