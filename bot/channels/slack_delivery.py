"""Deliver queued Slack messages: one call per outbox row, paced per channel.

Each outbox row holds one call (chat.postMessage; chat.postEphemeral to one user; or an ephemeral
answer through a command's or button's response_url, which works even in channels the bot is not
in), so a retry never repeats a call that already succeeded. The client retries 429 (after Retry-After), 5xx and
connection errors itself; what still fails is retried by the outbox with backoff, Retry-After
honoured. At most one message a second goes to a channel (PLATFORMS.md §2.4).
"""

from __future__ import annotations

import base64
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.webhook import WebhookClient
from sqlmodel import Session

from storage.models import OutboundMessage
from storage.outbox import FAILED, mark_final, mark_retry, mark_sent

log = logging.getLogger(__name__)

POST, EPHEMERAL, RESPOND = "chat.postMessage", "chat.postEphemeral", "response_url"
UPLOAD = "files.uploadV2"  # getUploadURLExternal → upload → completeUploadExternal
PER_CHANNEL = 1.0  # seconds between two messages to one channel
MAX_ATTEMPTS = 8
MAX_DELAY = timedelta(minutes=5)
TIMEOUT = 10


def _retry_handlers() -> list[RetryHandler]:
    """Return the SDK's retries: 429 (after Retry-After), 5xx and lost connections, once each."""
    return [
        RateLimitErrorRetryHandler(max_retry_count=1),
        ServerErrorRetryHandler(max_retry_count=1),
        ConnectionErrorRetryHandler(max_retry_count=1),
    ]


def make_client(token: str, base_url: str) -> WebClient:
    """Return the Web API client, with the SDK's retries."""
    return WebClient(
        token=token, base_url=base_url, timeout=TIMEOUT, retry_handlers=_retry_handlers()
    )


def post_call(channel: str, message: dict[str, Any]) -> dict[str, Any]:
    """Return the outbox entry for a message everyone in the channel sees."""
    return {"method": POST, "channel": channel, **message}


def ephemeral_call(channel: str, user: str, message: dict[str, Any]) -> dict[str, Any]:
    """Return the outbox entry for a message only `user` sees in the channel."""
    return {"method": EPHEMERAL, "channel": channel, "user": user, **message}


def upload_call(channel: str, *, filename: str, title: str, data: bytes) -> dict[str, Any]:
    """Return the outbox entry that shares a file (a chart, an export) in a channel or DM."""
    content = base64.b64encode(data).decode()
    return {
        "method": UPLOAD,
        "channel": channel,
        "filename": filename,
        "title": title,
        "content": content,
    }


def respond_call(url: str, message: dict[str, Any]) -> dict[str, Any]:
    """Return the outbox entry for an ephemeral answer through a response_url."""
    return {"method": RESPOND, "url": url, "response_type": "ephemeral", **message}


@dataclass(frozen=True)
class Outcome:
    """What Slack answered to one call: ok, or an HTTP status and error (0: no answer)."""

    ok: bool
    status: int
    error: str = ""
    retry_after: float | None = None


class Pacer:
    """Keep calls to one channel at least PER_CHANNEL seconds apart (real time)."""

    def __init__(
        self,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sleep, self._monotonic = sleep, monotonic
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def next_ready(self, channels: list[str]) -> int:
        """Return the index of the first channel a call may go to now, sleeping until one may.

        Calls to other channels are not held up by one that must wait.
        """
        waits = [self._wait(channel) for channel in channels]
        for i, wait in enumerate(waits):
            if wait <= 0:
                return i
        soonest = min(range(len(waits)), key=waits.__getitem__)
        self._sleep(waits[soonest])
        return soonest

    def _wait(self, channel: str) -> float:
        with self._lock:
            last = self._last.get(channel)
        return 0.0 if last is None else last + PER_CHANNEL - self._monotonic()

    def sent(self, channel: str) -> None:
        """Note that a call to `channel` just finished."""
        with self._lock:
            self._last[channel] = self._monotonic()


def call(client: WebClient, message: OutboundMessage) -> Outcome:
    """Make the Web API call of one outbox row (no database work)."""
    entry = _entry(message)
    method = entry.pop("method")
    if method == RESPOND:
        return _respond(entry)
    try:
        if method == UPLOAD:
            entry["content"] = base64.b64decode(entry["content"])
            client.files_upload_v2(**entry)
        else:
            client.api_call(method, json=entry)
    except SlackApiError as refused:
        response = refused.response
        after = {str(k).lower(): v for k, v in response.headers.items()}.get("retry-after")
        error = str(response.get("error", ""))
        return Outcome(False, response.status_code, error, _seconds(after))
    except Exception as failure:  # no answer: connection refused, timed out, unreadable
        return Outcome(False, 0, type(failure).__name__)
    return Outcome(True, 200)


def _respond(entry: dict[str, Any]) -> Outcome:
    """POST an answer to a response_url (good for 5 answers in 30 minutes)."""
    url = entry.pop("url")
    try:
        webhook = WebhookClient(url, timeout=TIMEOUT, retry_handlers=_retry_handlers())
        response = webhook.send_dict(entry)
    except Exception as failure:
        return Outcome(False, 0, type(failure).__name__)
    if response.status_code == 200:
        return Outcome(True, 200)
    after = {str(k).lower(): v for k, v in response.headers.items()}.get("retry-after")
    retry_after = _seconds(after)
    return Outcome(False, response.status_code, str(response.body)[:200], retry_after)


def _seconds(value: Any) -> float | None:
    """Return a Retry-After header's seconds (a header may come as a list of values)."""
    if isinstance(value, list):
        value = value[0] if value else None
    return float(value) if value is not None and str(value).isdecimal() else None


def record(session: Session, message: OutboundMessage, done: Outcome, now: datetime) -> None:
    """Record the outcome: sent, retried later (429, 5xx, no answer), or given up."""
    via = str(_entry(message).get("method"))
    if done.ok:
        mark_sent(session, message, via=via, status=done.status, now=now)
    elif _retryable(done) and message.attempts + 1 < MAX_ATTEMPTS:
        delay = _backoff(message.attempts, done.retry_after)
        status = done.status or None
        mark_retry(session, message, delay=delay, status=status, error=done.error, now=now)
    else:
        log.error("Slack %s failed for good (%s %s)", via, done.status, done.error)
        status = done.status or None
        mark_final(session, message, state=FAILED, status=status, error=done.error, now=now)


def _entry(message: OutboundMessage) -> dict[str, Any]:
    """Return the call of a row; a row queued by `notify` holds plain texts for the recipient."""
    first = dict(message.messages[0]) if message.messages else {}
    if "method" in first:
        return first
    text = "\n\n".join(str(m.get("text", "")) for m in message.messages)
    return {"method": POST, "channel": message.recipient, "text": text}


def _retryable(done: Outcome) -> bool:
    return done.status in (0, 429) or done.status >= 500


def _backoff(attempts: int, retry_after: float | None) -> timedelta:
    """Return the wait before the next attempt: Retry-After if given, else 1, 2, 4 … seconds."""
    delay = timedelta(seconds=retry_after) if retry_after else timedelta(seconds=2**attempts)
    return min(delay, MAX_DELAY)
