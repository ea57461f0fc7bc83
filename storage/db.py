"""Engine, sessions and schema migration for SQLite (embedded default) and PostgreSQL.

SQLite: WAL, a busy timeout, foreign keys on, and every transaction opened with
`BEGIN IMMEDIATE` so two writers never deadlock on a lock upgrade (PLATFORMS.md §4); the
transactions of one engine queue for an in-process FIFO writer lock first (storage/sqlite_lock.py),
so they are woken in turn instead of sleeping in SQLite's busy handler.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool
from sqlmodel import Session, create_engine

from storage.sqlite_lock import LockingConnection, WriterLock, begin_immediate

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
WAL_AUTOCHECKPOINT_PAGES = 10_000  # ≈ 40 MB of WAL before a commit checkpoints by itself
BUSY_TIMEOUT = 30  # seconds a writer waits for SQLite's lock (and for the in-process one)
READ_ONLY = "tsunagi_read_only"  # execution option: a deferred SQLite transaction, no writer lock


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """Create the engine for a database URL, configured for safe concurrent use."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            echo=echo,
            connect_args={
                "check_same_thread": False,
                "timeout": BUSY_TIMEOUT,
                "factory": LockingConnection,
            },
        )
        _configure_sqlite(engine)
        _guard_wide_integers(engine)
        return engine
    return _guard_wide_integers(create_engine(url, echo=echo, pool_pre_ping=True))


def checkpoint(engine: Engine) -> int:
    """SQLite: copy what the WAL holds into the database without blocking anyone (PASSIVE), off
    the request path (docs/performance.md, fix 11); return 0 (no work to report). A no-op elsewhere."""
    if engine.dialect.name != "sqlite":
        return 0
    raw = engine.raw_connection()  # no BEGIN, so no writer lock: a passive checkpoint needs none
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
        cursor.close()
    finally:
        raw.close()
    return 0


def make_test_engine(url: str) -> Engine:
    """Create an engine that holds no pooled connections (for tests that drop databases)."""
    if url.startswith("sqlite"):
        return make_engine(url)
    return _guard_wide_integers(create_engine(url, poolclass=NullPool))


def _configure_sqlite(engine: Engine) -> None:
    database = engine.url.database
    shared = database and database != ":memory:" and not database.startswith("file:")
    # One per engine: its transactions queue here in turn, and with other processes' by a file.
    writer_lock = WriterLock(f"{database}-writer" if shared else None)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        if isinstance(dbapi_connection, LockingConnection):
            dbapi_connection.writer_lock = writer_lock
            dbapi_connection.lock_timeout = BUSY_TIMEOUT
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # A commit that crosses the auto-checkpoint threshold copies the WAL into the database
        # itself and stalls its writer 100 ms or more (p99 ack 100 ms at one request at a time).
        # `serve` checkpoints in the background instead (`checkpoint`); this is the backstop.
        cursor.execute(f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT * 1000}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get(READ_ONLY):
            connection.exec_driver_sql("BEGIN")  # deferred: a WAL snapshot, blocks no writer
        else:
            begin_immediate(connection)


_INT_RANGES = {"SMALLINT": 2**15, "INTEGER": 2**31, "BIGINT": 2**63}


def _guard_wide_integers(engine: Engine) -> Engine:
    """Let a typed number too wide for its column (#99999999999999999999) simply match nothing.

    Unchecked, the drivers fail on it: sqlite3 cannot bind an integer beyond 64 bits, and
    PostgreSQL refuses `2147483648::INTEGER`. Such a parameter is bound as REAL on SQLite and
    cast to NUMERIC on PostgreSQL instead; both compare it numerically with the column, so a
    query answers exactly as for any number that names no row.
    """
    sqlite = engine.dialect.name == "sqlite"

    @event.listens_for(engine, "before_cursor_execute", retval=True)
    def _widen(
        _conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, many: bool
    ) -> tuple[str, Any]:
        if many or not parameters:
            return statement, parameters
        if sqlite:
            if isinstance(parameters, dict):
                return statement, {k: _real_if_wide(v) for k, v in parameters.items()}
            return statement, type(parameters)(_real_if_wide(v) for v in parameters)
        if isinstance(parameters, dict):
            for name, value in parameters.items():
                for cast, limit in _INT_RANGES.items():
                    if type(value) is int and not -limit <= value < limit:
                        statement = statement.replace(f"%({name})s::{cast}", f"%({name})s::NUMERIC")
        return statement, parameters

    return engine


def _real_if_wide(value: Any) -> Any:
    if type(value) is int and not -(2**63) <= value < 2**63:
        return float(value)
    return value


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """Open a session whose work is committed on success and rolled back on error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def read_scope(engine: Engine) -> Iterator[Session]:
    """Open a session for reading only; on SQLite it neither waits for nor blocks any writer.

    For long scans (the scheduler's); never write in it (SQLite would have to upgrade the lock).
    """
    # Closing the session ends the transaction and leaves what it loaded readable (detached).
    with Session(engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False) as session:
        yield session


def alembic_config(engine: Engine) -> Config:
    """Return an Alembic configuration bound to this engine."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision and sync the category taxonomy."""
    from alembic import command

    from storage.categories import sync_categories

    command.upgrade(alembic_config(engine), "head")
    with session_scope(engine) as session:
        sync_categories(session)
