"""Database engine behaviour shared by SQLite and PostgreSQL.

SQLite serves one site from many gunicorn workers only if writers queue instead of
failing: WAL lets readers run beside one writer, the busy timeout makes a second writer
wait, and a write transaction opens with BEGIN IMMEDIATE so it takes the write lock
before reading (a deferred transaction that upgrades later can fail with "database is
locked" no matter the timeout). Which transactions write is known per request: anything
but GET/HEAD/OPTIONS, and the CLI commands that change data.

PostgreSQL runs writers side by side, so a check-then-insert that must hold under
parallel requests (one attempt at a quiz, five password checks per NIP) takes `lock_key`
first: a transaction-scoped advisory lock there, nothing on SQLite, where BEGIN IMMEDIATE
already queues every writing transaction.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

_immediate: ContextVar[bool] = ContextVar("immediate_writes", default=False)

BUSY_TIMEOUT_MS = 15000


def set_write_intent(value: bool) -> None:
    _immediate.set(value)


@contextmanager
def write_intent():
    token = _immediate.set(True)
    try:
        yield
    finally:
        _immediate.reset(token)


def lock_key(session: Session, namespace: str, key: str) -> None:
    """Hold (namespace, key) until this transaction ends; a second transaction asking for
    the same pair waits. The key need not name a row: it works for a NIP nobody has.
    Call it before reading what the decision depends on. Two keys whose hashes collide
    only queue needlessly. On SQLite the caller's transaction must write (BEGIN IMMEDIATE,
    as every writing request and CLI command does)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:ns), hashtext(:key))"),
                        {"ns": namespace, "key": key})


def configure_engine(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # Let SQLAlchemy, not the driver, decide when a transaction begins.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys = ON")
        # Report sorts and exports: sort in memory, with a page cache big enough for them.
        cur.execute("PRAGMA temp_store = MEMORY")
        cur.execute("PRAGMA cache_size = -32000")
        if engine.url.database not in (None, "", ":memory:"):
            cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _immediate.get() else "BEGIN")
