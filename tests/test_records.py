"""#42 shows a record; 修正 #42 reopens one's own; 削除 #42 asks, then deletes — all audited."""

from __future__ import annotations

from datetime import date

import pytest
from records_data import Records
from sqlmodel import select

from storage.audit import list_audit
from storage.db import session_scope
from storage.models import Activity, Lead, Murmur, MurmurCategory

DAY = date(2026, 11, 20)


@pytest.fixture
def records(world, clock) -> Records:
    return Records(world.engine, clock, "あおば市")


@pytest.fixture
def sato(world):
    return world.chat("sato", "あおば市")


@pytest.fixture
def suzuki(world):
    return world.chat("suzuki", "あおば市")


def audit_actions(world, action: str) -> list:
    with session_scope(world.engine) as s:
        return list_audit(s, action=action)


def test_a_visit_is_shown_in_full_with_its_murmurs_and_leads(world, records, sato):
    visit = records.visit(
        "sato",
        DAY,
        area="本町自治会",
        place="本町集会所サロン",
        purpose="宝物さがし",
        minutes=90,
        ordinal=2,
        participants=14,
        companions=["社協地区担当"],
        counterpart="サロン世話役",
        treasures="手作りの漬物でお茶会",
        kubun="把握",
        outcome="世話役と次回の約束",
    )
    murmur = records.murmur("sato", DAY, "スーパーが遠くて困る", activity=visit)
    lead = records.lead("sato", "公園のラジオ体操", activity=visit)

    reply = sato.send(f"#{visit}")

    assert f"【訪問記録 #{visit}】" in reply
    for shown in (
        "日付: 2026-11-20",
        "エリア: 本町自治会",
        "場所: 本町集会所サロン",
        "目的: 宝物さがし",
        "訪問回数: 2回目",
        "所要時間: 1時間30分",
        "参加者: 14人",
        "同行者: 社協地区担当",
        "相手方: サロン世話役",
        "宝物: 手作りの漬物でお茶会",
        "活動区分: 把握",
        "成果: 世話役と次回の約束",
        f"つぶやき: #{murmur}",
        f"次の訪問先: #{lead} 公園のラジオ体操",
        "記録者: sato",
    ):
        assert shown in reply
    [entry] = audit_actions(world, "record.view")
    assert (entry.target, entry.detail) == (f"activity:#{visit}", {"found": True})


def test_a_murmur_a_lead_and_a_resource_are_shown_by_number(records, sato):
    murmur = records.murmur(
        "sato", DAY, "バスが日に2本しかない", kind="困りごと", categories=["mobility", "medical"]
    )
    lead = records.lead("sato", "郡山の歩こう会", area="北部圏域")
    resource = records.resource(None, "ひまわりサロン", kind="サロン", area="栄町自治会")

    shown = sato.send(f"#{murmur}")
    assert f"【つぶやき #{murmur}】" in shown
    assert "内容: バスが日に2本しかない" in shown
    assert "カテゴリ: 移動・外出（交通）、医療・通院・入退院" in shown
    assert "共有範囲: チーム（市町村内）" in shown
    assert f"【次の訪問先 #{lead}】" in sato.send(f"#{lead}")
    assert "状態: 未訪問" in sato.send(f"＃{lead}")  # full-width hash works too
    assert "名称: ひまわりサロン" in sato.send(f"#{resource}")


def test_another_persons_restricted_murmur_is_answered_like_a_missing_number(
    world, records, sato, suzuki
):
    restricted = records.murmur(
        "suzuki",
        DAY,
        "向かいの一人暮らしの人の雨戸",
        kind="気になる人",
        scope="restricted_individual",
    )
    team = records.murmur("suzuki", DAY, "公民館が遠い")
    officer = world.chat("kato", "あおば市", role="officer", area=None)

    hidden = sato.send(f"#{restricted}")
    missing = sato.send("#999")
    assert hidden == missing.replace("#999", f"#{restricted}")
    views = audit_actions(world, "record.view")
    assert [(v.target, v.detail) for v in views] == [
        (f"#{restricted}", {"found": False}),  # the audit does not tell the kind either
        ("#999", {"found": False}),
    ]
    assert "雨戸" not in hidden
    assert "雨戸" not in officer.send(f"#{restricted}")
    assert "公民館が遠い" in sato.send(f"#{team}")
    assert "公民館が遠い" in officer.send(f"#{team}")

    own = suzuki.send(f"#{restricted}")
    assert "雨戸" in own and "限定" in own
    assert suzuki.replies[0].restricted


def test_only_the_author_may_edit(records, sato, suzuki):
    murmur = records.murmur("suzuki", DAY, "草が伸び放題で気がかり", categories=["yard"])
    restricted = records.murmur("suzuki", DAY, "母の物忘れ", scope="restricted_individual")

    assert "本人だけ" in sato.send(f"修正 #{murmur}")
    assert "見つかりませんでした" in sato.send(f"修正 #{restricted}")
    assert "見つかりませんでした" in sato.send("修正 #999")
    assert "番号を付けて" in sato.send("修正")


