"""The city's setting for pendampingan JP (admins), stored in the database like the
certificate and evaluation settings. Off by default."""

from sqlalchemy.orm import Session

from lms.models import ChampionSettings

DEFAULT_MINUTES_PER_JP = 45  # 1 JP = 45 minutes, as the domain brief reads the rules
# BKN's 10:20:70 puts coaching at a fifth of development: a fifth of the 20 JP target.
DEFAULT_YEARLY_CAP = 4


def read(session: Session) -> ChampionSettings:
    """The settings row, or the defaults (not stored): for pages that only read."""
    return session.get(ChampionSettings, 1) or ChampionSettings(
        id=1, jp_enabled=False, minutes_per_jp=DEFAULT_MINUTES_PER_JP,
        yearly_cap=DEFAULT_YEARLY_CAP)


def stored(session: Session) -> ChampionSettings:
    """The settings row, stored on first use: for writing."""
    row = session.get(ChampionSettings, 1)
    if row is None:
        row = ChampionSettings(id=1, jp_enabled=False, minutes_per_jp=DEFAULT_MINUTES_PER_JP,
                               yearly_cap=DEFAULT_YEARLY_CAP)
        session.add(row)
        session.flush()
    return row


def jp_for(row: ChampionSettings, minutes: int) -> int:
    """JP one helped colleague earns for a session of `minutes` (before the yearly cap):
    whole JP only, as a course's JP are."""
    if not row.jp_enabled or row.minutes_per_jp <= 0:
        return 0
    return minutes // row.minutes_per_jp
