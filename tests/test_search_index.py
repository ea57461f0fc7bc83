"""検索 through the trigram indexes (SQLite FTS5, PostgreSQL pg_trgm): the same hits as LIKE.

Words of three characters or more go through the index, shorter ones are scanned; both stay
inside the viewer's municipality and access rules. The demo generator's PostgreSQL COPY path
writes the same data as the SQLite path, and the store benchmark runs end to end.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from conftest import START
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

import storage.search
from bot.demo_data import Size, generate, municipality_names
from storage.categories import sync_categories
from storage.db import alembic_config, make_test_engine, migrate, session_scope
from storage.members import get_municipality
from storage.models import Member, Murmur, Role, SharingScope
from storage.murmurs import add_murmur, update_murmur
from storage.records import delete_record
from storage.search import SearchQuery, search_records

ROOT = Path(__file__).resolve().parent.parent
TWO_TOWNS = Size(2, 2, 1, 2, members=6, resources=20, activities=150, murmurs=800, leads=10)
# Words of every length the generated murmurs use, plus ones only a bug would match.
WORDS = (
    "スーパー", "移動販売", "買い物", "ゴミ出し", "見守り", "足腰", "買物", "坂",
    "しんどく", "100%", "a_b", '"引用"', "存在しない言葉",
)


def _scan_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storage.search, "INDEXED_WORD_MIN", 10**9)


def _members(engine: Engine, town: int) -> list[Member]:
    with Session(engine) as session:
        municipality = get_municipality(session, name=municipality_names(2)[town])
        found = session.exec(
            select(Member).where(col(Member.municipality_id) == municipality.id)
        )
        return list(found)


def _search(engine: Engine, viewer: Member, *words: str) -> tuple[list[tuple], int]:
    with Session(engine) as session:
        hits, total = search_records(
            session, viewer=viewer, query=SearchQuery(words=words), limit=10_000
        )
    return [(h.kind, h.number, h.text) for h in hits], total


@pytest.fixture
def generated(any_engine: Engine) -> Engine:
    generate(any_engine, size=TWO_TOWNS, seed=3, now=START)
    return any_engine


def test_index_and_scan_find_the_same_hits_for_every_member(generated, monkeypatch):
    members = _members(generated, 0)
    indexed = {(m.id, w): _search(generated, m, w) for m in members for w in WORDS}
    indexed[(members[0].id, "and")] = _search(generated, members[0], "スーパー", "しんどく")
    _scan_only(monkeypatch)
    scanned = {(m.id, w): _search(generated, m, w) for m in members for w in WORDS}
    scanned[(members[0].id, "and")] = _search(generated, members[0], "スーパー", "しんどく")

    assert indexed == scanned
    found = {word: total for (member, word), (_, total) in indexed.items() if member == members[0].id}
    assert found["スーパー"] > 20 and found["足腰"] > 0 and found["and"] > 0
    assert found["存在しない言葉"] == 0 and found["100%"] == 0 and found["a_b"] == 0


def test_restricted_murmurs_stay_with_their_author_and_towns_stay_apart(generated):
    members = _members(generated, 0)
    author, other = [m for m in members if m.role == Role.COORDINATOR.value][:2]
    officer = next(m for m in members if m.role == Role.OFFICER.value)
    outsider = next(m for m in _members(generated, 1) if m.role == Role.OFFICER.value)
    assert author.id is not None and other.id is not None
    with session_scope(generated) as session:
        secret = add_murmur(
            session, municipality_id=author.municipality_id, recorded_by=author.id,
            text="認知症の夫の見守りがつらいと妻", kind="困りごと", categories=[],
            captured_on=START.date(), now=START, sharing_scope=SharingScope.RESTRICTED.value,
        )
        shared = add_murmur(
            session, municipality_id=author.municipality_id, recorded_by=other.id,
            text="夜の見守りボランティアが足りない", kind="困りごと", categories=[],
            captured_on=START.date(), now=START,
        )
    mine = _search(generated, author, "見守りが")[0]
    assert ("murmur", secret.number, "認知症の夫の見守りがつらいと妻") in mine
    for viewer in (other, officer, outsider):
        assert secret.number not in [n for kind, n, _ in _search(generated, viewer, "見守りが")[0] if kind == "murmur"]
    assert ("murmur", shared.number, "夜の見守りボランティアが足りない") in _search(generated, officer, "ボランティア")[0]
    assert _search(generated, outsider, "ボランティアが足り")[1] == 0


def test_the_index_follows_edits_and_deletions(any_engine):
    generate(any_engine, size=Size(2, 1, 1, 1, members=4, resources=2, activities=5, murmurs=5, leads=1), seed=1, now=START)
    officer = next(m for m in _members(any_engine, 0) if m.role == Role.OFFICER.value)
    assert officer.id is not None
    with session_scope(any_engine) as session:
        murmur = add_murmur(
            session, municipality_id=officer.municipality_id, recorded_by=officer.id,
            text="公民館のエレベーターが止まったまま", kind="困りごと", categories=[],
            captured_on=START.date(), now=START,
        )
    assert _search(any_engine, officer, "エレベーター")[1] == 1

    with session_scope(any_engine) as session:
        row = session.get(Murmur, murmur.id)
        assert row is not None
        update_murmur(
            session, row, text="公民館の階段の手すりがぐらつく", kind="困りごと", categories=[],
            area_id=None, sharing_scope="team", sensitive_flags=[], pii_masked=False, now=START,
        )
    assert _search(any_engine, officer, "エレベーター")[1] == 0
    assert _search(any_engine, officer, "手すりが")[0] == [("murmur", murmur.number, "公民館の階段の手すりがぐらつく")]

    with session_scope(any_engine) as session:
        row = session.get(Murmur, murmur.id)
        assert row is not None
        delete_record(session, row)
    assert _search(any_engine, officer, "手すりが")[1] == 0


def test_the_sqlite_index_is_what_the_search_reads(generated, monkeypatch):
    """Taking a murmur out of the FTS index hides it from indexed words only."""
    if generated.dialect.name != "sqlite":
        pytest.skip("the FTS5 table is SQLite's")
    officer = next(m for m in _members(generated, 0) if m.role == Role.OFFICER.value)
    hits, total = _search(generated, officer, "スーパー")
    number = hits[0][1]
    with generated.begin() as connection:
        murmur_id, words = connection.execute(
            text("SELECT id, text FROM murmur WHERE municipality_id = :m AND number = :n"),
            {"m": officer.municipality_id, "n": number},
        ).one()
        connection.execute(
            text("INSERT INTO murmur_fts(murmur_fts, rowid, text) VALUES ('delete', :id, :t)"),
            {"id": murmur_id, "t": words},
        )
    assert _search(generated, officer, "スーパー")[1] == total - 1
    _scan_only(monkeypatch)
    assert _search(generated, officer, "スーパー")[1] == total


def test_postgresql_answers_long_words_from_the_trigram_index(generated):
    if generated.dialect.name != "postgresql":
        pytest.skip("pg_trgm is PostgreSQL's")
    with generated.begin() as connection:
        connection.execute(text("SET LOCAL enable_seqscan = off"))
        plan = connection.execute(
            text("EXPLAIN SELECT count(*) FROM murmur WHERE lower(text) LIKE '%スーパー%'")
        ).scalars().all()
    assert any("ix_murmur_text_trgm" in line for line in plan), plan


def test_murmurs_written_before_the_migration_are_indexed(tmp_path, monkeypatch):
    engine = make_test_engine(f"sqlite:///{tmp_path / 'old.db'}")
    command.upgrade(alembic_config(engine), "0007")
    with session_scope(engine) as session:
        sync_categories(session)
    generate(engine, size=TWO_TOWNS, seed=5, now=START)
    officer = next(m for m in _members(engine, 0) if m.role == Role.OFFICER.value)
    migrate(engine)
    indexed = [_search(engine, officer, w) for w in WORDS]
    _scan_only(monkeypatch)
    assert indexed == [_search(engine, officer, w) for w in WORDS]
    assert indexed[0][1] >= 10
    engine.dispose()


def _murmur_rows(engine: Engine) -> list[tuple]:
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT m.name, u.number, u.text, u.kind, u.sensitive_flags, u.sharing_scope,"
                " u.captured_on, u.created_at, u.activity_id IS NULL FROM murmur u"
                " JOIN municipality m ON m.id = u.municipality_id ORDER BY m.name, u.number"
            )
        )
        return [
            (*r[:4], json.loads(r[4]) if isinstance(r[4], str) else r[4], r[5], str(r[6]), str(r[7])[:19], bool(r[8]))
            for r in rows
        ]


@pytest.mark.postgres
def test_the_postgresql_copy_path_writes_the_same_data_as_sqlite(tmp_path):
    from conftest import postgres_engine

    size = Size(2, 2, 1, 2, members=5, resources=15, activities=60, murmurs=200, leads=5)
    sqlite = make_test_engine(f"sqlite:///{tmp_path / 's.db'}")
    postgres = postgres_engine()
    for engine in (sqlite, postgres):
        migrate(engine)
        generate(engine, size=size, seed=11, now=START)
    assert _murmur_rows(postgres) == _murmur_rows(sqlite)
    assert len(_murmur_rows(postgres)) == 400
    with postgres.connect() as connection:  # the sequences moved past the copied ids
        next_id = connection.execute(text("SELECT nextval(pg_get_serial_sequence('murmur', 'id'))")).scalar_one()
        assert next_id > connection.execute(text("SELECT max(id) FROM murmur")).scalar_one()
    sqlite.dispose()
    postgres.dispose()


def test_the_store_benchmark_measures_every_operation(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "bench.store", "--quick"],
        cwd=ROOT,
        env={"TSUNAGI_BENCH_RESULTS": str(tmp_path), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    line = json.loads((tmp_path / "store.jsonl").read_text("utf-8"))
    assert line["bench"] == "store" and line["quick"] is True and line["size"] == "small"
    ops = {(row["op"], row["what"]) for row in line["rows"]}
    assert {("weekly_summary", ""), ("summary_xlsx", ""), ("report_xlsx", "")} <= ops
    assert {("search", "ゴミ出し (index)"), ("search", "足腰 (scan)")} <= ops
    assert all(row["p50_ms"] > 0 for row in line["rows"])
