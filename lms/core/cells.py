"""Spreadsheet cells, going out and coming in.

Out: every text cell of every download passes `neutralise` (or, where the database
formats the rows itself, `neutralise_sql`, the same rule in SQL), so a spreadsheet never
takes a name someone typed for a formula (OWASP "CSV injection": a cell starting with
= + - @, tab or carriage return gets a leading apostrophe). Numbers are not text and stay
numbers; NIPs are text, so they stay exact.

In: cells people import may not hold control characters (PostgreSQL refuses NUL in text;
the others are invisible junk), and a file that is not UTF-8 is reported at its line.
"""

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, case, func, literal, or_

FORMULA_START = frozenset("=+-@\t\r")


def neutralise(value):
    """A text cell with a leading apostrophe when it would start a formula; anything else
    (numbers, dates, None) unchanged."""
    if isinstance(value, str) and value[:1] in FORMULA_START:
        return "'" + value
    return value


def neutralise_sql(column):
    """`neutralise` as a SQL expression, for exports the database writes itself."""
    return case((func.substr(column, 1, 1).in_(sorted(FORMULA_START)), literal("'") + column),
                else_=column)


def csv_field_sql(column):
    """`neutralise_sql`, then quoted as the csv module quotes a field (QUOTE_MINIMAL: only
    one holding a quote, a comma or a line break), for a CSV line the database writes.
    SQLite only (instr)."""
    safe = neutralise_sql(column)
    needs_quotes = or_(*(func.instr(column, c) > 0 for c in ('"', ",", "\n", "\r")))
    quoted = (literal('"', String) + func.replace(safe, '"', '""', type_=String)
              + literal('"', String))
    return case((needs_quotes, quoted), else_=safe)


# C0 and C1 control characters and DEL; tab, line feed and carriage return are whitespace
# that a cell may hold (Alt+Enter in Excel) and the import trims or folds.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def control_character(text: str) -> str | None:
    """The first control character in `text`, written as U+XXXX, or None."""
    found = CONTROL.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


class NotUtf8(ValueError):
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line

    @property
    def message(self):
        return _l("line %(line)d is not UTF-8 text: in Excel choose Save As with the type "
                  "“CSV UTF-8 (Comma delimited)”, then import the new file", line=self.line)


def utf8_text(data: bytes) -> str:
    """The text of an uploaded file (a BOM is dropped); NotUtf8 names the line of the first
    byte that is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NotUtf8(data.count(b"\n", 0, exc.start) + 1) from None
