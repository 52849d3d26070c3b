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

A download that records itself (a GET marked `logs_on_get`) writes its audit row in such a
transaction and commits it before the rows are read; the rows are then read in a fresh
transaction without write intent (`read_only`, `read_only_stream`), so a long export never
holds the write lock while it streams. An import does the reverse: it reads, parses and
plans without write intent and only then opens its write transaction (`writing`).
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

T = TypeVar("T")

_immediate: ContextVar[bool] = ContextVar("immediate_writes", default=False)

BUSY_TIMEOUT_MS = 15000  # the default of the SQLITE_BUSY_TIMEOUT_MS setting


def set_write_intent(value: bool) -> None:
    _immediate.set(value)


@contextmanager
def write_intent():
    token = _immediate.set(True)
    try:
        yield
    finally:
        _immediate.reset(token)


@contextmanager
def writing(session: Session):
    """Within: one write transaction, begun at its first statement with BEGIN IMMEDIATE.
    For work that reads and checks a lot before it writes (an import): the reading runs
    in a transaction without write intent, which ends here (it must not have written),
    so the write lock is held only for the writing. The caller commits."""
    session.rollback()
    with write_intent():
        yield


@contextmanager
def read_only(session: Session):
    """Within: the session reads in a fresh transaction that begins with a plain BEGIN,
    so it never takes SQLite's write lock (WAL lets it read beside any writer). Whatever
    the session still holds is committed first (an export's audit row); the read
    transaction ends on the way out."""
    session.commit()
    previous = _immediate.get()
    _immediate.set(False)
    try:
        yield
    finally:
        session.rollback()
        # set, not reset(token): a streamed body may be closed from another context.
        _immediate.set(previous)


def read_only_stream(session: Session, items: Iterable[T]) -> Iterator[T]:
    """`items` (a lazy export, read while the response streams) read in `read_only`."""
    with read_only(session):
        yield from items


def lock_key(session: Session, namespace: str, key: str) -> None:
    """Hold (namespace, key) until this transaction ends; a second transaction asking for
    the same pair waits. The key need not name a row: it works for a NIP nobody has.
    Call it before reading what the decision depends on. Two keys whose hashes collide
    only queue needlessly. On SQLite the caller's transaction must write (BEGIN IMMEDIATE,
    as every writing request and CLI command does)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:ns), hashtext(:key))"),
                        {"ns": namespace, "key": key})


def configure_engine(engine: Engine, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # Let SQLAlchemy, not the driver, decide when a transaction begins.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cur.execute("PRAGMA foreign_keys = ON")
        # Report sorts and exports: sort in memory, with a page cache big enough for them.
        cur.execute("PRAGMA temp_store = MEMORY")
        cur.execute("PRAGMA cache_size = -32000")
        # Read the file through the OS page cache, shared by the workers, without a copy
        # per page: the employee CSV at 100,000 employees reads most of a 440 MB file
        # (docs/decisions.md).
        cur.execute("PRAGMA mmap_size = 1073741824")
        if engine.url.database not in (None, "", ":memory:"):
            cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _immediate.get() else "BEGIN")
