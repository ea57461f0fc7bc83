"""What the fake Slack Web API knows and has seen: users, channels, triggers, messages, files.

Tests set it up (`add_user`, `issue_trigger_id`, `issue_response_url`, `fail_next`) and read it
while the fake serves (`posts`, `ephemerals`, `views_opened`, `files`, `calls`); slack_api's
endpoints change it under `lock`. Every expiry runs on the injected clock.
"""

from __future__ import annotations

import itertools
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from bot.clock import Clock, SystemClock

TRIGGER_TTL = timedelta(seconds=3)
RESPONSE_URL_TTL = timedelta(minutes=30)
RESPONSE_URL_USES = 5
FAKE_BOT_USER_ID = "UBOT"


class SlackError(Exception):
    """A Web API error, answered as `{"ok": false, "error": error}` (HTTP 200 unless told)."""

    def __init__(self, error: str, status: int = 200, headers: dict[str, str] | None = None):
        super().__init__(error)
        self.error, self.status, self.headers = error, status, headers or {}


@dataclass(frozen=True)
class Call:
    """One request the fake received (its arguments without the token) and its outcome."""

    method: str
    args: dict[str, Any]
    at: datetime
    status: int
    error: str | None


@dataclass(frozen=True)
class Message:
    """A message the fake accepted: posted to a channel, or shown to one user (ephemeral)."""

    kind: str  # "post" or "ephemeral"
    channel: str | None
    user: str | None
    text: str
    blocks: list[dict[str, Any]] | None
    thread_ts: str | None
    ts: str
    via: str  # the API method, or "response_url"
    at: datetime
    body: dict[str, Any] = field(repr=False)
    edited: bool = False


@dataclass(frozen=True)
class OpenedView:
    """A modal the fake opened (the latest version after views.update)."""

    id: str
    trigger_id: str
    view: dict[str, Any]
    at: datetime


@dataclass
class SharedFile:
    """A file announced by files.getUploadURLExternal; `data` once uploaded, `channel` once shared."""

    id: str
    filename: str
    length: int
    data: bytes | None = None
    title: str | None = None
    completed: bool = False
    channel: str | None = None
    initial_comment: str | None = None
    thread_ts: str | None = None

    def share(
        self, title: str, channel: str | None, comment: str | None, thread_ts: str | None
    ) -> None:
        """Complete the upload: title the file and share it to channel (or keep it private)."""
        self.title, self.completed, self.channel = title, True, channel
        self.initial_comment, self.thread_ts = comment, thread_ts


@dataclass
class Failure:
    """A failure the fake was told to answer with, for the next `remaining` calls."""

    remaining: int
    method: str | None
    status: int
    retry_after: int | None


@dataclass
class ResponseUrl:
    """A slash command's or button's response_url: where it answers and how often it was used."""

    channel: str | None
    user: str | None
    issued_at: datetime
    uses: int = 0


