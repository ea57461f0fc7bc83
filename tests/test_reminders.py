"""Reminders: 7 days before, the day before and the morning of a meeting, each sent exactly once.

The clock stands at Monday 2026-11-23 10:00 in Tokyo. 「毎月第2火曜 14:00」 next meets on
Tuesday 8 December at 14:00: its reminders are due on 1 December 14:00 (7d), 7 December 14:00
(1d) and 8 December 08:00 (the morning of).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from datetime import datetime, time, timedelta

import pytest
from conftest import TOKYO, Chat, World
from sqlalchemy.engine import Engine

from bot.clock import ManualClock
from schedules.reminders import send_due
from schedules.scheduler import Scheduler
from schedules.summary_push import push_weekly_summaries
from storage.db import make_test_engine, session_scope
from storage.meetings import add_series
from storage.members import add_member, get_municipality, link_identity
from storage.models import OutboundMessage
from storage.outbox import list_outbound
from storage.reminders import reminder_sends

MEETING = datetime(2026, 12, 8, 14, 0, tzinfo=TOKYO)
WEEK_BEFORE = MEETING - timedelta(days=7)
DAY_BEFORE = MEETING - timedelta(days=1)
MORNING = datetime(2026, 12, 8, 8, 0, tzinfo=TOKYO)


def add_meeting(chat: Chat) -> int:
    """Set up 中央圏域 定例連絡会 (毎月第2火曜 14:00) for everyone in あおば市; return its number."""
    for text in ("予定 追加", "定例連絡会", "中央圏域 定例連絡会", "毎月第2火曜 14:00"):
        chat.send(text)
    for text in ("市役所 3階会議室", "90", "祝日は休み", "あおば市の全員"):
        chat.send(text)
    found = re.search(r"予定 #(\d+) を登録しました", chat.send("保存"))
    assert found
    return int(found[1])


def outbox(engine: Engine) -> list[OutboundMessage]:
    with session_scope(engine) as session:
        return list_outbound(session, channel="console")


def inbox_of(engine: Engine, user: str) -> list[str]:
    """Return the texts queued for one console user, oldest first."""
    return [m.messages[0]["text"] for m in outbox(engine) if m.recipient == user]


@pytest.fixture
def team(world: World) -> tuple[Chat, Chat, int]:
    sato = world.chat("sato", "あおば市")
    suzuki = world.chat("suzuki", "あおば市")
    return sato, suzuki, add_meeting(sato)


def test_each_reminder_reaches_every_member_once_at_its_moment(world, team):
    world.clock.set(WEEK_BEFORE - timedelta(minutes=1))
    send_due(world.engine, world.clock)
    assert outbox(world.engine) == []
    world.clock.set(WEEK_BEFORE)
    send_due(world.engine, world.clock)
    send_due(world.engine, world.clock)
    week = inbox_of(world.engine, "suzuki")
    assert len(week) == 1 and "【1週間後の予定】中央圏域 定例連絡会" in week[0]
    assert "12/8(火) 14:00" in week[0] and "市役所 3階会議室" in week[0]
    assert "1. 参加" in week[0] and "遅れて" not in week[0]
    world.clock.set(DAY_BEFORE)
    send_due(world.engine, world.clock)
    world.clock.set(MORNING)
    send_due(world.engine, world.clock)
    send_due(world.engine, world.clock)
    assert len(outbox(world.engine)) == 6
    assert "【明日の予定】" in inbox_of(world.engine, "sato")[1]
    assert "【本日の予定】" in inbox_of(world.engine, "sato")[2]


def test_a_reminders_button_records_the_answer_and_the_morning_nudges_only_the_silent(world, team):
    sato, suzuki, number = team
    world.clock.set(DAY_BEFORE)
    send_due(world.engine, world.clock)
    saved = suzuki.send("", postback=f"rsvp:{number}:2026-12-08:参加")
    assert "「参加」と回答しました" in saved
    assert "参加 1名: suzuki" in sato.send(f"出欠 #{number}")
    world.clock.set(MORNING)
    send_due(world.engine, world.clock)
    assert "まだ出欠の回答がありません" in inbox_of(world.engine, "sato")[-1]
    assert "まだ出欠の回答がありません" not in inbox_of(world.engine, "suzuki")[-1]


def test_any_other_button_outside_a_flow_is_still_a_stale_choice(world):
    sato = world.chat("sato", "あおば市")
    assert "もう終わっているか、時間切れです" in sato.send("", postback="visit:type:訪問")


def test_a_restart_between_due_time_and_send_sends_once(world, team, tmp_path):
    world.clock.set(WEEK_BEFORE + timedelta(seconds=20))
    send_due(world.engine, world.clock)
    restarted = make_test_engine(str(world.engine.url))
    world.clock.advance(seconds=30)
    send_due(restarted, world.clock)
    restarted.dispose()
    assert len(outbox(world.engine)) == 2


def test_down_across_a_due_time_within_grace_sends_late_and_only_the_latest(world, team):
    world.clock.set(DAY_BEFORE + timedelta(hours=6))  # the bot was down since before 1 Dec
    result = send_due(world.engine, world.clock, lateness_grace=timedelta(hours=12))
    assert (result.sent, result.missed) == (2, 2)
    (only,) = inbox_of(world.engine, "suzuki")
    assert "【明日の予定】" in only and "遅れて届きました" in only


def test_down_beyond_grace_or_past_the_meeting_records_missed_and_sends_nothing(world, team):
    world.clock.set(DAY_BEFORE + timedelta(hours=13))
    result = send_due(world.engine, world.clock, lateness_grace=timedelta(hours=12))
    assert (result.sent, result.missed) == (0, 4)
    world.clock.set(MEETING + timedelta(minutes=5))  # down again across the morning reminder
    send_due(world.engine, world.clock)
    assert outbox(world.engine) == []
    with session_scope(world.engine) as session:
        assert {r.status for r in reminder_sends(session)} == {"missed"}
        assert len(reminder_sends(session)) == 6


def test_a_cancelled_occurrence_gets_no_reminder(world, team):
    sato, _, number = team
    assert "中止" in sato.send(f"予定 中止 #{number} 2026-12-08")
    for moment in (WEEK_BEFORE, DAY_BEFORE, MORNING):
        world.clock.set(moment)
        send_due(world.engine, world.clock)
    assert outbox(world.engine) == []


def test_officers_get_last_weeks_summary_on_monday_morning_once(world):
    world.chat("kato", "あおば市", role="officer", area=None)
    world.chat("sato", "あおば市")
    world.clock.set(datetime(2026, 11, 30, 8, 29, tzinfo=TOKYO))
    assert push_weekly_summaries(world.engine, world.clock) == 0
    world.clock.set(datetime(2026, 11, 30, 8, 30, tzinfo=TOKYO))
    assert push_weekly_summaries(world.engine, world.clock) == 1
    world.clock.advance(minutes=1)
    assert push_weekly_summaries(world.engine, world.clock) == 0
    (summary,) = inbox_of(world.engine, "kato")
    assert "【週のまとめ】" in summary and "あおば市" in summary
    assert inbox_of(world.engine, "sato") == []


def crowd(
    engine: Engine,
    clock: ManualClock,
    size: int,
    *,
    channel: str = "console",
    account: Callable[[int], str] = lambda i: f"m{i}",
) -> None:
    """Add `size` members, each with one chat account (`account(i)` on `channel`), and a
    meeting for all of them."""
    with session_scope(engine) as session:
        municipality = get_municipality(session, name="あおば市")
        assert municipality.id is not None
        for i in range(size):
            member = add_member(
                session,
                municipality_id=municipality.id,
                name=f"m{i}",
                role="coordinator",
                now=clock.now(),
            )
            assert member.id is not None
            link_identity(
                session,
                channel=channel,
                external_id=account(i),
                member_id=member.id,
                display_name=None,
                now=clock.now(),
            )
        add_series(
            session,
            municipality_id=municipality.id,
            kind="研修",
            title="研修会",
            rrule="FREQ=MONTHLY;BYDAY=+2TU",
            time_of_day=time(14, 0),
            starts_on=clock.now().date(),
            now=clock.now(),
            reminder_offsets=["1d"],
        )


def test_two_processes_deliver_200_reminders_without_a_duplicate(any_engine, clock):
    World(any_engine, clock).municipality("あおば市")
    crowd(any_engine, clock, 200)
    clock.set(DAY_BEFORE)
    engines = [make_test_engine(any_engine.url.render_as_string(hide_password=False)) for _ in "ab"]
    start = threading.Barrier(2)

    def process(engine: Engine) -> None:
        start.wait()
        send_due(engine, clock)

    threads = [threading.Thread(target=process, args=(e,)) for e in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for engine in engines:
        engine.dispose()
    keys = [m.idempotency_key for m in outbox(any_engine)]
    assert len(keys) == 200 and len(set(keys)) == 200


def test_a_burst_of_1000_reminders_in_one_minute_is_queued_whole(world):
    crowd(world.engine, world.clock, 1000)
    world.clock.set(DAY_BEFORE)
    assert send_due(world.engine, world.clock).sent == 1000
    world.clock.advance(seconds=30)
    assert send_due(world.engine, world.clock).sent == 0
    assert len({m.recipient for m in outbox(world.engine)}) == 1000


def test_the_scheduler_on_sqlite_leads_and_its_tick_sends(world, team):
    world.clock.set(WEEK_BEFORE)
    scheduler = Scheduler(world.engine, world.clock)
    assert scheduler.is_leader()
    scheduler.tick()
    scheduler.tick()
    assert len(outbox(world.engine)) == 2
