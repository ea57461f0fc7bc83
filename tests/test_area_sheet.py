"""エリア NAME: one area's sheet — resources, murmurs by category and kind, visits, connections
and open follow-ups, good points and worries side by side; restricted murmurs never quoted."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from records_data import Records
from sqlmodel import select

from bot.channels.console import ConsoleChannel
from storage.audit import list_audit
from storage.connections import add_connection, add_follow_up
from storage.db import session_scope
from storage.models import Murmur, Resource

DAY = date(2026, 11, 20)


@pytest.fixture
def chuo(world, clock):
    """Records of 中央圏域 (through its 自治会) and one of 北部圏域 that must stay out."""
    world.chat("sato", "あおば市")
    world.chat("suzuki", "あおば市")
    aoba = Records(world.engine, clock, "あおば市")
    n = {
        "salon": aoba.resource("sato", "ひまわりサロン", kind="サロン", area="栄町自治会"),
        "north": aoba.resource("sato", "北山ラジオ体操", kind="体操", area="北山自治会"),
        "visit": aoba.visit(
            "sato", DAY, area="本町自治会", place="本町集会所", treasures="漬物名人がいる"
        ),
        "worry": aoba.murmur(
            "sato", DAY, "スーパーまで歩くのがしんどい", categories=["shopping"], area="本町自治会"
        ),
        "wish": aoba.murmur(
            "suzuki",
            DAY,
            "男の人が集まれる場所がほしい",
            kind="願い",
            categories=["ibasho"],
            area="栄町自治会",
        ),
        "helper": aoba.murmur(
            "suzuki",
            DAY,
            "草刈りなら手伝える",
            kind="担い手の申し出",
            categories=["yard"],
            area="中央圏域",
        ),
        "secret": aoba.murmur(
            "suzuki",
            DAY,
            "向かいの人が認知症かも",
            kind="困りごと",
            categories=["dementia"],
            area="本町自治会",
            scope="restricted_individual",
        ),
        "elsewhere": aoba.murmur(
            "sato", DAY, "北山の坂がきつい", categories=["mobility"], area="北山自治会"
        ),
    }
    with session_scope(world.engine) as s:
        murmur = s.exec(select(Murmur).where(Murmur.number == n["worry"])).one()
        salon = s.exec(select(Resource).where(Resource.number == n["salon"])).one()
        connection = add_connection(
            s, municipality_id=murmur.municipality_id, created_by=murmur.recorded_by,
            target_kind="resource", resource_id=salon.id, murmur_id=murmur.id, now=clock.now(),
        )  # fmt: skip
        add_follow_up(
            s,
            connection=connection,
            owner_id=murmur.recorded_by,
            due_on=date(2026, 12, 1),
            now=clock.now(),
        )
        n["connection"] = connection.number
    return n


def test_the_sheet_lists_the_area_and_its_sub_areas(world, chuo):
    text = world.chat("tanaka", "あおば市").send("エリア 中央圏域")
    assert text.startswith("【中央圏域のわがまちシート】（2026-11-23時点）")
    assert f"#{chuo['salon']} ひまわりサロン（サロン・活動中）" in text
    assert "北山" not in text  # another 圏域's resource and murmur
    assert "■つぶやき 4件（分類別）" in text
    assert "・買い物 1（困りごと 1）" in text
    good, worries = text.split("■ええとこ（宝物・願い・担い手）")[1].split("■困りごと")
    assert "男の人が集まれる場所がほしい" in good and "草刈りなら手伝える" in good
    assert "宝物: 漬物名人がいる" in good
    assert "スーパーまで歩くのがしんどい" in worries.split("■訪問")[0]
    assert "■訪問 1回（直近 2026-11-20）" in text
    assert "■つなぎ 1件／未完了のフォローアップ 1件" in text
    assert (
        f"・つなぎ #{chuo['connection']} → #{chuo['salon']} ひまわりサロン（期日 2026-12-01）"
        in text
    )


def test_restricted_murmurs_are_counted_but_never_quoted(world, chuo):
    text = world.chat("tanaka", "あおば市").send("エリア 中央圏域")
    assert "認知症かも" not in text
    assert "（うち限定 1件は本文を表示しません）" in text
    assert "・認知症 1（困りごと 1）" in text


def test_a_smaller_area_holds_only_its_own_records(world, chuo):
    text = world.chat("tanaka", "あおば市").send("エリア 栄町自治会")
    assert "ひまわりサロン" in text and "男の人が集まれる" in text
    assert "スーパー" not in text and "■訪問 0回（直近 なし）" in text


def test_an_unknown_area_names_the_areas_and_nothing_is_audited(world, chuo):
    chat = world.chat("tanaka", "あおば市")
    answer = chat.send("エリア 南極")
    assert "「南極」というエリアが見つかりません" in answer and "中央圏域" in answer
    assert "例:「エリア 北部圏域」" in chat.send("エリア")
    with session_scope(world.engine) as s:
        assert list_audit(s, action="area_sheet") == []


def test_the_workbook_puts_good_points_and_worries_side_by_side(world, chuo, tmp_path):
    world.chat("tanaka", "あおば市")
    [reply] = ConsoleChannel(world.bot, "tanaka", files_dir=tmp_path).send(
        "エリア 中央圏域 エクセル"
    )
    assert reply.attachment is not None
    book = load_workbook(io.BytesIO(reply.attachment.data))
    side = book["ええとこ・困りごと"]
    assert [c.value for c in side[1]] == [
        "番号",
        "ええとこ（宝物・願い・担い手）",
        "番号",
        "困りごと",
    ]
    goods = [row[1] for row in side.iter_rows(min_row=2, values_only=True) if row[1]]
    worries = [row[3] for row in side.iter_rows(min_row=2, values_only=True) if row[3]]
    assert worries == ["スーパーまで歩くのがしんどい"]
    assert "草刈りなら手伝える" in goods and len(goods) == 3
    assert book["フォローアップ"]["C2"].value.date() == date(2026, 12, 1)
    with session_scope(world.engine) as s:
        [entry] = list_audit(s, action="area_sheet")
        assert entry.detail == {"format": "xlsx"}