@dataclass
class FakeSlackState:
    """What the fake Slack Web API knows and has seen; read it from tests while it serves."""

    clock: Clock = field(default_factory=SystemClock)
    bot_token: str = "xoxb-fake-tsunagi"
    team_id: str = "T1"
    bot_user_id: str = FAKE_BOT_USER_ID
    bot_id: str = "BBOT"
    base_url: str | None = None
    calls_made: list[Call] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    views: dict[str, OpenedView] = field(default_factory=dict)
    uploads: dict[str, SharedFile] = field(default_factory=dict)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    channels: dict[str, dict[str, Any]] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    _triggers: dict[str, datetime | None] = field(default_factory=dict, init=False)
    _response_urls: dict[str, ResponseUrl] = field(default_factory=dict, init=False)
    _failures: list[Failure] = field(default_factory=list, init=False)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1), init=False)

    def add_user(self, user_id: str, name: str, real_name: str, *, locale: str = "ja-JP") -> None:
        """Register the profile users.info answers for a user."""
        profile = {"real_name": real_name, "display_name": name}
        user = {"id": user_id, "team_id": self.team_id, "name": name, "real_name": real_name}
        with self.lock:
            self.users[user_id] = user | {"locale": locale, "profile": profile}

    def add_channel(self, channel_id: str, name: str, *, is_private: bool = False) -> None:
        """Register the channel conversations.info answers for (an ID starting with D is a DM)."""
        is_im = channel_id.startswith("D")
        kind = {"is_channel": not is_im and not is_private, "is_group": is_private, "is_im": is_im}
        channel = {"id": channel_id, "name": name, "is_private": is_private or is_im}
        with self.lock:
            self.channels[channel_id] = channel | kind | {"is_member": True}

    def issue_trigger_id(self) -> str:
        """Issue a trigger_id, as Slack sends with a command or button; usable once, for 3 s."""
        trigger_id = f"{next(self._ids)}.{uuid.uuid4().int % 10**12}.{uuid.uuid4().hex}"
        with self.lock:
            self._triggers[trigger_id] = self.clock.now()
        return trigger_id

    def issue_response_url(self, *, channel: str | None = None, user: str | None = None) -> str:
        """Issue a response_url on the fake that answers in channel, or ephemerally to user."""
        if self.base_url is None:
            raise RuntimeError("serve the fake with serve_fake_slack before issuing response URLs")
        url_id = uuid.uuid4().hex
        with self.lock:
            self._response_urls[url_id] = ResponseUrl(channel, user, self.clock.now())
        return f"{self.base_url}/response/{url_id}"

    def fail_next(
        self, n: int, *, method: str | None = None, status: int = 429, retry_after: int | None = 1
    ) -> None:
        """Make the next n calls (to one method, if given) fail with this HTTP status."""
        with self.lock:
            self._failures.append(Failure(n, method, status, retry_after))

    def posts(self, channel: str | None = None) -> list[Message]:
        """Return the messages posted to channels (to one channel, if given), in order."""
        with self.lock:
            return [m for m in self.messages if m.kind == "post" and channel in (None, m.channel)]

    def ephemerals(self, user: str | None = None) -> list[Message]:
        """Return the ephemeral messages shown (to one user, if given), in order."""
        with self.lock:
            return [m for m in self.messages if m.kind == "ephemeral" and user in (None, m.user)]

    def views_opened(self) -> list[OpenedView]:
        """Return the modals opened, in order, each as last updated."""
        with self.lock:
            return list(self.views.values())

    def files(self, channel: str | None = None) -> list[SharedFile]:
        """Return the uploaded files shared by files.completeUploadExternal, in order."""
        with self.lock:
            done = [f for f in self.uploads.values() if f.completed]
        return [f for f in done if channel in (None, f.channel)]

    def calls(self, method: str | None = None) -> list[Call]:
        """Return the calls received (to one method, if given), in order, failed ones too."""
        with self.lock:
            return [call for call in self.calls_made if method in (None, call.method)]

    # What the endpoints do (under `lock`).

    def refuse_if_told(self, method: str) -> None:
        """Raise the injected failure this call must answer (429 with Retry-After, or 5xx)."""
        for failure in self._failures:
            if failure.remaining > 0 and failure.method in (None, method):
                failure.remaining -= 1
                if failure.status != 429:
                    raise SlackError("fatal_error", failure.status)
                after = (
                    {} if failure.retry_after is None else {"Retry-After": str(failure.retry_after)}
                )
                raise SlackError("ratelimited", 429, after)

    def record(self, method: str, args: dict[str, Any], status: int, error: str | None) -> None:
        """Keep one call in the log."""
        self.calls_made.append(Call(method, args, self.clock.now(), status, error))

    def new_ts(self) -> str:
        """Return a fresh message timestamp ("seconds.sequence"), as Slack identifies messages."""
        return f"{int(self.clock.now().timestamp())}.{next(self._ids) % 10**6:06d}"

    def new_id(self, prefix: str) -> str:
        """Return a fresh ID for a view or file."""
        return f"{prefix}{next(self._ids):08d}"

    def accept(self, message: Message) -> Message:
        """Keep a message the fake accepted."""
        self.messages.append(message)
        return message

    def edit(self, channel: str, ts: str, **changes: Any) -> Message:
        """Replace a posted message's content, as chat.update does."""
        for i, message in enumerate(self.messages):
            if message.kind == "post" and (message.channel, message.ts) == (channel, ts):
                self.messages[i] = replace(message, edited=True, **changes)
                return self.messages[i]
        raise SlackError("message_not_found")

    def redeem_trigger(self, trigger_id: str) -> None:
        """Use up a trigger_id; refuse an unknown, used or expired one."""
        if trigger_id not in self._triggers:
            raise SlackError("invalid_trigger_id")
        issued = self._triggers[trigger_id]
        if issued is None:
            raise SlackError("exchanged_trigger_id")
        if self.clock.now() - issued > TRIGGER_TTL:
            raise SlackError("expired_trigger_id")
        self._triggers[trigger_id] = None

    def redeem_response_url(self, url_id: str) -> ResponseUrl:
        """Count one use of a response_url; refuse an unknown, used-up or expired one."""
        response_url = self._response_urls.get(url_id)
        if response_url is None:
            raise SlackError("invalid_url", 404)
        if self.clock.now() - response_url.issued_at > RESPONSE_URL_TTL:
            raise SlackError("expired_url", 404)
        if response_url.uses >= RESPONSE_URL_USES:
            raise SlackError("used_url", 404)
        response_url.uses += 1
        return response_url
