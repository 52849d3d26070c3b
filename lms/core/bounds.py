"""What a URL, a query string or a form may ask for: ids within the database's integer,
page numbers and years within what a list can hold, dates within a sane range.

Anything outside is answered before it reaches the database, whose integers overflow
(SQLite at 2**63, PostgreSQL's `integer` at 2**31) and whose dates Python cannot move past
9999-12-31. docs/decisions.md, "Input bounds", gives the figures.
"""

from datetime import date

from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import BadRequest, NotFound
from werkzeug.routing import IntegerConverter
from wtforms.validators import ValidationError

DB_INT_MAX = 2**31 - 1  # every id column is an `integer` on PostgreSQL
MAX_PAGE = 100_000  # 5 million rows at 50 a page
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)
DAY_OUT_OF_RANGE = _l("The date must be between 1 January 2000 and 31 December 2100.")
DAY_NOT_A_DATE = _l("The date was not recognised: write it as YYYY-MM-DD, for example "
                    "2026-03-31.")


class IdConverter(IntegerConverter):
    """`<id:name>` in routes: 1 to DB_INT_MAX, else the route does not match (404). At
    most ten digits are looked at, so a URL of a thousand digits is never converted."""

    regex = r"\d{1,10}"

    def __init__(self, map, min: int = 1, max: int = DB_INT_MAX) -> None:  # noqa: A002
        super().__init__(map, min=min, max=max)


class Refused(BadRequest):
    """A 400 whose page says what was wrong, in the user's language."""

    def __init__(self, message) -> None:
        super().__init__()
        self.message = message


def int_arg(args, name: str, default: int, low: int, high: int) -> int:
    """A whole number from the query string, `low` to `high`; missing or empty is
    `default`. Anything else is a 404, like a page or year that does not exist."""
    value = args.get(name, "")
    if value == "":
        return default
    if not (value.isascii() and value.isdigit()) or len(value) > len(str(high)):
        raise NotFound()
    number = int(value)
    if not low <= number <= high:
        raise NotFound()
    return number


def page_arg(args, name: str = "halaman") -> int:
    return int_arg(args, name, 1, 1, MAX_PAGE)


def day_arg(value: str) -> date:
    """A YYYY-MM-DD date from a filter, or Refused with the reason."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise Refused(DAY_NOT_A_DATE) from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise Refused(DAY_OUT_OF_RANGE)
    return day


def sane_day(_form, field) -> None:
    """WTForms validator: the same date range for dates typed in forms."""
    if field.data is not None and not FIRST_DAY <= field.data <= LAST_DAY:
        raise ValidationError(DAY_OUT_OF_RANGE)
