"""The Slack channel in-process: bolt verifies, the inbox keeps each request once, the bot answers
in DMs and (ephemerally) in channels, and the outbox delivers once, paced, through 429s."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

import pytest
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_support import PEERS, SATO, SUZUKI, buttons, dm, slack_world
from sqlmodel import select

from bot.channels.slack import SlackChannel
from bot.fakes.slack_requests import event_envelope, message_event, retry_headers
from storage.db import session_scope
from storage.models import Member, Murmur
from storage.outbox import SENT

KNEE = "膝を悪くしてから、スーパーまで歩いて行くのがしんどくなってねえ"


@pytest.fixture
def slack(tmp_path, clock):
    with slack_world(tmp_path, clock) as world:
        yield world


def test_a_bad_signature_is_refused_and_nothing_is_stored(slack):
    response = slack.post(slack.dm_body(SATO, "ヘルプ"), secret="not-the-signing-secret")
    assert response.status_code == 401
    slack.run()
    assert slack.inbox() == [] and slack.fake.messages == []


def test_a_request_older_than_five_minutes_is_refused_and_nothing_is_stored(slack):
    stale = int(time.time()) - 301
    assert slack.post(slack.dm_body(SATO, "ヘルプ"), timestamp=stale).status_code == 401
    future = int(time.time()) + 400
    assert slack.post(slack.dm_body(SATO, "ヘルプ"), timestamp=future).status_code == 401
    assert slack.inbox() == []


def test_the_url_verification_challenge_is_answered_and_not_stored(slack):
    body = b'{"token": "t", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", "type": "url_verification"}'
    response = slack.send(body)
    assert "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" in response.text
    assert slack.inbox() == []


def test_an_event_retried_three_times_is_answered_once(slack):
    body = slack.dm_body(SATO, "ヘルプ", event_id="Ev0RETRIED")
    for attempt in range(4):
        started = time.monotonic()
        headers = retry_headers(attempt) if attempt else {}
        assert slack.send(body, headers).text == ""  # an empty acknowledgement
        assert time.monotonic() - started < 1.0
    slack.run()
    assert len(slack.inbox()) == 1
    assert len(slack.fake.posts(dm(SATO))) == 1


def test_a_member_registers_over_dm_named_by_their_slack_profile(slack):
    slack.register(SATO, "佐藤 花子")
    with session_scope(slack.runtime.engine) as s:
        assert [m.name for m in s.exec(select(Member))] == ["佐藤 花子"]
    assert "すでに登録済み" in slack.say(SATO, "登録 ABCD-EFGH")[0]


def test_registering_with_the_slash_command_works_too(slack):
    slack.fake.add_user(SUZUKI, "suzuki", "鈴木 一郎")
    code = slack.world.invite("あおば市")
    assert "登録しました" in slack.command(SUZUKI, dm(SUZUKI), f"登録 {code}")[0]


def test_a_murmur_by_slash_command_in_a_channel_is_confirmed_ephemerally_and_saved_by_button(
    slack,
):
    slack.register(SATO, "佐藤 花子")
    confirmation = slack.command(SATO, PEERS, f"つぶやき {KNEE}")
    assert "【つぶやき】" in confirmation[0]
    shown = slack.fake.ephemerals(SATO)[-1]
    assert shown.channel == PEERS and buttons(shown)[0] == "保存"
    assert shown.via == "response_url"  # works in channels the bot was never invited to
    assert slack.click(SATO, "保存") == ["つぶやき #1 を記録しました。"]
    assert slack.fake.posts(PEERS) == []  # nothing of it shown to the channel
    with session_scope(slack.runtime.engine) as s:
        assert [m.text for m in s.exec(select(Murmur))] == [KNEE]


def test_a_mention_runs_the_same_words_and_answers_only_the_asker(slack):
    slack.register(SATO, "佐藤 花子")
    answer = slack.mention(SATO, PEERS, "つぶやき 買い物が大変")
    assert "【つぶやき】" in answer[0]
    shown = slack.fake.ephemerals(SATO)[-1]
    assert (shown.channel, shown.via) == (PEERS, "chat.postEphemeral")
    assert slack.fake.posts(PEERS) == []


def test_a_dm_button_click_is_taken_once_however_often_slack_sends_it(slack):
    slack.register(SATO, "佐藤 花子")
    slack.say(SATO, f"つぶやき {KNEE}")
    slack.click(SATO, "保存")
    action = slack.inbox()[-1].payload["body"]
    assert action["type"] == "block_actions"
    with session_scope(slack.runtime.engine) as s:
        assert len(s.exec(select(Murmur)).all()) == 1


def test_the_bots_own_messages_and_edits_are_ignored(slack):
    own = message_event("UBOT", dm(SATO), "登録しました", slack.ts()) | {"bot_id": "BBOT"}
    edit = message_event(SATO, dm(SATO), "ヘルプ", slack.ts()) | {"subtype": "message_changed"}
    for event in (own, edit):
        slack.send(event_envelope(event, f"Ev{event['ts']}"))
    slack.run()
    assert slack.fake.messages == []
    assert {row.status for row in slack.inbox()} <= {"ignored"}


def test_a_429_is_retried_after_the_wait_and_the_message_posted_once(slack):
    slack.fake.fail_next(2, method="chat.postMessage", retry_after=0)  # the SDK retries once
    slack.send(slack.dm_body(SATO, "ヘルプ"))
    slack.run()
    assert slack.fake.posts() == []
    [queued] = slack.outbox()
    assert queued.status == "pending" and queued.last_status == 429
    slack.clock.advance(seconds=1)
    slack.run()
    assert len(slack.fake.posts(dm(SATO))) == 1
    assert [c.status for c in slack.fake.calls("chat.postMessage")] == [429, 429, 200]
    assert [row.status for row in slack.outbox()] == [SENT]


def test_an_answer_through_a_response_url_is_retried_after_a_429(slack):
    slack.register(SATO, "佐藤 花子")
    slack.fake.fail_next(2, method="response_url", retry_after=0)
    assert slack.command(SATO, PEERS, "ヘルプ") == []
    slack.clock.advance(seconds=1)
    slack.run()
    [answer] = slack.fake.ephemerals(SATO)
    assert answer.via == "response_url" and "つぶやき" in answer.text


def test_a_refused_message_is_not_retried(slack):
    slack.fake.fail_next(1, method="chat.postMessage", status=404)
    slack.send(slack.dm_body(SATO, "ヘルプ"))
    slack.run()
    slack.clock.advance(minutes=10)
    slack.run()
    assert slack.fake.posts() == []
    assert [row.status for row in slack.outbox()] == ["failed"]


def test_messages_to_one_channel_go_out_at_most_one_a_second(tmp_path, clock):
    with slack_world(tmp_path, clock, real_pacing=True) as slack:
        slack.send(slack.dm_body(SATO, "ヘルプ"))
        slack.send(slack.dm_body(SATO, "使い方"))
        slack.send(slack.dm_body(SUZUKI, "ヘルプ"))
        slack.run()
        to_sato = slack.fake.posts(dm(SATO))
        assert len(to_sato) == 2
        assert to_sato[1].at - to_sato[0].at >= timedelta(seconds=1)
        to_suzuki = slack.fake.posts(dm(SUZUKI))[0]
        assert to_suzuki.at - to_sato[0].at < timedelta(seconds=1)  # not held up by Sato's


def test_the_pacer_waits_out_the_second_a_channel_needs(slack):
    slack.send(slack.dm_body(SATO, "ヘルプ"))
    slack.send(slack.dm_body(SATO, "ヘルプ"))
    slack.run()
    assert len(slack.fake.posts(dm(SATO))) == 2
    assert slack.time.slept == [pytest.approx(1.0)]


def test_socket_mode_serves_no_http_endpoint_and_stores_what_the_socket_delivers(slack):
    """Offline, only the app side of Socket Mode can be tested: no WebSocket to Slack here."""
    channel = slack.channel
    socket = SlackChannel(
        engine=channel.engine,
        bot=channel.bot,
        clock=channel.clock,
        signing_secret="unused-in-socket-mode",
        bot_token="xoxb-slack-test",
        api_url=slack.runtime.settings.slack_api_url,
        app_token="xapp-1-socket",
    )
    assert socket.routes() == []
    envelope = event_envelope(message_event(SATO, dm(SATO), "ヘルプ", slack.ts()), "EvSOCKET")
    request = AsyncBoltRequest(body=envelope.decode(), mode="socket_mode")
    response = asyncio.run(socket.app.async_dispatch(request))
    assert response.status == 200
    assert [row.event_id for row in slack.inbox()] == ["event:EvSOCKET"]
    socket.process_pending()
    socket.deliver_due()
    assert len(slack.fake.posts(dm(SATO))) == 1
