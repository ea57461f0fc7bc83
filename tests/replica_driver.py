"""One "replica" as its own OS process: run the reminder pass once at a given time and print
how many reminders this process claimed (tests/test_replicas.py starts two at once).

Usage: python tests/replica_driver.py DATABASE_URL ISO_TIME START_FILE
The process waits (up to 30 s) for START_FILE to exist, so both start together.
"""

from __future__ import annotations

import sys
import time
from datetime import datetime
from pathlib import Path

from bot.clock import ManualClock
from schedules.reminders import send_due
from storage.db import make_engine


def main(url: str, at: str, start_file: str) -> None:
    engine = make_engine(url)
    clock = ManualClock(datetime.fromisoformat(at))
    deadline = time.monotonic() + 30
    while not Path(start_file).exists() and time.monotonic() < deadline:
        time.sleep(0.005)
    print(send_due(engine, clock).sent, flush=True)
    engine.dispose()


if __name__ == "__main__":
    main(*sys.argv[1:4])
