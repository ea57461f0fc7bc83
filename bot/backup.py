"""`tsunagi backup` and `tsunagi restore`: a consistent copy of the store, and putting one back.

SQLite: the online backup API copies the database in one step while the bot keeps running (a
WAL reader sees one committed snapshot); the copy is checked with `PRAGMA integrity_check` and
written atomically (temporary file, fsync, rename). Restore checks the backup (integrity and
schema revision) before it touches the live file, refuses to overwrite data without `--yes`, and
refuses while another process has the database open.
PostgreSQL: the commands print the `pg_dump` / `pg_restore` lines to run; they never run them.
"""

from __future__ import annotations

import os
import shlex
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url

from storage.db import MIGRATIONS

# The tables whose row counts tell an operator what a backup holds.
MAIN_TABLES = (
    "municipality",
    "member",
    "identity",
    "activity",
    "murmur",
    "resource",
    "lead",
    "sensitivenote",
    "auditlog",
)


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why."""


@dataclass(frozen=True)
class Snapshot:
    """What a database file holds: its schema revision and the row counts of the main tables."""

    revision: str
    counts: dict[str, int]

    def describe(self) -> str:
        """Return the row counts as `table: n` lines."""
        return "\n".join(f"  {table}: {n}" for table, n in self.counts.items())


def run_backup(database_url: str, out: str) -> str:
    """Back up the configured database to `out` (SQLite), or say how (PostgreSQL)."""
    if not database_url.startswith("sqlite"):
        return "\n".join(
            [
                "PostgreSQL: run this with the password in PGPASSWORD or ~/.pgpass (docs/operations.md):",
                f"  {pg_dump_command(database_url, out)}",
            ]
        )
    source = sqlite_path(database_url)
    snapshot = backup_sqlite(source, Path(out))
    return "\n".join(
        [
            f"backed up {source} to {out} (schema {snapshot.revision}, integrity ok)",
            snapshot.describe(),
        ]
    )


def run_restore(database_url: str, backup: str, *, overwrite: bool) -> str:
    """Restore the configured database from `backup` (SQLite), or say how (PostgreSQL)."""
    if not database_url.startswith("sqlite"):
        return "\n".join(
            [
                "PostgreSQL: stop tsunagi, then run this with the password in PGPASSWORD or ~/.pgpass,",
                "then `tsunagi db upgrade` (docs/operations.md):",
                f"  {pg_restore_command(database_url, backup)}",
            ]
        )
    target = sqlite_path(database_url)
    snapshot = restore_sqlite(Path(backup), target, overwrite=overwrite)
    return "\n".join(
        [
            f"restored {target} from {backup} (schema {snapshot.revision}, integrity ok)",
            snapshot.describe(),
        ]
    )


def sqlite_path(database_url: str) -> Path:
    """Return the file of a SQLite database URL."""
    database = make_url(database_url).database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    return Path(database)


def backup_sqlite(source: Path, out: Path) -> Snapshot:
    """Copy the live database `source` to the new file `out` and return what it holds."""
    if not source.is_file():
        raise BackupError(f"no database at {source}")
    if out.exists():
        raise BackupError(f"{out} already exists; choose a new file name")
    with _temporary_beside(out) as temp:
        with closing(_connect(source)) as src, closing(_connect(temp)) as dst:
            src.backup(dst)  # pages=-1: one step, so one consistent snapshot
            dst.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
        snapshot = check_backup(temp)
        _replace(temp, out)
    return snapshot


def check_backup(path: Path) -> Snapshot:
    """Check a backup file's integrity and schema revision; return what it holds."""
    if not path.is_file():
        raise BackupError(f"no backup file at {path}")
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
            problems = [row[0] for row in db.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                raise BackupError(f"{path} is damaged (integrity_check: {'; '.join(problems[:3])})")
            revision = _revision(db, path)
            return Snapshot(revision=revision, counts=_counts(db))
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a usable SQLite backup ({exc})") from exc


def restore_sqlite(backup: Path, target: Path, *, overwrite: bool) -> Snapshot:
    """Replace the database `target` with a checked copy of `backup`; return what it now holds."""
    snapshot = check_backup(backup)
    if target.exists() and backup.resolve() == target.resolve():
        raise BackupError(f"{backup} is the database itself")
    if not overwrite and _holds_data(target):
        raise BackupError(
            f"{target} already holds records; add --yes to replace them with {backup}"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    with _temporary_beside(target) as temp:
        with closing(_connect(backup)) as src, closing(_connect(temp)) as dst:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        with _target_not_in_use(target):
            _replace(temp, target)
    return snapshot


def pg_dump_command(database_url: str, out: str) -> str:
    """Return the pg_dump command line (custom format) for a PostgreSQL URL, without password."""
    return shlex.join(
        ["pg_dump", "--format=custom", f"--file={out}", f"--dbname={_libpq_url(database_url)}"]
    )


def pg_restore_command(database_url: str, backup: str) -> str:
    """Return the pg_restore command line for a PostgreSQL URL, without password."""
    return shlex.join(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={_libpq_url(database_url)}",
            backup,
        ]
    )


def known_revisions() -> set[str]:
    """Return the schema revisions this version of tsunagi can open."""
    return {script.revision for script in ScriptDirectory(str(MIGRATIONS)).walk_revisions()}


def _libpq_url(database_url: str) -> str:
    # libpq reads the password from PGPASSWORD or ~/.pgpass; it never appears on a command line.
    url = make_url(database_url)._replace(drivername="postgresql", password=None)
    return url.render_as_string(hide_password=False)


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, timeout=30, isolation_level=None)


