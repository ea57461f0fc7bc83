"""The fake Slack Web API, driven by the real slack_sdk (and slack_bolt) over loopback."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from slack_bolt import App, BoltRequest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import RateLimitErrorRetryHandler
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator
from slack_sdk.signature import Clock as SignatureClock
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook import WebhookClient

from bot.clock import ManualClock
from bot.fakes.slack_api import serve_fake_slack
from bot.fakes.slack_requests import (
    app_mention_event,
    block_action_payload,
    event_envelope,
    message_event,
    signed_headers,
    slash_command_form,
    view_submission_payload,
)
from bot.fakes.slack_state import FakeSlackState

TOKEN = "xoxb-test-bot-token"
SECRET = "test-signing-secret"
SATO, SUZUKI = "U0SATO", "U0SUZUKI"
PEERS = "C0PEERS"


def modal(title: str = "訪問の記録") -> dict[str, Any]:
    field = {"type": "plain_text_input", "action_id": "who"}
    block = {"type": "input", "block_id": "who", "label": _plain("相手"), "element": field}
    return {"type": "modal", "callback_id": "visit", "title": _plain(title), "blocks": [block]}


def buttons(*labels: str) -> list[dict[str, Any]]:
    elements = [
        {"type": "button", "action_id": f"choice-{i}", "text": _plain(label), "value": str(i)}
        for i, label in enumerate(labels)
    ]
    return [
        {"type": "section", "text": _plain("どれですか？")},
        {"type": "actions", "elements": elements},
    ]


def _plain(text: str) -> dict[str, str]:
    return {"type": "plain_text", "text": text}


@pytest.fixture
def slack(clock: ManualClock) -> FakeSlackState:
    return FakeSlackState(clock=clock, bot_token=TOKEN)


@pytest.fixture
def url(slack: FakeSlackState) -> Iterator[str]:
    url, stop = serve_fake_slack(slack)
    yield url
    stop()


@pytest.fixture
def client(url: str) -> WebClient:
    return WebClient(token=TOKEN, base_url=f"{url}/api/")


def refusal(call: Callable[[], object]) -> tuple[int, str]:
    """Run a call the fake must refuse; return the HTTP status and Slack's error code."""
    with pytest.raises(SlackApiError) as raised:
        call()
    return raised.value.response.status_code, raised.value.response["error"]


# Tokens and the basic methods


def test_auth_test_names_the_bot(client: WebClient, slack: FakeSlackState) -> None:
    answer = client.auth_test()

    assert (answer["user_id"], answer["bot_id"], answer["team_id"]) == ("UBOT", "BBOT", "T1")
    assert "chat:write" in answer.headers["x-oauth-scopes"]


def test_a_wrong_or_missing_token_is_refused_as_slack_does(url: str, slack: FakeSlackState) -> None:
    wrong = WebClient(token="xoxb-wrong", base_url=f"{url}/api/")
    missing = WebClient(base_url=f"{url}/api/")

    assert refusal(lambda: wrong.chat_postMessage(channel=PEERS, text="こんにちは")) == (
        200,
        "invalid_auth",
    )
    assert refusal(lambda: missing.auth_test()) == (200, "not_authed")
    assert slack.posts() == []


def test_a_token_in_the_form_body_is_accepted(url: str, slack: FakeSlackState) -> None:
    WebClient(base_url=f"{url}/api/").auth_test(token=TOKEN)

    assert "token" not in slack.calls("auth.test")[0].args


def test_an_unknown_method_is_404(client: WebClient) -> None:
    assert refusal(lambda: client.api_call("chat.scheduleMessage")) == (404, "unknown_method")


