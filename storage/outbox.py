"""The outbox: replies and pushes with an idempotency key, retried until delivered."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Integer, bindparam, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import aliased
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from storage.models import OutboundMessage

PENDING = "pending"
SENT = "sent"
FAILED = "failed"
QUOTA_EXHAUSTED = "quota_exhausted"


def retry_key_for(channel: str, idempotency_key: str) -> str:
    """Return the stable UUID sent as the platform retry key for one outbound message."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"tsunagi:{channel}:{idempotency_key}"))


def add_outbound(
    session: Session,
    *,
    channel: str,
    idempotency_key: str,
    recipient: str,
    messages: list[dict[str, Any]],
    now: datetime,
    reply_token: str | None = None,
    received_at: datetime | None = None,
) -> bool:
    """Queue a message unless one with the same key exists; return whether it was new."""
    row = {
        "channel": channel,
        "idempotency_key": idempotency_key,
        "recipient": recipient,
        "messages": messages,
        "reply_token": reply_token,
        "received_at": received_at,
        "retry_key": retry_key_for(channel, idempotency_key),
        "status": PENDING,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }
    statement = _insert_new(session.get_bind().dialect.name)
    return len(session.connection().execute(statement, row).all()) == 1


@lru_cache(maxsize=2)
def _insert_new(dialect: str) -> Any:
    """The INSERT … ON CONFLICT DO NOTHING of one queued message, built and compiled once per
    dialect (the values travel as parameters: docs/performance.md, fix 8)."""
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    return (
        insert(OutboundMessage)
        .on_conflict_do_nothing(index_elements=["channel", "idempotency_key"])
        .returning(col(OutboundMessage.id))
    )


def _due_statement(*, for_update: bool) -> SelectOfScalar[OutboundMessage]:
    """Due messages, oldest first, each the oldest one still pending for its recipient: a chat's
    answers leave in the order they were queued, even when an earlier one waits for a retry or
    for the lease of a worker that died while sending it. Built once, with the channel, the
    time and the limit as parameters (docs/performance.md, fix 13)."""
    earlier = aliased(OutboundMessage)
    waiting_before = (
        select(earlier.id)
        .where(
            earlier.channel == OutboundMessage.channel,
            earlier.recipient == OutboundMessage.recipient,
            earlier.status == PENDING,
            col(earlier.id) < col(OutboundMessage.id),
        )
        .exists()
    )
    query = (
        select(OutboundMessage)
        .where(
            OutboundMessage.channel == bindparam("channel"),
            OutboundMessage.status == PENDING,
            col(OutboundMessage.next_attempt_at) <= bindparam("now"),
            ~waiting_before,
        )
        .order_by(col(OutboundMessage.id))
        .limit(bindparam("limit", type_=Integer))
    )
    return query.with_for_update(skip_locked=True) if for_update else query


_DUE = _due_statement(for_update=False)
_DUE_LOCKED = _due_statement(for_update=True)  # PostgreSQL: two senders never wait for each other
_LEASE = (
    update(OutboundMessage)
    .where(col(OutboundMessage.id).in_(bindparam("ids", expanding=True)))
    .values(next_attempt_at=bindparam("until"))
)


def due_outbound(
    session: Session, *, channel: str, now: datetime, limit: int = 20
) -> list[OutboundMessage]:
    """Return pending messages whose next attempt is due, oldest first."""
    return list(session.exec(_DUE, params={"channel": channel, "now": now, "limit": limit}))


def claim_due_outbound(
    session: Session,
    *,
    channel: str,
    now: datetime,
    limit: int = 20,
    lease: timedelta = timedelta(seconds=60),
) -> list[OutboundMessage]:
    """Take due messages for sending: each is leased (not due again for `lease`), so two
    workers never send the same one; a worker that dies leaves it to be retried after the lease."""
    query = _DUE_LOCKED if session.get_bind().dialect.name == "postgresql" else _DUE
    due = list(session.exec(query, params={"channel": channel, "now": now, "limit": limit}))
    if due:
        until = now + lease
        session.connection().execute(_LEASE, {"ids": [m.id for m in due], "until": until})
        for message in due:  # as the row now is (the UPDATE bypassed the ORM)
            set_committed_value(message, "next_attempt_at", until)
    return due


def mark_sent(
    session: Session, message: OutboundMessage, *, via: str, status: int, now: datetime
) -> None:
    message.status = SENT
    message.via = via
    message.last_status = status
    message.sent_at = now
    message.attempts += 1


def mark_retry(
    session: Session,
    message: OutboundMessage,
    *,
    delay: timedelta,
    status: int | None,
    error: str,
    now: datetime,
) -> None:
    """Schedule another attempt after `delay`."""
    message.attempts += 1
    message.last_status = status
    message.error = error
    message.next_attempt_at = now + delay
    message.reply_token = None  # a reply token is tried once; later attempts push


def mark_final(
    session: Session,
    message: OutboundMessage,
    *,
    state: str,
    status: int | None,
    error: str,
    now: datetime,
) -> None:
    """Give up on a message (failed, or quota exhausted)."""
    message.attempts += 1
    message.status = state
    message.last_status = status
    message.error = error
    message.next_attempt_at = now


# What an attempt may change on a message (the mark_* functions above), written back in one
# UPDATE built once: a sender records each attempt right after the platform answered, on the
# row it claimed earlier, without reading it again (docs/performance.md, fix 13).
_ATTEMPT_COLUMNS = (
    "status",
    "via",
    "last_status",
    "sent_at",
    "attempts",
    "error",
    "next_attempt_at",
    "reply_token",
)
_SAVE_ATTEMPT = (
    update(OutboundMessage)
    .where(col(OutboundMessage.id) == bindparam("pk"))
    .values({name: bindparam(f"new_{name}") for name in _ATTEMPT_COLUMNS})
)


def save_attempt(session: Session, message: OutboundMessage) -> None:
    """Write what `mark_sent`/`mark_retry`/`mark_final` changed on a claimed (detached) message."""
    values = {f"new_{name}": getattr(message, name) for name in _ATTEMPT_COLUMNS}
    session.connection().execute(_SAVE_ATTEMPT, {"pk": message.id, **values})


def list_outbound(session: Session, *, channel: str) -> list[OutboundMessage]:
    return list(
        session.exec(
            select(OutboundMessage)
            .where(OutboundMessage.channel == channel)
            .order_by(col(OutboundMessage.id))
        )
    )


def queue_counts(connection: Connection) -> dict[str, dict[str, int]]:
    """Return inbox and outbox row counts by status (operators watch `quota_exhausted`)."""
    counts: dict[str, dict[str, int]] = {}
    for name, table in (("inbox", "inboundevent"), ("outbox", "outboundmessage")):
        rows = connection.execute(text(f"SELECT status, COUNT(*) FROM {table} GROUP BY status"))
        counts[name] = {str(status): int(n) for status, n in rows}
    return counts
