"""The durable inbox: platform events stored once (by their event id) and processed in order."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, func, text, update
from sqlmodel import Session, col, select

from storage.models import InboundEvent

PENDING = "pending"
DONE = "done"
IGNORED = "ignored"
FAILED = "failed"
CLAIM_LOCK = 7_402_914  # pg_advisory_xact_lock key (with the channel) that serialises claims


class EventTaken(RuntimeError):
    """The event was processed by another worker (this worker's lease had run out)."""


def claim_pending_events(
    session: Session,
    *,
    channel: str,
    worker: str,
    now: datetime,
    lease: timedelta,
    sender_of: Callable[[dict[str, Any]], str],
    limit: int = 50,
) -> list[InboundEvent]:
    """Lease a channel's oldest waiting events to `worker` for `lease`; return them, oldest first.

    Several replicas drain one inbox: an event leased to a live worker is not handed out again,
    and one whose lease ran out (its worker died) is. A sender's events stay in order: while an
    earlier event of the same sender is leased elsewhere, their later ones wait. Claims are taken
    one at a time per channel (a transaction-scoped advisory lock on PostgreSQL, `BEGIN
    IMMEDIATE` on SQLite), so "leased elsewhere" is always seen; rows are read `FOR UPDATE SKIP
    LOCKED` so a claim never waits on a row being finished.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.connection().execute(
            text("SELECT pg_advisory_xact_lock(:key, hashtext(:channel))"),
            {"key": CLAIM_LOCK, "channel": channel},
        )
    waiting = (col(InboundEvent.claimed_until).is_(None)) | (col(InboundEvent.claimed_until) <= now)
    busy = {
        sender_of(dict(payload))
        for payload in session.exec(
            select(InboundEvent.payload).where(
                InboundEvent.channel == channel,
                InboundEvent.status == PENDING,
                col(InboundEvent.claimed_until) > now,
            )
        )
    }
    query = (
        select(InboundEvent)
        .where(InboundEvent.channel == channel, InboundEvent.status == PENDING, waiting)
        .order_by(col(InboundEvent.id))
        .limit(limit * 4)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    claimed: list[InboundEvent] = []
    for event in session.exec(query):
        sender = sender_of(event.payload)
        if sender in busy or len(claimed) >= limit:
            busy.add(sender)  # keep this sender's later events behind this one
            continue
        event.claimed_by, event.claimed_until = worker, now + lease
        session.add(event)
        claimed.append(event)
    session.flush()
    return claimed


# Built once: this runs for every processed event (docs/performance.md, fix 8).
_FINISH = (
    update(InboundEvent)
    .where(col(InboundEvent.id) == bindparam("pk"), col(InboundEvent.status) == PENDING)
    .values(
        status=bindparam("new_status"),
        processed_at=bindparam("now"),
        attempts=col(InboundEvent.attempts) + 1,
        error=bindparam("new_error"),
        claimed_until=None,
    )
)


def finish_event(
    session: Session, *, event_pk: int, status: str, now: datetime, error: str | None = None
) -> None:
    """Mark an event processed (done, ignored or failed) in the caller's transaction.

    Only a pending event can be finished: if another worker finished it first (this worker's lease
    ran out meanwhile), EventTaken is raised so the caller's transaction, and whatever it stored
    for the event, rolls back. On PostgreSQL the UPDATE waits for the other transaction and then
    sees its outcome; on SQLite transactions are serial.
    """
    params = {"pk": event_pk, "new_status": status, "now": now, "new_error": error}
    if session.connection().execute(_FINISH, params).rowcount != 1:
        raise EventTaken(f"inbound event {event_pk} was already processed")


def note_failure(session: Session, *, event_pk: int, now: datetime, give_up_after: int = 5) -> None:
    """Count a failed attempt and release the lease; after `give_up_after` attempts the event is
    marked failed. An event no longer pending is left alone."""
    event = session.get(InboundEvent, event_pk)
    if event is None or event.status != PENDING:
        return
    event.attempts += 1
    event.claimed_until = None
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
    """Return a channel's stored events, oldest first."""
    return list(
        session.exec(
            select(InboundEvent)
            .where(InboundEvent.channel == channel)
            .order_by(col(InboundEvent.id))
        )
    )
