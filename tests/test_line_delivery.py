"""Answers going out to LINE: the reply token once while fresh, else a push; retries and limits."""

from __future__ import annotations

import asyncio
import threading
import uuid
from datetime import timedelta
from typing import Any

import pytest
from line_support import PUSH, REPLY, SATO, line_world
from starlette.types import ASGIApp, Receive, Scope, Send

from bot.fakes.line_webhooks import webhook_body
from storage.audit import list_audit
from storage.db import session_scope

HELP_WORD = "ヘルプ"


@pytest.fixture
def line(tmp_path, clock):
    with line_world(tmp_path, clock) as line:
        line.register(SATO, "佐藤 花子")
        yield line


def pushes(line) -> list[Any]:
    return line.fake.calls_to(PUSH)


def replies(line) -> list[Any]:
    return line.fake.calls_to(REPLY)


def last_row(line) -> Any:
    return line.outbox()[-1]


def queue_a_push(line) -> None:
    """Have the bot owe SATO an answer that must be pushed (its event was a redelivery)."""
    line.send(line.text(SATO, HELP_WORD, redelivery=True))
    line.process()


def test_a_fresh_answer_uses_the_reply_token_once(line):
    event = line.text(SATO, HELP_WORD)
    before = len(replies(line))
    line.send(event)
    line.run()
    used = replies(line)[before:]
    assert [call.body["replyToken"] for call in used] == [event["replyToken"]]
    assert [call.status for call in used] == [200]
    assert pushes(line) == []
    assert last_row(line).via == "reply"


def test_an_answer_processed_more_than_30_seconds_after_receipt_is_pushed(line):
    event = line.text(SATO, HELP_WORD)
    line.send(event)
    line.clock.advance(seconds=40)
    before = len(replies(line))
    line.run()
    assert replies(line)[before:] == []
    (push,) = pushes(line)
    assert push.status == 200 and push.body["to"] == SATO
    assert uuid.UUID(push.headers["x-line-retry-key"])
    assert last_row(line).via == "push"
    assert line.fake.pushes_to(SATO)[0].startswith("tsunagi の使い方")


def test_an_answer_delivered_late_is_pushed_even_if_processed_in_time(line):
    line.send(line.text(SATO, HELP_WORD))
    line.process()
    line.clock.advance(seconds=40)
    before = len(replies(line))
    line.channel.deliver_due()
    assert replies(line)[before:] == []
    assert len(pushes(line)) == 1


def test_a_redelivered_events_answer_is_pushed(line):
    before = len(replies(line))
    answer = line.exchange(SATO, line.text(SATO, HELP_WORD, redelivery=True))
    assert answer
    assert replies(line)[before:] == []
    assert len(pushes(line)) == 1
    assert pushes(line)[0].headers["x-line-retry-key"] == last_row(line).retry_key


def test_a_refused_reply_token_is_not_tried_again(line):
    line.fake.reply_token_ttl = timedelta(seconds=5)  # LINE let the token expire early
    event = line.text(SATO, HELP_WORD)
    line.send(event)
    line.clock.advance(seconds=10)
    before = len(replies(line))
    line.run()
    assert [c.status for c in replies(line)[before:]] == [400]
    assert [c.status for c in pushes(line)] == [200]
    line.clock.advance(minutes=5)
    assert line.channel.deliver_due() == 0
    assert len(replies(line)) == before + 1 and len(pushes(line)) == 1


def test_a_reply_that_fails_falls_back_to_pushes_and_never_reuses_the_token(line):
    line.fake.fail_next(1, status=500, path=REPLY)
    line.fake.fail_next(1, status=500, path=PUSH)
    event = line.text(SATO, HELP_WORD)
    before = len(replies(line))
    line.send(event)
    line.run()
    assert [c.status for c in replies(line)[before:]] == [500]
    assert [c.status for c in pushes(line)] == [500]
    line.clock.advance(seconds=2)
    line.channel.deliver_due()
    assert len(replies(line)) == before + 1
    assert [c.status for c in pushes(line)] == [500, 200]
    assert last_row(line).status == "sent"


