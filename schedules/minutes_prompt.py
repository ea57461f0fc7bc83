"""After a meeting ends, the bot asks for its 会議記録, once per recipient (issue 5 item 5).

An occurrence ends at its start plus its duration (two hours when none is set). From then, for
LOOKBACK, the organiser — or, when the series has no active organiser, the coordinators and
admins of its municipality who answered 参加 — get one push 「会議記録を残しましょう：会議記録
#N」 unless a record of that day already exists. Each push is claimed as a ReminderSend row with
offset `minutes` in the transaction that queues it, so a second process or run never repeats it.
Only members of the series' own municipality are asked: the record belongs to it.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.clock import Clock
from bot.delivery import notify_accounts
from bot.messages import Choice, Reply
from bot.texts import t
from schedules.occurrences import TOKYO, Occurrence
from schedules.reminder_texts import when_text
from schedules.timeline import Plan, Scanned
from storage.db import read_scope, session_scope
from storage.meetings import audience_members, rsvp_answers
from storage.minutes import has_record
from storage.models import MeetingSeries, Member, Role
from storage.reminders import SENT, active_identities, claim_reminder

MINUTES = "minutes"
DEFAULT_LENGTH = timedelta(hours=2)
LOOKBACK = timedelta(days=2)  # meetings that ended longer ago are not asked about any more
RECORDERS = (Role.COORDINATOR.value, Role.ADMIN.value)


def ended_at(series: MeetingSeries, occurrence: Occurrence) -> datetime:
    """Return when an occurrence ends: its start plus the duration, or two hours."""
    length = timedelta(minutes=series.duration_min) if series.duration_min else DEFAULT_LENGTH
    return occurrence.at + length


def send_minutes_prompts(
    engine: Engine,
    clock: Clock,
    *,
    tz: tzinfo = TOKYO,
    plan: Plan | None = None,
    scanned: list[Scanned] | None = None,
) -> int:
    """Ask for the minutes of every meeting that ended within LOOKBACK; return pushes queued.

    With the scheduler's `plan` settled prompts are skipped, and the pass's `scanned` series are
    reused rather than read again (schedules/timeline.py).
    """
    now = clock.now()
    start, until = (now - LOOKBACK).astimezone(tz).date(), now.astimezone(tz).date()
    plan = plan or Plan()
    if scanned is None:
        with read_scope(engine) as session:
            scanned = plan.scan(session, now=now, tz=tz)
    asked = 0
    for item in scanned:
        series = item.series
        for occurrence in item.occurrences:
            if occurrence.at.date() < start or occurrence.original > until:
                continue
            end = ended_at(series, occurrence)
            key = ("minutes", series.id, occurrence.original)
            if series.created_at <= end <= now and now - end <= LOOKBACK:
                if plan.settled(key, now):
                    continue
                with session_scope(engine) as session:
                    asked += _ask(session, series, occurrence, end=end, now=now, tz=tz)
                plan.settle(key, now)
    return asked


def minutes_recipients(
    session: Session, series: MeetingSeries, occurrence: Occurrence
) -> list[Member]:
    """Return who is asked: the organiser, else its own municipality's attendees who can record."""
    organiser = session.get(Member, series.organiser_id) if series.organiser_id else None
    if organiser is not None and organiser.active:
        return [organiser]
    assert series.id is not None
    answers = rsvp_answers(session, series_id=series.id, occurrence=occurrence.original)
    return [
        m
        for m in audience_members(session, series=series)
        if m.municipality_id == series.municipality_id
        and m.role in RECORDERS
        and answers.get(m.id or 0) == "参加"
    ]


def _ask(
    session: Session,
    series: MeetingSeries,
    occurrence: Occurrence,
    *,
    end: datetime,
    now: datetime,
    tz: tzinfo,
) -> int:
    """Queue the prompt to each recipient not yet asked about this occurrence."""
    assert series.id is not None
    held_on = occurrence.at.astimezone(tz).date()
    if has_record(session, series_id=series.id, occurrence=held_on):
        return 0
    recipients = minutes_recipients(session, series, occurrence)
    accounts = active_identities(session, member_ids=[m.id for m in recipients if m.id])
    asked = 0
    for member in recipients:
        assert member.id is not None
        if not accounts.get(member.id):
            continue
        if not claim_reminder(
            session,
            series_id=series.id,
            occurrence=occurrence.original,
            offset=MINUTES,
            member_id=member.id,
            status=SENT,
            due_at=end,
            now=now,
        ):
            continue
        lang = member.language
        command = t("minutes.prompt.command", lang, number=series.number)
        text = t(
            "minutes.prompt",
            lang,
            when=when_text(occurrence.at, lang, tz),
            title=series.title,
            command=command,
        )
        reply = Reply(text, choices=(Choice(command, command),))
        key = f"minutes:{series.id}:{occurrence.original}:{member.id}"
        notify_accounts(session, accounts=accounts[member.id], replies=[reply], key=key, now=now)
        asked += 1
    return asked
