"""When a reminder is due. Each step is a day relative to the due date: some days before
it (REMINDER_DAYS_BEFORE, 14 and 3 by default), the day itself, then every
REMINDER_OVERDUE_EVERY days while the course is not done.

Only the latest step whose day has come is sent: a job that did not run for a while, or
a course assigned three days before its deadline, sends one reminder, not a burst of
stale ones."""

from datetime import date


def step(due: date, today: date, before: tuple[int, ...], every: int) -> int | None:
    """The latest step reached on `today` (its offset in days from `due`), or None
    before the first one."""
    days = (today - due).days
    if days >= every:
        return every * (days // every)
    if days >= 0:
        return 0
    reached = [-n for n in before if -n <= days]
    return max(reached) if reached else None


def horizon(today: date, before: tuple[int, ...]) -> int:
    """How many days ahead a due date can lie and still have a step reached."""
    return max(before, default=0)