def test_posted_messages_are_recorded_per_channel(
    client: WebClient, slack: FakeSlackState, clock: ManualClock
) -> None:
    first = client.chat_postMessage(channel=PEERS, text="共有 #42", blocks=buttons("はい"))
    reply = client.chat_postMessage(channel=PEERS, text="ありがとう", thread_ts=first["ts"])
    client.chat_postMessage(channel="D0SATO", text="個人宛て")

    assert first["channel"] == PEERS and first["message"]["bot_id"] == "BBOT"
    assert [m.text for m in slack.posts(PEERS)] == ["共有 #42", "ありがとう"]
    assert slack.posts(PEERS)[0].blocks == buttons("はい")
    assert slack.posts(PEERS)[1].thread_ts == first["ts"]
    assert float(first["ts"]) < float(reply["ts"])
    assert first["ts"].startswith(str(int(clock.now().timestamp())))
    assert [m.text for m in slack.posts()] == ["共有 #42", "ありがとう", "個人宛て"]


def test_an_ephemeral_message_is_shown_to_one_user(
    client: WebClient, slack: FakeSlackState
) -> None:
    answer = client.chat_postEphemeral(channel=PEERS, user=SATO, text="記録 #42 は非公開です")

    assert answer["message_ts"]
    assert [(m.channel, m.text) for m in slack.ephemerals(SATO)] == [
        (PEERS, "記録 #42 は非公開です")
    ]
    assert slack.ephemerals(SUZUKI) == [] and slack.posts() == []


def test_chat_update_edits_a_posted_message(client: WebClient, slack: FakeSlackState) -> None:
    posted = client.chat_postMessage(channel=PEERS, text="集計中…")
    client.chat_update(channel=PEERS, ts=posted["ts"], text="集計しました")

    assert [(m.text, m.edited) for m in slack.posts(PEERS)] == [("集計しました", True)]
    assert refusal(lambda: client.chat_update(channel=PEERS, ts="1.000001", text="x")) == (
        200,
        "message_not_found",
    )


@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing")
def test_an_empty_message_is_refused(client: WebClient, slack: FakeSlackState) -> None:
    assert refusal(lambda: client.chat_postMessage(channel=PEERS, text="")) == (200, "no_text")
    assert slack.posts() == []


def test_block_kit_limits_are_enforced(client: WebClient, slack: FakeSlackState) -> None:
    def post(blocks: list[dict[str, Any]]) -> Callable[[], object]:
        return lambda: client.chat_postMessage(channel=PEERS, text="選んでください", blocks=blocks)

    many = [f"選択肢{i}" for i in range(26)]

    assert refusal(post(buttons(*many))) == (200, "invalid_blocks")
    assert refusal(post(buttons("あ" * 76))) == (200, "invalid_blocks")
    assert refusal(post([{"type": "divider"}] * 51)) == (200, "invalid_blocks")
    assert refusal(post([{"type": "header", "text": _plain("見" * 151)}])) == (
        200,
        "invalid_blocks",
    )
    eleven_fields = [{"type": "section", "fields": [_plain("項目")] * 11}]
    assert refusal(post(eleven_fields)) == (200, "invalid_blocks")
    post(buttons(*many[:25]))()
    assert len(slack.posts()) == 1


def test_users_info_answers_registered_profiles(client: WebClient, slack: FakeSlackState) -> None:
    slack.add_user(SATO, "sato", "佐藤 花子")

    user = client.users_info(user=SATO, include_locale=True)["user"]

    assert (user["name"], user["real_name"], user["locale"]) == ("sato", "佐藤 花子", "ja-JP")
    assert "locale" not in client.users_info(user=SATO)["user"]
    assert refusal(lambda: client.users_info(user=SUZUKI)) == (200, "user_not_found")


def test_conversations_info_answers_registered_channels(
    client: WebClient, slack: FakeSlackState
) -> None:
    slack.add_channel(PEERS, "sc-peer-group")
    slack.add_channel("D0SATO", "sato")

    peers = client.conversations_info(channel=PEERS)["channel"]
    assert (peers["name"], peers["is_channel"], peers["is_im"]) == ("sc-peer-group", True, False)
    assert client.conversations_info(channel="D0SATO")["channel"]["is_im"] is True
    assert refusal(lambda: client.conversations_info(channel="C0NONE")) == (
        200,
        "channel_not_found",
    )


# Modals and trigger_ids


