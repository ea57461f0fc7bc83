"""The seeded demo data set (`tsunagi demo --size small|large`): what tests and benchmarks stand on."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import START, TOKYO
from sqlalchemy import text
from sqlalchemy.engine import Engine

from bot.classify import suggest_categories
from bot.demo_data import AlreadyGenerated, Counts, Size, generate, municipality_names
from bot.privacy import find_pii, needs_restriction
from storage.db import make_test_engine, migrate

RECORD_TABLES = ("resource", "activity", "murmur", "lead", "connection")
ALL_TABLES = (
    "municipality", "area", "member", "memberarea", *RECORD_TABLES, "murmurcategory",
    "followup", "resourcechange",
)  # fmt: skip
SMALL = Counts(
    municipalities=3,
    areas=3 * (2 + 4 + 12),
    members=30,
    resources=180,
    activities=900,
    murmurs=4_500,
    leads=90,
)


def fresh_store(path: Path) -> Engine:
    engine = make_test_engine(f"sqlite:///{path}")
    migrate(engine)
    return engine


def small_store(path: Path, seed: int) -> tuple[Engine, Counts]:
    engine = fresh_store(path)
    return engine, generate(engine, size="small", seed=seed, now=START)


def rows(engine: Engine, sql: str) -> list[tuple]:
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(text(sql))]


def count(engine: Engine, table: str) -> int:
    return rows(engine, f"SELECT count(*) FROM {table}")[0][0]


def digest(engine: Engine) -> str:
    """Return a SHA-256 over every generated row, table by table, in insertion order."""
    sha = hashlib.sha256()
    for table in ALL_TABLES:
        for row in rows(engine, f"SELECT * FROM {table} ORDER BY rowid"):
            sha.update(repr(row).encode())
    return sha.hexdigest()


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Engine, Counts]:
    engine, counts = small_store(tmp_path_factory.mktemp("small") / "t.db", seed=7)
    yield engine, counts
    engine.dispose()


def test_small_makes_three_towns_with_the_promised_records(small):
    engine, counts = small
    generated = ("visits", "restricted", "connections", "follow_ups")  # drawn, not planned
    assert counts == Counts(**{**vars(SMALL), **{key: getattr(counts, key) for key in generated}})
    assert rows(engine, "SELECT name FROM municipality ORDER BY id") == [
        (name,) for name in municipality_names(3)
    ]
    for table, expected in [
        ("area", SMALL.areas),
        ("member", SMALL.members),
        ("resource", SMALL.resources),
        ("activity", SMALL.activities),
        ("murmur", SMALL.murmurs),
        ("lead", SMALL.leads),
    ]:
        assert count(engine, table) == expected, table
    visits = rows(engine, "SELECT count(*) FROM activity WHERE activity_type = '訪問'")[0][0]
    assert visits == counts.visits and 0.7 * SMALL.activities < visits < SMALL.activities


def test_each_town_has_a_three_level_area_tree_and_coordinators_per_area(small):
    engine, _ = small
    kinds = rows(
        engine, "SELECT municipality_id, kind, count(*) FROM area GROUP BY 1, 2 ORDER BY 1, 2"
    )
    assert {(kind, n) for _, kind, n in kinds} == {
        ("日常生活圏域", 2),
        ("小学校区", 4),
        ("自治会", 12),
    }
    orphans = rows(
        engine,
        "SELECT count(*) FROM area a JOIN area p ON a.parent_id = p.id "
        "WHERE a.municipality_id != p.municipality_id",
    )
    assert orphans == [(0,)]
    coordinators = rows(
        engine,
        "SELECT a.id, count(ma.member_id) FROM area a LEFT JOIN memberarea ma ON ma.area_id = a.id "
        "WHERE a.kind = '日常生活圏域' GROUP BY a.id",
    )
    assert all(n >= 2 for _, n in coordinators)


def test_every_record_is_numbered_once_per_town_and_the_counter_is_beyond_them(small):
    engine, _ = small
    union = " UNION ALL ".join(f"SELECT municipality_id, number FROM {t}" for t in RECORD_TABLES)
    numbers = rows(engine, union)
    assert len(numbers) == len(set(numbers)) == sum(count(engine, t) for t in RECORD_TABLES)
    highest = rows(engine, f"SELECT municipality_id, max(number) FROM ({union}) GROUP BY 1")
    counters = dict(rows(engine, "SELECT id, next_record_no FROM municipality"))
    assert all(counters[town] == top + 1 for town, top in highest)
    per_town = rows(
        engine, f"SELECT municipality_id, count(*), min(number) FROM ({union}) GROUP BY 1"
    )
    assert all(
        n == top and first == 1 for (_, n, first), (_, top) in zip(per_town, highest, strict=True)
    )


def test_connected_murmurs_have_their_connection_and_resources_their_history(small):
    engine, counts = small
    connected = "('つないだ', '資源化', '既存資源で対応')"
    per_murmur = rows(
        engine,
        "SELECT m.status, count(c.id) FROM murmur m LEFT JOIN connection c ON c.murmur_id = m.id "
        "GROUP BY m.id, m.status",
    )
    assert {n for status, n in per_murmur if status in connected} == {1}
    assert {n for status, n in per_murmur if status not in connected} == {0}
    assert count(engine, "connection") == counts.connections > 0
    assert count(engine, "followup") == counts.follow_ups > 0
    to_resources = rows(
        engine,
        "SELECT count(*) FROM connection c JOIN resource r ON r.id = c.resource_id "
        "WHERE r.municipality_id != c.municipality_id",
    )
    assert to_resources == [(0,)]  # a town's connections point at its own resources
    assert rows(engine, "SELECT count(*) FROM followup WHERE done_at > '2026-11-24'") == [(0,)]
    created = rows(engine, "SELECT count(*) FROM resourcechange WHERE change = 'created'")
    changed = rows(engine, "SELECT count(*) FROM resourcechange WHERE change = 'status'")
    not_active = rows(engine, "SELECT count(*) FROM resource WHERE status != '活動中'")
    assert created == [(SMALL.resources,)] and changed == not_active


def test_records_fall_in_the_last_26_weeks(small):
    engine, _ = small
    today = START.date()
    for sql in (
        "SELECT min(occurred_on), max(occurred_on) FROM activity",
        "SELECT min(captured_on), max(captured_on) FROM murmur",
    ):
        first, last = rows(engine, sql)[0]
        assert str(today - timedelta(weeks=26)) < first <= last <= str(today)


def test_murmurs_carry_the_categories_the_classifier_suggests(small):
    engine, _ = small
    murmurs = rows(engine, "SELECT id, text FROM murmur ORDER BY id LIMIT 300")
    stored: dict[int, list[str]] = {}
    for murmur_id, code in rows(
        engine, "SELECT murmur_id, category_code FROM murmurcategory ORDER BY murmur_id, position"
    ):
        stored.setdefault(murmur_id, []).append(code)
    for murmur_id, body in murmurs:
        assert stored[murmur_id] == suggest_categories(body), body
    primaries = rows(engine, "SELECT DISTINCT category_code FROM murmurcategory WHERE position = 0")
    assert len(primaries) >= 18
    assert len(stored) == SMALL.murmurs


def test_murmurs_vary_in_wording_and_kind_and_some_are_restricted(small):
    engine, counts = small
    distinct = rows(engine, "SELECT count(DISTINCT text) FROM murmur")[0][0]
    assert distinct > SMALL.murmurs / 3
    kinds = {k for (k,) in rows(engine, "SELECT DISTINCT kind FROM murmur")}
    assert {"困りごと", "願い", "宝物", "担い手の申し出", "気になる人"} <= kinds
    restricted = rows(
        engine, "SELECT text, kind FROM murmur WHERE sharing_scope = 'restricted_individual'"
    )
    assert len(restricted) == counts.restricted and 0 < len(restricted) < SMALL.murmurs / 5
    assert all(needs_restriction(body, kind) for body, kind in restricted)
    on_visits = rows(engine, "SELECT count(*) FROM murmur WHERE activity_id IS NOT NULL")[0][0]
    assert SMALL.murmurs / 3 < on_visits < SMALL.murmurs


def test_no_murmur_names_a_person(small):
    engine, _ = small
    found = [(body, find_pii(body)) for (body,) in rows(engine, "SELECT text FROM murmur")]
    assert [f for f in found if f[1]] == []


def test_visits_count_their_ordinal_at_each_resource(small):
    engine, _ = small
    ordinals = rows(
        engine,
        "SELECT resource_id, group_concat(visit_ordinal) FROM "
        "(SELECT resource_id, visit_ordinal FROM activity WHERE resource_id IS NOT NULL "
        "ORDER BY resource_id, visit_ordinal) GROUP BY resource_id",
    )
    assert ordinals
    for _, seen in ordinals:
        assert [int(n) for n in seen.split(",")] == list(range(1, seen.count(",") + 2))


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data(small, tmp_path):
    engine, _ = small
    again, _ = small_store(tmp_path / "again.db", seed=7)
    other, _ = small_store(tmp_path / "other.db", seed=8)
    assert digest(again) == digest(engine)
    assert digest(other) != digest(engine)


def test_generating_twice_into_one_store_is_refused(small):
    engine, _ = small
    with pytest.raises(AlreadyGenerated, match=municipality_names(1)[0]):
        generate(engine, size="small", seed=7, now=START)
    assert count(engine, "municipality") == 3


def test_a_larger_set_goes_through_the_same_bulk_path(tmp_path):
    engine = fresh_store(tmp_path / "medium.db")
    plan = Size(2, 2, 2, 3, members=8, resources=150, activities=1_500, murmurs=10_000, leads=80)
    seen: list[tuple[int, int]] = []
    counts = generate(
        engine, size=plan, seed=1, now=START, tz=TOKYO, progress=lambda d, t: seen.append((d, t))
    )
    assert counts.murmurs == count(engine, "murmur") == 20_000
    assert count(engine, "murmurcategory") >= 20_000
    assert count(engine, "activity") == 3_000 and count(engine, "resource") == 300
    assert seen[-1][0] == seen[-1][1] == 2 * (150 + 1_500 + 10_000 + 80)
    numbered = rows(  # the counter is past every record and every connection of the town
        engine,
        "SELECT m.next_record_no, (SELECT count(*) FROM connection c "
        "WHERE c.municipality_id = m.id) FROM municipality m ORDER BY m.id",
    )
    assert [counter for counter, _ in numbered] == [11_731 + n for _, n in numbered]


def test_the_cli_generates_small_with_a_progress_bar(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TSUNAGI_", "LINE_", "SLACK_"))}
    env.update(TSUNAGI_DATABASE_URL=f"sqlite:///{tmp_path / 't.db'}", PYTHONIOENCODING="utf-8")
    run = [sys.executable, "-m", "bot.cli", "demo", "--size", "small", "--seed", "3"]
    done = subprocess.run(
        run, cwd=tmp_path, env=env, capture_output=True, encoding="utf-8", timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "つぶやき 4,500" in done.stdout and municipality_names(1)[0] in done.stdout
    assert "100% 5,670/5,670" in done.stderr
    again = subprocess.run(
        run, cwd=tmp_path, env=env, capture_output=True, encoding="utf-8", timeout=120
    )
    assert again.returncode == 1 and "already present" in again.stderr
