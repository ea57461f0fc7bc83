"""The scheduler facade: one APScheduler 3 interval job that sends what is due, and a date job
at the moment the next reminder falls due, so reminders leave on time (not up to an interval
late); the interval job stays as the safety net. Each pass is cheap because the scheduler's
`Plan` keeps expanded occurrences and settled sends between passes (schedules/timeline.py).

Correctness never depends on APScheduler (it is at-least-once and duplicates with two
schedulers): every send is keyed in the database (ReminderSend, the outbox's idempotency key).
APScheduler only decides when to look; nothing is pickled and no job store is used.

On PostgreSQL only the process holding an advisory lock runs the job (the leader); the others try
to take the lock on every tick (TSUNAGI_SCHEDULER_INTERVAL_SECONDS, 30 by default), so one takes
over within a minute if the leader dies: its connection, and with it the lock, goes with it.
The leader also runs the daily retention purge (schedules/retention.py). On SQLite a
single `tsunagi serve` process is assumed (the keys would still prevent a duplicate send).

Weekly summary push: each officer gets last week's まとめ of their municipality at its own
weekday and time (default Monday 08:30), see schedules/summary_push.py.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from sqlalchemy import Connection, text
from sqlalchemy.engine import Engine

from bot.clock import Clock
from bot.settings import Settings
from schedules.followups import send_due_followups
from schedules.occurrences import TOKYO
from schedules.reminders import GRACE, send_due
from schedules.retention import RetentionPolicy, run_daily
from schedules.summary_push import push_weekly_summaries
from schedules.timeline import Plan

if TYPE_CHECKING:  # imported when the scheduler starts (not for every CLI command)
    from apscheduler.schedulers.background import BackgroundScheduler

log = logging.getLogger(__name__)
LEADER_LOCK = 7_402_913  # pg_try_advisory_lock key of the scheduler leader
INTERVAL_SECONDS = 30


class Scheduler:
    """Run the reminder and summary pushes every INTERVAL_SECONDS, as the leader only."""

    def __init__(
        self,
        engine: Engine,
        clock: Clock,
        *,
        tz: tzinfo = TOKYO,
        interval: int = INTERVAL_SECONDS,
        grace: timedelta = GRACE,
        retention: RetentionPolicy | None = None,
        on_queued: Callable[[], None] | None = None,
    ) -> None:
        self.engine, self.clock, self.tz = engine, clock, tz
        self.interval, self.grace = interval, grace
        self.retention = retention
        self.on_queued = on_queued  # wakes the delivery loops after a pass
        self.plan = Plan()
        self._lock: Connection | None = None
        self._apscheduler: BackgroundScheduler | None = None
        self._ticking = threading.Lock()  # the interval and the date job never overlap

    @classmethod
    def for_settings(
        cls,
        engine: Engine,
        clock: Clock,
        settings: Settings,
        on_queued: Callable[[], None] | None = None,
    ) -> Scheduler:
        """Return the scheduler `tsunagi serve` runs: its interval and retention as configured."""
        return cls(
            engine,
            clock,
            tz=settings.tz,
            interval=settings.scheduler_interval_seconds,
            retention=RetentionPolicy.from_settings(settings),
            on_queued=on_queued,
        )

    def start(self) -> None:
        """Start the background job (its first run is now)."""
        from apscheduler.schedulers.background import BackgroundScheduler

        scheduler = BackgroundScheduler(
            timezone=self.tz,
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )
        scheduler.add_job(
            self.tick,
            "interval",
            seconds=self.interval,
            id="tsunagi-tick",
            replace_existing=True,
            next_run_time=datetime.now(self.tz),
        )
        scheduler.start()
        self._apscheduler = scheduler

    def stop(self) -> None:
        """Stop the job and give up the leadership."""
        if self._apscheduler is not None:
            self._apscheduler.shutdown(wait=True)
            self._apscheduler = None
        self._release()

    def tick(self) -> None:
        """Send what is due, if this process is the leader; never raise into APScheduler."""
        with self._ticking:
            try:
                if not self.is_leader():
                    return
                sent = send_due(
                    self.engine, self.clock, lateness_grace=self.grace, tz=self.tz, plan=self.plan
                )
                push_weekly_summaries(self.engine, self.clock, tz=self.tz)
                send_due_followups(self.engine, self.clock, tz=self.tz)
                if self.retention is not None:
                    run_daily(self.engine, self.clock, self.retention, tz=self.tz)
                if self.on_queued is not None:
                    self.on_queued()
                self._wake_at(sent.next_due)
            except Exception:
                log.exception("scheduler tick failed")

    def _wake_at(self, moment: datetime | None) -> None:
        """Tick again at `moment` (the next reminder's) when it comes before the next interval."""
        if moment is None or self._apscheduler is None:
            return
        if moment - self.clock.now() > timedelta(seconds=self.interval):
            return  # an interval tick comes first and looks again
        self._apscheduler.add_job(
            self.tick, "date", run_date=moment, id="tsunagi-due", replace_existing=True
        )

    def is_leader(self) -> bool:
        """Return whether this process runs the jobs (always on SQLite; the lock holder on PG)."""
        if self.engine.dialect.name != "postgresql":
            return True
        if self._lock is not None:
            try:
                self._lock.execute(text("SELECT 1"))
                return True
            except Exception:
                self._release()  # the lock went with the connection
        connection = self.engine.connect()
        held = connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": LEADER_LOCK})
        if held.scalar():
            connection.commit()
            self._lock = connection
            log.info("scheduler: this process (pid %d) is the leader", os.getpid())
            return True
        connection.rollback()
        connection.close()
        return False

    def _release(self) -> None:
        if self._lock is None:
            return
        try:
            self._lock.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LEADER_LOCK})
            self._lock.commit()
            self._lock.close()
        except Exception:
            self._lock.invalidate()
        self._lock = None
