"""連携 and 続き: one member on LINE and Slack, and a draft started on one finished on the other."""

from __future__ import annotations

from conftest import Chat
from sqlmodel import select

from storage.db import session_scope
from storage.models import Activity, Identity, Member


def link_code(reply: str) -> str:
    """Return the code in a 連携 reply."""
    return reply.split("連携コード: ")[1].split("（")[0]


def test_a_member_links_a_second_chat_account_and_finishes_a_draft_there(world):
    line = world.chat("sato", "あおば市")  # registered through the terminal channel
    code = link_code(line.send("連携"))
    slack = Chat(world.bot, "U_SATO", channel="slack")
    assert "連携しました" in slack.send(f"連携 {code}")
    line.send("訪問")  # later, in the field
    line.send("昨日")
    line.send("中央圏域")
    resumed = slack.send("続き")
    assert "ここで続けます" in resumed and "訪問先" in resumed  # the step after 中央圏域
    for answer in [
        "本町集会所",
        "宝物さがし",
        "1時間",
        "12",
        "なし",
        "スキップ",
        "なし",
        "なし",
        "なし",
        "把握",
        "スキップ",
    ]:
        slack.send(answer)
    assert "訪問記録 #" in slack.send("保存")
    with session_scope(world.engine) as s:
        (member,) = s.exec(select(Member)).all()
        assert {(i.channel, i.member_id) for i in s.exec(select(Identity))} == {
            ("console", member.id),
            ("slack", member.id),
        }
        (visit,) = s.exec(select(Activity)).all()
        assert (visit.recorded_by, visit.area_id is not None, str(visit.occurred_on)) == (
            member.id,
            True,
            "2026-11-22",
        )
    assert "途中の入力はありません" in line.send("続き")  # the draft moved; nothing left behind


def test_a_link_code_is_single_use_and_expires(world, clock):
    sato = world.chat("sato", "あおば市")
    code = link_code(sato.send("連携"))
    assert "連携しました" in Chat(world.bot, "U1", channel="slack").send(f"連携 {code}")
    assert "すでに使われています" in Chat(world.bot, "U2", channel="slack").send(f"連携 {code}")
    late = link_code(sato.send("連携"))
    clock.advance(minutes=11)
    assert "有効期限が切れています" in Chat(world.bot, "U3", channel="slack").send(f"連携 {late}")


def test_a_revoked_member_cannot_be_linked(world):
    from storage.members import revoke_member

    sato = world.chat("sato", "あおば市")
    code = link_code(sato.send("連携"))
    with session_scope(world.engine) as s:
        (member,) = s.exec(select(Member)).all()
        revoke_member(s, member_id=member.id, now=world.clock.now())
    assert "見つかりません" in Chat(world.bot, "U1", channel="slack").send(f"連携 {code}")
