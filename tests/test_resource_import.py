"""tsunagi resources import/template: every row validated, all or nothing, duplicates merged."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from conftest import TOKYO, World
from openpyxl import Workbook, load_workbook
from sqlmodel import select
from test_cli import failed, ok, tsunagi

from bot.progress import TextProgress
from bot.resource_cli import import_resources, report, template_bytes
from bot.resource_import import COLUMNS
from storage.db import session_scope
from storage.models import Resource, ResourceChange

HEADERS = "名称,種類,地区,カテゴリ,開催日時,問合せ掲載の同意,代表者・問合せ,掲載の同意,状態,状態の時点"
SALON = "ひまわりサロン,サロン,本町自治会,居場所・つどい場・サロン,第2・第4金曜 9:30〜11:30,いいえ,代表 090-1111-2222,はい,活動中,2026-11-01"
WALK = "かわいい鬼の会,体操・ウォーキング,栄町自治会,,毎朝,,,,休止,"


@pytest.fixture
def aoba(any_engine, clock) -> World:
    world = World(any_engine, clock)
    world.municipality("あおば市")
    return world


def run(world: World, path: Path, *, dry_run: bool = False, stream: io.StringIO | None = None):
    now = world.clock.now()
    return import_resources(
        world.engine,
        municipality="あおば市",
        path=path,
        now=now,
        today=now.astimezone(TOKYO).date(),
        dry_run=dry_run,
        progress=TextProgress(stream) if stream is not None else None,
    )


def resources(world: World) -> list[Resource]:
    with session_scope(world.engine) as s:
        found = list(s.exec(select(Resource).order_by(Resource.number)))
        for row in found:
            s.expunge(row)
        return found


def write_csv(tmp_path: Path, *lines: str, bom: bool = False) -> Path:
    path = tmp_path / "register.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8-sig" if bom else "utf-8"))
    return path


@pytest.mark.parametrize("bom", [True, False])
def test_csv_with_or_without_bom_is_imported(aoba, tmp_path, bom):
    path = write_csv(tmp_path, HEADERS, SALON, WALK, bom=bom)
    stream = io.StringIO()
    result = run(aoba, path, stream=stream)
    assert report(result) == "2行を確認しました: 新規 2件、更新 0件。取り込みました。"
    assert "100% 2/2" in stream.getvalue()
    salon, walk = resources(aoba)
    assert (salon.number, salon.name, salon.categories) == (1, "ひまわりサロン", ["ibasho"])
    assert salon.contact == "代表 090-1111-2222" and salon.contact_consent is False
    assert salon.publish_consent is True and salon.status_as_of == date(2026, 11, 1)
    assert walk.categories == ["health"]  # suggested from its kind
    assert (walk.status, walk.status_as_of) == ("休止", date(2026, 11, 23))


def test_one_bad_row_rejects_the_whole_file_with_reasons(aoba, tmp_path):
    path = write_csv(
        tmp_path,
        HEADERS,
        SALON,
        ",サロン,本町自治会,,,,,,,",
        "北の朝市,朝市・産直市,北町,買い物、なんでも,,たぶん,,,お休み,2027-01-01",
        SALON,
    )
    result = run(aoba, path)
    text = report(result)
    assert "1件も取り込んでいません" in text
    assert "3行目: 名称が空です" in text
    assert "4行目: 地区「北町」が登録されていません" in text
    assert "カテゴリ「なんでも」がわかりません" in text
    assert "「問合せ掲載の同意」は はい／いいえ" in text
    assert "状態「お休み」は 活動中／休止／再開／廃止" in text
    assert "状態の時点「2027-01-01」は今日までの日付" in text
    assert "5行目: 2行目と名称・地区が同じです" in text
    assert resources(aoba) == []


def test_a_row_matching_name_and_area_updates_the_resource_and_is_recorded(aoba, tmp_path):
    run(aoba, write_csv(tmp_path, HEADERS, SALON))
    aoba.clock.advance(days=2)
    paused = SALON.replace("第2・第4金曜", "毎週金曜").replace("活動中,2026-11-01", "休止,2026-11-24")
    result = run(aoba, write_csv(tmp_path, HEADERS, paused, WALK))
    assert (result.created, result.updated) == (1, 1)
    salon = resources(aoba)[0]
    assert (salon.number, salon.schedule_text, salon.status) == (1, "毎週金曜 9:30〜11:30", "休止")
    with session_scope(aoba.engine) as s:
        changes = s.exec(select(ResourceChange).where(ResourceChange.resource_id == salon.id)).all()
        assert [(c.change, c.status_before, c.status_after, c.source) for c in changes] == [
            ("created", None, "活動中", "import"),
            ("status", "活動中", "休止", "import"),
            ("updated", "活動中", "休止", "import"),
        ]


def test_dry_run_validates_and_writes_nothing(aoba, tmp_path):
    result = run(aoba, write_csv(tmp_path, HEADERS, SALON, WALK), dry_run=True)
    assert report(result) == "2行を確認しました: 新規 2件、更新 0件（--dry-run のため何も書き込んでいません）"
    assert resources(aoba) == []


def test_the_xlsx_template_imports_as_it_is(aoba, tmp_path):
    path = tmp_path / "template.xlsx"
    path.write_bytes(template_bytes(".xlsx"))
    book = load_workbook(path)
    assert [c.value for c in book["地域資源"][1]] == [c.header for c in COLUMNS]
    assert book["説明"]["A2"].value == "名称"
    run(aoba, path)
    (salon,) = resources(aoba)
    assert salon.name == "ふれあいサロン「きらり」" and salon.level == "第2層"
    assert salon.legal_position == "一般介護予防事業の通いの場" and salon.contact_consent is True


def test_excel_dates_and_blank_lines_are_read(aoba, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["名称", "地区", "状態", "状態の時点"])
    sheet.append(["ラジオ体操を楽しむ会", "本町自治会", "再開", date(2026, 10, 5)])
    sheet.append([None, None, None, None])
    sheet.append(["メロンパンの会", None, None, None])
    path = tmp_path / "book.xlsx"
    book.save(path)
    run(aoba, path)
    first, second = resources(aoba)
    assert (first.status, first.status_as_of) == ("再開", date(2026, 10, 5))
    assert (second.area_id, second.status) == (None, "活動中")


def test_cli_template_and_import(tmp_path):
    ok(tsunagi(tmp_path, "admin", "add-municipality", "あおば市"))
    ok(tsunagi(tmp_path, "admin", "add-area", "あおば市", "本町自治会"))
    assert "雛形を書き出しました" in ok(tsunagi(tmp_path, "resources", "template", "--out", "t.csv"))
    assert (tmp_path / "t.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    imported = tsunagi(tmp_path, "resources", "import", "あおば市", "t.csv")
    assert "新規 1件、更新 0件。取り込みました" in ok(imported)
    assert "100% 1/1" in imported.stderr
    (tmp_path / "bad.csv").write_text("名称,地区\n茶話会,南町\n", encoding="utf-8")
    rejected = failed(tsunagi(tmp_path, "resources", "import", "あおば市", "bad.csv"))
    assert "2行目: 地区「南町」が登録されていません" in rejected
    (tmp_path / "odd.csv").write_text("なまえ,場所\n茶話会,集会所\n", encoding="utf-8")
    assert "見出しが違います（不明: なまえ）" in failed(
        tsunagi(tmp_path, "resources", "import", "あおば市", "odd.csv")
    )
    assert "nope.csv" in failed(tsunagi(tmp_path, "resources", "import", "あおば市", "nope.csv"))
