"""The weekly summary push: each municipality's officers get last week's まとめ at its own time.

A municipality chooses the weekday and time (`tsunagi admin set-summary-time`, default Monday
08:30 in TSUNAGI_TIMEZONE). From that moment, for SUMMARY_GRACE, each officer's summary of the
previous Monday–Sunday week is queued once, keyed `summary:<municipality>:<ISO week>:<member>`:
the key names the week summarised, so changing the time mid-week never sends a week twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from sqlalchemy.engine import Engine

from bot.clock import Clock
from bot.delivery import notify
from bot.messages import Reply
from bot.texts import t
from handlers.summaries import render_summary
from schedules.occurrences import TOKYO
from storage.db import session_scope
from storage.models import Municipality, Role
from storage.records import category_labels
from storage.reminders import active_identities, officers_by_municipality, queued
from storage.summaries import Period, build_summary, week_of

SUMMARY_GRACE = timedelta(hours=12)
WEEK = timedelta(days=7)


def push_moment(municipality: Municipality, now: datetime, tz: tzinfo = TOKYO) -> datetime:
    """Return this week's push moment of a municipality (its weekday and time, local)."""
    local = now.astimezone(tz)
    monday = local.date() - timedelta(days=local.weekday())
    day = monday + timedelta(days=municipality.summary_weekday)
    return datetime.combine(day, municipality.summary_time, tzinfo=tz)


def push_weekly_summaries(
    engine: Engine, clock: Clock, *, tz: tzinfo = TOKYO, grace: timedelta = SUMMARY_GRACE
) -> int:
    """Queue last week's summary to each officer whose municipality's moment has come."""
    now = clock.now()
    queued_count = 0
    with session_scope(engine) as session:
        labels = category_labels(session)
        for municipality, officers in officers_by_municipality(session, roles=(Role.OFFICER,)):
            this_week = push_moment(municipality, now, tz)
            # A Sunday-night moment's grace runs into the next week.
            due = [m for m in (this_week, this_week - WEEK) if m <= now <= m + grace]
            if not due:
                continue
            moment = due[0]
            monday = moment.date() - timedelta(days=moment.weekday())
            period = week_of(monday - timedelta(days=1))
            accounts = active_identities(session, member_ids=[m.id for m in officers if m.id])
            summary = None
            for member in officers:
                key = summary_key(municipality, period, member.id)
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
                        now=now,
                    )
    return queued_count


def summary_key(municipality: Municipality, period: Period, member_id: int | None) -> str:
    """Return the idempotency key of one officer's summary of one week."""
    year, week, _ = period.start.isocalendar()
    return f"summary:{municipality.id}:{year}-W{week:02d}:{member_id}"
