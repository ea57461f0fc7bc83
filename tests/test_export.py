"""tsunagi export: CSV in UTF-8 with BOM (Japanese headers) and an XLSX workbook; audited."""

from __future__ import annotations

import csv
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from records_data import Records

from bot.cli import main as cli_main
from storage.audit import list_audit
from storage.db import session_scope

DAY = date(2026, 11, 20)


@pytest.fixture
def data(world, clock):
    """Records of あおば市 (one of each kind) and of みどり町 (which must never leak)."""
    world.municipality("みどり町")
    world.chat("sato", "あおば市")
    world.chat("tanaka", "みどり町")
    aoba = Records(world.engine, clock, "あおば市")
    midori = Records(world.engine, clock, "みどり町")
    numbers = {
        "visit": aoba.visit(
            "sato",
            DAY,
            area="本町自治会",
            place="本町集会所サロン",
            purpose="宝物さがし",
            minutes=90,
            kubun="把握",
            treasures="漬物でお茶会",
            outcome="次回の約束",
            counterpart="世話役",
            companions=["社協地区担当", "民生委員"],
            ordinal=2,
            participants=14,
        ),
        "meeting": aoba.activity("sato", date(2026, 11, 18), type="会議・集まり参加", minutes=120),
    }
    numbers["murmur"] = aoba.murmur(
        "sato",
        DAY,
        "スーパーまで歩くのがしんどい",
        categories=["shopping", "mobility"],
        area="本町自治会",
        activity=numbers["visit"],
    )
    numbers["restricted"] = aoba.murmur(
        "sato",
        DAY,
        "向かいの人の雨戸が閉まったまま",
        kind="気になる人",
        scope="restricted_individual",
    )
    numbers["lead"] = aoba.lead(
        "sato", "公園のラジオ体操", area="北山自治会", activity=numbers["visit"]
    )
    numbers["resource"] = aoba.resource("sato", "ひまわりサロン", kind="サロン", area="栄町自治会")
    midori.murmur("tanaka", DAY, "みどり町だけの話")
    midori.visit("tanaka", DAY, place="みどり町の公民館")
    return numbers


