"""Webhooks as LINE posts them, signed, for tests and `tsunagi demo --fake-line`.

Events are 1:1-chat events from a user in `active` mode, shaped like the SDK's own samples
(shared/conformance/line-webhook-events.json); `webhook_body` wraps them and `sign` signs the body.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

FAKE_BOT_USER_ID = "U" + "f" * 32


def sign(body: bytes, channel_secret: str) -> str:
    """Return the X-Line-Signature LINE sends with a webhook body."""
    digest = hmac.new(channel_secret.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def webhook_body(*events: dict[str, Any], destination: str = FAKE_BOT_USER_ID) -> bytes:
    """Return the raw body LINE posts to the webhook for these events."""
    payload = {"destination": destination, "events": list(events)}
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


def text_event(
    user_id: str,
    text: str,
    *,
    webhook_event_id: str,
    reply_token: str,
    timestamp_ms: int,
    redelivery: bool = False,
) -> dict[str, Any]:
    """Return a text-message event from a user in a 1:1 chat, shaped like LINE's."""
    # A redelivered event carries the same message ID, so derive it from the event ID.
    message_id = str(int(hashlib.sha256(webhook_event_id.encode()).hexdigest()[:13], 16))
    message = {"type": "text", "id": message_id, "quoteToken": f"q{message_id}", "text": text}
    event = _event("message", user_id, webhook_event_id, timestamp_ms, redelivery, reply_token)
    return event | {"message": message}


def postback_event(
    user_id: str,
    data: str,
    *,
    webhook_event_id: str,
    reply_token: str,
    timestamp_ms: int,
    redelivery: bool = False,
) -> dict[str, Any]:
    """Return a postback event (a tapped quick reply or button) from a user in a 1:1 chat."""
    event = _event("postback", user_id, webhook_event_id, timestamp_ms, redelivery, reply_token)
    return event | {"postback": {"data": data}}


def follow_event(
    user_id: str,
    *,
    webhook_event_id: str,
    reply_token: str,
    timestamp_ms: int,
    redelivery: bool = False,
    unblocked: bool = False,
) -> dict[str, Any]:
    """Return the event sent when a user adds the bot as a friend (or unblocks it)."""
    event = _event("follow", user_id, webhook_event_id, timestamp_ms, redelivery, reply_token)
    return event | {"follow": {"isUnblocked": unblocked}}


def unfollow_event(
    user_id: str, *, webhook_event_id: str, timestamp_ms: int, redelivery: bool = False
) -> dict[str, Any]:
    """Return the event sent when a user blocks the bot (it has no reply token)."""
    return _event("unfollow", user_id, webhook_event_id, timestamp_ms, redelivery, None)


def _event(
    kind: str,
    user_id: str,
    event_id: str,
    timestamp_ms: int,
    redelivery: bool,
    reply_token: str | None,
) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": kind,
        "mode": "active",
        "timestamp": timestamp_ms,
        "source": {"type": "user", "userId": user_id},
        "webhookEventId": event_id,
        "deliveryContext": {"isRedelivery": redelivery},
    }
    if reply_token is not None:
        event["replyToken"] = reply_token
    return event
