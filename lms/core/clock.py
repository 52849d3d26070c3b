"""The one clock. Everything that asks for the time asks here, so tests can hold it still
(time-machine freezes `datetime.now`, which this reads) and the suite can run at a year end
or a leap day.

The city works in Asia/Jakarta: "today", the year of a completion and a deadline are Jakarta
dates; moments are stored in UTC.
"""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

JAKARTA = ZoneInfo("Asia/Jakarta")


def now() -> datetime:
    """This moment, timezone-aware, in UTC."""
    return datetime.now(UTC)


def today() -> date:
    """Today's date in Jakarta."""
    return now().astimezone(JAKARTA).date()


def year_of(moment: datetime | date) -> int:
    """The Jakarta calendar year of a moment (a plain date is already a Jakarta date)."""
    if isinstance(moment, datetime):
        return moment.astimezone(JAKARTA).year
    return moment.year


def jakarta(moment: datetime) -> datetime:
    return moment.astimezone(JAKARTA)