def _revision(db: sqlite3.Connection, path: Path) -> str:
    try:
        row = db.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError as exc:
        raise BackupError(f"{path} is not a tsunagi database (no schema version)") from exc
    if row is None:
        raise BackupError(f"{path} is not a tsunagi database (no schema version)")
    if row[0] not in known_revisions():
        raise BackupError(
            f"{path} has schema revision {row[0]}, unknown to this tsunagi; upgrade tsunagi first"
        )
    return str(row[0])


def _counts(db: sqlite3.Connection) -> dict[str, int]:
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    return {
        table: db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        for table in MAIN_TABLES
        if table in tables
    }


def _holds_data(target: Path) -> bool:
    if not target.is_file() or target.stat().st_size == 0:
        return False
    try:
        with closing(sqlite3.connect(f"{target.resolve().as_uri()}?mode=ro", uri=True)) as db:
            return any(_counts(db).values())
    except sqlite3.DatabaseError:
        return True  # unreadable: treat it as something worth keeping


@contextmanager
def _target_not_in_use(target: Path) -> Iterator[None]:
    """Hold the target while it is replaced; fail if another process has it open.

    Leaving WAL mode needs the only connection, checkpoints the WAL and removes it, so no
    stale `-wal` file can be replayed into the restored database.
    """
    if not target.is_file():
        yield
        return
    with closing(sqlite3.connect(target, timeout=0.5, isolation_level=None)) as db:
        try:
            db.execute("PRAGMA journal_mode=DELETE").fetchall()
        except sqlite3.OperationalError as exc:
            raise BackupError(
                f"{target} is in use (is `tsunagi serve` running?); stop it, then restore"
            ) from exc
        yield


@contextmanager
def _temporary_beside(path: Path) -> Iterator[Path]:
    """Yield a temporary file in path's directory, removed unless it was renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
    finally:
        temp.unlink(missing_ok=True)
        Path(f"{temp}-journal").unlink(missing_ok=True)


def _replace(temp: Path, path: Path) -> None:
    """Flush temp to disk and rename it over path, then flush the directory entry."""
    with open(temp, "rb+") as f:
        os.fsync(f.fileno())
    os.replace(temp, path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
