"""What each meeting needs in its reminder: a draft 活動報告 and agenda, or the group's 悩み・ヒント.

The clock stands at Monday 2026-11-23 10:00 in Tokyo. Both meetings below meet 毎月第2火曜 14:00
since 1 November: the previous one was Tuesday 10 November, the next is Tuesday 8 December, then
Tuesday 12 January.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from conftest import TOKYO, Chat, World
from records_data import Records
from sqlalchemy.engine import Engine

from schedules.reminders import send_due
from storage.db import session_scope
from storage.meetings import add_series
from storage.members import get_municipality
from storage.models import PeerNote
from storage.outbox import list_outbound
from storage.peer import add_peer_group, add_peer_note, list_open_notes

MEETING = datetime(2026, 12, 8, 14, 0, tzinfo=TOKYO)
WEEK_BEFORE = MEETING - timedelta(days=7)
DAY_BEFORE = MEETING - timedelta(days=1)
MORNING = datetime(2026, 12, 8, 8, 0, tzinfo=TOKYO)
NEXT_MORNING = datetime(2027, 1, 12, 8, 0, tzinfo=TOKYO)
AGENDA = ("前回確認事項", "活動報告", "課題・提案", "相談・依頼", "次回日程")


def add_monthly(world: World, *, kind: str, title: str, audience: str = "municipality") -> None:
    """Set up a 毎月第2火曜 14:00 meeting of あおば市 that began on 1 November."""
    with session_scope(world.engine) as s:
        aoba = get_municipality(s, name="あおば市")
        assert aoba.id is not None
        add_series(
            s,
            municipality_id=aoba.id,
            kind=kind,
            title=title,
            rrule="FREQ=MONTHLY;BYDAY=2TU",
            time_of_day=time(14, 0),
            starts_on=date(2026, 11, 1),
            now=world.clock.now(),
            audience=audience,
        )


def inbox_of(engine: Engine, user: str) -> list[str]:
    """Return the texts queued for one console user, oldest first."""
    with session_scope(engine) as s:
        queued = list_outbound(s, channel="console")
    return ["\n".join(r["text"] for r in m.messages) for m in queued if m.recipient == user]


@pytest.fixture
def team(world: World) -> tuple[Chat, Chat]:
    return world.chat("sato", "あおば市"), world.chat("suzuki", "あおば市")


def test_a_liaison_reminder_carries_each_coordinators_report_since_the_last_one(world, team):
    records = Records(world.engine, world.clock, "あおば市")
    for day in (date(2026, 11, 9), date(2026, 11, 10), date(2026, 11, 20), date(2026, 12, 7)):
        records.visit("sato", day)  # the first is before the previous meeting
    records.visit("sato", date(2026, 12, 8))  # the meeting day itself is the next period's
    records.visit("suzuki", date(2026, 11, 20))
    records.murmur("sato", date(2026, 11, 12), "買い物に行けない", categories=("shopping",))
    records.murmur("sato", date(2026, 11, 30), "ごみ出しがつらい", categories=("garbage",))
    add_monthly(world, kind="定例連絡会", title="中央圏域 定例連絡会")
    world.clock.set(WEEK_BEFORE)
    send_due(world.engine, world.clock)
    (sato,) = inbox_of(world.engine, "sato")
    assert "【活動報告（下書き）】" in sato
    assert "活動報告書（2026-11-10〜2026-12-07）" in sato  # since the previous meeting
    assert "担当: 第2層 SC sato" in sato
    assert "  訪問 3件" in sato and "つぶやき 2件" in sato
    assert "主な課題: ゴミ出し 1件、買い物 1件" in sato
    assert "3. 主な活動（トピックス）" in sato and "9. 翌月の予定" in sato  # all nine sections
    assert "「活動報告 前回から」" in sato  # how to complete and submit it
    assert "買い物に行けない" not in sato  # counts, not stories
    assert "【議題（案）】" in sato
    assert all(f"{i}. {item}" in sato for i, item in enumerate(AGENDA, 1))
    assert sato.rindex("次回日程") < sato.index("出欠を選んでください")
    (suzuki,) = inbox_of(world.engine, "suzuki")
    assert "  訪問 1件" in suzuki and "つぶやき 0件" in suzuki


def test_other_meetings_carry_no_report(world, team):
    add_monthly(world, kind="研修", title="認知症研修")
    world.clock.set(WEEK_BEFORE)
    send_due(world.engine, world.clock)
    (sato,) = inbox_of(world.engine, "sato")
    assert "活動報告" not in sato and "悩み" not in sato


@pytest.fixture
def study_group(world, team) -> int:
    """A peer group of あおば市 and みどり町 with a monthly 勉強会; return the group id."""
    world.municipality("みどり町")
    with session_scope(world.engine) as s:
        ids = [get_municipality(s, name=n).id for n in ("あおば市", "みどり町")]
        group = add_peer_group(
            s, name="南部SC連絡会", municipality_ids=[i for i in ids if i], now=world.clock.now()
        )
        assert group.id is not None
        group_id = group.id
    add_monthly(world, kind="勉強会", title="SC勉強会", audience=f"peer:{group_id}")
    return group_id


def post_note(world: World, group_id: int, kind: str, text: str) -> None:
    """Store a (masked) worry or tip as `悩み 内容` in the group's channel does."""
    records = Records(world.engine, world.clock, "あおば市")
    author = records.member_id("sato")
    with session_scope(world.engine) as s:
        add_peer_note(
            s,
            PeerNote(
                group_id=group_id,
                kind=kind,
                text=text,
                member_id=author,
                municipality_id=records.municipality_id,
                created_at=world.clock.now(),
            ),
        )


def test_a_study_session_invites_worries_and_tips_then_lists_them_once(world, study_group):
    for moment in (WEEK_BEFORE, DAY_BEFORE):
        world.clock.set(moment)
        send_due(world.engine, world.clock)
    week, day = inbox_of(world.engine, "suzuki")
    assert "「悩み 内容」「ヒント 内容」" in week and "「悩み 内容」「ヒント 内容」" in day
    post_note(world, study_group, "悩み", "サロンの担い手が高齢化している")
    post_note(world, study_group, "ヒント", "回覧板で呼びかけたら人が集まった")
    world.clock.set(MORNING)
    send_due(world.engine, world.clock)
    for user in ("sato", "suzuki"):
        morning = inbox_of(world.engine, user)[-1]
        assert "【集まった悩み・ヒント】2件" in morning
        assert "・悩み: サロンの担い手が高齢化している" in morning
        assert "・ヒント: 回覧板で呼びかけたら人が集まった" in morning
    with session_scope(world.engine) as s:
        assert list_open_notes(s, group_id=study_group) == []
    world.clock.set(NEXT_MORNING)
    send_due(world.engine, world.clock)
    later = inbox_of(world.engine, "sato")[-1]
    assert "【本日の予定】SC勉強会" in later and "担い手" not in later
