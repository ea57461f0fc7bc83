"""The store on both backends: UTC times, record numbers, migrations, the taxonomy, SQLite locking."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text
from sqlmodel import select

from storage.categories import TAXONOMY
from storage.db import make_test_engine, migrate, session_scope
from storage.members import add_municipality, get_municipality, next_record_number
from storage.models import Category, Municipality

JST = timezone(timedelta(hours=9))
MOMENT = datetime(2026, 11, 23, 10, 0, 30, tzinfo=JST)


def _municipality(engine, name: str) -> int:
    with session_scope(engine) as session:
        municipality = add_municipality(session, name=name, prefecture="岡山県", now=MOMENT)
        assert municipality.id is not None
        return municipality.id


def _take_numbers(engine, municipality_id: int, count: int) -> list[int]:
    """Take numbers as a handler does: read first, then write, in one transaction each."""
    numbers = []
    for _ in range(count):
        with session_scope(engine) as session:
            assert session.get(Municipality, municipality_id) is not None
            numbers.append(next_record_number(session, municipality_id=municipality_id))
            session.expunge_all()
    return numbers


def test_an_aware_time_comes_back_aware_and_equal(any_engine):
    _municipality(any_engine, "あおば市")
    with session_scope(any_engine) as session:
        stored = get_municipality(session, name="あおば市").created_at
    assert stored.tzinfo is not None
    assert stored == MOMENT
    assert stored.utcoffset() == timedelta(0)  # stored and returned as UTC


def test_a_naive_time_is_refused(any_engine):
    with pytest.raises(Exception, match="naive datetime"), session_scope(any_engine) as session:
        add_municipality(session, name="あおば市", prefecture=None, now=datetime(2026, 11, 23))


def test_record_numbers_are_sequential_per_municipality(any_engine):
    aoba = _municipality(any_engine, "あおば市")
    kita = _municipality(any_engine, "きた町")
    assert _take_numbers(any_engine, aoba, 3) == [1, 2, 3]
    assert _take_numbers(any_engine, kita, 2) == [1, 2]
    assert _take_numbers(any_engine, aoba, 1) == [4]


def test_a_rolled_back_transaction_gives_its_number_back(any_engine):
    aoba = _municipality(any_engine, "あおば市")
    with pytest.raises(RuntimeError), session_scope(any_engine) as session:
        next_record_number(session, municipality_id=aoba)
        raise RuntimeError("the record could not be saved")
    assert _take_numbers(any_engine, aoba, 1) == [1]


def test_migrating_twice_is_harmless(any_engine):
    _municipality(any_engine, "あおば市")
    migrate(any_engine)
    with session_scope(any_engine) as session:
        assert [m.name for m in session.exec(select(Municipality))] == ["あおば市"]
        assert len(session.exec(select(Category)).all()) == len(TAXONOMY)


def test_the_taxonomy_is_in_the_category_table(any_engine):
    with session_scope(any_engine) as session:
        rows = session.exec(select(Category).order_by(Category.position)).all()
    codes = [row.code for row in rows]
    assert len(codes) >= 2
    assert len(set(codes)) == len(codes)
    assert codes == [item.code for item in TAXONOMY]
    assert codes[-1] == "other"
    assert all(row.label_ja and row.label_en for row in rows)


def test_sqlite_uses_wal_and_foreign_keys(engine):
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_concurrent_writers_on_sqlite_take_distinct_numbers(tmp_path):
    engine = make_test_engine(f"sqlite:///{tmp_path / 'busy.db'}")
    migrate(engine)
    aoba = _municipality(engine, "あおば市")
    taken: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def writer() -> None:
        try:
            start.wait()
            taken.extend(_take_numbers(engine, aoba, 10))
        except BaseException as exc:  # collected: an assertion below shows it
            errors.append(exc)

    threads = [threading.Thread(target=writer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    engine.dispose()
    assert errors == []
    assert sorted(taken) == list(range(1, 81))
