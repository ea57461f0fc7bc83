"""Graceful shutdown: SIGTERM while an answer is on its way to LINE lets it arrive and be recorded.

`tsunagi serve` gets SIGTERM (a deploy, `systemctl stop`) exactly while its outbox worker is
inside a call to LINE. The call is let through only once the server has begun shutting down: the
answer must reach LINE once, the outbox must record it as sent before the process exits, and the
next start must not send it again.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator

import pytest
from e2e_support import DEADLINE, LineHarness, LineUser, ServedBot, serve_env, wait_until
from starlette.types import ASGIApp, Receive, Scope, Send

from bot.fakes.line_platform import create_fake_line_app, serve_in_thread
from bot.fakes.line_state import FakeLineState
from storage.db import make_engine, migrate, session_scope
from storage.outbox import SENT, list_outbound

SATO = "U" + "5d0" * 10 + "ab"
REPLY = "/v2/bot/message/reply"


class HeldReplies:
    """Hold the first reply call until released; note when it arrived."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.arrived = threading.Event()
        self.release = threading.Event()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == REPLY and not self.arrived.is_set():
            self.arrived.set()
            import anyio.to_thread

            await anyio.to_thread.run_sync(self.release.wait, DEADLINE)
        await self.app(scope, receive, send)


@pytest.fixture
def rig(tmp_path) -> Iterator[tuple[LineHarness, HeldReplies, str]]:
    url = f"sqlite:///{tmp_path / 'shutdown.db'}"
    engine = make_engine(url)
    migrate(engine)
    engine.dispose()
    state = FakeLineState()
    held = HeldReplies(create_fake_line_app(state))
    fake_url, stop_fake = serve_in_thread(held)
    server = ServedBot(tmp_path, serve_env(url, fake_url, state.access_token))
    harness = LineHarness(state, server)
    try:
        yield harness, held, url
    finally:
        held.release.set()
        server.stop()
        harness.http.close()
        stop_fake()


def test_sigterm_during_a_send_lets_the_answer_arrive_and_records_it(rig):
    line, held, url = rig
    server = line.server
    server.start()
    user = LineUser(line, SATO)

    assert line.post(user.event(text="ヘルプ").body(redelivery=False)) == 200
    wait_until(held.arrived.is_set, "the answer's call to LINE", explain=server.log_tail)
    process = server._running()
    process.terminate()  # SIGTERM while the outbox worker waits inside the call
    wait_until(
        lambda: "Waiting for application shutdown" in server.output(),
        "the server to begin its shutdown",
        explain=server.log_tail,
    )
    held.release.set()
    # uvicorn finishes its shutdown, then re-raises the SIGTERM it caught (exit status -15)
    assert process.wait(timeout=DEADLINE) in (0, -signal.SIGTERM)
    assert "Application shutdown complete" in server.output()

    assert [d.kind for d in line.deliveries_to(SATO)] == ["reply"]  # arrived, once
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            [row] = list_outbound(session, channel="line")
            assert row.status == SENT  # recorded before the process exited
        server.start()  # a new start finds nothing to send again
        with session_scope(engine) as session:
            assert [r.status for r in list_outbound(session, channel="line")] == [SENT]
    finally:
        engine.dispose()
    assert len(line.deliveries_to(SATO)) == 1
