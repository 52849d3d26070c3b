"""Percentages, averages and the pass mark, in integers, so every page, export and SQL
query gives the same figure.

Rounding is half up (12.5 -> 13), as people round by hand and as spreadsheets do; Python's
round() rounds halves to even (12.5 -> 12) and floats cannot hold 12.5% of every whole
exactly, so nothing here divides floats. Inputs are counts (never negative).
"""

from sqlalchemy import case, null


def half_up(part: int, whole: int) -> int | None:
    """part / whole rounded half up; None when whole is 0 (there is nothing to divide)."""
    if not whole:
        return None
    return (2 * part + whole) // (2 * whole)


def percent(part: int, whole: int) -> int | None:
    """100 * part / whole rounded half up; None when whole is 0."""
    return half_up(100 * part, whole)


def half_up_sql(part, whole):
    """The same as half_up, as a SQL expression over integer columns (NULL for 0);
    `whole` may be a column or a plain number."""
    if isinstance(whole, int):
        return (2 * part + whole) // (2 * whole) if whole else null()
    return case((whole > 0, (2 * part + whole) // (2 * whole)), else_=null())


def percent_sql(part, whole):
    return half_up_sql(100 * part, whole)


def reaches_mark(right: int, total: int, pass_mark: int) -> bool:
    """The quiz pass rule: the score as shown (the half-up percentage) is at least the
    pass mark, so the number a learner sees and the verdict never disagree: 5 of 8 is
    62.5, shown as 63, and passes a mark of 63."""
    return total > 0 and percent(right, total) >= pass_mark


def needed_right(total: int, pass_mark: int) -> int:
    """The fewest right answers out of `total` that reach the pass mark: the smallest r
    with 200 * r + total >= 2 * pass_mark * total (half_up's inequality, solved)."""
    return max(0, -(-(2 * pass_mark * total - total) // 200))
