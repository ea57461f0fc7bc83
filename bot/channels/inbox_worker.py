"""The inbox side every channel shares: stored events leased to this process and handed, oldest
first, to the channel's processing; a failure is counted on the event (given up after a few) and
re-raised.

Several `tsunagi serve` replicas may drain one inbox (storage/inbox.py `claim_pending_events`):
each event is leased to one worker, a sender's events are processed in order, and an event whose
worker died is taken over once its lease runs out. The channel marks the event finished in the
same transaction as its effects; if another worker finished it first, that transaction rolls back
(`EventTaken`), so an event's effects are committed once.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine

from bot import metrics
from bot.channels.inbox_writer import InboxWriter, let_acks_through
from bot.clock import Clock
from storage.db import session_scope
from storage.inbox import EventTaken, claim_pending_events, note_failure
from storage.models import InboundEvent

log = logging.getLogger(__name__)
INBOX_LEASE = timedelta(seconds=60)  # TSUNAGI_INBOX_LEASE_SECONDS
OUTBOX_LEASE = timedelta(seconds=60)  # TSUNAGI_OUTBOX_LEASE_SECONDS (deliver_due)
__all__ = ["InboxWriter", "StoredEvent", "drain"]  # InboxWriter moved to inbox_writer


@dataclass(frozen=True)
class StoredEvent:
    """An inbox row as the workers need it, detached from its session."""

    pk: int
    event_id: str
    payload: dict[str, Any]
    received_at: datetime
    redelivery: bool

    @classmethod
    def of(cls, row: InboundEvent) -> StoredEvent:
        assert row.id is not None
        return cls(row.id, row.event_id, row.payload, row.received_at, row.redelivery)


def drain(
    engine: Engine,
    clock: Clock,
    *,
    channel: str,
    process: Callable[[StoredEvent], None],
    limit: int = 50,
    lease: timedelta = INBOX_LEASE,
) -> int:
    """Lease a channel's waiting events and run them through `process`, oldest first; return
    how many were leased."""
    with session_scope(engine) as session:
        claimed = claim_pending_events(
            session,
            channel=channel,
            worker=worker_name(),
            now=clock.now(),
            lease=lease,
            sender_of=sender_of,
            limit=limit,
        )
        pending = [StoredEvent.of(e) for e in claimed]
    for event in pending:
        let_acks_through()  # a webhook waiting for its commit goes first
        try:
            process(event)
        except EventTaken:
            log.info("%s event %s was processed by another worker", channel, event.pk)
            continue
        except Exception:
            metrics.EVENTS_FAILED.inc(channel=channel)
            log.exception("%s event %s could not be processed", channel, event.pk)
            with session_scope(engine) as session:
                note_failure(session, event_pk=event.pk, now=clock.now())
            raise
        metrics.EVENTS_PROCESSED.inc(channel=channel)
    return len(pending)


def worker_name() -> str:
    """Return who claims events in the inbox: this host and process."""
    return f"{socket.gethostname()}:{os.getpid()}"


def sender_of(payload: dict[str, Any]) -> str:
    """Return who sent a stored event (LINE source or Slack user), whose events stay in order."""
    source = payload.get("source")
    if isinstance(source, dict):  # LINE
        return "line:" + str(source.get("userId") or source.get("groupId") or source.get("roomId"))
    body = payload.get("body")
    if not isinstance(body, dict):
        return ""
    event, user = body.get("event"), body.get("user")
    if isinstance(event, dict) and event.get("user"):  # Slack Events API
        return f"slack:{event['user']}"
    if isinstance(user, dict) and user.get("id"):  # Slack interactivity
        return f"slack:{user['id']}"
    return f"slack:{body.get('user_id') or ''}"  # Slack slash command
