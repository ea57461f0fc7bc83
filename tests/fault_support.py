"""Fault tests' support: scripted LINE and Slack users and a stream that delivers their events to a
served bot the way the platforms do — signed, retried until acknowledged, flagged as redeliveries.

Each user's events go out in order (a sender owns its users); an event the bot did not acknowledge
(connection refused while the server is down, 503 while the store is) is sent again after a short
pause, LINE's with `deliveryContext.isRedelivery`, Slack's with `X-Slack-Retry-Num`. The stream
counts acknowledgements and 503s so a test can inject faults at seeded points of it.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from e2e_support import DEADLINE, POLL, SECRET, ServedBot, serve_env

from bot.channels.slack_render import CHOICE_ACTION
from bot.fakes.line_state import FakeLineState
from bot.fakes.line_webhooks import FAKE_BOT_USER_ID, sign
from bot.fakes.slack_requests import (
    block_action_payload,
    event_envelope,
    message_event,
    retry_headers,
    signed_headers,
    slash_command_form,
)
from bot.fakes.slack_state import FakeSlackState

SLACK_SECRET = "fault-slack-signing-secret"
SLACK_TOKEN = "xoxb-fault-tsunagi"
MURMURS = (
    "バス停まで遠くて通院が大変",
    "スーパーが遠くて買い物が大変",
    "一人だとご飯つくる気にならん",
    "集会所の段差がこわい",
)
# The visit flow, answered by typing (text) or by tapping a choice (its value): 15 events.
VISIT = (
    ("text", "訪問"),
    ("tap", "today"),
    ("text", "中央圏域"),
    ("text", "{place}"),
    ("tap", "宝物さがし"),
    ("tap", "60"),
    ("text", "10"),
    ("tap", "none"),
    ("tap", "skip"),
    ("tap", "skip"),
    ("tap", "done"),
    ("tap", "none"),
    ("tap", "把握"),
    ("tap", "skip"),
    ("tap", "save"),
)
_serial = itertools.count(1)


@dataclass
class Event:
    """One thing a user does, as its platform sends it (again and again until acknowledged)."""

    platform: str  # "line" or "slack"
    user: str
    kind: str  # "text", "tap" or (Slack) "command"
    content: str
    key: str = field(default_factory=lambda: f"FAULT{next(_serial):021d}")
    attempts: int = 0
    acked: bool = False
    reply_token: str = ""  # LINE: issued by the fake when first sent
    slack: dict[str, str] = field(default_factory=dict)  # Slack: ts, trigger, response_url


def murmur_text(user_no: int, k: int) -> str:
    """Return a murmur text no other event of the stream uses."""
    return f"{MURMURS[(user_no + k) % len(MURMURS)]} その{user_no * 10 + k}"


def place_of(user_no: int) -> str:
    return f"本町集会所{user_no}号"


def script(platform: str, user: str, user_no: int, code: str) -> list[Event]:
    """Return a user's events: register, a one-message murmur saved by tap, a whole visit, help."""
    steps: list[tuple[str, str]] = [("text", f"登録 {code}")]
    murmur = ("command" if platform == "slack" else "text", f"つぶやき {murmur_text(user_no, 1)}")
    steps += [murmur, ("tap", "save")]
    steps += [(kind, text.format(place=place_of(user_no))) for kind, text in VISIT]
    if platform == "line":
        steps += [("text", f"つぶやき {murmur_text(user_no, 2)}"), ("tap", "save")]
    steps.append(("command" if platform == "slack" else "text", "ヘルプ"))
    return [Event(platform, user, kind, content) for kind, content in steps]


def interleave(scripts: list[list[Event]]) -> list[Event]:
    """Return the events of several users round-robin (each user's in order)."""
    merged = itertools.zip_longest(*scripts)
    return [event for group in merged for event in group if event is not None]


