"""One writer at a time per SQLite engine, queued in process memory instead of in SQLite.

SQLite lets one connection write at a time; every tsunagi transaction opens with
`BEGIN IMMEDIATE`, so the others wait in SQLite's busy handler, which *sleeps* between retries
(up to 100 ms a step) and wakes in no particular order. Under load the webhook's group commit
then waits behind the inbox and outbox workers for far longer than their transactions last
(docs/performance.md, fix 4).

Here every transaction of one engine first takes a FIFO `WriterLock`: the next writer is woken
the moment the previous one commits or rolls back, in arrival order. SQLite's own lock and busy
timeout stay as they were for other processes (a CLI command beside `tsunagi serve`).

Other processes on the same database file (the worker process of `serve`, a CLI command) queue
for the same turn through an exclusive `flock` on a lock file beside the database
(`<database>-writer`), taken after the in-process lock and given back before it: a waiting
process is woken by the kernel the moment the holder commits, instead of retrying from SQLite's
busy handler, which sleeps up to 100 ms between tries (docs/performance.md, fix 14). A process
that dies holding it loses it with its file descriptors.

The lock is taken in the engine's `begin` event, just before `BEGIN IMMEDIATE`, and given back by
the DBAPI connection itself right *after* its COMMIT or ROLLBACK has finished (SQLAlchemy's
`commit` event fires before the COMMIT runs) — and when the connection is closed, so a broken or
garbage-collected connection cannot keep it. Read-only scans may open a deferred transaction
that takes no lock (storage/db.py `read_scope`).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import threading
from collections import deque
from typing import Any


class WriterLock:
    """A first-come-first-served lock, owned by a connection rather than a thread.

    A thread that already holds it (through another connection of the same engine) does not wait
    for itself: `acquire` returns False and that transaction meets SQLite's own lock, failing
    after the busy timeout exactly as it did without this lock, instead of deadlocking.
    """

    def __init__(self, path: str | None = None) -> None:
        self._mutex = threading.Lock()
        self._waiters: deque[tuple[int, threading.Lock]] = deque()
        self._held = False
        self._owner: int | None = None  # thread ident of the holder
        self._path = path  # the lock file shared with other processes (None: this one only)
        self._fd: tuple[int, int] | None = None  # (pid, descriptor): reopened in a forked child

    def acquire(self, timeout: float) -> bool:
        """Wait for this thread's turn (at most `timeout` s for the threads of this process,
        then for as long as another process's transaction lasts); return whether it was taken."""
        if not self._acquire_here(timeout):
            return False
        if self._path is not None:
            # No lock file (a read-only directory): SQLite's busy handler decides, as before.
            with contextlib.suppress(OSError):
                fcntl.flock(self._descriptor(), fcntl.LOCK_EX)
        return True

    def _descriptor(self) -> int:
        pid = os.getpid()
        if self._fd is None or self._fd[0] != pid:
            assert self._path is not None
            self._fd = (pid, os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600))
        return self._fd[1]

    def _acquire_here(self, timeout: float) -> bool:
        me = threading.get_ident()
        with self._mutex:
            if not self._held:
                self._held, self._owner = True, me
                return True
            if self._owner == me:
                return False  # re-entered: let SQLite's own lock decide
            turn = threading.Lock()
            turn.acquire()
            self._waiters.append((me, turn))
        if turn.acquire(timeout=timeout):
            return True  # handed over by release(), already marked as ours
        with self._mutex:
            if (me, turn) in self._waiters:
                self._waiters.remove((me, turn))
                return False  # gave up waiting: SQLite's busy handler takes over
        turn.acquire()  # handed over while we were giving up: it is ours after all
        return True

    def release(self) -> None:
        """Give the turn to the other processes, and hand the lock to the longest waiter here."""
        if self._fd is not None and self._fd[0] == os.getpid():
            fcntl.flock(self._fd[1], fcntl.LOCK_UN)
        with self._mutex:
            if self._waiters:
                self._owner, turn = self._waiters.popleft()
                turn.release()
            else:
                self._held, self._owner = False, None

    def waiting(self) -> int:
        """Return how many transactions wait for the lock."""
        with self._mutex:
            return len(self._waiters)


class LockingConnection(sqlite3.Connection):
    """A sqlite3 connection that gives its engine's WriterLock back once its transaction ends."""

    writer_lock: WriterLock | None = None
    lock_timeout: float = 30.0
    _holding: bool = False

    def take_writer_lock(self) -> None:
        """Wait for the engine's writer lock (called just before BEGIN IMMEDIATE)."""
        if self.writer_lock is not None and not self._holding:
            self._holding = self.writer_lock.acquire(self.lock_timeout)

    def give_back_writer_lock(self) -> None:
        """Release the writer lock if this connection holds it (idempotent)."""
        if self._holding and self.writer_lock is not None:
            self._holding = False
            self.writer_lock.release()

    def commit(self) -> None:
        super().commit()
        self.give_back_writer_lock()  # a failed COMMIT keeps it until the rollback

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self.give_back_writer_lock()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.give_back_writer_lock()


def begin_immediate(connection: Any) -> None:
    """Take the writer lock, then BEGIN IMMEDIATE; give the lock back if BEGIN fails."""
    dbapi = connection.connection.dbapi_connection
    locking = isinstance(dbapi, LockingConnection)
    if locking:
        dbapi.take_writer_lock()
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    except BaseException:
        if locking:
            dbapi.give_back_writer_lock()
        raise
