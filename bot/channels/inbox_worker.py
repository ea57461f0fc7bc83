"""The inbox side every channel shares: stored events read back and handed, oldest first, to the
channel's processing; a failure is counted on the event (given up after a few) and re-raised.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine

from bot import metrics
from bot.clock import Clock
from storage.db import session_scope
from storage.inbox import add_events, next_pending_events, note_failure
from storage.models import InboundEvent

log = logging.getLogger(__name__)


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


class InboxWriter:
    """Commit a channel's events from one writer thread, so webhooks never contend for SQLite."""

    def __init__(self, engine: Engine, clock: Clock, channel: str) -> None:
        self.engine = engine
        self.clock = clock
        self.channel = channel
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"{channel}-inbox")

    def store(self, events: list[tuple[str, dict[str, Any], bool]]) -> int:
        """Commit (event id, payload, redelivery) rows; return how many were new."""
        with session_scope(self.engine) as session:
            new = add_events(session, channel=self.channel, events=events, now=self.clock.now())
        metrics.EVENTS_RECEIVED.inc(new, channel=self.channel)
        return new

    async def store_async(self, events: list[tuple[str, dict[str, Any], bool]]) -> int:
        """Commit rows from the writer thread without blocking the event loop."""
        return await asyncio.get_running_loop().run_in_executor(self._thread, self.store, events)


def drain(
    engine: Engine,
    clock: Clock,
    *,
    channel: str,
    process: Callable[[StoredEvent], None],
    limit: int = 50,
) -> int:
    """Run a channel's waiting events through `process`, oldest first; return how many."""
    with session_scope(engine) as session:
        pending = [
            StoredEvent.of(e) for e in next_pending_events(session, channel=channel, limit=limit)
        ]
    for event in pending:
        try:
            process(event)
        except Exception:
            metrics.EVENTS_FAILED.inc(channel=channel)
            log.exception("%s event %s could not be processed", channel, event.pk)
            with session_scope(engine) as session:
                note_failure(session, event_pk=event.pk, now=clock.now())
            raise
        metrics.EVENTS_PROCESSED.inc(channel=channel)
    return len(pending)