class Platforms:
    """The fake LINE and Slack platforms in this process, and how to post to the served bot."""

    def __init__(self, line: FakeLineState, slack: FakeSlackState) -> None:
        self.line = line
        self.slack = slack

    def request(self, event: Event) -> tuple[str, bytes, dict[str, str]]:
        """Return (path, body, headers) of this attempt at delivering the event."""
        if event.platform == "line":
            return self._line(event)
        return self._slack(event)

    def _line(self, event: Event) -> tuple[str, bytes, dict[str, str]]:
        if not event.reply_token:
            event.reply_token = self.line.issue_reply_token(event.user)
        body: dict[str, Any] = {
            "type": "message" if event.kind == "text" else "postback",
            "mode": "active",
            "timestamp": int(time.time() * 1000),
            "source": {"type": "user", "userId": event.user},
            "webhookEventId": event.key,
            "deliveryContext": {"isRedelivery": event.attempts > 0},
            "replyToken": event.reply_token,
        }
        if event.kind == "text":
            body["message"] = {"type": "text", "id": event.key[-12:], "text": event.content}
        else:
            body["postback"] = {"data": event.content}
        raw = json.dumps({"destination": FAKE_BOT_USER_ID, "events": [body]}).encode()
        headers = {"content-type": "application/json", "x-line-signature": sign(raw, SECRET)}
        return "/line/webhook", raw, headers

    def _slack(self, event: Event) -> tuple[str, bytes, dict[str, str]]:
        channel, given = "D" + event.user, event.slack
        if not given:
            given["ts"] = f"{int(time.time())}.{int(event.key[5:]) % 10**6:06d}"
            given["trigger"] = self.slack.issue_trigger_id()
            given["url"] = self.slack.issue_response_url(channel=channel, user=event.user)
        if event.kind == "text":
            message = message_event(event.user, channel, event.content, given["ts"])
            raw = event_envelope(message, f"Ev{event.key}")
        elif event.kind == "command":
            raw = slash_command_form(
                event.content, event.user, channel, given["trigger"], given["url"]
            )
        else:
            action = f"{CHOICE_ACTION}1"
            raw = block_action_payload(
                action, event.content, event.user, channel, given["trigger"], given["url"]
            )
        headers = signed_headers(raw, SLACK_SECRET, int(time.time()))
        if event.attempts > 0:
            headers |= retry_headers(event.attempts)
        return "/slack/events", raw, headers


def both_env(database_url: str, line_url: str, line_token: str, slack_url: str) -> dict[str, str]:
    """Return `serve`'s environment with both LINE and Slack pointed at the fakes.

    Short leases: what a killed process had claimed is taken up again after 3 s, not 60 s (one
    process runs at a time here, so a short lease cannot let two send the same message).
    """
    return serve_env(database_url, line_url, line_token) | {
        "SLACK_SIGNING_SECRET": SLACK_SECRET,
        "SLACK_BOT_TOKEN": SLACK_TOKEN,
        "SLACK_API_URL": f"{slack_url}/api/",
        "TSUNAGI_INBOX_LEASE_SECONDS": "3",
        "TSUNAGI_OUTBOX_LEASE_SECONDS": "3",
    }


class Stream:
    """Send events through a few sender threads, retrying each until it is acknowledged."""

    def __init__(self, server: ServedBot, platforms: Platforms, senders: int = 4) -> None:
        self.server = server
        self.platforms = platforms
        self.senders = senders
        self.lock = threading.Lock()
        self.acked = 0
        self.statuses: dict[int, int] = {}  # HTTP status → how often (0: no answer)
        self.errors: list[BaseException] = []

    def run(self, events: list[Event], *, deadline: float) -> list[threading.Thread]:
        """Start the senders (users split between them); return the threads."""
        users = sorted({e.user for e in events})
        owner = {user: i % self.senders for i, user in enumerate(users)}
        threads = []
        for n in range(self.senders):
            mine = [e for e in events if owner[e.user] == n]
            thread = threading.Thread(target=self._send_all, args=(mine, deadline), daemon=True)
            thread.start()
            threads.append(thread)
        return threads

    def count(self, status: int) -> int:
        with self.lock:
            return self.statuses.get(status, 0)

    def _send_all(self, events: list[Event], deadline: float) -> None:
        try:
            with httpx.Client(base_url=self.server.url, timeout=DEADLINE) as http:
                for event in events:
                    self._deliver(http, event, deadline)
        except BaseException as failure:  # reported by the test through `errors`
            self.errors.append(failure)

    def _deliver(self, http: httpx.Client, event: Event, deadline: float) -> None:
        while not event.acked:
            if time.monotonic() > deadline:
                raise AssertionError(f"event {event.key} never acknowledged")
            path, body, headers = self.platforms.request(event)
            try:
                status = http.post(path, content=body, headers=headers).status_code
            except httpx.TransportError:
                status = 0
            with self.lock:
                self.statuses[status] = self.statuses.get(status, 0) + 1
                if status == 200:
                    event.acked = True
                    self.acked += 1
            if status not in (0, 200, 503):
                raise AssertionError(f"{path} answered {status} to {event.key}")
            if not event.acked:
                event.attempts += 1
                time.sleep(POLL)  # the platform's redelivery pause (polled, never a fixed wait)


def poll(
    check: Callable[[], bool], what: str, *, within: float, explain: Callable[[], str]
) -> None:
    """Poll `check` until true; fail after `within` seconds with `explain()`."""
    deadline = time.monotonic() + within
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}\n{explain()}")
        time.sleep(POLL)
