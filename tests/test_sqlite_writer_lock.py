"""SQLite writers of one engine queue on an in-process FIFO lock (storage/sqlite_lock.py).

The proof that they queue *here* and not in SQLite's busy handler: every connection's
busy_timeout is set to 0 after the engine's own set-up, so any writer that met SQLite's lock
would fail at once with "database is locked". Threads are joined with a timeout, so a deadlock
fails the test instead of hanging it.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import START
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from storage.db import make_engine, migrate, read_scope, session_scope
from storage.members import add_municipality, next_record_number
from storage.models import Municipality
from storage.sqlite_lock import WriterLock

THREADS, NUMBERS_EACH = 8, 40
JOIN = 30.0  # seconds: far beyond any correct run, short of a hung CI


@pytest.fixture
def store(tmp_path: Path) -> Iterator[tuple[Engine, int]]:
    """A migrated SQLite store whose connections never wait in SQLite's busy handler."""
    engine = make_engine(f"sqlite:///{tmp_path / 'tsunagi.db'}")
    migrate(engine)
    engine.dispose()  # new connections get the listener below

    @event.listens_for(engine, "connect")
    def _no_busy_wait(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA busy_timeout=0")

    with session_scope(engine) as session:
        town = add_municipality(session, name="あおば市", prefecture="宮城県", now=START)
        assert town.id is not None
        town_id = town.id
    yield engine, town_id
    engine.dispose()


def run_threads(*targets: Callable[[], None]) -> list[BaseException]:
    """Run each target in its own thread; return what they raised; fail if one hangs."""
    errors: list[BaseException] = []

    def guarded(target: Callable[[], None]) -> None:
        try:
            target()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=guarded, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN)
        assert not thread.is_alive(), "a writer is stuck: the lock deadlocked or leaked"
    return errors


def until(condition: Callable[[], bool]) -> None:
    """Yield the GIL until another thread has made `condition` true (bounded)."""
    deadline = time.monotonic() + JOIN
    while not condition():
        assert time.monotonic() < deadline, "the other thread never got there"
        time.sleep(0)


def test_concurrent_writers_take_unique_record_numbers_without_database_is_locked(store):
    engine, town_id = store
    taken: list[int] = []

    def coordinator() -> None:
        for _ in range(NUMBERS_EACH):
            with session_scope(engine) as session:
                taken.append(next_record_number(session, municipality_id=town_id))

    assert run_threads(*[coordinator] * THREADS) == []
    assert sorted(taken) == list(range(1, THREADS * NUMBERS_EACH + 1))
    with session_scope(engine) as session:
        town = session.get(Municipality, town_id)
        assert town is not None and town.next_record_no == THREADS * NUMBERS_EACH + 1


def test_a_failed_transaction_and_a_plain_read_give_the_lock_back(store):
    engine, town_id = store

    def failing() -> None:
        with session_scope(engine) as session:
            next_record_number(session, municipality_id=town_id)
            raise ValueError("a handler bug")

    def reader() -> None:
        with engine.connect() as connection:  # closed without commit: rolled back
            connection.execute(text("SELECT count(*) FROM municipality"))

    errors = run_threads(failing, reader)
    assert [type(e) for e in errors] == [ValueError]
    with session_scope(engine) as session:  # would time out if either had kept the lock
        assert next_record_number(session, municipality_id=town_id) == 1  # the failed one undone


def test_a_begin_that_fails_gives_the_lock_back(store, tmp_path):
    engine, town_id = store
    outsider = sqlite3.connect(tmp_path / "tsunagi.db", isolation_level=None)
    outsider.execute("BEGIN IMMEDIATE")  # another process holds SQLite's own lock

    def blocked() -> None:
        with session_scope(engine) as session:
            next_record_number(session, municipality_id=town_id)

    errors = run_threads(blocked)
    assert len(errors) == 1 and isinstance(errors[0], OperationalError)
    assert "locked" in str(errors[0])
    outsider.rollback()
    outsider.close()
    assert run_threads(blocked) == []  # the in-process lock was not leaked by the failed BEGIN


def test_a_thread_opening_a_second_transaction_fails_like_before_instead_of_deadlocking(store):
    engine, town_id = store

    def nested() -> None:
        with session_scope(engine) as outer:
            next_record_number(outer, municipality_id=town_id)
            with session_scope(engine) as inner:
                next_record_number(inner, municipality_id=town_id)

    def once() -> None:
        with session_scope(engine) as session:
            assert next_record_number(session, municipality_id=town_id) == 1  # nested undone

    errors = run_threads(nested)
    assert len(errors) == 1 and "locked" in str(errors[0])
    assert run_threads(once) == []  # another thread still gets the lock


def test_a_read_scope_neither_waits_for_nor_blocks_a_writer(store):
    engine, town_id = store
    writing, read_done = threading.Event(), threading.Event()

    def writer() -> None:
        with session_scope(engine) as session:
            next_record_number(session, municipality_id=town_id)
            writing.set()
            assert read_done.wait(JOIN)

    def reader() -> None:
        assert writing.wait(JOIN)
        with read_scope(engine) as session:
            town = session.get(Municipality, town_id)
            assert town is not None and town.next_record_no == 1  # the uncommitted 2 is not seen
        read_done.set()

    assert run_threads(writer, reader) == []


def test_waiters_get_the_lock_in_arrival_order_and_the_releaser_cannot_jump_the_queue():
    lock, order = WriterLock(), []
    assert lock.acquire(timeout=1)

    def waiter(name: str) -> Callable[[], None]:
        def run() -> None:
            assert lock.acquire(timeout=JOIN)
            order.append(name)
            lock.release()

        return run

    threads = []
    for name in ("inbox writer", "outbox worker"):
        threads.append(threading.Thread(target=waiter(name)))
        threads[-1].start()
        until(lambda: lock.waiting() == len(threads))
    lock.release()
    assert lock.acquire(timeout=JOIN)  # the releaser asks again at once: it queues behind them
    order.append("inbox worker again")
    lock.release()
    for thread in threads:
        thread.join(JOIN)
    assert order == ["inbox writer", "outbox worker", "inbox worker again"]
