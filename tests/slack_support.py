"""Drive the Slack channel in-process: signed requests into the ASGI app (bolt inside), the fake
Slack Web API behind it.

`slack_world(tmp_path, clock)` builds the real runtime (store, bot, SlackChannel) against the fake
served on loopback. Tests post signed requests, then run the inbox and the outbox themselves
(`run()`), so nothing happens behind their back. The fake keeps real time (bolt checks request
timestamps against it); the bot runs on the test's ManualClock. Pacing per channel runs on a
virtual clock (`VirtualTime`) unless a test asks for real time.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from conftest import World
from sqlmodel import select

from bot.app import Runtime, build_runtime, create_asgi_app
from bot.channels.slack import SlackChannel
from bot.channels.slack_delivery import Pacer
from bot.clock import ManualClock
from bot.fakes.slack_api import serve_fake_slack
from bot.fakes.slack_requests import (
    app_mention_event,
    block_action_payload,
    event_envelope,
    message_event,
    signed_headers,
    slash_command_form,
)
from bot.fakes.slack_state import FakeSlackState, Message
from bot.settings import Settings
from storage.db import session_scope
from storage.models import InboundEvent, OutboundMessage

SECRET = "slack-test-signing-secret"
TOKEN = "xoxb-slack-test"
SATO, SUZUKI = "U0SATO", "U0SUZUKI"
PEERS = "C0PEERS"
EVENTS = "/slack/events"


def dm(user: str) -> str:
    """Return the ID of the user's DM with the bot."""
    return "D" + user


@dataclass
class VirtualTime:
    """A monotonic clock that sleeping advances: pacing without waiting."""

    now: float = 1000.0
    slept: list[float] = field(default_factory=list)

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds

    def monotonic(self) -> float:
        return self.now