def test_429_with_retry_after_is_retried_after_the_wait_and_delivered_once(line):
    line.fake.fail_next(3, status=429, retry_after=2, path=PUSH)
    queue_a_push(line)
    for attempt in range(1, 4):
        started = line.clock.now()
        assert line.channel.deliver_due() == 1
        row = last_row(line)
        assert (row.status, row.attempts, row.last_status) == ("pending", attempt, 429)
        assert row.next_attempt_at - started >= timedelta(seconds=2)
        line.clock.advance(seconds=1)
        assert line.channel.deliver_due() == 0  # not before Retry-After
        line.clock.advance(seconds=1)
    assert line.channel.deliver_due() == 1
    assert last_row(line).status == "sent"
    calls = pushes(line)
    assert [c.status for c in calls] == [429, 429, 429, 200]
    assert len({c.headers["x-line-retry-key"] for c in calls}) == 1
    assert len(line.fake.pushes_to(SATO)) == 1


def test_a_server_error_is_retried_with_the_same_retry_key(line):
    line.fake.fail_next(1, status=500, path=PUSH)
    queue_a_push(line)
    line.channel.deliver_due()
    row = last_row(line)
    assert (row.status, row.last_status) == ("pending", 500)
    line.clock.advance(minutes=1)
    line.channel.deliver_due()
    assert last_row(line).status == "sent"
    calls = pushes(line)
    assert [c.status for c in calls] == [500, 200]
    assert calls[0].headers["x-line-retry-key"] == calls[1].headers["x-line-retry-key"]


def lose_the_first_push_answer(app: ASGIApp) -> ASGIApp:
    """Let the first push through to LINE, but answer the bot 502 as a broken proxy would."""
    lost: list[bool] = []

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != PUSH or lost:
            await app(scope, receive, send)
            return
        lost.append(True)

        async def swallow(_message: Any) -> None:
            return None

        await app(scope, receive, swallow)
        await send({"type": "http.response.start", "status": 502, "headers": []})
        await send({"type": "http.response.body", "body": b"bad gateway"})

    return wrapped


def test_a_409_on_a_retried_push_counts_as_delivered(tmp_path, clock):
    with line_world(tmp_path, clock, wrap=lose_the_first_push_answer) as line:
        line.register(SATO, "佐藤 花子")
        queue_a_push(line)
        line.channel.deliver_due()
        assert last_row(line).status == "pending"
        line.clock.advance(minutes=1)
        line.channel.deliver_due()
        row = last_row(line)
        assert (row.status, row.last_status) == ("sent", 409)
        assert [c.status for c in pushes(line)] == [200, 409]
        assert len(line.fake.pushes_to(SATO)) == 1


def test_another_client_error_is_not_retried(line):
    line.fake.fail_next(
        1, status=400, path=PUSH, body={"message": "The request body has 1 error(s)"}
    )
    queue_a_push(line)
    line.channel.deliver_due()
    row = last_row(line)
    assert (row.status, row.attempts, row.last_status) == ("failed", 1, 400)
    line.clock.advance(hours=1)
    assert line.channel.deliver_due() == 0
    assert len(pushes(line)) == 1


def test_the_monthly_limit_is_recorded_for_the_admins_and_not_retried(line):
    line.fake.monthly_limit = True
    queue_a_push(line)
    line.channel.deliver_due()
    row = last_row(line)
    assert (row.status, row.last_status) == ("quota_exhausted", 429)
    line.clock.advance(hours=1)
    assert line.channel.deliver_due() == 0
    assert len(pushes(line)) == 1
    with session_scope(line.runtime.engine) as session:
        (audit,) = list_audit(session, action="line.quota_exhausted")
        assert audit.target == f"outbound:{row.id}"


def hold_pushes(gate: threading.Event, arrived: threading.Event):
    """Return a middleware that keeps every push waiting at LINE until `gate` opens."""

    def wrap(app: ASGIApp) -> ASGIApp:
        async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] == "http" and scope["path"] == PUSH:
                arrived.set()
                await asyncio.to_thread(gate.wait, 30)
            await app(scope, receive, send)

        return wrapped

    return wrap


def test_webhooks_are_acknowledged_while_a_push_waits_on_a_slow_line(tmp_path, clock):
    gate, arrived = threading.Event(), threading.Event()
    with line_world(tmp_path, clock, wrap=hold_pushes(gate, arrived)) as line:
        line.register(SATO, "佐藤 花子")
        queue_a_push(line)
        delivering = threading.Thread(target=line.channel.deliver_due)
        delivering.start()
        try:
            assert arrived.wait(10)
            body = webhook_body(line.text(SATO, "訪問"))
            # LINE gives up on a webhook after 2 seconds
            response = asyncio.run(asyncio.wait_for(line.post_many([body]), timeout=2))[0]
            assert response.status_code == 200
        finally:
            gate.set()
            delivering.join(30)
        line.run()
        assert "いつの訪問ですか" in line.fake.messages_to(SATO)[-1]
