"""Send a message later, to any channel, through the outbox (a form saved, a reminder due).

The outbox's idempotency key makes a repeated call harmless: the same key is queued once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlmodel import Session

from bot.messages import Reply
from storage.models import Identity
from storage.outbox import add_outbound


def notify(
    session: Session, *, channel: str, recipient: str, replies: list[Reply], key: str, now: datetime
) -> bool:
    """Queue replies for a chat (a LINE user or group id, a console user); return whether new."""
    if channel == "line":
        from bot.channels.line_render import render_replies

        messages = render_replies(replies)
    elif channel == "slack":  # a post with its buttons (a DM or a peer group's channel)
        from bot.channels.slack_delivery import post_call
        from bot.channels.slack_render import render_message

        shared = recipient.startswith(("C", "G"))  # a channel, not a user or a DM
        messages = [post_call(recipient, render_message(replies, in_shared_channel=shared))]
    else:
        messages = [{"type": "text", "text": reply.plain()} for reply in replies]
    return add_outbound(
        session,
        channel=channel,
        idempotency_key=key,
        recipient=recipient,
        messages=messages,
        now=now,
    )


def notify_accounts(
    session: Session,
    *,
    accounts: Iterable[Identity],
    replies: list[Reply],
    key: str,
    now: datetime,
) -> int:
    """Queue the same replies to each of a member's chat accounts under one idempotency key
    (unique per channel); return how many were new."""
    return sum(
        notify(
            session,
            channel=account.channel,
            recipient=account.external_id,
            replies=replies,
            key=key,
            now=now,
        )
        for account in accounts
    )