@pytest.fixture
def cli(world, monkeypatch, tmp_path):
    """Run `tsunagi` in-process on the world's database file (no .env: run from tmp_path)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(
        "TSUNAGI_DATABASE_URL", world.engine.url.render_as_string(hide_password=False)
    )
    return lambda *argv: cli_main(list(argv))


def read_csv(path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_records_csv_holds_activities_and_murmurs_of_one_municipality(data, cli, tmp_path, capsys):
    assert cli("export", "あおば市", "--format", "csv", "--out", "records.csv") == 0
    assert "exported 4 rows" in capsys.readouterr().out

    header, *rows = read_csv(tmp_path / "records.csv")
    assert header == [
        "番号", "種類", "日付", "エリア", "記録者", "活動種別/つぶやき種類", "目的", "所要時間(分)",
        "活動区分", "カテゴリ", "内容", "成果", "状態", "共有範囲",
    ]  # fmt: skip
    by_number = {int(row[0]): row for row in rows}
    assert [int(row[0]) for row in rows] == sorted(by_number)
    assert set(by_number) == {data["visit"], data["meeting"], data["murmur"], data["restricted"]}
    assert by_number[data["visit"]] == [
        str(data["visit"]), "訪問記録", "2026-11-20", "本町自治会", "sato", "訪問", "宝物さがし",
        "90", "把握", "", "場所: 本町集会所サロン／相手方: 世話役／宝物: 漬物でお茶会",
        "次回の約束", "", "",
    ]  # fmt: skip
    assert by_number[data["meeting"]][1:3] == ["活動記録", "2026-11-18"]
    murmur = by_number[data["murmur"]]
    assert murmur[1] == "つぶやき" and murmur[9] == "買い物、移動・外出（交通）"
    assert murmur[10] == "スーパーまで歩くのがしんどい" and murmur[13] == "チーム"
    restricted = by_number[data["restricted"]]
    assert restricted[10] == "（限定）" and restricted[13] == "限定"
    content = (tmp_path / "records.csv").read_text("utf-8-sig")
    assert "雨戸" not in content and "みどり町" not in content


def test_each_table_can_be_exported_alone(data, cli, tmp_path):
    for table, first in (
        ("visits", ["番号", "日付", "活動種別", "エリア", "場所"]),
        ("activities", ["番号", "日付", "活動種別", "エリア", "場所"]),
        ("murmurs", ["番号", "日付", "種類", "主カテゴリ", "カテゴリ"]),
        ("resources", ["番号", "名称", "種類", "エリア", "カテゴリ"]),
        ("leads", ["番号", "名称", "エリア", "状態", "訪問・活動番号"]),
    ):
        assert (
            cli("export", "あおば市", "--format", "csv", "--out", f"{table}.csv", "--table", table)
            == 0
        )
        header, *rows = read_csv(tmp_path / f"{table}.csv")
        assert header[:5] == first
        assert rows, table
    [lead] = read_csv(tmp_path / "leads.csv")[1:]
    assert lead == [str(data["lead"]), "公園のラジオ体操", "北山自治会", "未訪問", str(data["visit"]), "sato", "2026-11-23"]  # fmt: skip
    [visit] = read_csv(tmp_path / "visits.csv")[1:]
    assert visit[9] == "社協地区担当、民生委員" and visit[6:9] == ["2", "90", "14"]
    [meeting] = read_csv(tmp_path / "activities.csv")[1:]
    assert meeting[:3] == [str(data["meeting"]), "2026-11-18", "会議・集まり参加"]
    murmurs = read_csv(tmp_path / "murmurs.csv")[1:]
    assert [m[6] for m in murmurs] == ["スーパーまで歩くのがしんどい", "（限定）"]
    assert murmurs[0][10] == str(data["visit"])


def test_xlsx_has_a_sheet_per_table_with_dates_widths_and_filters(data, cli, tmp_path, capsys):
    assert cli("export", "あおば市", "--format", "xlsx", "--out", "aoba.xlsx") == 0
    progress = capsys.readouterr().err  # the progress bar, on stderr, ends full
    assert "[" + "#" * 30 + "] 100%" in progress and progress.endswith("\n")

    book = load_workbook(tmp_path / "aoba.xlsx")
    assert book.sheetnames == ["訪問", "活動", "つぶやき", "地域資源", "つなぎ", "次の訪問先", "分類×地区"]
    activities = book["訪問"]
    assert [c.value for c in activities[1]][:3] == ["番号", "日付", "活動種別"]
    assert activities["B2"].value == datetime(2026, 11, 20)  # a real date cell
    assert activities["B2"].number_format == "yyyy-mm-dd"
    assert activities.auto_filter.ref == activities.dimensions
    assert activities.column_dimensions["E"].width > activities.column_dimensions["A"].width
    murmurs = book["つぶやき"]
    assert [row[6] for row in murmurs.iter_rows(min_row=2, values_only=True)] == [
        "スーパーまで歩くのがしんどい",
        "（限定）",
    ]


def test_exports_are_audited(world, data, cli):
    cli("export", "あおば市", "--format", "csv", "--out", "records.csv")
    with session_scope(world.engine) as s:
        [entry] = list_audit(s, action="export")
    assert entry.actor == "cli"
    assert entry.detail == {"format": "csv", "table": "records", "rows": 4}


def test_an_unknown_municipality_is_an_error(data, cli, capsys, tmp_path):
    assert cli("export", "どこにもない市", "--format", "csv", "--out", "x.csv") == 1
    assert "municipality not found" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()


def test_the_pivot_counts_murmurs_by_category_and_top_level_area(data, cli, tmp_path):
    assert cli("export", "あおば市", "--format", "xlsx", "--out", "aoba.xlsx") == 0
    pivot = load_workbook(tmp_path / "aoba.xlsx")["分類×地区"]
    rows = [list(row) for row in pivot.iter_rows(values_only=True)]
    assert rows == [
        ["分類", "中央圏域", "地区なし", "合計"],
        ["買い物", 1, 0, 1],
        ["その他", 0, 1, 1],
        ["合計", 1, 1, 2],
    ]
    assert pivot.freeze_panes == "A2" and pivot.auto_filter.ref == "A1:D4"


def test_connections_sheet_names_the_murmur_target_and_follow_up(world, data, cli, clock, tmp_path):
    from sqlmodel import select

    from storage.connections import add_connection, add_follow_up
    from storage.models import Murmur

    with session_scope(world.engine) as s:
        murmur = s.exec(select(Murmur).where(Murmur.number == data["murmur"])).one()
        connection = add_connection(
            s, municipality_id=murmur.municipality_id, created_by=murmur.recorded_by,
            target_kind="houkatsu", murmur_id=murmur.id, note="包括に相談", now=clock.now(),
        )  # fmt: skip
        add_follow_up(s, connection=connection, owner_id=murmur.recorded_by, due_on=date(2026, 12, 4), now=clock.now())
    assert cli("export", "あおば市", "--format", "csv", "--out", "c.csv", "--table", "connections") == 0
    header, row = read_csv(tmp_path / "c.csv")
    assert header[:5] == ["番号", "日付", "つぶやき番号", "つなぎ先の種類", "つなぎ先"]
    assert row == [str(connection.number), "2026-11-23", str(data["murmur"]), "地域包括支援センター", "地域包括支援センター", "包括に相談", "2026-12-04", "", "sato"]  # fmt: skip


def test_summary_xlsx_holds_the_period_only_and_csv_its_pivot(data, cli, tmp_path):
    assert cli("summary", "あおば市", "--week", "2026-W47", "--format", "xlsx", "--out", "w47.xlsx") == 0
    book = load_workbook(tmp_path / "w47.xlsx")
    assert book.sheetnames == ["まとめ", "訪問", "活動", "つぶやき", "つなぎ", "分類×地区"]
    assert book["まとめ"]["A2"].value.startswith("まとめ 2026-11-16")
    assert [r[0] for r in book["活動"].iter_rows(min_row=2, values_only=True)] == [data["meeting"]]
    assert cli("summary", "あおば市", "--week", "2026-W46", "--format", "xlsx", "--out", "w46.xlsx") == 0
    assert load_workbook(tmp_path / "w46.xlsx")["訪問"].max_row == 1  # nothing that week
    assert cli("summary", "あおば市", "--week", "2026-W47", "--format", "csv", "--out", "w47.csv") == 0
    assert read_csv(tmp_path / "w47.csv")[-1] == ["合計", "1", "1", "2"]
