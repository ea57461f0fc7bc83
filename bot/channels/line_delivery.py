"""Deliver queued LINE messages: the reply token once while it is fresh, else a push.

Pushes carry `X-Line-Retry-Key`, so a retried push is never shown twice (409 = delivered).
429 and 5xx are retried with backoff honouring Retry-After; a 429 for the monthly message
limit is not retried but recorded for the admins (PLATFORMS.md §8 R7, R8).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.channels.line_api import LineApi, Sent
from storage.audit import add_audit
from storage.models import OutboundMessage
from storage.outbox import FAILED, QUOTA_EXHAUSTED, mark_final, mark_retry, mark_sent

log = logging.getLogger(__name__)

REPLY_WINDOW = timedelta(seconds=25)  # LINE's reply tokens expire; keep a margin
MAX_ATTEMPTS = 8
MAX_DELAY = timedelta(minutes=5)


@dataclass(frozen=True)
class Attempt:
    """How one message was sent (reply or push) and what LINE answered."""

    via: str
    sent: Sent


def attempt(message: OutboundMessage, api: LineApi, now: datetime) -> Attempt:
    """Call LINE for one message: the reply token while fresh, else a push (no database work)."""
    if message.reply_token and message.received_at and now - message.received_at < REPLY_WINDOW:
        sent = api.reply(message.reply_token, message.messages)
        if sent.ok:
            return Attempt("reply", sent)
        log.info("LINE reply refused (%s); pushing instead", sent.status)
    return Attempt(
        "push", api.push(message.recipient, message.messages, retry_key=message.retry_key)
    )


def record(session: Session, message: OutboundMessage, done: Attempt, now: datetime) -> None:
    """Record the outcome of an attempt on the message: sent, retried later, or given up."""
    if done.via == "reply":
        mark_sent(session, message, via="reply", status=done.sent.status, now=now)
    else:
        _record_push(session, message, done.sent, now)


def _record_push(session: Session, message: OutboundMessage, sent: Sent, now: datetime) -> None:
    if sent.ok or sent.status == 409:
        mark_sent(session, message, via="push", status=sent.status, now=now)
    elif sent.status == 429 and "monthly limit" in sent.body.lower():
        log.error("LINE monthly message limit reached; message %s not sent", message.id)
        mark_final(
            session, message, state=QUOTA_EXHAUSTED, status=429, error="monthly limit", now=now
        )
        add_audit(
            session,
            at=now,
            action="line.quota_exhausted",
            actor="system",
            target=f"outbound:{message.id}",
        )
    elif _retryable(sent) and message.attempts + 1 < MAX_ATTEMPTS:
        delay = _backoff(message.attempts, sent.retry_after)
        mark_retry(
            session,
            message,
            delay=delay,
            status=sent.status or None,
            error=sent.body[:200],
            now=now,
        )
    else:
        log.error("LINE push failed for good (status %s) for message %s", sent.status, message.id)
        mark_final(
            session,
            message,
            state=FAILED,
            status=sent.status or None,
            error=sent.body[:200],
            now=now,
        )


def _retryable(sent: Sent) -> bool:
    return sent.status in (0, 429) or sent.status >= 500


def _backoff(attempts: int, retry_after: float | None) -> timedelta:
    """Return the wait before the next attempt: Retry-After if given, else 1, 2, 4 … seconds."""
    delay = timedelta(seconds=retry_after) if retry_after else timedelta(seconds=2**attempts)
    return min(delay, MAX_DELAY)
