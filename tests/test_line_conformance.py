"""Every event of line-bot-sdk-python's own sample webhook is accepted and handled sensibly.

tests/data/line-webhook-events.json is a copy of shared/conformance/line-webhook-events.json:
`tests/v3/text/webhook.json` of line/line-bot-sdk-python at commit e1fa933 (Apache License 2.0).
"""

from __future__ import annotations

import copy
import json
import logging
from pathlib import Path
from typing import Any

import pytest
from line_support import line_world

from bot.fakes.line_webhooks import webhook_body

SAMPLE = Path(__file__).parent / "data" / "line-webhook-events.json"

REGISTER_EN = "Welcome to tsunagi. Please register"  # the sample's text is English
REGISTER = "tsunagi（つなぎ）へようこそ。ご利用には招待コードでの登録が必要です"
WELCOME = "友だち追加ありがとうございます"
STICKER = "スタンプありがとうございます"
MEDIA = "写真は訪問記録の途中で送ると"
EDITED = "メッセージの編集には対応していません"

# For each sample event, in order: what it is, its inbox status, and how its answer starts.
# The senders are not registered: they are told how to register, and ignored in groups.
EXPECTED: list[tuple[str, str, str | None]] = [
    ("message/text user", "done", REGISTER_EN),
    ("message/image room", "ignored", None),  # no userId: nobody to answer
    ("message/video user", "done", MEDIA),
    ("message/audio user", "done", MEDIA),
    ("message/location user", "done", REGISTER_EN),  # its title is the place: a message
    ("message/sticker user", "done", STICKER),
    ("follow user", "done", WELCOME),
    ("unfollow user", "done", None),
    ("join group", "ignored", None),
    ("leave group", "ignored", None),
    ("postback user", "done", REGISTER_EN),  # a datetime picked: "2017-12-25T01:00"
    ("beacon user", "ignored", None),
    ("beacon user", "ignored", None),
    ("accountLink user", "ignored", None),
    ("message/text group", "done", None),
    ("message/text room", "done", None),
    ("postback user", "done", REGISTER),
    ("postback user", "done", REGISTER),
    ("postback user", "done", REGISTER_EN),
    ("memberJoined group", "ignored", None),
    ("memberLeft group", "ignored", None),
    ("message/file user", "done", MEDIA),
    ("unsend group", "ignored", None),
    ("videoPlayComplete user", "ignored", None),
    ("message/image user", "done", MEDIA),
    ("message/text user", "done", REGISTER_EN),
    ("messageEdited/text user", "done", EDITED),
    ("undefined user", "ignored", None),
]


def sample_events() -> list[dict[str, Any]]:
    return list(json.loads(SAMPLE.read_text(encoding="utf-8"))["events"])


def what(event: dict[str, Any]) -> str:
    """Return an event's type (and message type) and where it came from, as in EXPECTED."""
    message = event.get("message", {}).get("type")
    kind = f"{event['type']}/{message}" if message else event["type"]
    return f"{kind} {event['source']['type']}"


@pytest.fixture
def line(tmp_path, clock):
    with line_world(tmp_path, clock) as line:
        yield line


def test_the_sample_has_the_28_events_of_every_type():
    events = sample_events()
    assert len(events) == 28
    assert {e["type"] for e in events} >= {
        "message", "follow", "unfollow", "join", "leave", "memberJoined", "memberLeft",
        "postback", "beacon", "accountLink", "unsend", "videoPlayComplete", "messageEdited",
    }  # fmt: skip


def test_every_sample_event_is_accepted_and_handled_without_an_error(line, caplog):
    caplog.set_level(logging.INFO)
    outcomes = []
    for original in sample_events():
        event = copy.deepcopy(original)
        event["webhookEventId"] = line.next_event_id()
        chat = event["source"].get("groupId") or event["source"].get("roomId")
        chat = chat or event["source"].get("userId")
        before = len(line.fake.messages_to(chat)) if chat else 0
        response = line.post(webhook_body(event))
        assert response.status_code == 200, (event["type"], response.text)
        line.run()
        stored = line.inbox()[-1]
        assert stored.event_id == event["webhookEventId"]
        answer = line.fake.messages_to(chat)[before:] if chat else []
        outcomes.append((event, stored.status, answer))

    assert len(line.inbox()) == 28
    for (event, status, answer), (kind, want_status, want_answer) in zip(
        outcomes, EXPECTED, strict=True
    ):
        assert what(event) == kind
        assert status == want_status, kind
        if want_answer is None:
            assert answer == [], kind
        else:
            assert len(answer) == 1 and answer[0].startswith(want_answer), (kind, answer)
    assert {row.status for row in line.outbox()} == {"sent"}
    problems = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert problems == []
