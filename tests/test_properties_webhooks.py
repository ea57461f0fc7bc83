"""LINE and Slack webhooks through the real ASGI app, signed with the real secrets, carrying any JSON:
the answer is 200 or a 4xx (never a 5xx), a body over 1 MiB is 413 and a malformed one 400 with
nothing stored, processing what was stored never fails, and nothing of another municipality is
ever sent to the chat.
"""

from __future__ import annotations

import asyncio
import json
import time
from urllib.parse import urlencode

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from line_support import SECRET as LINE_SECRET
from line_support import WEBHOOK, line_world
from property_support import MARK, THEIRS, fill_theirs, json_values, line_events, slack_bodies
from slack_support import EVENTS, slack_world
from slack_support import SECRET as SLACK_SECRET

from bot.app import create_asgi_app
from bot.fakes.line_webhooks import sign
from bot.fakes.slack_requests import signed_headers

MIB = 1024 * 1024
FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def line(tmp_path, clock):
    with line_world(tmp_path, clock) as world:
        fill_theirs(world.world)
        world.register("U1", "佐藤")  # hypothesis' events often come from U1
        yield world


@pytest.fixture
def slack(tmp_path, clock):
    with slack_world(tmp_path, clock) as world:
        fill_theirs(world.world)
        world.register("U1", "Sato Hanako")
        yield world


def line_bodies() -> st.SearchStrategy[bytes]:
    envelope = st.fixed_dictionaries(
        {"destination": st.just("U0"), "events": st.lists(line_events, max_size=3)}
    )
    return st.one_of(
        envelope.map(lambda d: json.dumps(d).encode()),
        json_values.map(lambda v: json.dumps(v).encode()),
        st.binary(max_size=40),
    )


@FUZZ
@given(body=line_bodies())
def test_any_signed_line_body_is_answered_and_processed_without_failing(line, body):
    response = line.post(body)  # signed with the channel secret
    assert response.status_code in (200, 400), response.text
    line.run()  # raises if an event could not be processed
    with line.fake.lock:
        sent = json.dumps([d.messages for d in line.fake.deliveries], ensure_ascii=False)
    assert MARK not in sent and THEIRS not in sent


def slack_requests() -> st.SearchStrategy[tuple[bytes, str]]:
    as_json = slack_bodies.map(lambda b: (json.dumps(b).encode(), "application/json"))
    as_form = slack_bodies.map(
        lambda b: (urlencode({"payload": json.dumps(b)}).encode(), "application/x-www-form-urlencoded")
    )
    raw = st.tuples(st.binary(max_size=40), st.sampled_from(("application/json", "text/plain")))
    return st.one_of(as_json, as_json, as_form, raw)


@FUZZ
@given(request=slack_requests())
def test_any_signed_slack_request_is_answered_and_processed_without_failing(slack, request):
    body, content_type = request
    response = slack.post(body, headers={"Content-Type": content_type})
    assert response.status_code in (200, 400, 401, 404), response.text
    slack.run()
    with slack.fake.lock:
        sent = json.dumps([(m.text, m.blocks) for m in slack.fake.messages], ensure_ascii=False)
    assert MARK not in sent and THEIRS not in sent


@pytest.mark.parametrize(
    "body",
    [b'{"type": "event_callback", "event_id": ', b"\xff\xfe{}", b"[1, 2]", b'"text"', b"{]"],
)
def test_a_malformed_slack_body_with_a_valid_signature_is_400_and_not_stored(slack, body):
    stored = len(slack.inbox())
    response = slack.post(body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and response.text == "malformed body"
    form = urlencode({"payload": body.decode("utf-8", "replace")}).encode()
    as_form = {"Content-Type": "application/x-www-form-urlencoded"}
    assert slack.post(form, headers=as_form).status_code == 400
    assert len(slack.inbox()) == stored


def post_streamed(runtime, path: str, body: bytes, headers: dict[str, str]) -> httpx.Response:
    """POST `body` in 64 KiB chunks without a Content-Length (as a chunked upload arrives)."""

    async def chunks():
        for start in range(0, len(body), 65536):
            yield body[start : start + 65536]

    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=create_asgi_app(runtime, start_workers=False))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            return await client.post(path, content=chunks(), headers=headers)

    return asyncio.run(call())


def test_a_slack_body_over_one_mebibyte_is_413_with_or_without_a_content_length(slack):
    stored = len(slack.inbox())
    body = b'{"type":"event_callback","event_id":"EvBig","pad":"' + b"a" * MIB + b'"}'
    assert slack.post(body, headers={"Content-Type": "application/json"}).status_code == 413
    headers = signed_headers(body, SLACK_SECRET, int(time.time()))
    headers["Content-Type"] = "application/json"
    assert post_streamed(slack.runtime, EVENTS, body, headers).status_code == 413
    assert len(slack.inbox()) == stored


def test_a_line_body_over_one_mebibyte_streamed_without_a_length_is_413(line):
    stored = len(line.inbox())
    body = b'{"destination":"U0","events":[],"pad":"' + b"a" * MIB + b'"}'
    headers = {"x-line-signature": sign(body, LINE_SECRET), "content-type": "application/json"}
    assert post_streamed(line.runtime, WEBHOOK, body, headers).status_code == 413
    assert len(line.inbox()) == stored
