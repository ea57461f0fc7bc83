"""つなぎ: connections from murmurs, follow-ups and their daily reminders, murmur status, 資源化."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from conftest import TOKYO, World
from sqlmodel import select

from schedules.followups import send_due_followups
from storage.db import make_test_engine, session_scope
from storage.members import get_area, get_municipality
from storage.models import Connection, FollowUp, Murmur, OutboundMessage
from storage.resources import add_resource

KNEE = "膝を悪くしてから、スーパーまで歩いて行くのがしんどくなってねえ"


@pytest.fixture
def aoba(any_engine, clock) -> World:
    world = World(any_engine, clock)
    world.municipality("あおば市")
    with session_scope(any_engine) as s:
        municipality_id = get_municipality(s, name="あおば市").id
        area_id = get_area(s, municipality_id=municipality_id, name="本町自治会").id
        add_resource(  # #1
            s,
            municipality_id=municipality_id,
            name="本町の移動販売",
            area_id=area_id,
            categories=["shopping"],
            now=clock.now(),
        )
    return world


def murmur(world: World, number: int) -> Murmur:
    with session_scope(world.engine) as s:
        row = s.exec(select(Murmur).where(Murmur.number == number)).one()
        s.expunge(row)
        return row


def rows(world: World, table):
    with session_scope(world.engine) as s:
        found = list(s.exec(select(table)))
        for row in found:
            s.expunge(row)
        return found


def save_murmur(chat, text: str = KNEE) -> None:
    chat.send(f"つぶやき {text}")
    chat.send("保存")


def test_connect_the_last_murmur_to_a_suggested_resource_with_a_follow_up(aoba):
    chat = aoba.chat("sato", "あおば市")
    save_murmur(chat)  # #2
    chat.send("つなぎ")
    assert chat.choices[0] == "資源 #1 本町の移動販売"
    assert "フォロー" in chat.send("1")
    assert "今日以降の日付" in chat.send("昨日")
    reply = chat.send("2週間後")
    assert "つなぎ #3 を記録しました（つぶやき #2 → 資源 #1 本町の移動販売）" in reply
    assert "フォロー: 2026-12-07" in reply

    connection = rows(aoba, Connection)[0]
    assert (connection.target_kind, connection.murmur_id) == ("resource", murmur(aoba, 2).id)
    follow_up = rows(aoba, FollowUp)[0]
    assert follow_up.due_on == date(2026, 12, 7) and follow_up.done_at is None
    assert murmur(aoba, 2).status == "つないだ"
    assert "つなぎ: #3 → 資源 #1 本町の移動販売（フォロー 12/07）" in chat.send("#2")
    assert "つなぎ先: 資源 #1 本町の移動販売" in chat.send("#3")


def test_referral_to_houkatsu_and_an_organisation(aoba):
    chat = aoba.chat("sato", "あおば市")
    save_murmur(chat)  # #2
    save_murmur(chat, "台所の電球が切れたまま。脚立に上るのはもう無理だわ")  # #3
    chat.send("つなぎ #2")
    chat.send("地域包括支援センターへ引継ぎ")
    assert "（つぶやき #2 → 地域包括支援センター（引継ぎ））" in chat.send("なし")
    assert murmur(aoba, 2).status == "個別対応へ引継ぎ"

    chat.send("つなぎ #3")
    chat.send("団体・機関")
    assert "100文字以内" in chat.send("")
    chat.send("シルバー人材センター")
    assert "→ シルバー人材センター）" in chat.send("12/1")
    assert rows(aoba, FollowUp)[0].due_on == date(2026, 12, 1)


def test_a_resource_by_number_and_refusals(aoba):
    chat = aoba.chat("sato", "あおば市")
    assert "つなぐつぶやきがまだありません" in chat.send("つなぎ")
    assert "見つかりません" in chat.send("つなぎ #99")
    save_murmur(chat)  # #2
    suzuki = aoba.chat("suzuki", "あおば市")
    suzuki.send("つぶやき 向かいの一人暮らしの人、認知症が進んで家族も疲れている")
    suzuki.send("保存")  # #3, restricted: suzuki's eyes only
    assert "見つかりません" in chat.send("つなぎ #3")
    assert "見つかりません" in chat.send("#3")

    chat.send("つなぎ #2")
    chat.send("ほかの地域資源（番号で）")
    assert "資源「#42」が見つかりません" in chat.send("#42")
    chat.send("#1")
    chat.send("なし")
    officer = aoba.chat("tanaka", "あおば市", role="officer", area=None)
    assert "役割では使えません" in officer.send("つなぎ #2")


def test_follow_up_list_and_closing(aoba):
    chat = aoba.chat("sato", "あおば市")
    save_murmur(chat)  # #2
    for text in ("つなぎ", "1", "+7"):
        chat.send(text)  # connection #3, due 11/30
    suzuki = aoba.chat("suzuki", "あおば市")
    assert "未完了のフォローはありません" in suzuki.send("フォロー")
    aoba.clock.advance(days=8)
    listing = chat.send("フォロー")
    assert "・11/30（期限切れ） つなぎ #3（つぶやき #2 → 資源 #1 本町の移動販売）" in listing
    assert "あなたのフォローはありません" in suzuki.send("フォロー 完了 #3")
    assert "完了にしました" in chat.send("フォロー 完了 #3")
    assert "すでに完了" in chat.send("フォロー 完了 #3")
    assert rows(aoba, FollowUp)[0].done_at is not None
    assert "未完了のフォローはありません" in chat.send("フォロー")


def test_due_follow_ups_are_reminded_once_a_day(aoba):
    chat = aoba.chat("sato", "あおば市")
    save_murmur(chat)
    for text in ("つなぎ", "1", "明日"):
        chat.send(text)  # due Tuesday 11/24
    clock = aoba.clock
    assert send_due_followups(aoba.engine, clock) == 0  # not due yet
    clock.set(datetime(2026, 11, 24, 7, 30, tzinfo=TOKYO))
    assert send_due_followups(aoba.engine, clock) == 0  # before 08:00
    clock.set(datetime(2026, 11, 24, 8, 5, tzinfo=TOKYO))
    other = make_test_engine(aoba.engine.url.render_as_string(hide_password=False))
    assert send_due_followups(aoba.engine, clock) + send_due_followups(other, clock) == 1
    other.dispose()
    clock.advance(hours=3)
    assert send_due_followups(aoba.engine, clock) == 0  # once a day
    clock.set(datetime(2026, 11, 25, 9, 0, tzinfo=TOKYO))
    assert send_due_followups(aoba.engine, clock) == 1  # still open the next day
    chat.send("フォロー 完了 #3")
    clock.set(datetime(2026, 11, 26, 9, 0, tzinfo=TOKYO))
    assert send_due_followups(aoba.engine, clock) == 0

    sent = [m for m in rows(aoba, OutboundMessage) if m.idempotency_key.startswith("followup:")]
    assert [m.recipient for m in sent] == ["sato", "sato"]
    text = sent[0].messages[0]["text"]
    assert "今日確かめるフォローが 1件" in text and "つなぎ #3（つぶやき #2" in text
    assert "（期限切れ）" in sent[1].messages[0]["text"]


def test_status_by_hand(aoba):
    chat = aoba.chat("sato", "あおば市")
    save_murmur(chat)
    assert "「検討中」にしました" in chat.send("状態 #2 検討中")
    assert murmur(aoba, 2).status == "検討中"
    usage = chat.send("状態 #2 たぶん")
    assert "状態 #12 検討中" in usage and "見送り" in usage
    assert murmur(aoba, 2).status == "検討中"


def test_a_resource_registered_from_a_murmur_makes_it_shigenka(aoba):
    chat = aoba.chat("sato", "あおば市")
    save_murmur(chat, "毎朝6時半から公園でラジオ体操をしている人たちがいる")  # #2
    assert "つぶやき #2 から資源を登録します" in chat.send("資源 登録 #2")
    for text in ("ラジオ体操を楽しむ会", "体操・ウォーキング", "なし", "本町自治会", "1"):
        chat.send(text)
    for text in ("毎朝 6:30", "茶屋町第一公園", "どなたでも", "無料", "住民団体", "なし", "1"):
        chat.send(text)
    reply = chat.send("保存")
    assert "資源 #3（ラジオ体操を楽しむ会）を登録しました" in reply
    assert "つぶやき #2 を「資源化」にし、つなぎ #4" in reply
    assert murmur(aoba, 2).status == "資源化"


def test_murmurs_heard_on_a_visit_get_matching_resources(aoba):
    chat = aoba.chat("sato", "あおば市")
    chat.send("訪問")
    for text in ("今日", "本町自治会", "本町集会所", "宝物さがし", "60分", "12", "なし", "なし", "なし"):
        chat.send(text)
    chat.send(KNEE)
    chat.send("1")  # kind
    chat.send("1")  # category
    chat.send("おわり")
    chat.send("なし")  # no leads
    chat.send("1")  # 活動区分
    for _ in range(3):  # 成果 and anything else optional, until the confirmation card
        if "保存" in chat.choices:
            break
        chat.send("なし")
    reply = chat.send("保存")
    assert "近くで使えそうな地域資源" in reply and "資源 #1 本町の移動販売" in reply
