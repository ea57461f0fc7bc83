"""The weekly summary push at each municipality's own weekday and time (default Monday 08:30).

あおば市 keeps the default; みどり町 moves its push to Wednesday 09:00. Each officer gets last
week's summary exactly once per week, whichever moment is theirs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, time
from pathlib import Path

import pytest
from conftest import TOKYO, World

from schedules.summary_push import push_weekly_summaries
from storage.db import make_engine, migrate, session_scope
from storage.members import add_municipality, get_municipality
from storage.outbox import list_outbound
from storage.reminders import set_summary_time

MONDAY = datetime(2026, 11, 30, 8, 30, tzinfo=TOKYO)
WEDNESDAY = datetime(2026, 12, 2, 9, 0, tzinfo=TOKYO)
NEXT_WEDNESDAY = datetime(2026, 12, 9, 9, 0, tzinfo=TOKYO)


def summaries(world: World, user: str) -> list[str]:
    with session_scope(world.engine) as s:
        queued = list_outbound(s, channel="console")
    return [m.messages[0]["text"] for m in queued if m.recipient == user]


def set_time(world: World, name: str, weekday: int, at: time) -> None:
    with session_scope(world.engine) as s:
        set_summary_time(s, municipality=get_municipality(s, name=name), weekday=weekday, at=at)


@pytest.fixture
def officers(world: World) -> World:
    """An officer in あおば市 (default time) and one in みどり町 (Wednesday 09:00)."""
    world.municipality("みどり町")
    world.chat("kato", "あおば市", role="officer", area=None)
    world.chat("mori", "みどり町", role="officer", area=None)
    set_time(world, "みどり町", 2, time(9, 0))
    return world


def test_each_municipality_gets_its_summary_at_its_own_moment_once(officers):
    world = officers
    world.clock.set(MONDAY)
    assert push_weekly_summaries(world.engine, world.clock) == 1
    assert len(summaries(world, "kato")) == 1 and summaries(world, "mori") == []
    world.clock.set(WEDNESDAY.replace(minute=0, hour=8, second=59))
    assert push_weekly_summaries(world.engine, world.clock) == 0
    world.clock.set(WEDNESDAY)
    assert push_weekly_summaries(world.engine, world.clock) == 1
    world.clock.advance(minutes=30)
    assert push_weekly_summaries(world.engine, world.clock) == 0
    (mori,) = summaries(world, "mori")
    assert "【週のまとめ】" in mori and "みどり町" in mori and "あおば市" not in mori
    assert "2026-11-23（月）〜2026-11-29（日）" in mori  # last week, not this one
    world.clock.set(NEXT_WEDNESDAY)
    assert push_weekly_summaries(world.engine, world.clock) == 1
    assert len(summaries(world, "mori")) == 2 and len(summaries(world, "kato")) == 1


def test_moving_the_time_after_this_weeks_push_does_not_send_the_week_again(officers):
    world = officers
    world.clock.set(MONDAY)
    push_weekly_summaries(world.engine, world.clock)
    set_time(world, "あおば市", 3, time(10, 0))  # Thursday 10:00 from now on
    world.clock.set(datetime(2026, 12, 3, 10, 0, tzinfo=TOKYO))
    assert push_weekly_summaries(world.engine, world.clock) == 0
    assert len(summaries(world, "kato")) == 1


def test_a_sunday_evening_push_still_goes_out_after_midnight_within_the_grace(officers):
    world = officers
    set_time(world, "みどり町", 6, time(23, 30))
    world.clock.set(datetime(2026, 12, 7, 0, 15, tzinfo=TOKYO))  # the bot was down at 23:30
    assert push_weekly_summaries(world.engine, world.clock) == 1
    assert "2026-11-23（月）〜2026-11-29（日）" in summaries(world, "mori")[0]


def tsunagi(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `tsunagi ARGS` on the SQLite file tmp_path/t.db."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TSUNAGI_", "LINE_", "SLACK_"))}
    env.update(TSUNAGI_DATABASE_URL=f"sqlite:///{tmp_path / 't.db'}", PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        encoding="utf-8",
        timeout=120,
    )


def test_the_command_line_sets_the_summary_time_and_refuses_a_bad_one(tmp_path, clock):
    engine = make_engine(f"sqlite:///{tmp_path / 't.db'}")
    migrate(engine)
    with session_scope(engine) as s:
        add_municipality(s, name="あおば市", prefecture="岡山県", now=clock.now())
    set_cmd = ("admin", "set-summary-time", "あおば市", "--weekday")
    done = tsunagi(tmp_path, *set_cmd, "wed", "--time", "9:05")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "あおば市: 週のまとめは毎週水曜 09:05 に届きます\n"
    refused = tsunagi(tmp_path, *set_cmd, "fri", "--time", "25:00")
    assert refused.returncode == 1 and "08:30" in refused.stderr
    missing = tsunagi(
        tmp_path, "admin", "set-summary-time", "みどり町", "--weekday", "mon", "--time", "08:30"
    )
    assert missing.returncode == 1 and "みどり町" in missing.stderr
    with session_scope(engine) as s:
        aoba = get_municipality(s, name="あおば市")
        assert (aoba.summary_weekday, aoba.summary_time) == (2, time(9, 5))
    engine.dispose()
