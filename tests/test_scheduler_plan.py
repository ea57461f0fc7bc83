"""The scheduler leaves on time and its passes stay cheap (schedules/timeline.py).

「中央圏域 定例連絡会」 (毎月第2火曜 14:00) next meets on Tuesday 8 December; its 7-day reminder is
due on 1 December at 14:00. The clock stands at Monday 2026-11-23 10:00 in Tokyo.
"""

from __future__ import annotations

from datetime import timedelta

from test_reminders import DAY_BEFORE, WEEK_BEFORE, add_meeting, inbox_of, outbox

from schedules.reminders import send_due
from schedules.scheduler import Scheduler
from schedules.timeline import RECHECK, Plan


def test_each_pass_names_the_moment_the_next_reminder_falls_due(world):
    add_meeting(world.chat("sato", "あおば市"))
    assert send_due(world.engine, world.clock).next_due == WEEK_BEFORE
    world.clock.set(WEEK_BEFORE)
    result = send_due(world.engine, world.clock)
    assert result.sent == 1 and result.next_due == DAY_BEFORE


def test_a_settled_reminder_is_skipped_but_a_member_who_joins_later_still_gets_it(world):
    add_meeting(world.chat("sato", "あおば市"))
    plan = Plan()
    world.clock.set(WEEK_BEFORE)
    assert send_due(world.engine, world.clock, plan=plan).sent == 1
    world.clock.advance(seconds=30)
    assert send_due(world.engine, world.clock, plan=plan).sent == 0
    world.chat("suzuki", "あおば市")  # registers after the 7-day reminder went out
    world.clock.advance(seconds=30)
    assert send_due(world.engine, world.clock, plan=plan).sent == 1
    late = inbox_of(world.engine, "suzuki")
    assert len(late) == 1 and "【1週間後の予定】中央圏域 定例連絡会" in late[0]
    world.clock.advance(seconds=RECHECK.total_seconds())  # looked at again anyway: nothing is owed, nothing is sent
    assert send_due(world.engine, world.clock, plan=plan).sent == 0
    assert len(outbox(world.engine)) == 2


def test_a_cancellation_after_the_first_pass_is_seen_by_the_next(world):
    sato = world.chat("sato", "あおば市")
    number = add_meeting(sato)
    plan = Plan()
    assert send_due(world.engine, world.clock, plan=plan).next_due == WEEK_BEFORE
    assert "中止にしました" in sato.send(f"予定 中止 #{number} 2026-12-08")
    assert send_due(world.engine, world.clock, plan=plan).next_due != WEEK_BEFORE
    world.clock.set(WEEK_BEFORE)
    assert send_due(world.engine, world.clock, plan=plan).sent == 0


def test_the_scheduler_sets_a_wake_up_at_the_next_reminders_moment_and_wakes_the_outbox(world):
    add_meeting(world.chat("sato", "あおば市"))
    woken = []
    scheduler = Scheduler(world.engine, world.clock, on_queued=lambda: woken.append(1))
    world.clock.set(WEEK_BEFORE - timedelta(seconds=10))
    scheduler.start()
    try:
        scheduler.tick()
        assert scheduler._apscheduler is not None
        job = scheduler._apscheduler.get_job("tsunagi-due")
        assert job is not None and job.next_run_time == WEEK_BEFORE
        world.clock.set(WEEK_BEFORE)
        scheduler.tick()  # what the date job runs
    finally:
        scheduler.stop()
    assert len(inbox_of(world.engine, "sato")) == 1 and woken
