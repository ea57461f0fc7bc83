"""A half-finished visit survives the process: a new `tsunagi chat` process resumes it."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from conftest import World
from sqlmodel import select

from bot.clock import ManualClock
from storage.db import make_engine, migrate, session_scope
from storage.models import Activity, ConversationState, Murmur


def run_chat(tmp_path, database_url: str, lines: list[str]) -> str:
    """Run `python -m bot.cli chat --user sato` as a new process, piping the lines in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TSUNAGI_")}
    env["TSUNAGI_DATABASE_URL"] = database_url
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat", "--user", "sato"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
        check=True,
    )
    return done.stdout


def test_a_new_process_resumes_a_half_finished_visit(tmp_path):
    database_url = f"sqlite:///{tmp_path / 'restart.db'}"
    engine = make_engine(database_url)
    migrate(engine)
    world = World(engine, ManualClock(datetime.now(UTC)))
    world.municipality("あおば市")
    code = world.invite("あおば市")
    visited = (datetime.now(ZoneInfo("Asia/Tokyo")) - timedelta(days=3)).date()

    first = run_chat(
        tmp_path,
        database_url,
        [
            f"登録 {code}",
            "訪問",
            visited.isoformat(),
            "本町自治会",
            "本町集会所",
            "宝物さがし",
            "1時間",
            "12",
        ],
    )
    assert "登録しました" in first and "同行者は" in first.split("---")[-2]
    with session_scope(engine) as s:
        assert s.exec(select(ConversationState)).one().step == "companions"
        assert s.exec(select(Activity)).all() == []

    second = run_chat(
        tmp_path,
        database_url,
        [
            "民生委員", "完了", "サロン世話役", "手芸の得意な人", "スーパーが遠くて買い物が大変",
            "1", "1", "おわり", "なし", "把握", "スキップ", "保存",
        ],
    )  # fmt: skip
    assert "訪問記録 #1 を記録しました（つぶやき #2）" in second
    with session_scope(engine) as s:
        activity = s.exec(select(Activity)).one()
        assert (activity.occurred_on, activity.place_label) == (visited, "本町集会所")
        assert (activity.purpose, activity.duration_min, activity.participants_count) == (
            "宝物さがし",
            60,
            12,
        )
        assert activity.companions == ["民生委員"]
        assert (activity.counterpart, activity.treasures) == ("サロン世話役", "手芸の得意な人")
        assert s.exec(select(Murmur)).one().activity_id == activity.id
        assert s.exec(select(ConversationState)).all() == []
    engine.dispose()
