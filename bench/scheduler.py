"""Scheduler: 10,000 meeting series — start-up of `tsunagi serve`, and what one scheduler pass
costs (a date job fires at each reminder's moment, so a reminder leaves one pass after it).

    python -m bench.scheduler [--quick] [--series 10000]

The series (monthly and weekly, 100 municipalities) are written straight into a fresh SQLite
store. Measured: cold start to GET /healthz 200 with them; `send_due` over all of them at a
moment when nothing is due and at one when a week's reminders are due. Appends to
bench/results/scheduler.jsonl.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

from bench.common import child, free_port, print_table, record, serve_cmd, tsunagi_env, wait_http
from bot.clock import ManualClock
from schedules.reminders import send_due
from schedules.scheduler import INTERVAL_SECONDS
from schedules.timeline import Plan
from storage.db import make_engine, migrate, session_scope
from storage.members import add_municipality
from storage.models import MeetingSeries

RULES = ("FREQ=MONTHLY;BYDAY=2TU", "FREQ=WEEKLY;BYDAY=TH", "FREQ=MONTHLY;BYMONTHDAY=15")
START = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # Mon 10:00 JST


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a smoke run (200 series)")
    parser.add_argument("--series", type=int, default=10_000)
    args = parser.parse_args(argv)
    count = 200 if args.quick else args.series
    work = Path(tempfile.mkdtemp(prefix="tsunagi-bench-scheduler-"))
    url = f"sqlite:///{work / 'scheduler.db'}"
    engine = make_engine(url)
    migrate(engine)
    load_series(engine, count)
    port = free_port()
    start = time.monotonic()
    env = tsunagi_env(url, "http://127.0.0.1:9")
    with child(serve_cmd(port), env=env, log=work / "serve.log") as process:
        wait_http(f"http://127.0.0.1:{port}/healthz", process=process)
        startup = time.monotonic() - start
    passes = {}
    plan = Plan()  # as the running scheduler keeps it between passes
    moments = (
        ("first", START),  # every series expanded
        ("idle", START + timedelta(seconds=30)),  # the next safety-net tick
        ("week_due", START + timedelta(days=6)),  # a new day: expanded again, a week's due
        ("settled", START + timedelta(days=6, seconds=30)),
    )
    for name, at in moments:
        began = time.monotonic()
        sent = send_due(engine, ManualClock(at), plan=plan)
        passes[name] = (time.monotonic() - began, sent.sent + sent.missed)
    row = {
        "series": count,
        "startup_s": round(startup, 2),
        "pass_first_s": round(passes["first"][0], 2),
        "pass_idle_s": round(passes["idle"][0], 2),
        "pass_due_s": round(passes["week_due"][0], 2),
        "pass_settled_s": round(passes["settled"][0], 2),
        "reminders_handled": passes["week_due"][1],
        "tick_interval_s": INTERVAL_SECONDS,
        # A date job fires at the next reminder's moment; the reminder leaves after one pass.
        "worst_lateness_s": round(passes["idle"][0], 2),
    }
    print_table("Scheduler: start-up and one pass over every series", [row])
    record("scheduler", row, quick=args.quick)
    engine.dispose()
    return row


def load_series(engine: Any, count: int) -> None:
    """Write `count` meeting series over 100 municipalities (no audience members)."""
    with session_scope(engine) as session:
        towns = [
            add_municipality(session, name=f"ベンチ市{i:03d}", prefecture=None, now=START)
            for i in range(100)
        ]
        session.add_all(
            MeetingSeries(
                municipality_id=towns[i % 100].id or 0,
                number=i + 1,
                kind="定例連絡会",
                title=f"定例連絡会 {i}",
                rrule=RULES[i % len(RULES)],
                time_of_day=clock_time(10 + i % 6, 0),
                starts_on=date(2026, 4, 1),
                created_at=START,
            )
            for i in range(count)
        )


if __name__ == "__main__":
    main()
