"""Meeting reminders: which are due, and sending each exactly once.

Our tables are the source of truth. A reminder is (series, occurrence, offset, member); it is
recorded in ReminderSend (unique) in the same transaction that queues its message in the outbox,
so two processes, a restart or a duplicate scheduler run never send it twice.

A reminder missed while the bot was down is sent late (and says so) if the meeting is still ahead
and the delay is within the grace; otherwise it is recorded as missed and never sent. When several
reminders of one occurrence are overdue at once, only the latest is sent.

A peer-group meeting reaches the members of every municipality of the group, and each reminder
is also posted once to the group's connected chat (keyed by the group in the outbox), with the
same RSVP buttons. Each run also asks for the minutes of meetings just ended
(schedules/minutes_prompt.py).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, tzinfo

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.clock import Clock
from bot.delivery import notify, notify_accounts
from schedules.meeting_prep import Prep, finish_prep, occurrence_prep, prep_lines
from schedules.minutes_prompt import send_minutes_prompts
from schedules.occurrences import TOKYO, Occurrence
from schedules.reminder_texts import MORNING, ON_TIME, reminder_reply
from schedules.timeline import Plan, Scanned
from storage.db import read_scope, session_scope
from storage.meetings import audience_members, peer_group_of, rsvp_answers
from storage.models import MeetingSeries, Member, PeerGroup
from storage.reminders import (
    MISSED,
    SENT,
    active_identities,
    claim_reminder,
    recorded_members,
)

MORNING_AT = time(8, 0)
OFFSET = re.compile(r"(\d+)([dh])")
HORIZON = timedelta(days=31)
LOOKBACK = timedelta(days=1)  # meetings this recent still get their missed reminders recorded
GRACE = timedelta(hours=12)


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
    prompted: int = 0  # minutes asked for
    next_due: datetime | None = None  # when the next reminder falls due


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
    scanned: list[Scanned], *, now: datetime, horizon: timedelta = HORIZON, tz: tzinfo = TOKYO
) -> tuple[list[Due], datetime | None]:
    """Return the reminders whose moment has come, of meetings from a day ago to `horizon` ahead,
    and the next moment one falls due (None when none does within the horizon)."""
    today = now.astimezone(tz).date()
    start, until = (now - LOOKBACK).astimezone(tz).date(), today + horizon
    found, upcoming = [], None
    for item in scanned:
        series = item.series
        assert series.id is not None
        for occurrence in item.occurrences:
            if occurrence.at.date() < start or occurrence.original > until:
                continue
            for offset in series.reminder_offsets:
                due_at = reminder_moment(occurrence.at, offset, tz)
                # A reminder due before the meeting was set up is not owed to anyone.
                if due_at is None or due_at < series.created_at:
                    continue
                if due_at <= now:
                    found.append(Due(series.id, occurrence, offset, due_at))
                elif upcoming is None or due_at < upcoming:
                    upcoming = due_at
    return found, upcoming


def send_due(
    engine: Engine,
    clock: Clock,
    *,
    lateness_grace: timedelta = GRACE,
    tz: tzinfo = TOKYO,
    plan: Plan | None = None,
) -> Sent:
    """Queue every due reminder not yet sent; record as missed those too late to send.

    With the scheduler's `plan`, series are expanded once and settled reminders are skipped
    (schedules/timeline.py); `Sent.next_due` says when the next reminder falls due.
    """
    now = clock.now()
    plan = plan or Plan()
    with read_scope(engine) as session:  # a long read: it holds no writer lock on SQLite
        scanned = plan.scan(session, now=now, tz=tz)
    due, upcoming = due_reminders(scanned, now=now, tz=tz)
    by_occurrence: dict[tuple[int, date], list[Due]] = defaultdict(list)
    for reminder in due:
        by_occurrence[(reminder.series_id, reminder.occurrence.original)].append(reminder)
    result = Sent(next_due=upcoming)
    for reminders in by_occurrence.values():
        *superseded, latest = sorted(reminders, key=lambda r: r.due_at)
        for reminder in superseded:
            result.missed += _settle(plan, engine, reminder, now=now, send=False, tz=tz)
        in_time = latest.occurrence.at > now and now - latest.due_at <= lateness_grace
        count = _settle(plan, engine, latest, now=now, send=in_time, tz=tz)
        if in_time:
            result.sent += count
        else:
            result.missed += count
    result.prompted = send_minutes_prompts(engine, clock, tz=tz, plan=plan, scanned=scanned)
    plan.forget_before((now - 2 * LOOKBACK).astimezone(tz).date())
    return result


def _settle(plan: Plan, engine: Engine, due: Due, *, now: datetime, send: bool, tz: tzinfo) -> int:
    """Deliver one reminder unless the plan knows it reached everyone; remember that it has."""
    key = ("reminder", due.series_id, due.occurrence.original, due.offset)
    if plan.settled(key, now):
        return 0
    done = _deliver(engine, due, now=now, send=send, tz=tz)
    plan.settle(key, now)
    return done


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
                    series,
                    due.occurrence,
                    due.offset,
                    lang=member.language,
                    late=now - due.due_at > ON_TIME,
                    nudge=due.offset == MORNING and member.id not in answers,
                    tz=tz,
                    extra=extra,
                )
                key = f"reminder:{series.id}:{due.occurrence.original}:{due.offset}:{member.id}"
                notify_accounts(
                    session, accounts=accounts[member.id], replies=[reply], key=key, now=now
                )
        posted = send and _post_to_group(session, series, due, prep, now=now, tz=tz)
        if (done or posted) and send:
            finish_prep(session, prep, now=now)
    return done


def _post_to_group(
    session: Session, series: MeetingSeries, due: Due, prep: Prep, *, now: datetime, tz: tzinfo
) -> bool:
    """Post a peer meeting's reminder once to its group's chat; return whether it was new."""
    group_id = peer_group_of(series)
    group = session.get(PeerGroup, group_id) if group_id is not None else None
    if group is None or not group.channel or not group.chat_id:
        return False
    # The group's copy carries what is shared with the group (never a member's own report).
    shared = replace(prep, report_period=None)
    stand_in = Member(municipality_id=series.municipality_id, name=group.name, language="ja")
    reply = reminder_reply(
        series,
        due.occurrence,
        due.offset,
        lang="ja",
        late=now - due.due_at > ON_TIME,
        nudge=False,
        tz=tz,
        extra=prep_lines(session, shared, stand_in, tz=tz),
    )
    key = f"reminder:{series.id}:{due.occurrence.original}:{due.offset}:group:{group.id}"
    return notify(
        session, channel=group.channel, recipient=group.chat_id, replies=[reply], key=key, now=now
    )