def test_a_trigger_id_opens_one_modal(client: WebClient, slack: FakeSlackState) -> None:
    trigger = slack.issue_trigger_id()

    view = client.views_open(trigger_id=trigger, view=modal())["view"]

    assert view["id"].startswith("V") and view["callback_id"] == "visit"
    assert [v.view["title"]["text"] for v in slack.views_opened()] == ["訪問の記録"]
    assert refusal(lambda: client.views_open(trigger_id=trigger, view=modal())) == (
        200,
        "exchanged_trigger_id",
    )
    assert len(slack.views_opened()) == 1


def test_a_trigger_id_expires_after_3_seconds(
    client: WebClient, slack: FakeSlackState, clock: ManualClock
) -> None:
    in_time, late = slack.issue_trigger_id(), slack.issue_trigger_id()
    clock.advance(seconds=3)
    client.views_open(trigger_id=in_time, view=modal())
    clock.advance(seconds=0.5)

    assert refusal(lambda: client.views_open(trigger_id=late, view=modal())) == (
        200,
        "expired_trigger_id",
    )
    assert refusal(lambda: client.views_open(trigger_id="123.456.abc", view=modal())) == (
        200,
        "invalid_trigger_id",
    )
    assert len(slack.views_opened()) == 1


def test_a_malformed_modal_does_not_use_up_the_trigger(
    client: WebClient, slack: FakeSlackState
) -> None:
    trigger = slack.issue_trigger_id()
    too_long_title = modal(title="訪問の記録" * 5)

    assert refusal(lambda: client.views_open(trigger_id=trigger, view=too_long_title))[1] == (
        "invalid_arguments"
    )
    client.views_open(trigger_id=trigger, view=modal())
    assert len(slack.views_opened()) == 1


def test_views_update_replaces_an_open_modal_and_checks_the_hash(
    client: WebClient, slack: FakeSlackState
) -> None:
    opened = client.views_open(trigger_id=slack.issue_trigger_id(), view=modal())["view"]

    client.views_update(view_id=opened["id"], view=modal("確認"), hash=opened["hash"])

    assert [v.view["title"]["text"] for v in slack.views_opened()] == ["確認"]
    assert refusal(
        lambda: client.views_update(view_id=opened["id"], view=modal(), hash=opened["hash"])
    ) == (200, "hash_conflict")
    assert refusal(lambda: client.views_update(view_id="V0NONE", view=modal())) == (
        200,
        "not_found",
    )


# Files


def test_files_upload_v2_goes_through_the_three_steps(
    client: WebClient, slack: FakeSlackState
) -> None:
    data = "日付,訪問先\n2026-11-23,北山自治会\n".encode()

    answer = client.files_upload_v2(
        channel=PEERS,
        content=data,
        filename="visits.csv",
        title="訪問一覧",
        initial_comment="今月分です",
    )

    assert answer["file"]["title"] == "訪問一覧"
    [shared] = slack.files(PEERS)
    assert (shared.filename, shared.data, shared.initial_comment) == (
        "visits.csv",
        data,
        "今月分です",
    )
    assert [c.method for c in slack.calls()] == [
        "files.getUploadURLExternal",
        "upload",
        "files.completeUploadExternal",
    ]


def test_a_file_not_uploaded_cannot_be_completed(client: WebClient, slack: FakeSlackState) -> None:
    announced = client.files_getUploadURLExternal(filename="a.csv", length=3)

    assert refusal(
        lambda: client.files_completeUploadExternal(files=[{"id": announced["file_id"]}])
    ) == (200, "file_not_found")
    assert slack.files() == []


# Failures and retries


def test_rate_limit_retry_handler_waits_and_posts_once(url: str, slack: FakeSlackState) -> None:
    slack.fail_next(1, method="chat.postMessage", status=429, retry_after=0)
    patient = WebClient(token=TOKEN, base_url=f"{url}/api/")
    patient.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=1))

    patient.chat_postMessage(channel=PEERS, text="傾向: 移動 5件")

    assert [call.status for call in slack.calls("chat.postMessage")] == [429, 200]
    assert [m.text for m in slack.posts(PEERS)] == ["傾向: 移動 5件"]


