"""Peer-group meetings across municipalities: invited, reminded, answered — records stay home.

あおば市 and みどり町 form the peer group 南部SC連絡会; やまと村 is outside it. The clock stands
at Monday 2026-11-23 10:00 in Tokyo; 「毎月第2火曜 14:00」 next meets on Tuesday 8 December.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from conftest import TOKYO, Chat, World
from sqlmodel import select

from schedules.reminders import send_due
from storage.calendars import member_feed_series
from storage.db import session_scope
from storage.members import get_municipality
from storage.models import AuditLog, Member
from storage.outbox import list_outbound
from storage.peer import add_peer_group, connect_chat

MEETING = datetime(2026, 12, 8, 14, 0, tzinfo=TOKYO)
DAY_BEFORE = MEETING - timedelta(days=1)
GROUP = "南部SC連絡会"
GROUP_CHAT = "C0PEERS"


@pytest.fixture
def towns(world: World) -> int:
    """あおば市 and みどり町 in a peer group connected to a Slack channel; return the group id."""
    world.municipality("みどり町")
    world.municipality("やまと村")
    with session_scope(world.engine) as s:
        ids = [get_municipality(s, name=n).id or 0 for n in ("あおば市", "みどり町")]
        group = add_peer_group(s, name=GROUP, municipality_ids=ids, now=world.clock.now())
        connect_chat(s, group, channel="slack", chat_id=GROUP_CHAT)
        assert group.id is not None
        return group.id


def add_peer_meeting(chat: Chat) -> int:
    """Set up a 勉強会 for the peer group through 予定 追加 and return its number."""
    for text in ("予定 追加", "勉強会", "南部 SC勉強会", "毎月第2火曜 14:00", "市民会館", "90"):
        chat.send(text)
    chat.send("祝日は休み")
    label = f"ピアグループ「{GROUP}」の全員（各市町村）"
    assert label in chat.choices
    card = chat.send(str(chat.choices.index(label) + 1))
    assert label in card
    found = re.search(r"予定 #(\d+) を登録しました", chat.send("保存"))
    assert found
    return int(found[1])


def test_members_of_every_town_in_the_group_see_the_meeting_and_answer_it(world, towns):
    sato = world.chat("sato", "あおば市")
    number = add_peer_meeting(sato)
    tanaka = world.chat("tanaka", "みどり町")
    outsider = world.chat("ito", "やまと村")
    listing = tanaka.send("予定")
    assert f"12/8(火) 14:00 ［{GROUP}・あおば市主催］ 南部 SC勉強会（勉強会）" in listing
    assert f"#{number}" not in listing  # another town's number would collide with theirs
    assert "これからの予定はありません" in outsider.send("予定")
    assert f"#{number}［{GROUP}］" in sato.send("予定")
    assert "「参加」と回答しました" in tanaka.send("1")
    counts = sato.send(f"出欠 #{number}")
    assert "参加 1名: みどり町 1名" in counts and "tanaka" not in counts
    assert "未回答 1名: sato" in counts


def test_a_forged_peer_answer_from_outside_the_group_is_refused(world, towns):
    sato = world.chat("sato", "あおば市")
    number = add_peer_meeting(sato)
    outsider = world.chat("ito", "やまと村")
    tanaka = world.chat("tanaka", "みどり町")
    tanaka.send("予定")
    value = tanaka.replies[0].choices[0].value
    assert value is not None and value.startswith("rsvp:p")
    refused = "この出欠は受け付けられませんでした"
    assert refused in outsider.send("", postback=value)
    # A number names a series of the member's own municipality, never another town's.
    assert refused in tanaka.send(f"rsvp:{number}:2026-12-08:参加")
    with session_scope(world.engine) as s:
        actions = [a.action for a in s.exec(select(AuditLog))]
    assert actions.count("meeting.rsvp.refused") == 2


def test_reminders_reach_every_town_and_the_group_channel_once_with_buttons(world, towns):
    sato = world.chat("sato", "あおば市")
    add_peer_meeting(sato)
    world.chat("tanaka", "みどり町")
    world.chat("ito", "やまと村")
    world.clock.set(DAY_BEFORE)
    send_due(world.engine, world.clock)
    send_due(world.engine, world.clock)
    with session_scope(world.engine) as s:
        console = list_outbound(s, channel="console")
        slack = list_outbound(s, channel="slack")
    assert sorted(m.recipient for m in console) == ["sato", "tanaka"]
    (post,) = slack
    assert post.recipient == GROUP_CHAT
    call = post.messages[0]
    assert call["method"] == "chat.postMessage" and call["channel"] == GROUP_CHAT
    assert "【明日の予定】南部 SC勉強会" in call["text"]
    buttons = [
        e["value"]
        for block in call["blocks"]
        if block["type"] == "actions"
        for e in block["elements"]
    ]
    assert [b.rsplit(":", 1)[1] for b in buttons] == ["参加", "欠席", "未定"]
    assert all(re.fullmatch(r"rsvp:p\d+:2026-12-08:\S+", b) for b in buttons)


def test_a_button_of_the_group_post_records_a_member_of_another_town(world, towns):
    sato = world.chat("sato", "あおば市")
    number = add_peer_meeting(sato)
    tanaka = world.chat("tanaka", "みどり町")
    world.clock.set(DAY_BEFORE)
    send_due(world.engine, world.clock)
    with session_scope(world.engine) as s:
        (post,) = list_outbound(s, channel="slack")
    actions = [b for b in post.messages[0]["blocks"] if b["type"] == "actions"]
    absent = actions[0]["elements"][1]["value"]
    assert "「欠席」と回答しました" in tanaka.send("", postback=absent)
    assert "欠席 1名: みどり町 1名" in sato.send(f"出欠 #{number}")


def test_the_calendar_of_a_member_of_another_town_carries_the_peer_meeting(world, towns):
    sato = world.chat("sato", "あおば市")
    add_peer_meeting(sato)
    world.chat("tanaka", "みどり町")
    world.chat("ito", "やまと村")
    with session_scope(world.engine) as s:
        members = {m.name: m for m in s.exec(select(Member))}
        assert [x.title for x in member_feed_series(s, member=members["tanaka"])] == [
            "南部 SC勉強会"
        ]
        assert member_feed_series(s, member=members["ito"]) == []
