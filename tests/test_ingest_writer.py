"""The ingest path: concurrent webhooks committed together, acknowledged only after the commit,
and a store that cannot write answered with 503 (nothing acknowledged) until it recovers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from e2e_support import wait_until
from line_support import SECRET, TOKEN
from slack_support import SATO as SLACK_SATO
from slack_support import slack_world
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.app import Runtime, build_runtime, create_asgi_app
from bot.fakes.line_webhooks import sign, text_event, webhook_body
from bot.settings import Settings
from storage.db import session_scope
from storage.models import InboundEvent

SATO = "U" + "1" * 32
WEBHOOK = "/line/webhook"


@pytest.fixture
def runtime(any_engine: Engine, clock) -> Runtime:
    """tsunagi with its LINE channel on each backend (nothing is delivered in these tests)."""
    settings = Settings(
        database_url="sqlite://",  # unused: the engine is given
        line_channel_secret=SECRET,
        line_channel_access_token=TOKEN,
        line_api_base_url="http://127.0.0.1:9",
    )
    return build_runtime(settings, clock=clock, engine=any_engine)


def body_of(event_id: str, text: str = "スーパーが遠くて買い物が大変") -> bytes:
    event = text_event(
        SATO, text, webhook_event_id=event_id, reply_token=f"r{event_id}", timestamp_ms=1
    )
    return webhook_body(event)


async def post_all(runtime: Runtime, bodies: list[bytes]) -> list[httpx.Response]:
    app = create_asgi_app(runtime, start_workers=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://tsunagi") as client:
        posts = [
            client.post(WEBHOOK, content=b, headers={"x-line-signature": sign(b, SECRET)})
            for b in bodies
        ]
        return list(await asyncio.gather(*posts))


def stored_ids(engine: Engine, channel: str = "line") -> list[str]:
    with session_scope(engine) as session:
        query = select(InboundEvent.event_id).where(InboundEvent.channel == channel)
        return sorted(session.exec(query))


@contextmanager
def write_lock_held(engine: Engine) -> Iterator[None]:
    """Hold the inbox's write lock from another connection (SQLite: BEGIN IMMEDIATE)."""
    with engine.connect() as connection:
        connection.begin()
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql("LOCK TABLE inboundevent IN SHARE ROW EXCLUSIVE MODE")
        try:
            yield
        finally:
            connection.rollback()


@contextmanager
def read_only(engine: Engine) -> Iterator[None]:
    """Make every new connection of the store refuse writes, as a read-only or full disk would."""

    def refuse_writes(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        if engine.dialect.name == "postgresql":
            cursor.execute("SET default_transaction_read_only = on")
        else:
            cursor.execute("PRAGMA query_only = ON")
        cursor.close()
        if engine.dialect.name == "postgresql":
            dbapi_connection.commit()

    engine.dispose()
    event.listen(engine, "connect", refuse_writes)
    try:
        yield
    finally:
        event.remove(engine, "connect", refuse_writes)
        engine.dispose()


def test_concurrent_webhooks_share_one_commit_and_are_acknowledged_only_after_it(runtime):
    engine = runtime.engine
    ids = [f"01BATCH{i:019d}" for i in range(40)]
    bodies = [body_of(i) for i in ids] + [body_of(ids[0]), body_of(ids[1])]  # two repeats
    commits: list[int] = []
    event.listen(engine, "commit", lambda _conn: commits.append(1))
    writer = runtime.line._writer  # type: ignore[union-attr]
    with ThreadPoolExecutor(1) as pool, write_lock_held(engine):
        posting = pool.submit(asyncio.run, post_all(runtime, bodies))
        wait_until(lambda: writer.pending() == len(bodies), "every webhook queued", explain=str)
        assert not posting.done()  # no 200 while the commit cannot happen
    responses = posting.result(timeout=30)
    assert [r.status_code for r in responses] == [200] * len(bodies)
    assert 1 <= len(commits) <= 2  # the one held back, then all the others together
    assert stored_ids(engine) == sorted(ids)  # each event once, the repeats too


def test_a_store_that_cannot_write_gets_503_with_retry_after_and_then_recovers(runtime):
    engine = runtime.engine
    body = body_of("01READONLY000000000000000001")
    with read_only(engine):
        refused = asyncio.run(post_all(runtime, [body, body_of("01READONLY2")]))
        assert [r.status_code for r in refused] == [503, 503]
        assert refused[0].headers["retry-after"] == "1"
    assert stored_ids(engine) == []  # nothing acknowledged, nothing stored
    again = asyncio.run(post_all(runtime, [body, body]))  # LINE redelivers; the writer lives on
    assert [r.status_code for r in again] == [200, 200]
    assert stored_ids(engine) == ["01READONLY000000000000000001"]


def test_a_slack_request_the_store_cannot_take_gets_503_and_its_retry_is_stored(
    tmp_path, clock, caplog
):
    with slack_world(tmp_path, clock) as slack:
        body = slack.dm_body(SLACK_SATO, "つぶやき 坂道がつらい", event_id="EvREADONLY")
        with read_only(slack.runtime.engine):
            refused = slack.post(body)
        assert refused.status_code == 503
        assert refused.headers["retry-after"] == "1"
        assert slack.inbox() == []
        assert "坂道" not in caplog.text  # the log says why, never what was written
        retried = slack.post(body, headers={"x-slack-retry-num": "1"})
        assert retried.status_code == 200
        assert [e.event_id for e in slack.inbox()] == ["event:EvREADONLY"]
