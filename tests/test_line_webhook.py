"""The LINE webhook: signatures, body limits, the verification request, standby and dedupe."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest
from line_support import PUSH, REPLY, SATO, SECRET, UNSIGNED, line_world
from sqlmodel import select

from bot.fakes.line_webhooks import FAKE_BOT_USER_ID, sign, webhook_body
from storage.db import session_scope
from storage.models import Murmur

SECRET_WORDS = "向かいの田中さん、最近見かけない"
KNEE = "膝を悪くしてから、スーパーまで歩いて行くのがしんどくなってねえ"


@pytest.fixture
def line(tmp_path, clock):
    with line_world(tmp_path, clock) as line:
        yield line


def nothing_happened(line) -> None:
    assert line.inbox() == []
    assert line.fake.calls == []


def test_a_webhook_without_a_signature_is_refused_and_not_stored(line, caplog):
    caplog.set_level(logging.DEBUG)
    body = webhook_body(line.text(SATO, SECRET_WORDS))
    response = line.post(body, signature=UNSIGNED)
    assert response.status_code == 400
    line.run()
    nothing_happened(line)
    assert SECRET_WORDS not in caplog.text


def test_a_webhook_signed_with_another_secret_is_refused(line, caplog):
    caplog.set_level(logging.DEBUG)
    body = webhook_body(line.text(SATO, SECRET_WORDS))
    assert line.post(body, signature=sign(body, "not-the-secret")).status_code == 400
    assert line.post(body, signature="garbage").status_code == 400
    line.run()
    nothing_happened(line)
    assert SECRET_WORDS not in caplog.text


def test_a_body_changed_by_one_byte_after_signing_is_refused(line, caplog):
    caplog.set_level(logging.DEBUG)
    body = webhook_body(line.text(SATO, "訪問"))
    signature = sign(body, SECRET)
    at = body.index(b'"mode"') + 1
    mutated = body[:at] + b"M" + body[at + 1 :]
    assert line.post(mutated, signature=signature).status_code == 400
    assert line.post(body + b" ", signature=signature).status_code == 400
    line.run()
    nothing_happened(line)
    assert line.post(body, signature=signature).status_code == 200  # the original still passes
    assert len(line.inbox()) == 1


def test_a_body_over_one_mebibyte_is_refused_with_413(line):
    padding = "あ" * (1024 * 1024 // 3 + 10)
    body = webhook_body(line.text(SATO, padding))
    assert len(body) > 1024 * 1024
    assert line.post(body).status_code == 413
    chunks = [body[i : i + 65536] for i in range(0, len(body), 65536)]
    streamed = asyncio.run(line.post_stream(chunks, sign(body, SECRET)))
    assert streamed.status_code == 413
    nothing_happened(line)


def test_a_body_just_under_the_limit_is_accepted(line):
    event = line.text(SATO, "")
    room = 1024 * 1024 - len(webhook_body(event)) - 10
    event["message"]["text"] = "x" * room
    assert line.post(webhook_body(event)).status_code == 200
    assert len(line.inbox()) == 1


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"[]", b'{"events": "none"}', b'{"events": [}', b"\xff\xfe"],
    ids=["broken", "array", "events-not-a-list", "truncated", "not-utf8"],
)
def test_a_malformed_body_with_a_valid_signature_is_refused_and_not_stored(line, body):
    assert line.post(body).status_code == 400
    line.run()
    nothing_happened(line)


def test_the_verification_request_gets_200_and_stores_nothing(line):
    body = json.dumps({"destination": FAKE_BOT_USER_ID, "events": []}).encode()
    response = line.post(body)
    assert response.status_code == 200
    line.run()
    nothing_happened(line)


def test_a_standby_event_is_stored_but_never_answered(line):
    line.register(SATO, "佐藤 花子")
    calls = len(line.fake.calls)
    line.send(line.text(SATO, "ヘルプ", mode="standby"))
    line.run()
    stored = line.inbox()[-1]
    assert stored.payload["mode"] == "standby"
    assert stored.status == "ignored"
    assert len(line.fake.calls) == calls
    assert line.outbox()[-1].idempotency_key != f"reply:{stored.event_id}"


def murmurs(line) -> list[Murmur]:
    with session_scope(line.runtime.engine) as session:
        return list(session.exec(select(Murmur)))


def test_one_event_delivered_over_and_over_is_processed_once(line):
    line.register(SATO, "佐藤 花子")
    line.say(SATO, f"つぶやき {KNEE}")
    assert ("保存", "save") in line.quick_replies(SATO)
    before = len(line.fake.messages_to(SATO))
    inbox_before = len(line.inbox())

    save = line.postback(SATO, "save")
    again = {**save, "deliveryContext": {"isRedelivery": True}}
    line.send(save)
    line.run()
    for i in range(99):
        line.send(again if i % 2 else save)
    bodies = [webhook_body(again if i % 2 else save) for i in range(10)]
    responses = asyncio.run(line.post_many(bodies))
    assert [r.status_code for r in responses] == [200] * 10
    line.send(save, again)  # one body carrying the same webhookEventId twice
    line.run()

    assert len(line.inbox()) == inbox_before + 1
    assert len(murmurs(line)) == 1
    answers = line.fake.messages_to(SATO)[before:]
    assert answers == ["つぶやき #1 を記録しました。"]


def test_concurrent_first_deliveries_are_stored_once_and_answered_once(line):
    line.register(SATO, "佐藤 花子")
    line.say(SATO, f"つぶやき {KNEE}")
    before = len(line.fake.messages_to(SATO))
    save = line.postback(SATO, "save")
    again = {**save, "deliveryContext": {"isRedelivery": True}}
    bodies = [webhook_body(save if i % 2 else again) for i in range(10)]
    responses = asyncio.run(line.post_many(bodies))
    assert [r.status_code for r in responses] == [200] * 10
    line.run()
    assert len(murmurs(line)) == 1
    assert line.fake.messages_to(SATO)[before:] == ["つぶやき #1 を記録しました。"]
    answered = [c for c in line.fake.calls if c.path in (REPLY, PUSH)]
    assert len(answered) == 3  # the registration, the murmur's card, the save


def test_a_repeated_event_is_acknowledged_but_not_stored_again(line):
    event = line.text(SATO, "こんにちは")
    for _ in range(3):
        line.send(event)
    assert len(line.inbox()) == 1


def test_events_stored_before_a_restart_are_processed_after_it_in_order(line):
    line.register(SATO, "佐藤 花子")
    before = len(line.fake.messages_to(SATO))
    line.send(line.text(SATO, "訪問"))
    line.send(line.postback(SATO, "today"))
    line.restart()  # the process died after acknowledging, before processing
    assert [e.status for e in line.inbox()][-2:] == ["pending", "pending"]
    line.run()
    answers = line.fake.messages_to(SATO)[before:]
    assert len(answers) == 2
    assert "いつの訪問ですか" in answers[0] and "どのエリアですか" in answers[1]
