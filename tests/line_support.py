"""Drive the LINE channel in-process: signed webhooks into the ASGI app, the fake LINE behind it.

`line_world(tmp_path, clock)` builds the real runtime (store, bot, LineChannel) against the fake
LINE platform served on loopback. Tests post webhooks, then run the inbox and the outbox
themselves (`run()`), so nothing happens behind their back and no test sleeps.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from conftest import World
from sqlmodel import select
from starlette.types import ASGIApp

from bot.app import Runtime, build_runtime, create_asgi_app
from bot.channels.line import LineChannel
from bot.clock import ManualClock
from bot.fakes.line_platform import create_fake_line_app, serve_in_thread
from bot.fakes.line_state import FakeLineState
from bot.fakes.line_webhooks import sign, webhook_body
from bot.settings import Settings
from storage.db import session_scope
from storage.models import InboundEvent, OutboundMessage

SECRET = "test-secret"
TOKEN = "test-channel-access-token"
SATO = "U" + "1" * 32
SUZUKI = "U" + "2" * 32
TANAKA = "U" + "3" * 32
GROUP = "C" + "a" * 32
REPLY = "/v2/bot/message/reply"
PUSH = "/v2/bot/message/push"
WEBHOOK = "/line/webhook"
UNSIGNED = object()  # post without an X-Line-Signature header


@dataclass
class LineWorld:
    """The tsunagi runtime with its LINE channel, the fake LINE platform and the shared clock."""

    runtime: Runtime
    fake: FakeLineState
    clock: ManualClock
    world: World
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def channel(self) -> LineChannel:
        assert self.runtime.line is not None, "LINE is not configured"
        return self.runtime.line

    # ── building events ────────────────────────────────────────────────────────────────────

    def next_event_id(self) -> str:
        """Return a fresh ULID-shaped webhookEventId."""
        return f"01TSUNAGI{next(self._ids):017d}"

    def event(
        self,
        kind: str,
        user: str,
        *,
        group: str | None = None,
        redelivery: bool = False,
        event_id: str | None = None,
        reply_token: bool = True,
        mode: str = "active",
        **content: Any,
    ) -> dict[str, Any]:
        """Return an event as LINE sends it, with a reply token issued by the fake."""
        source = {"type": "group", "groupId": group, "userId": user} if group else None
        event: dict[str, Any] = {
            "type": kind,
            "mode": mode,
            "timestamp": int(self.clock.now().timestamp() * 1000),
            "source": source or {"type": "user", "userId": user},
            "webhookEventId": event_id or self.next_event_id(),
            "deliveryContext": {"isRedelivery": redelivery},
        }
        if reply_token:
            event["replyToken"] = self.fake.issue_reply_token(group or user)
        return event | content

    def text(self, user: str, text: str, **options: Any) -> dict[str, Any]:
        """Return a text-message event."""
        message = {"type": "text", "id": str(next(self._ids)), "text": text}
        return self.event("message", user, message=message, **options)

    def postback(self, user: str, data: str, **options: Any) -> dict[str, Any]:
        """Return the postback event of a tapped quick reply or button."""
        return self.event("postback", user, postback={"data": data}, **options)

    def message(self, user: str, mtype: str, **fields: Any) -> dict[str, Any]:
        """Return a message event of another type (sticker, image, location…)."""
        message = {"type": mtype, "id": str(next(self._ids)), **fields}
        return self.event("message", user, message=message)

    # ── the webhook ────────────────────────────────────────────────────────────────────────

    def post(self, body: bytes, signature: Any = None, **headers: str) -> httpx.Response:
        """POST a raw body to the webhook, signed with the channel secret unless told otherwise."""
        return asyncio.run(self.post_many([body], signature, **headers))[0]

    async def post_many(
        self, bodies: list[bytes], signature: Any = None, **headers: str
    ) -> list[httpx.Response]:
        """POST bodies concurrently to the webhook; return the responses in order."""
        async with self.client() as client:
            posts = [
                client.post(WEBHOOK, content=body, headers=self.headers(body, signature, headers))
                for body in bodies
            ]
            return list(await asyncio.gather(*posts))

    async def post_stream(self, chunks: list[bytes], signature: str) -> httpx.Response:
        """POST a body streamed in chunks, without a Content-Length."""

        async def stream() -> AsyncIterator[bytes]:
            for chunk in chunks:
                yield chunk

        async with self.client() as client:
            headers = {"x-line-signature": signature, "content-type": "application/json"}
            return await client.post(WEBHOOK, content=stream(), headers=headers)

    def client(self) -> httpx.AsyncClient:
        app = create_asgi_app(self.runtime, start_workers=False)
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://tsunagi")

    @staticmethod
    def headers(body: bytes, signature: Any, extra: dict[str, str]) -> dict[str, str]:
        headers = {"content-type": "application/json", **extra}
        if signature is not UNSIGNED:
            headers["x-line-signature"] = signature or sign(body, SECRET)
        return headers

    def send(self, *events: dict[str, Any]) -> httpx.Response:
        """Post the events in one signed webhook and check LINE got its 200."""
        response = self.post(webhook_body(*events))
        assert response.status_code == 200, response.text
        return response

    # ── the workers, run by hand ───────────────────────────────────────────────────────────

    def process(self) -> None:
        """Process every waiting inbox event (the answers wait in the outbox)."""
        while self.channel.process_pending():
            pass

    def run(self) -> None:
        """Process every waiting inbox event, then deliver whatever is due (a chat's answers go
        one at a time, in order, so the delivery loop runs until nothing is left)."""
        self.process()
        while self.channel.deliver_due():
            pass

    def say(self, user: str, text: str, **options: Any) -> list[str]:
        """Send a text, run the workers and return what the chat received in answer."""
        return self.exchange(options.get("group") or user, self.text(user, text, **options))

    def tap(self, user: str, data: str, **options: Any) -> list[str]:
        """Tap a quick reply or button (its postback data); return what the chat received."""
        return self.exchange(options.get("group") or user, self.postback(user, data, **options))

    def exchange(self, chat: str, *events: dict[str, Any]) -> list[str]:
        """Send events, run the workers and return the texts the chat received since."""
        before = len(self.fake.messages_to(chat))
        self.send(*events)
        self.run()
        return self.fake.messages_to(chat)[before:]

    # ── what LINE saw ──────────────────────────────────────────────────────────────────────

    def messages(self, chat: str) -> list[dict[str, Any]]:
        """Return every message object the chat received, in order."""
        with self.fake.lock:
            deliveries = [d for d in self.fake.deliveries if d.to == chat]
        return [message for delivery in deliveries for message in delivery.messages]

    def quick_replies(self, chat: str) -> list[tuple[str, str]]:
        """Return (label, data) of each quick-reply item on the last message the chat received."""
        last = self.messages(chat)[-1]
        items = last.get("quickReply", {}).get("items", [])
        return [(item["action"]["label"], item["action"]["data"]) for item in items]

    def register(self, user: str, name: str, municipality: str = "あおば市", **invite: Any) -> None:
        """Register a LINE user with a fresh invite, named `name` by their LINE profile."""
        self.fake.add_profile(user, name)
        answer = self.say(user, f"登録 {self.world.invite(municipality, **invite)}")
        assert any("登録しました" in text for text in answer), answer

    def restart(self) -> None:
        """Start over as a new process would: a fresh runtime on the same store."""
        settings = self.runtime.settings
        self.runtime.engine.dispose()
        self.runtime = build_runtime(settings, clock=self.clock)
        self.world = World(self.runtime.engine, self.clock)

    # ── the store ──────────────────────────────────────────────────────────────────────────

    def inbox(self) -> list[InboundEvent]:
        return self.rows(InboundEvent)

    def outbox(self) -> list[OutboundMessage]:
        return self.rows(OutboundMessage)

    def rows(self, table: Any) -> list[Any]:
        """Return every row of a table, detached from the session."""
        with session_scope(self.runtime.engine) as session:
            rows = list(session.exec(select(table).order_by(table.id)))
            session.expunge_all()
            return rows


@contextmanager
def line_world(
    tmp_path: Path, clock: ManualClock, *, wrap: Callable[[ASGIApp], ASGIApp] | None = None
) -> Iterator[LineWorld]:
    """Yield the runtime wired to a fake LINE platform on loopback, with あおば市 in the store.

    `wrap` puts an ASGI middleware in front of the fake (to make it slow, say).
    """
    fake = FakeLineState(clock=clock, access_token=TOKEN)
    app: ASGIApp = create_fake_line_app(fake)
    base_url, stop = serve_in_thread(wrap(app) if wrap else app)
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'line.db'}",
        line_channel_secret=SECRET,
        line_channel_access_token=TOKEN,
        line_api_base_url=base_url,
        line_data_api_base_url=base_url,
    )
    runtime = build_runtime(settings, clock=clock)
    world = World(runtime.engine, clock)
    world.municipality("あおば市")
    try:
        yield LineWorld(runtime, fake, clock, world)
    finally:
        runtime.engine.dispose()
        stop()
