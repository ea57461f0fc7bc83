"""LINE and Slack failing for a while — 429 with Retry-After, 500, calls that time out, a push
whose answer is lost — and every queued answer still reaches the user exactly once (counted by
the fakes). In process, on the test's clock: the outbox is driven by hand and time is moved on.
PLATFORMS.md §8 R7.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from conftest import World
from line_support import line_world
from slack_support import SECRET, TOKEN, SlackWorld, VirtualTime
from sqlmodel import select
from starlette.types import ASGIApp, Receive, Scope, Send

from bot.app import build_runtime
from bot.channels import slack_delivery
from bot.channels.line_api import LineApi
from bot.channels.slack_delivery import Pacer
from bot.clock import ManualClock
from bot.fakes.line_platform import serve_in_thread
from bot.fakes.line_state import Delivery, FakeLineState
from bot.fakes.slack_api import create_fake_slack_app
from bot.fakes.slack_state import FakeSlackState
from bot.settings import Settings
from storage.db import session_scope
from storage.models import OutboundMessage
from storage.outbox import SENT

CLIENT_TIMEOUT = 0.5  # seconds: a stalled call gives up quickly
LINE_USERS = [f"U{n:032x}" for n in range(1, 5)]
SLACK_USERS = [f"U0PLAT{n}" for n in range(1, 4)]


class Stall:
    """ASGI middleware before a fake: the next calls to `paths` hang before the fake sees them,
    so the client times out. (A push whose answer is lost after LINE accepted it is repeated with
    its retry key and counted by the 409: tests/test_line_delivery.py.)"""

    def __init__(self, *paths: str) -> None:
        self.paths = paths
        self.pending = 0
        self.released = threading.Event()
        self.lock = threading.Lock()

    def next(self, n: int) -> None:
        with self.lock:
            self.pending += n

    def wrap(self, app: ASGIApp) -> ASGIApp:
        async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
            stalled = False
            if scope["type"] == "http" and scope["path"].endswith(self.paths):
                with self.lock:
                    stalled, self.pending = self.pending > 0, max(0, self.pending - 1)
            if not stalled:
                await app(scope, receive, send)
                return
            while not self.released.is_set():  # hang until the test ends
                await asyncio.sleep(0.05)

        return wrapped


def deliveries_to(fake: FakeLineState, user: str) -> list[Delivery]:
    """Return the replies and pushes the fake LINE accepted for a user, in order."""
    with fake.lock:
        return [d for d in fake.deliveries if d.to == user]


def drive(deliver, clock: ManualClock, engine, *, rounds: int = 120) -> None:  # noqa: ANN001
    """Run the outbox and move the clock a second at a time until every answer is sent."""
    for _ in range(rounds):
        deliver()
        with session_scope(engine) as s:
            if all(m.status == SENT for m in s.exec(select(OutboundMessage))):
                return
        clock.advance(seconds=1)
    raise AssertionError("the outbox did not drain")


def test_line_failing_with_429_500_and_timeouts_still_answers_each_message_once(tmp_path, clock):
    stall = Stall("/v2/bot/message/reply", "/v2/bot/message/push")
    with line_world(tmp_path, clock, wrap=stall.wrap) as line:
        try:
            settings = line.runtime.settings
            line.channel.api = LineApi(
                base_url=settings.line_api_base_url,
                access_token=settings.line_channel_access_token or "",
                timeout=CLIENT_TIMEOUT,
            )
            for n, user in enumerate(LINE_USERS):
                line.register(user, f"利用者{n}")
            before = {user: len(deliveries_to(line.fake, user)) for user in LINE_USERS}
            line.fake.fail_next(3, status=429, retry_after=2)
            line.fake.fail_next(2, status=500)
            stall.next(3)
            for n, user in enumerate(LINE_USERS):
                line.send(line.text(user, f"つぶやき 集会所の段差がこわい その{n}"))
            line.process()
            drive(line.channel.deliver_due, clock, line.runtime.engine)
            for user in LINE_USERS:
                line.send(line.postback(user, "save"))
            line.process()
            drive(line.channel.deliver_due, clock, line.runtime.engine)
        finally:
            stall.released.set()

        for n, user in enumerate(LINE_USERS):
            got = ["\n".join(d.texts()) for d in deliveries_to(line.fake, user)[before[user] :]]
            assert len(got) == 2, got  # one answer per message: the card, then the saved note
            assert f"その{n}" in got[0] and "を記録しました" in got[1], got
        statuses = [c.status for c in line.fake.calls if c.path.endswith(("/push", "/reply"))]
        assert statuses.count(429) == 3 and statuses.count(500) == 2
        pushes = line.fake.calls_to("/v2/bot/message/push")
        first_429 = next(c for c in pushes if c.status == 429)
        key = first_429.headers["x-line-retry-key"]
        retried = [c.at for c in pushes if c.headers["x-line-retry-key"] == key]
        assert retried[1] - retried[0] >= timedelta(seconds=2)  # Retry-After honoured


@contextmanager
def slack_world_behind(tmp_path: Path, clock: ManualClock, stall: Stall) -> Iterator[SlackWorld]:
    """slack_support's world, with the fake Slack Web API behind `stall`."""
    fake = FakeSlackState(bot_token=TOKEN)
    url, stop = serve_in_thread(stall.wrap(create_fake_slack_app(fake)))
    fake.base_url = url
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'slack.db'}",
        slack_signing_secret=SECRET,
        slack_bot_token=TOKEN,
        slack_api_url=f"{url}/api/",
    )
    runtime = build_runtime(settings, clock=clock)
    assert runtime.slack is not None
    virtual = VirtualTime()
    runtime.slack.pacer = Pacer(sleep=virtual.sleep, monotonic=virtual.monotonic)
    world = World(runtime.engine, clock)
    world.municipality("あおば市")
    try:
        yield SlackWorld(runtime, fake, clock, world, virtual)
    finally:
        stall.released.set()
        runtime.engine.dispose()
        stop()


def test_slack_failing_with_429_500_and_timeouts_still_posts_each_answer_once(
    tmp_path, clock, monkeypatch
):
    monkeypatch.setattr(slack_delivery, "TIMEOUT", CLIENT_TIMEOUT)  # a stalled call gives up soon
    stall = Stall("/api/chat.postMessage")
    with slack_world_behind(tmp_path, clock, stall) as slack:
        for n, user in enumerate(SLACK_USERS):
            slack.register(user, f"森 {n}")
        before = {user: len(slack.received(user)) for user in SLACK_USERS}
        slack.fake.fail_next(3, method="chat.postMessage", status=429, retry_after=1)
        slack.fake.fail_next(3, method="chat.postMessage", status=500)
        stall.next(2)
        for n, user in enumerate(SLACK_USERS):
            slack.send(slack.dm_body(user, f"つぶやき 集会所の段差がこわい その{n}"))
            slack.send(slack.dm_body(user, "ヘルプ"))
        while slack.channel.process_pending():
            pass
        drive(slack.channel.deliver_due, clock, slack.runtime.engine)

        for user in SLACK_USERS:
            got = [m.text for m in slack.received(user)[before[user] :]]
            assert len(got) == 2, got
            assert "【つぶやき】" in got[0]
        failed = [c.status for c in slack.fake.calls("chat.postMessage") if c.status != 200]
        assert failed.count(429) == 3 and failed.count(500) == 3
