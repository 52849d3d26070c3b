"""Bulk rows for bench/generate.py: COPY on PostgreSQL (a million employees in minutes),
multi-row INSERT through SQLAlchemy on SQLite.

On PostgreSQL the foreign keys are dropped while loading and added back at the end: adding
a constraint checks every row in one pass (a join), where loading under the constraint
checks each row by an index lookup (two thirds of an insert's time, see
docs/performance.md, "Employee import")."""

import json

from sqlalchemy import insert, text


class Loader:
    def __init__(self, session):
        self.session = session
        self.postgres = session.get_bind().dialect.name == "postgresql"
        self.foreign_keys = []

    def write(self, model, columns: tuple[str, ...], rows: list[tuple]) -> None:
        if not rows:
            return
        if not self.postgres:
            self.session.execute(insert(model), [dict(zip(columns, r, strict=True))
                                                 for r in rows])
            return
        raw = self.session.connection().connection.driver_connection
        with raw.cursor() as cursor, cursor.copy(
                f"COPY {model.__tablename__} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    @staticmethod
    def json(value) -> str:
        return json.dumps(value, separators=(",", ":"))

    def drop_foreign_keys(self) -> None:
        if not self.postgres:
            return
        self.session.execute(text("SET synchronous_commit = off"))
        self.foreign_keys = self.session.execute(text(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' AND connamespace = "
            "'public'::regnamespace")).all()
        for table, name, _definition in self.foreign_keys:
            self.session.execute(text(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'))

    def ids_given(self, table: str) -> None:
        """The table's id sequence moved past the ids the rows were given."""
        if self.postgres:
            self.session.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"))

    def restore(self) -> None:
        """Foreign keys back (each checked over every row) and fresh statistics."""
        if not self.postgres:
            return
        self.session.execute(text("SET maintenance_work_mem = '512MB'"))
        for table, name, definition in self.foreign_keys:
            self.session.execute(text(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" '
                                      f"{definition}"))
        self.session.execute(text("ANALYZE"))
        self.session.commit()
