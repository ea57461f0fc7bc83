"""The cross-municipality matrix: no role, on no read path, ever sees another municipality's records.

Both municipalities hold records of every kind under the SAME numbers (#1, #2 … exist in both),
each carrying its municipality's marker in every text field. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import date

import pytest
from conftest import World
from records_data import Records

from bot.cli import main as cli_main

DAY = date(2026, 11, 20)
MARK = {"あおば市": "あおば印", "みどり町": "みどり印"}
OTHER = {"あおば市": "みどり町", "みどり町": "あおば市"}
ROLES = (
    ("coordinator", "中央圏域"),
    ("coordinator2", "中央圏域"),
    ("officer", None),
    ("admin", None),
)


def fill(records: Records, municipality: str) -> dict[str, int]:
    """Add one record of every kind, each text carrying the municipality's marker."""
    mark = MARK[municipality]
    author, other = f"{municipality}-coordinator", f"{municipality}-coordinator2"
    visit = records.visit(
        author,
        DAY,
        area="本町自治会",
        place=f"{mark}の集会所サロン",
        treasures=f"{mark}の宝物",
        outcome=f"{mark}の成果",
        counterpart=f"{mark}の世話役",
    )
    return {
        "visit": visit,
        "murmur": records.murmur(
            author, DAY, f"{mark}のサロンに行きたい", categories=["ibasho"], activity=visit
        ),
        "restricted": records.murmur(
            author, DAY, f"{mark}の限定サロン話", kind="気になる人", scope="restricted_individual"
        ),
        "lead": records.lead(author, f"{mark}のサロン候補", activity=visit),
        "resource": records.resource(author, f"{mark}サロン", kind="サロン"),
        "activity": records.activity(
            other, DAY, type="会議・集まり参加", outcome=f"{mark}の会議サロン"
        ),
    }


@pytest.fixture
def any_world(any_engine, clock):
    """Two municipalities on each backend, four members each, the same record numbers in both."""
    world = World(any_engine, clock)
    numbers, chats = {}, {}
    for municipality in MARK:
        world.municipality(municipality)
        for role, area in ROLES:
            user = f"{municipality}-{role}"
            chats[(municipality, role)] = world.chat(
                user, municipality, role=role.rstrip("2"), area=area
            )
        numbers[municipality] = fill(Records(any_engine, clock, municipality), municipality)
    assert numbers["あおば市"] == numbers["みどり町"]  # the same numbers exist in both
    return world, chats, numbers["あおば市"]


def reads(chat, numbers: dict[str, int]) -> list[str]:
    """Every chat read path: #N, 検索, まとめ, 修正 #N, 削除 #N (leaving each flow again)."""
    seen = []
    for number in sorted(numbers.values()):
        seen.append(chat.send(f"#{number}"))
        seen.append(chat.send(f"修正 #{number}"))
        seen.append(chat.send("キャンセル"))  # leaves the edit flow if one was opened
        seen.append(chat.send(f"削除 #{number}"))
        seen.append(chat.send("いいえ"))  # keeps the record if it was offered for deletion
    for query in ("サロン", "みどり", "あおば", "印 期間:今月", "サロン 種類:訪問"):
        seen.append(chat.send(f"検索 {query}"))
        if chat.choices:
            seen.append(chat.send("検索を終わる"))
    for period in ("", "先週", "2026-11"):
        seen.append(chat.send(f"まとめ {period}"))
    return seen


@pytest.mark.parametrize("role", [role for role, _ in ROLES])
def test_no_role_sees_another_municipalitys_records_on_any_chat_path(any_world, role):
    _, chats, numbers = any_world
    for municipality, mark in MARK.items():
        foreign = MARK[OTHER[municipality]]
        seen = "\n".join(reads(chats[(municipality, role)], numbers))
        assert foreign not in seen, (municipality, role)
        assert mark in seen  # the paths did show the user's own municipality


def test_restricted_murmurs_are_seen_by_their_author_only(any_world):
    _, chats, numbers = any_world
    for municipality, mark in MARK.items():
        restricted = f"{mark}の限定サロン話"
        author = "\n".join(reads(chats[(municipality, "coordinator")], numbers))
        assert restricted in author
        for role in ("coordinator2", "officer", "admin"):
            seen = "\n".join(reads(chats[(municipality, role)], numbers))
            assert restricted not in seen, (municipality, role)


def test_an_export_holds_only_its_own_municipality(any_world, monkeypatch, tmp_path, capsys):
    world, _, _ = any_world
    monkeypatch.chdir(tmp_path)
    url = world.engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("TSUNAGI_DATABASE_URL", url)
    for municipality, mark in MARK.items():
        for table in ("records", "activities", "murmurs", "resources", "leads"):
            out = tmp_path / f"{municipality}-{table}.csv"
            argv = ["export", municipality, "--format", "csv", "--out", str(out), "--table", table]
            assert cli_main(argv) == 0, capsys.readouterr().err
            content = out.read_text("utf-8-sig")
            assert MARK[OTHER[municipality]] not in content, (municipality, table)
            assert mark in content
            assert f"{mark}の限定サロン話" not in content


def test_deleting_in_one_municipality_leaves_the_same_number_in_the_other(any_world):
    _, chats, numbers = any_world
    aoba, midori = chats[("あおば市", "coordinator")], chats[("みどり町", "coordinator")]

    aoba.send(f"削除 #{numbers['murmur']}")
    assert "削除しました" in aoba.send("はい")

    assert "見つかりませんでした" in aoba.send(f"#{numbers['murmur']}")
    assert "みどり印のサロンに行きたい" in midori.send(f"#{numbers['murmur']}")