def test_an_injected_429_carries_retry_after_and_hits_only_its_method(
    client: WebClient, slack: FakeSlackState
) -> None:
    slack.fail_next(2, method="chat.postMessage", retry_after=7)

    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel=PEERS, text="1")
    client.auth_test()

    assert raised.value.response.status_code == 429
    assert raised.value.response.headers["retry-after"] == "7"
    assert raised.value.response["error"] == "ratelimited"
    assert refusal(lambda: client.chat_postMessage(channel=PEERS, text="2"))[0] == 429
    client.chat_postMessage(channel=PEERS, text="3")
    assert [m.text for m in slack.posts()] == ["3"]


def test_a_500_is_retried_by_the_server_error_handler(url: str, slack: FakeSlackState) -> None:
    slack.fail_next(1, method="chat.postEphemeral", status=500)
    retrying = WebClient(token=TOKEN, base_url=f"{url}/api/")
    fast = FixedValueRetryIntervalCalculator(fixed_internal=0)
    retrying.retry_handlers.append(ServerErrorRetryHandler(interval_calculator=fast))

    retrying.chat_postEphemeral(channel=PEERS, user=SATO, text="非公開の返信")

    assert [call.status for call in slack.calls("chat.postEphemeral")] == [500, 200]
    assert len(slack.ephemerals(SATO)) == 1


# response_url


def test_a_response_url_answers_ephemerally_or_in_channel(url: str, slack: FakeSlackState) -> None:
    response_url = slack.issue_response_url(channel=PEERS, user=SATO)

    assert WebhookClient(response_url).send(text="あなただけに").status_code == 200
    WebhookClient(response_url).send(text="みんなに", response_type="in_channel")

    assert [(m.text, m.via) for m in slack.ephemerals(SATO)] == [("あなただけに", "response_url")]
    assert [m.text for m in slack.posts(PEERS)] == ["みんなに"]


def test_a_response_url_takes_five_answers(url: str, slack: FakeSlackState) -> None:
    hook = WebhookClient(slack.issue_response_url(channel=PEERS, user=SATO))

    statuses = [hook.send(text=f"{i}").status_code for i in range(5)]
    sixth = hook.send(text="6")

    assert statuses == [200] * 5
    assert (sixth.status_code, sixth.body) == (404, "used_url")
    assert len(slack.ephemerals(SATO)) == 5


def test_a_response_url_expires_after_30_minutes(
    url: str, slack: FakeSlackState, clock: ManualClock
) -> None:
    on_time = WebhookClient(slack.issue_response_url(channel=PEERS, user=SATO))
    late = WebhookClient(slack.issue_response_url(channel=PEERS, user=SATO))
    clock.advance(minutes=30)
    assert on_time.send(text="間に合いました").status_code == 200
    clock.advance(seconds=1)

    answer = late.send(text="遅すぎました")

    assert (answer.status_code, answer.body) == (404, "expired_url")
    assert [m.text for m in slack.ephemerals(SATO)] == ["間に合いました"]


def test_an_empty_response_is_refused_and_not_counted(url: str, slack: FakeSlackState) -> None:
    hook = WebhookClient(slack.issue_response_url(channel=PEERS, user=SATO))

    assert (hook.send(text="").status_code, hook.send(text="").body) == (400, "no_text")
    assert all(hook.send(text="ok").status_code == 200 for _ in range(5))


# The async client (what AsyncApp uses: aiohttp, GET with query arguments)


def test_the_async_client_works_too(url: str, slack: FakeSlackState) -> None:
    slack.add_user(SUZUKI, "suzuki", "鈴木 一郎")

    async def talk() -> str:
        client = AsyncWebClient(token=TOKEN, base_url=f"{url}/api/")
        await client.chat_postMessage(
            channel=PEERS, text="非同期", blocks=buttons("はい", "いいえ")
        )
        await client.files_upload_v2(channel=PEERS, content=b"\x89PNG", filename="photo.png")
        return (await client.users_info(user=SUZUKI))["user"]["real_name"]

    assert asyncio.run(talk()) == "鈴木 一郎"
    assert slack.posts(PEERS)[0].blocks == buttons("はい", "いいえ")
    assert slack.files(PEERS)[0].data == b"\x89PNG"


# Requests to the bot


