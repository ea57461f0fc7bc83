"""会議記録: the organiser records the most recent meeting of a series, step by step.

The clock stands at Monday 2026-11-23 10:00 in Tokyo. A 定例連絡会 on 毎月第2火曜 14:00 that
started in October met on 13 October and 10 November, so 10 November is offered first.
"""

from __future__ import annotations

import re

from conftest import Chat, World
from sqlmodel import select

from storage.db import session_scope
from storage.models import AuditLog, MeetingRecord


def add_past_meeting(chat: Chat) -> int:
    """Set up a monthly 定例連絡会 that began in October and return its number."""
    chat.send("予定 追加")
    chat.send("定例連絡会")
    chat.send("中央圏域 定例連絡会")
    chat.send("2026-10-01 毎月第2火曜 14:00")
    chat.send("市役所 3階会議室")
    chat.send("90")
    chat.send("祝日は休み")
    chat.send("あおば市の全員")
    found = re.search(r"予定 #(\d+) を登録しました", chat.send("保存"))
    assert found
    return int(found[1])


def record_meeting(chat: Chat, number: int, *, date: str = "2026/11/10", ordinal: str = "") -> str:
    """Record meeting #number with every field answered and return the bot's last reply."""
    chat.send(f"会議記録 #{number}")
    chat.send(date)
    chat.send(ordinal or chat.choices[0])
    chat.send("12人中9名")
    chat.send("地縁組織4 関係機関3 多様な主体1 SC1")
    chat.send("買い物支援の現状と移動販売の試行")
    chat.send("坂の上の地区で買い物に困る声が多い")
    chat.send("第2層協議体")
    chat.send("移動販売を1月から試行する")
    chat.send("行政各課で共有")
    chat.send("1月12日 14:00")
    return chat.send("保存")


def records(world: World) -> list[MeetingRecord]:
    with session_scope(world.engine) as session:
        found = list(session.exec(select(MeetingRecord)))
        for record in found:
            session.expunge(record)
        return found


def test_an_organiser_records_the_last_meeting_by_chat(world):
    sato = world.chat("sato", "あおば市")
    number = add_past_meeting(sato)
    asked = sato.send(f"会議記録 #{number}")
    assert "中央圏域 定例連絡会" in asked and "開催日" in asked
    assert sato.choices == ["2026/11/10"]
    assert "第何回" in sato.send("1")
    assert sato.choices == ["第1回"]
    assert "何人中何名" in sato.send("1")
    assert "内訳" in sato.send("12人中9名")
    assert "議題" in sato.send("地縁組織4 関係機関3 多様な主体1 SC1")
    assert "課題提起" in sato.send("買い物支援の現状と移動販売の試行")
    assert "誰ですか" in sato.send("坂の上の地区で買い物に困る声が多い")
    assert "決定事項" in sato.send("第2層協議体")
    assert "今後の扱い" in sato.send("移動販売を1月から試行する")
    assert "次回" in sato.send("行政各課で共有")
    card = sato.send("1月12日 14:00")
    for shown in ("2026/11/10", "第1回", "12人中9名", "地縁組織4 関係機関3", "第2層協議体"):
        assert shown in card
    saved = sato.send("保存")
    assert re.search(r"会議記録 #\d+ を記録しました", saved)


def test_the_record_keeps_every_field(world):
    sato = world.chat("sato", "あおば市")
    number = add_past_meeting(sato)
    record_meeting(sato, number)
    [record] = records(world)
    assert record.occurrence.isoformat() == "2026-11-10"
    assert (record.ordinal, record.attendees_total, record.attendees_present) == (1, 12, 9)
    assert record.attendance_by_type == {"地縁組織": 4, "関係機関": 3, "多様な主体": 1, "SC": 1}
    assert record.agenda == "買い物支援の現状と移動販売の試行"
    assert record.issues_raised_by == "第2層協議体"
    assert record.decisions == "移動販売を1月から試行する"
    assert record.follow_up == "行政各課で共有"
    assert record.next_meeting == "1月12日 14:00"
    assert record.sc_attended is True
    with session_scope(world.engine) as session:
        actions = [a.action for a in session.exec(select(AuditLog))]
    assert "meeting.record.create" in actions


def test_unreadable_attendance_is_asked_again(world):
    sato = world.chat("sato", "あおば市")
    number = add_past_meeting(sato)
    sato.send(f"会議記録 #{number}")
    sato.send("1")
    sato.send("1")
    assert "12人中9名" in sato.send("たくさん")
    assert "予定人数以下" in sato.send("9人中12名")
    assert "内訳" in sato.send("12 9")
    assert "合計9名まで" in sato.send("地縁組織8 SC4")
    assert "議題" in sato.send("地縁組織5 SC1")


def test_the_ordinal_defaults_to_the_count_of_earlier_records_plus_one(world):
    sato = world.chat("sato", "あおば市")
    number = add_past_meeting(sato)
    record_meeting(sato, number, date="10/13")
    sato.send(f"会議記録 #{number}")
    sato.send("1")
    assert sato.choices == ["第2回"]
    assert [r.ordinal for r in records(world)] == [1]


def test_names_in_free_text_are_refused(world):
    sato = world.chat("sato", "あおば市")
    number = add_past_meeting(sato)
    sato.send(f"会議記録 #{number}")
    for answer in ("1", "1", "12 9", "スキップ"):
        sato.send(answer)
    refused = sato.send("田中太郎さんの件")
    assert "個人の名前・電話番号・住所は記録しません" in refused and "議題は何でしたか" in refused
    assert not records(world)


def test_another_municipalitys_meeting_is_refused(world):
    world.municipality("みどり町")
    sato = world.chat("sato", "あおば市")
    number = add_past_meeting(sato)
    kato = world.chat("kato", "みどり町")
    refused = kato.send(f"会議記録 #{number}")
    assert f"予定 #{number} は見つかりません" in refused
    assert "開催日" not in refused


def test_officers_cannot_record_meetings(world):
    sato = world.chat("sato", "あおば市")
    number = add_past_meeting(sato)
    ito = world.chat("ito", "あおば市", role="officer")
    assert "役割では使えません" in ito.send(f"会議記録 #{number}")
