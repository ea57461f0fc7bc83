"""Reminder sends (the exactly-once key of each reminder) and who gets pushes, on which chats."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from storage.models import (
    Identity,
    MeetingSeries,
    Member,
    Municipality,
    OutboundMessage,
    ReminderSend,
)

SENT = "sent"
MISSED = "missed"


def list_all_series(session: Session) -> list[MeetingSeries]:
    """Return every meeting series of every municipality."""
    return list(session.exec(select(MeetingSeries).order_by(col(MeetingSeries.id))))


def recorded_members(
    session: Session, *, series_id: int, occurrence: date, offset: str
) -> set[int]:
    """Return the members for whom this reminder was already sent or recorded as missed."""
    rows = session.exec(
        select(ReminderSend.member_id).where(
            ReminderSend.series_id == series_id,
            ReminderSend.occurrence == occurrence,
            ReminderSend.offset == offset,
        )
    )
    return set(rows)


def claim_reminder(
    session: Session,
    *,
    series_id: int,
    occurrence: date,
    offset: str,
    member_id: int,
    status: str,
    due_at: datetime,
    now: datetime,
) -> bool:
    """Record one reminder as sent or missed unless it is already; return whether we took it."""
    row = {
        "series_id": series_id,
        "occurrence": occurrence,
        "offset": offset,
        "member_id": member_id,
        "status": status,
        "due_at": due_at,
        "sent_at": now if status == SENT else None,
    }
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert(ReminderSend)
        .values([row])
        .on_conflict_do_nothing(index_elements=["series_id", "occurrence", "offset", "member_id"])
        .returning(col(ReminderSend.id))
    )
    return len(session.connection().execute(statement).all()) == 1


def reminder_sends(session: Session, *, series_id: int | None = None) -> list[ReminderSend]:
    """Return the recorded reminders (of one series), oldest first."""
    query = select(ReminderSend).order_by(col(ReminderSend.id))
    if series_id is not None:
        query = query.where(ReminderSend.series_id == series_id)
    return list(session.exec(query))


def active_identities(session: Session, *, member_ids: list[int]) -> dict[int, list[Identity]]:
    """Return each member's active chat accounts, by member id."""
    found: dict[int, list[Identity]] = {}
    if not member_ids:
        return found
    rows = session.exec(
        select(Identity)
        .where(col(Identity.member_id).in_(member_ids), col(Identity.active).is_(True))
        .order_by(col(Identity.id))
    )
    for identity in rows:
        found.setdefault(identity.member_id, []).append(identity)
    return found


def officers_by_municipality(
    session: Session, *, roles: tuple[str, ...]
) -> list[tuple[Municipality, list[Member]]]:
    """Return every municipality with its active members of the given roles."""
    result = []
    for municipality in session.exec(select(Municipality).order_by(col(Municipality.id))):
        members = session.exec(
            select(Member)
            .where(
                Member.municipality_id == municipality.id,
                col(Member.active).is_(True),
                col(Member.role).in_(roles),
            )
            .order_by(col(Member.id))
        )
        result.append((municipality, list(members)))
    return result


def queued(session: Session, *, channel: str, key: str) -> bool:
    """Return whether a message with this idempotency key is already in the outbox."""
    found = session.exec(
        select(OutboundMessage.id).where(
            OutboundMessage.channel == channel, OutboundMessage.idempotency_key == key
        )
    ).first()
    return found is not None


def set_summary_time(
    session: Session, *, municipality: Municipality, weekday: int, at: time
) -> Municipality:
    """Set when a municipality's officers get the weekly summary (weekday 0 = Monday)."""
    if not 0 <= weekday <= 6:
        raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), not {weekday}")
    municipality.summary_weekday, municipality.summary_time = weekday, at
    session.add(municipality)
    session.flush()
    return municipality