class _FixedClock(SignatureClock):
    def __init__(self, now: float) -> None:
        self._now = now

    def now(self) -> float:
        return self._now


def test_signed_headers_verify_with_the_sdk() -> None:
    body = event_envelope(message_event(SATO, "D0SATO", "訪問", "1795914000.000100"), "Ev01")
    headers = signed_headers(body, SECRET, 1_795_914_000)
    verifier = SignatureVerifier(SECRET, clock=_FixedClock(1_795_914_000 + 299))

    assert verifier.is_valid_request(body, headers)
    assert not verifier.is_valid_request(body + b" ", headers)
    assert not SignatureVerifier("other-secret", clock=_FixedClock(1_795_914_000)).is_valid_request(
        body, headers
    )
    assert not SignatureVerifier(SECRET, clock=_FixedClock(1_795_914_000 + 301)).is_valid_request(
        body, headers
    )
    assert headers["Content-Type"] == "application/json"
    assert signed_headers(b"payload=%7B%7D", SECRET, 1)["Content-Type"] == (
        "application/x-www-form-urlencoded"
    )


def bolt_app(client: WebClient, seen: list[Any]) -> App:
    """Return a bolt App that answers like tsunagi will: modals, buttons, mentions."""
    app = App(client=client, signing_secret=SECRET, process_before_response=True)

    @app.command("/tsunagi")
    def command(ack: Any, body: dict[str, Any], client: WebClient) -> None:
        ack()
        seen.append(body["text"])
        client.views_open(trigger_id=body["trigger_id"], view=modal())

    @app.action("choice")
    def choice(ack: Any, body: dict[str, Any], respond: Any) -> None:
        ack()
        respond(f"選択: {body['actions'][0]['value']}")

    @app.view("visit")
    def submit(ack: Any, view: dict[str, Any], body: dict[str, Any]) -> None:
        ack()
        seen.append((body["user"]["id"], view["private_metadata"], view["state"]["values"]))

    @app.event("app_mention")
    def mention(event: dict[str, Any], say: Any) -> None:
        say(f"{event['user']}さん、こんにちは")

    return app


def dispatch(app: App, body: bytes, secret: str = SECRET) -> int:
    """Sign a body now (bolt checks the real time) and return the HTTP status bolt answers."""
    headers = signed_headers(body, secret, int(time.time()))
    return app.dispatch(BoltRequest(body=body.decode("utf-8"), headers=dict(headers))).status


def test_bolt_accepts_the_built_requests_and_answers_through_the_fake(
    client: WebClient, slack: FakeSlackState
) -> None:
    seen: list[Any] = []
    app = bolt_app(client, seen)
    response_url = slack.issue_response_url(channel=PEERS, user=SATO)

    command = slash_command_form("訪問", SATO, PEERS, slack.issue_trigger_id(), response_url)
    assert dispatch(app, command) == 200
    action = block_action_payload(
        "choice", "2", SATO, PEERS, slack.issue_trigger_id(), response_url
    )
    assert dispatch(app, action) == 200
    values = {"who": {"who": "山田さん"}}
    assert dispatch(app, view_submission_payload("visit", values, SATO, "draft-7")) == 200
    mention = app_mention_event(SUZUKI, PEERS, "傾向", "1795914000.000200")
    assert dispatch(app, event_envelope(mention, "Ev02")) == 200

    assert seen[0] == "訪問" and len(slack.views_opened()) == 1
    assert [m.text for m in slack.ephemerals(SATO)] == ["選択: 2"]
    assert seen[1] == (
        SATO,
        "draft-7",
        {"who": {"who": {"type": "plain_text_input", "value": "山田さん"}}},
    )
    assert [m.text for m in slack.posts(PEERS)] == [f"{SUZUKI}さん、こんにちは"]


def test_bolt_refuses_a_request_signed_with_another_secret(
    client: WebClient, slack: FakeSlackState
) -> None:
    app = bolt_app(client, [])
    body = event_envelope(app_mention_event(SUZUKI, PEERS, "傾向", "1.000001"), "Ev03")

    assert dispatch(app, body, secret="not-the-secret") == 401
    assert slack.posts() == []
