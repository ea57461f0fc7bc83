"""The durable inbox's batch insert: many webhooks' events in one statement per chunk.

The group-commit writer (bot/channels/inbox_writer.py) calls it once per batch, inside one
transaction, so a burst of webhooks costs one commit instead of one each.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col

from storage.inbox import PENDING
from storage.models import InboundEvent


def add_event_batch(
    session: Session,
    *,
    channel: str,
    events: Iterable[tuple[str, dict[str, Any], bool]],
    now: datetime,
) -> set[str]:
    """Store (event id, payload, redelivery) rows not stored yet; return the new event ids.

    An event id already in the inbox, or repeated within the batch, is stored once (the first).
    """
    unique: dict[str, tuple[dict[str, Any], bool]] = {}
    for event_id, payload, redelivery in events:
        unique.setdefault(event_id, (payload, redelivery))
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
        for event_id, (payload, redelivery) in unique.items()
    ]
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    # One statement for any batch size (compiled once, then cached); SQLAlchemy sends the rows
    # as multi-row VALUES ("insertmanyvalues"), RETURNING only those actually inserted.
    statement = (
        insert(InboundEvent)
        .on_conflict_do_nothing(index_elements=["channel", "event_id"])
        .returning(col(InboundEvent.event_id))
    )
    return set(session.connection().execute(statement, rows).scalars())
