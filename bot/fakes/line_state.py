"""What the fake LINE platform knows and has seen: tokens, friends, content and every call.

Tests read it while the fake serves (`replies_to`, `pushes_to`, `calls_to`); line_platform's
endpoints change it under `lock`.
"""

from __future__ import annotations

import itertools
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot.clock import Clock, SystemClock

REPLY_TOKEN_TTL = timedelta(seconds=30)
RETRY_KEY_TTL = timedelta(hours=24)


@dataclass(frozen=True)
class Call:
    """One request the fake received and the status it answered."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any
    at: datetime
    status: int


@dataclass(frozen=True)
class Delivery:
    """Messages the fake accepted for one user, by reply or push."""

    kind: str
    to: str
    messages: list[dict[str, Any]]
    at: datetime

    def texts(self) -> list[str]:
        """Return each message as text (a Flex or template message by its altText)."""
        return [m.get("text") or m.get("altText") or f"[{m.get('type')}]" for m in self.messages]


@dataclass
class Failure:
    """A failure the fake was told to answer with, for the next `remaining` requests."""

    remaining: int
    status: int
    retry_after: float | None
    body: dict[str, Any]
    path: str | None


@dataclass
class FakeLineState:
    """What the fake LINE platform knows and has seen; read it from tests while it serves."""

    clock: Clock = field(default_factory=SystemClock)
    access_token: str = "fake-line-access-token"
    reply_token_ttl: timedelta = REPLY_TOKEN_TTL
    monthly_limit: bool = False
    calls: list[Call] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    rich_menus: dict[str, dict[str, Any]] = field(default_factory=dict)
    rich_menu_images: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    default_rich_menu: str | None = None
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    _reply_tokens: dict[str, tuple[str, datetime]] = field(default_factory=dict, init=False)
    _retry_keys: dict[str, tuple[str, list[Any], datetime]] = field(
        default_factory=dict, init=False
    )
    _contents: dict[str, tuple[bytes, str]] = field(default_factory=dict, init=False)
    _profiles: dict[str, dict[str, Any]] = field(default_factory=dict, init=False)
    _failures: list[Failure] = field(default_factory=list, init=False)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(100001), init=False)

    def issue_reply_token(self, user_id: str) -> str:
        """Issue a reply token for an event from this user (and make the user a friend)."""
        token = uuid.uuid4().hex
        with self.lock:
            self._reply_tokens[token] = (user_id, self.clock.now())
            self._profiles.setdefault(user_id, _profile(user_id, f"LINEユーザー{user_id[-4:]}"))
        return token

    def add_profile(self, user_id: str, display_name: str, *, language: str = "ja") -> None:
        """Register the profile the fake answers for a user."""
        with self.lock:
            self._profiles[user_id] = _profile(user_id, display_name, language)

    def add_content(self, message_id: str, data: bytes, content_type: str) -> None:
        """Register the bytes served for a user's image/video/audio/file message."""
        with self.lock:
            self._contents[message_id] = (data, content_type)

    def fail_next(
        self,
        n: int,
        *,
        status: int = 500,
        retry_after: float | None = None,
        body: dict[str, Any] | None = None,
        path: str | None = None,
    ) -> None:
        """Make the next n requests (to one path, if given) fail with this status."""
        default = {"message": "Too many requests" if status == 429 else "Internal server error"}
        with self.lock:
            self._failures.append(Failure(n, status, retry_after, body or default, path))

    def replies_to(self, user_id: str) -> list[str]:
        """Return the texts replied to a user, in order."""
        return self._texts(user_id, {"reply"})

    def pushes_to(self, user_id: str) -> list[str]:
        """Return the texts pushed to a user, in order."""
        return self._texts(user_id, {"push"})

    def messages_to(self, user_id: str) -> list[str]:
        """Return every text a user received, replies and pushes, in order."""
        return self._texts(user_id, {"reply", "push"})

    def calls_to(self, path: str) -> list[Call]:
        """Return the requests made to one path, in order."""
        with self.lock:
            return [call for call in self.calls if call.path == path]

    def profile(self, user_id: str) -> dict[str, Any] | None:
        """Return a user's profile, or None if the user is not a friend."""
        return self._profiles.get(user_id)

    def content(self, message_id: str) -> tuple[bytes, str] | None:
        """Return the bytes and content type of a message's content, if registered."""
        return self._contents.get(message_id)

    def accept_retry_key(self, key: str, request_id: str, sent: list[Any]) -> None:
        """Remember a push accepted with this retry key."""
        self._retry_keys[key] = (request_id, sent, self.clock.now())

    def accepted_retry_key(self, key: str) -> tuple[str, list[Any]] | None:
        """Return the request ID and sent messages of a push accepted with key in 24 hours."""
        accepted = self._retry_keys.get(key)
        if accepted is None or self.clock.now() - accepted[2] >= RETRY_KEY_TTL:
            return None
        return accepted[0], accepted[1]

    def _texts(self, user_id: str, kinds: set[str]) -> list[str]:
        with self.lock:
            chosen = [d for d in self.deliveries if d.to == user_id and d.kind in kinds]
        return [text for delivery in chosen for text in delivery.texts()]

    def take_failure(self, path: str) -> Failure | None:
        """Return the injected failure this request to path must answer, if any."""
        for failure in self._failures:
            if failure.remaining > 0 and failure.path in (None, path):
                failure.remaining -= 1
                return failure
        return None

    def redeem_reply_token(self, token: Any) -> str | None:
        """Use up a live reply token; return its user, or None if unknown, used or expired."""
        issued = self._reply_tokens.get(token) if isinstance(token, str) else None
        if issued is None or self.clock.now() - issued[1] > self.reply_token_ttl:
            return None
        del self._reply_tokens[token]
        return issued[0]

    def deliver(self, kind: str, to: str, messages: list[dict[str, Any]]) -> list[Any]:
        """Record messages accepted for a user; return their sent-message IDs."""
        self.deliveries.append(Delivery(kind, to, messages, self.clock.now()))
        return [{"id": str(next(self._ids))} for _ in messages]


def _profile(user_id: str, display_name: str, language: str = "ja") -> dict[str, Any]:
    return {"userId": user_id, "displayName": display_name, "language": language}
