"""The durable inbox: platform events stored once (by their event id) and processed in order."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from storage.models import InboundEvent

PENDING = "pending"
DONE = "done"
IGNORED = "ignored"
FAILED = "failed"


def add_events(
    session: Session, *, channel: str, events: list[tuple[str, dict[str, Any], bool]], now: datetime
) -> int:
    """Store new events (event id, payload, redelivery); return how many were new."""
    if not events:
        return 0
    rows = [
        {
            "channel": channel,
            "event_id": event_id,
            "payload": payload,
            "redelivery": redelivery,
            "received_at": now,
            "status": PENDING,
            "attempts": 0,
        }
        for event_id, payload, redelivery in events
    ]
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert(InboundEvent)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["channel", "event_id"])
        .returning(col(InboundEvent.id))
    )
    return len(session.connection().execute(statement).all())


def next_pending_events(session: Session, *, channel: str, limit: int = 50) -> list[InboundEvent]:
    """Return a channel's oldest events still waiting to be processed."""
    query = (
        select(InboundEvent)
        .where(InboundEvent.channel == channel, InboundEvent.status == PENDING)
        .order_by(col(InboundEvent.id))
        .limit(limit)
    )
    return list(session.exec(query))


def finish_event(
    session: Session, *, event_pk: int, status: str, now: datetime, error: str | None = None
) -> None:
    """Mark an event processed (done, ignored or failed)."""
    event = session.get(InboundEvent, event_pk)
    if event is None:
        raise LookupError(f"inbound event {event_pk} vanished")
    event.status = status
    event.processed_at = now
    event.attempts += 1
    event.error = error
    session.add(event)


def note_failure(session: Session, *, event_pk: int, now: datetime, give_up_after: int = 5) -> None:
    """Count a failed attempt; after `give_up_after` attempts the event is marked failed."""
    event = session.get(InboundEvent, event_pk)
    if event is None:
        return
    event.attempts += 1
    if event.attempts >= give_up_after:
        event.status = FAILED
        event.processed_at = now
        event.error = "gave up after repeated failures"
    session.add(event)


def count_pending(session: Session) -> int:
    """Return how many events wait to be processed (the inbox depth)."""
    query = select(func.count()).select_from(InboundEvent).where(InboundEvent.status == PENDING)
    return int(session.exec(query).one())


def list_events(session: Session, *, channel: str) -> list[InboundEvent]:
    return list(
        session.exec(
            select(InboundEvent)
            .where(InboundEvent.channel == channel)
            .order_by(col(InboundEvent.id))
        )
    )
