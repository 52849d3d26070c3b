"""INSERT ... ON CONFLICT DO NOTHING on SQLite and PostgreSQL alike."""

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def dialect_insert(session: Session):
    """The INSERT construct that has ON CONFLICT for this session's database."""
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def insert_ignore(session: Session, table, values: dict, keys: list[str]) -> None:
    session.execute(dialect_insert(session)(table).values(**values)
                    .on_conflict_do_nothing(index_elements=keys))