@dataclass
class SlackWorld:
    """The tsunagi runtime with its Slack channel, the fake Slack Web API and the shared clock."""

    runtime: Runtime
    fake: FakeSlackState
    clock: ManualClock
    world: World
    time: VirtualTime
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def channel(self) -> SlackChannel:
        assert self.runtime.slack is not None, "Slack is not configured"
        return self.runtime.slack

    # ── requests as Slack sends them ───────────────────────────────────────────────────────

    def post(
        self,
        body: bytes,
        *,
        timestamp: int | None = None,
        secret: str = SECRET,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        """POST a raw body to /slack/events, signed (now, unless `timestamp` is given)."""
        signed = signed_headers(body, secret, int(time.time()) if timestamp is None else timestamp)
        return asyncio.run(self._post(body, signed | (headers or {})))

    async def _post(self, body: bytes, headers: dict[str, str]) -> httpx.Response:
        app = create_asgi_app(self.runtime, start_workers=False)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://tsunagi") as client:
            return await client.post(EVENTS, content=body, headers=headers)

    def event_body(self, event: dict[str, Any], event_id: str | None = None) -> bytes:
        return event_envelope(event, event_id or f"Ev{next(self._ids):08d}")

    def ts(self) -> str:
        return f"{int(time.time())}.{next(self._ids):06d}"

    def dm_body(self, user: str, text: str, event_id: str | None = None) -> bytes:
        return self.event_body(message_event(user, dm(user), text, self.ts()), event_id)

    def command_body(self, user: str, channel: str, text: str) -> bytes:
        url = self.fake.issue_response_url(channel=channel, user=user)
        return slash_command_form(text, user, channel, self.fake.issue_trigger_id(), url)

    def send(self, body: bytes, headers: dict[str, str] | None = None) -> httpx.Response:
        """Post a signed request and check Slack got its 200."""
        response = self.post(body, headers=headers)
        assert response.status_code == 200, response.text
        return response

    # ── conversations ──────────────────────────────────────────────────────────────────────

    def say(self, user: str, text: str) -> list[str]:
        """DM the bot; return the texts the user received in answer."""
        return self.exchange(user, self.dm_body(user, text))

    def command(self, user: str, channel: str, text: str) -> list[str]:
        """Run `/tsunagi text` in a channel; return the texts the user received in answer."""
        return self.exchange(user, self.command_body(user, channel, text))

    def mention(self, user: str, channel: str, text: str) -> list[str]:
        """Mention the bot in a channel; return the texts the user received in answer."""
        event = app_mention_event(user, channel, text, self.ts())
        return self.exchange(user, self.event_body(event))

    def click(self, user: str, label: str) -> list[str]:
        """Click the button labelled `label` on the last message the user received."""
        last = self.received(user)[-1]
        channel = last.channel or dm(user)
        action_id, value = button(last, label)
        body = block_action_payload(
            action_id,
            value,
            user,
            channel,
            self.fake.issue_trigger_id(),
            self.fake.issue_response_url(channel=channel, user=user),
            message_ts=last.ts,
        )
        return self.exchange(user, body)

    def exchange(self, user: str, body: bytes) -> list[str]:
        """Post a request, run the workers and return the texts the user received since."""
        before = len(self.received(user))
        self.send(body)
        self.run()
        return [m.text for m in self.received(user)[before:]]

    def received(self, user: str) -> list[Message]:
        """Return what the user saw: posts to their DM and ephemerals shown to them."""
        with self.fake.lock:
            return [
                m
                for m in self.fake.messages
                if m.user == user or (m.kind == "post" and m.channel == dm(user))
            ]

    def register(self, user: str, name: str, municipality: str = "あおば市") -> None:
        """Register a Slack user by DM with a fresh invite, named by users.info."""
        self.fake.add_user(user, name.split()[0].lower(), name)
        answer = self.say(user, f"登録 {self.world.invite(municipality)}")
        assert any("登録しました" in text for text in answer), answer

    # ── the workers, run by hand ───────────────────────────────────────────────────────────

    def run(self) -> None:
        """Process every waiting inbox item, then deliver whatever is due."""
        while self.channel.process_pending():
            pass
        while self.channel.deliver_due():
            pass

    # ── the store ──────────────────────────────────────────────────────────────────────────

    def inbox(self) -> list[InboundEvent]:
        return self.rows(InboundEvent)

    def outbox(self) -> list[OutboundMessage]:
        return self.rows(OutboundMessage)

    def rows(self, table: Any) -> list[Any]:
        with session_scope(self.runtime.engine) as session:
            rows = list(session.exec(select(table).order_by(table.id)))
            session.expunge_all()
            return rows


def button(message: Message, label: str) -> tuple[str, str]:
    """Return (action_id, value) of the message's button labelled `label`."""
    for block in message.blocks or []:
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            if element["text"]["text"] == label:
                return element["action_id"], element["value"]
    raise AssertionError(f"no button {label!r} in {message.text!r}")


def buttons(message: Message) -> list[str]:
    return [
        element["text"]["text"]
        for block in message.blocks or []
        if block.get("type") == "actions"
        for element in block["elements"]
    ]


@contextmanager
def slack_world(
    tmp_path: Path, clock: ManualClock, *, real_pacing: bool = False
) -> Iterator[SlackWorld]:
    """Yield the runtime wired to the fake Slack Web API on loopback, with あおば市 in the store."""
    fake = FakeSlackState(bot_token=TOKEN)  # real time: bolt checks timestamps on it
    base_url, stop = serve_fake_slack(fake)
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'slack.db'}",
        slack_signing_secret=SECRET,
        slack_bot_token=TOKEN,
        slack_api_url=f"{base_url}/api/",
    )
    runtime = build_runtime(settings, clock=clock)
    virtual = VirtualTime()
    assert runtime.slack is not None
    if not real_pacing:
        runtime.slack.pacer = Pacer(sleep=virtual.sleep, monotonic=virtual.monotonic)
    world = World(runtime.engine, clock)
    world.municipality("あおば市")
    try:
        yield SlackWorld(runtime, fake, clock, world, virtual)
    finally:
        runtime.engine.dispose()
        stop()