def test_editing_ones_own_murmur_reopens_it_at_the_confirmation(world, records, suzuki):
    murmur = records.murmur("suzuki", DAY, "草が伸び放題で気がかり", categories=["yard"])

    reply = suzuki.send(f"修正 #{murmur}")

    assert "草が伸び放題で気がかり" in reply
    assert suzuki.choices, reply
    [entry] = audit_actions(world, "record.edit.start")
    assert entry.target == f"murmur:#{murmur}"


def test_editing_ones_own_visit_reopens_it_at_the_confirmation(world, records, suzuki):
    visit = records.visit("suzuki", DAY, place="栄町の集会所", area="栄町自治会")

    reply = suzuki.send(f"修正 #{visit}")

    assert "栄町の集会所" in reply
    assert suzuki.choices, reply
    [entry] = audit_actions(world, "record.edit.start")
    assert entry.target == f"activity:#{visit}"


def test_delete_asks_first_and_no_keeps_the_record(world, records, sato):
    murmur = records.murmur("sato", DAY, "電球が切れたまま", categories=["repairs"])

    ask = sato.send(f"削除 #{murmur}")
    assert f"つぶやき #{murmur} を削除しますか" in ask
    assert "電球が切れたまま" in ask
    assert sato.choices == ["はい", "いいえ"]
    assert "取りやめました" in sato.send("いいえ")
    assert "電球が切れたまま" in sato.send(f"#{murmur}")
    assert audit_actions(world, "record.delete") == []


def test_deleting_a_murmur_removes_it_with_its_categories(world, records, sato):
    murmur = records.murmur("sato", DAY, "電球が切れたまま", categories=["repairs", "housework"])

    sato.send(f"削除 #{murmur}")
    assert "「はい」か「いいえ」で答えてください" in sato.send("たぶん")
    assert f"つぶやき #{murmur} を削除しました" in sato.send("1")

    assert "見つかりませんでした" in sato.send(f"#{murmur}")
    with session_scope(world.engine) as s:
        assert s.exec(select(Murmur)).all() == []
        assert s.exec(select(MurmurCategory)).all() == []
    [entry] = audit_actions(world, "record.delete")
    assert entry.target == f"murmur:#{murmur}"


def test_deleting_a_visit_keeps_its_murmurs_and_leads_unlinked(world, records, sato):
    visit = records.visit("sato", DAY, place="本町集会所")
    murmur = records.murmur("sato", DAY, "男の居場所がほしい", activity=visit)
    lead = records.lead("sato", "朝市", activity=visit)

    assert "つぶやき・次の訪問先は残ります" in sato.send(f"削除 #{visit}")
    assert f"訪問記録 #{visit} を削除しました" in sato.send("はい")

    with session_scope(world.engine) as s:
        assert s.exec(select(Activity)).all() == []
        kept_murmur = s.exec(select(Murmur)).one()
        kept_lead = s.exec(select(Lead)).one()
    assert (kept_murmur.number, kept_murmur.activity_id) == (murmur, None)
    assert (kept_lead.number, kept_lead.activity_id) == (lead, None)
    assert "男の居場所がほしい" in sato.send(f"#{murmur}")


def test_others_records_are_not_deleted_but_an_admin_may(world, records, sato, suzuki):
    murmur = records.murmur("suzuki", DAY, "灯油運びがきつい", categories=["housework"])
    restricted = records.murmur("suzuki", DAY, "息子と二人暮らし", scope="restricted_individual")
    officer = world.chat("kato", "あおば市", role="officer", area=None)
    admin = world.chat("mori", "あおば市", role="admin", area=None)

    assert "本人と管理者だけ" in sato.send(f"削除 #{murmur}")
    assert "本人と管理者だけ" in officer.send(f"削除 #{murmur}")
    assert "見つかりませんでした" in admin.send(f"削除 #{restricted}")
    admin.send(f"削除 #{murmur}")
    assert "削除しました" in admin.send("はい")
    assert "見つかりませんでした" in suzuki.send(f"#{murmur}")


def test_resources_are_not_deleted_in_chat(records, sato):
    resource = records.resource("sato", "移動販売車", kind="移動販売")

    assert "地域資源のため" in sato.send(f"削除 #{resource}")
    assert "移動販売車" in sato.send(f"#{resource}")


def test_an_english_member_gets_english_texts(world, records):
    english = world.chat("amy")
    english.send(f"register {world.invite('あおば市')}")
    murmur = records.murmur("amy", DAY, "The bus comes twice a day", categories=["mobility"])

    shown = english.send(f"#{murmur}")
    assert f"【Murmur #{murmur}】" in shown and "Categories: Mobility" in shown
    assert "No record #999" in english.send("#999")
