"""The scheduler facade: one APScheduler 3 interval job that sends what is due.

Correctness never depends on APScheduler (it is at-least-once and duplicates with two
schedulers): every send is keyed in the database (ReminderSend, the outbox's idempotency key).
APScheduler only decides when to look; nothing is pickled and no job store is used.

On PostgreSQL only the process holding an advisory lock runs the job (the leader); the others try
to take the lock on every tick, so one takes over within a minute if the leader dies. On SQLite a
single `tsunagi serve` process is assumed (the keys would still prevent a duplicate send).

Weekly summary push: every Monday at 08:30 (TSUNAGI_TIMEZONE) each officer gets last week's
まとめ of their municipality, keyed `summary:<municipality>:<ISO week>:<member>`.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta, tzinfo

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import Connection, text
from sqlalchemy.engine import Engine

from bot.clock import Clock
from bot.delivery import notify
from bot.messages import Reply
from bot.texts import t
from handlers.summaries import render_summary
from schedules.occurrences import TOKYO
from schedules.reminders import GRACE, send_due
from storage.db import session_scope
from storage.models import Role
from storage.records import category_labels
from storage.reminders import active_identities, officers_by_municipality, queued
from storage.summaries import build_summary, week_of

log = logging.getLogger(__name__)
LEADER_LOCK = 7_402_913  # pg_try_advisory_lock key of the scheduler leader
INTERVAL_SECONDS = 30
SUMMARY_AT = time(8, 30)  # Mondays
SUMMARY_GRACE = timedelta(hours=12)


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
    ) -> None:
        self.engine, self.clock, self.tz = engine, clock, tz
        self.interval, self.grace = interval, grace
        self._lock: Connection | None = None
        self._apscheduler: BackgroundScheduler | None = None

    def start(self) -> None:
        """Start the background job (its first run is now)."""
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
        try:
            if not self.is_leader():
                return
            send_due(self.engine, self.clock, lateness_grace=self.grace, tz=self.tz)
            push_weekly_summaries(self.engine, self.clock, tz=self.tz)
        except Exception:
            log.exception("scheduler tick failed")

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


def push_weekly_summaries(
    engine: Engine, clock: Clock, *, tz: tzinfo = TOKYO, grace: timedelta = SUMMARY_GRACE
) -> int:
    """From Monday 08:30 (for `grace`), queue last week's summary to each officer; return how many."""
    now = clock.now().astimezone(tz)
    monday = now.date() - timedelta(days=now.weekday())
    moment = datetime.combine(monday, SUMMARY_AT, tzinfo=tz)
    if not moment <= now <= moment + grace:
        return 0
    period = week_of(monday - timedelta(days=1))
    year, week, _ = period.start.isocalendar()
    queued_count = 0
    with session_scope(engine) as session:
        labels = category_labels(session)
        for municipality, officers in officers_by_municipality(session, roles=(Role.OFFICER,)):
            accounts = active_identities(session, member_ids=[m.id for m in officers if m.id])
            summary = None
            for member in officers:
                key = f"summary:{municipality.id}:{year}-W{week:02d}:{member.id}"
                for account in accounts.get(member.id or 0, []):
                    if queued(session, channel=account.channel, key=key):
                        continue
                    if summary is None:
                        assert municipality.id is not None
                        summary = build_summary(
                            session, municipality_id=municipality.id, period=period, tz=tz
                        )
                    lang = member.language
                    scope = t("summary.scope.all", lang, municipality=municipality.name)
                    body = render_summary(summary, lang=lang, scope=scope, categories=labels)
                    reply = Reply(f"{t('meetings.summary_push.intro', lang)}\n{body}")
                    queued_count += notify(
                        session,
                        channel=account.channel,
                        recipient=account.external_id,
                        replies=[reply],
                        key=key,
                        now=clock.now(),
                    )
    return queued_count
