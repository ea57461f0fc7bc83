"""Due follow-ups (フォロー): each member is reminded once a day of the follow-ups they owe.

From 08:00 (TSUNAGI_TIMEZONE) a member with open follow-ups due today or earlier gets one
message listing them. Exactly once per member and day: a unique `FollowUpReminder` row and the
outbox message (key `followup:<member>:<day>`) are written in one transaction, so a restart, a
second scheduler or a repeated tick never sends it twice.
"""

from __future__ import annotations

from datetime import datetime, time, tzinfo

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.clock import Clock
from bot.delivery import notify_accounts
from bot.messages import Reply
from bot.texts import t
from schedules.occurrences import TOKYO
from storage.connections import Pair, claim_follow_up_reminder, due_follow_ups
from storage.db import session_scope
from storage.models import Member, Murmur, Resource
from storage.reminders import active_identities

REMIND_AT = time(8, 0)


def send_due_followups(
    engine: Engine, clock: Clock, *, tz: tzinfo = TOKYO, at: time = REMIND_AT
) -> int:
    """Queue today's follow-up reminder to each member who has due ones; return how many."""
    now = clock.now()
    local = now.astimezone(tz)
    if local.time() < at:
        return 0
    today = local.date()
    with session_scope(engine) as session:
        due = due_follow_ups(session, today=today)
    sent = 0
    for member_id, pairs in due.items():
        with session_scope(engine) as session:
            sent += _remind(session, member_id, pairs, today=today, now=now)
    return sent


def _remind(session: Session, member_id: int, pairs: list[Pair], *, today, now: datetime) -> int:
    """Claim and queue one member's reminder for the day (nothing if taken or no account)."""
    member = session.get(Member, member_id)
    accounts = active_identities(session, member_ids=[member_id]).get(member_id, [])
    if member is None or not member.active or not accounts:
        return 0
    if not claim_follow_up_reminder(
        session, member_id=member_id, day=today, count=len(pairs), now=now
    ):
        return 0  # another process (or an earlier tick) has sent it
    reply = reminder_reply(session, member.language, pairs, today=today)
    key = f"followup:{member_id}:{today.isoformat()}"
    notify_accounts(session, accounts=accounts, replies=[reply], key=key, now=now)
    return 1


def reminder_reply(session: Session, lang: str, pairs: list[Pair], *, today) -> Reply:
    """Return the reminder: each due follow-up with its connection, murmur number and target."""
    lines = [t("connections.reminder.title", lang, n=len(pairs))]
    for follow_up, connection in pairs:
        murmur = session.get(Murmur, connection.murmur_id) if connection.murmur_id else None
        resource = session.get(Resource, connection.resource_id) if connection.resource_id else None
        if resource is not None:
            target = t("connections.target.resource", lang, number=resource.number, name=resource.name)
        elif connection.organisation:
            target = connection.organisation
        else:
            target = t("connections.target.houkatsu", lang)
        overdue = t("connections.overdue", lang) if follow_up.due_on < today else ""
        lines.append(
            t(
                "connections.follow.item",
                lang,
                date=f"{follow_up.due_on:%m/%d}",
                overdue=overdue,
                number=connection.number,
                murmur=f"#{murmur.number}" if murmur else "—",
                target=target,
            )
        )
    lines.append(t("connections.follow.hint", lang))
    return Reply("\n".join(lines))
