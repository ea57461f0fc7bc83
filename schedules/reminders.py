"""Meeting reminders: which are due, and sending each exactly once.

Our tables are the source of truth. A reminder is (series, occurrence, offset, member); it is
recorded in ReminderSend (unique) in the same transaction that queues its message in the outbox,
so two processes, a restart or a duplicate scheduler run never send it twice.

A reminder missed while the bot was down is sent late (and says so) if the meeting is still ahead
and the delay is within the grace; otherwise it is recorded as missed and never sent. When several
reminders of one occurrence are overdue at once, only the latest is sent.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.clock import Clock
from bot.delivery import notify
from bot.messages import Choice, Reply
from bot.texts import t
from schedules.meeting_prep import Prep, finish_prep, occurrence_prep, prep_lines
from schedules.occurrences import TOKYO, Occurrence
from storage.db import session_scope
from storage.meetings import ANSWERS, audience_members, rsvp_answers, series_occurrences
from storage.models import MeetingSeries, Member
from storage.reminders import (
    MISSED,
    SENT,
    active_identities,
    claim_reminder,
    list_all_series,
    recorded_members,
)

MORNING = "morning"
MORNING_AT = time(8, 0)
OFFSET = re.compile(r"(\d+)([dh])")
HORIZON = timedelta(days=31)
LOOKBACK = timedelta(days=1)  # meetings this recent still get their missed reminders recorded
GRACE = timedelta(hours=12)
ON_TIME = timedelta(minutes=10)  # later than this, a reminder says it is late


@dataclass(frozen=True)
class Due:
    """One reminder of one occurrence whose moment has come (for every invited member)."""

    series_id: int
    occurrence: Occurrence
    offset: str
    due_at: datetime


@dataclass
class Sent:
    """What one run of send_due did."""

    sent: int = 0
    missed: int = 0


def reminder_moment(at: datetime, offset: str, tz: tzinfo = TOKYO) -> datetime | None:
    """Return when a reminder is due: `7d`/`1d`/`3h` before the meeting, or 08:00 the morning of."""
    if offset == MORNING:
        return min(datetime.combine(at.astimezone(tz).date(), MORNING_AT, tzinfo=tz), at)
    found = OFFSET.fullmatch(offset)
    if found is None:
        return None
    amount = int(found[1])
    return at - (timedelta(days=amount) if found[2] == "d" else timedelta(hours=amount))


def due_reminders(
    session: Session, *, now: datetime, horizon: timedelta = HORIZON, tz: tzinfo = TOKYO
) -> list[Due]:
    """Return the reminders whose moment has come, of meetings from a day ago to `horizon` ahead."""
    today = now.astimezone(tz).date()
    found = []
    for series in list_all_series(session):
        assert series.id is not None
        start, until = (now - LOOKBACK).astimezone(tz).date(), today + horizon
        for occurrence in series_occurrences(session, series=series, start=start, until=until):
            for offset in series.reminder_offsets:
                due_at = reminder_moment(occurrence.at, offset, tz)
                # A reminder due before the meeting was set up is not owed to anyone.
                if due_at is not None and series.created_at <= due_at <= now:
                    found.append(Due(series.id, occurrence, offset, due_at))
    return found


def send_due(
    engine: Engine, clock: Clock, *, lateness_grace: timedelta = GRACE, tz: tzinfo = TOKYO
) -> Sent:
    """Queue every due reminder not yet sent; record as missed those too late to send."""
    now = clock.now()
    with session_scope(engine) as session:
        due = due_reminders(session, now=now, tz=tz)
    by_occurrence: dict[tuple[int, date], list[Due]] = defaultdict(list)
    for reminder in due:
        by_occurrence[(reminder.series_id, reminder.occurrence.original)].append(reminder)
    result = Sent()
    for reminders in by_occurrence.values():
        *superseded, latest = sorted(reminders, key=lambda r: r.due_at)
        for reminder in superseded:
            result.missed += _deliver(engine, reminder, now=now, send=False, tz=tz)
        in_time = latest.occurrence.at > now and now - latest.due_at <= lateness_grace
        count = _deliver(engine, latest, now=now, send=in_time, tz=tz)
        if in_time:
            result.sent += count
        else:
            result.missed += count
    return result


def _deliver(engine: Engine, due: Due, *, now: datetime, send: bool, tz: tzinfo) -> int:
    """Record one reminder for each invited member not yet covered, queueing it if `send`."""
    done = 0
    with session_scope(engine) as session:
        series = session.get(MeetingSeries, due.series_id)
        if series is None:
            return 0
        recorded = recorded_members(
            session, series_id=due.series_id, occurrence=due.occurrence.original, offset=due.offset
        )
        members = [m for m in audience_members(session, series=series) if m.id not in recorded]
        accounts = active_identities(session, member_ids=[m.id for m in members if m.id])
        answers = rsvp_answers(session, series_id=due.series_id, occurrence=due.occurrence.original)
        prep = (
            occurrence_prep(
                session, series=series, occurrence=due.occurrence, offset=due.offset, tz=tz
            )
            if send
            else Prep()
        )
        for member in members:
            assert member.id is not None
            if not accounts.get(member.id):
                continue
            status = SENT if send else MISSED
            taken = claim_reminder(
                session,
                series_id=due.series_id,
                occurrence=due.occurrence.original,
                offset=due.offset,
                member_id=member.id,
                status=status,
                due_at=due.due_at,
                now=now,
            )
            if not taken:
                continue  # another process (or an earlier run) has it
            done += 1
            if send:
                extra = prep_lines(session, prep, member, tz=tz)
                reply = reminder_reply(
                    series, due, member, answered=member.id in answers, now=now, tz=tz, extra=extra
                )
                key = f"reminder:{series.id}:{due.occurrence.original}:{due.offset}:{member.id}"
                for account in accounts[member.id]:
                    notify(
                        session,
                        channel=account.channel,
                        recipient=account.external_id,
                        replies=[reply],
                        key=key,
                        now=now,
                    )
        if done and send:
            finish_prep(session, prep, now=now)
    return done


def reminder_reply(
    series: MeetingSeries,
    due: Due,
    member: Member,
    *,
    answered: bool,
    now: datetime,
    tz: tzinfo,
    extra: list[str] | None = None,
) -> Reply:
    """Return one member's reminder: title, when, where, what the meeting needs, RSVP buttons."""
    lang = member.language
    head = due.offset if due.offset in ("7d", "1d", MORNING) else "other"
    lines = [t(f"meetings.reminder.{head}", lang, title=series.title)]
    lines.append(t("meetings.reminder.when", lang, when=when_text(due.occurrence.at, lang, tz)))
    if series.place:
        lines.append(t("meetings.reminder.place", lang, place=series.place))
    if now - due.due_at > ON_TIME:
        lines.append(t("meetings.reminder.late", lang))
    lines += extra or []
    nudge = due.offset == MORNING and not answered
    lines.append(t("meetings.reminder.nudge" if nudge else "meetings.reminder.ask", lang))
    value = f"rsvp:{series.number}:{due.occurrence.original.isoformat()}"
    choices = tuple(Choice(t(f"meetings.answer.{a}", lang), f"{value}:{a}") for a in ANSWERS)
    return Reply("\n".join(lines), choices=choices)


def when_text(at: datetime, lang: str, tz: tzinfo) -> str:
    """Return a meeting time as 12/8(火) 14:00."""
    local = at.astimezone(tz)
    weekday = t("meetings.weekday_short", lang).split()[local.weekday()]
    return t(
        "meetings.when",
        lang,
        month=local.month,
        day=local.day,
        weekday=weekday,
        time=f"{local:%H:%M}",
    )
