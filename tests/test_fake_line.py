"""The fake LINE platform, driven by the real line-bot-sdk v3 client over loopback."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from linebot.v3 import WebhookParser
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    AsyncApiClient,
    AsyncMessagingApi,
    Configuration,
    MessageAction,
    MessagingApi,
    MessagingApiBlob,
    PushMessageRequest,
    QuickReply,
    QuickReplyItem,
    ReplyMessageRequest,
    RichMenuArea,
    RichMenuBounds,
    RichMenuRequest,
    RichMenuSize,
    TextMessage,
)
from linebot.v3.webhooks import (
    FollowEvent,
    MessageEvent,
    PostbackEvent,
    TextMessageContent,
    UnfollowEvent,
)

from bot.clock import ManualClock
from bot.fakes.line_platform import create_fake_line_app, serve_in_thread
from bot.fakes.line_state import FakeLineState
from bot.fakes.line_webhooks import (
    follow_event,
    postback_event,
    sign,
    text_event,
    unfollow_event,
    webhook_body,
)

TOKEN = "test-channel-access-token"
SATO = "U" + "1" * 32
SUZUKI = "U" + "2" * 32
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def line(clock: ManualClock) -> FakeLineState:
    return FakeLineState(clock=clock, access_token=TOKEN)


@pytest.fixture
def base_url(line: FakeLineState) -> Iterator[str]:
    url, stop = serve_in_thread(create_fake_line_app(line))
    yield url
    stop()


def client(base_url: str, token: str | None = TOKEN) -> ApiClient:
    return ApiClient(Configuration(host=base_url, access_token=token))


@pytest.fixture
def api(base_url: str) -> Iterator[MessagingApi]:
    with client(base_url) as api_client:
        yield MessagingApi(api_client)


def reply(api: MessagingApi, token: str, *texts: str) -> None:
    messages = [TextMessage(text=text) for text in texts]
    api.reply_message(ReplyMessageRequest(reply_token=token, messages=messages))


def push(api: MessagingApi, to: str, text: str, retry_key: str | None = None) -> None:
    request = PushMessageRequest(to=to, messages=[TextMessage(text=text)])
    api.push_message(request, x_line_retry_key=retry_key)


def refusal(call) -> tuple[int, dict]:
    """Run a call the fake must refuse; return the status and JSON body."""
    with pytest.raises(ApiException) as raised:
        call()
    return raised.value.status, json.loads(raised.value.body)


def test_a_reply_token_works_once(line: FakeLineState, api: MessagingApi) -> None:
    token = line.issue_reply_token(SATO)
    reply(api, token, "訪問を記録しました", "番号: 12")

    assert refusal(lambda: reply(api, token, "もう一度")) == (
        400,
        {"message": "Invalid reply token"},
    )
    assert line.replies_to(SATO) == ["訪問を記録しました", "番号: 12"]


def test_a_reply_token_expires_after_30_seconds(
    line: FakeLineState, api: MessagingApi, clock: ManualClock
) -> None:
    prompt, late = line.issue_reply_token(SATO), line.issue_reply_token(SUZUKI)
    clock.advance(seconds=30)
    reply(api, prompt, "間に合いました")
    clock.advance(seconds=1)

    assert refusal(lambda: reply(api, late, "遅すぎました"))[0] == 400
    assert line.messages_to(SATO) == ["間に合いました"]
    assert line.messages_to(SUZUKI) == []


def test_unknown_reply_token_is_refused(line: FakeLineState, api: MessagingApi) -> None:
    assert refusal(lambda: reply(api, "made-up-token", "こんにちは"))[0] == 400
    assert line.deliveries == []


def test_a_repeated_retry_key_is_409_and_delivered_once(
    line: FakeLineState, api: MessagingApi
) -> None:
    key = str(uuid.uuid4())
    first = api.push_message_with_http_info(
        PushMessageRequest(to=SATO, messages=[TextMessage(text="明日10時 山田さん訪問")]),
        x_line_retry_key=key,
    )
    with pytest.raises(ApiException) as repeat:
        push(api, SATO, "明日10時 山田さん訪問", retry_key=key)

    assert repeat.value.status == 409
    assert repeat.value.headers["x-line-accepted-request-id"] == first.headers["x-line-request-id"]
    assert line.pushes_to(SATO) == ["明日10時 山田さん訪問"]
    assert [call.status for call in line.calls_to("/v2/bot/message/push")] == [200, 409]


def test_a_retry_key_whose_first_attempt_failed_is_accepted(
    line: FakeLineState, api: MessagingApi
) -> None:
    key = str(uuid.uuid4())
    line.fail_next(1, status=500, path="/v2/bot/message/push")
    assert refusal(lambda: push(api, SATO, "リマインダー", retry_key=key))[0] == 500
    push(api, SATO, "リマインダー", retry_key=key)

    assert line.pushes_to(SATO) == ["リマインダー"]


def test_a_malformed_retry_key_is_refused(line: FakeLineState, api: MessagingApi) -> None:
    assert refusal(lambda: push(api, SATO, "こんにちは", retry_key="not-a-uuid"))[0] == 400
    assert line.pushes_to(SATO) == []


def test_429_with_retry_after_then_success(line: FakeLineState, api: MessagingApi) -> None:
    line.fail_next(1, status=429, retry_after=2, path="/v2/bot/message/push")
    with pytest.raises(ApiException) as limited:
        push(api, SATO, "まとめ")
    push(api, SATO, "まとめ")

    assert limited.value.status == 429
    assert limited.value.headers["Retry-After"] == "2"
    assert line.pushes_to(SATO) == ["まとめ"]


def test_an_injected_failure_only_hits_its_path(line: FakeLineState, api: MessagingApi) -> None:
    line.fail_next(2, status=500, path="/v2/bot/message/push")
    reply(api, line.issue_reply_token(SATO), "返信は届く")

    assert refusal(lambda: push(api, SATO, "1"))[0] == 500
    assert refusal(lambda: push(api, SATO, "2"))[0] == 500
    push(api, SATO, "3")
    assert line.messages_to(SATO) == ["返信は届く", "3"]


def test_the_monthly_limit_refuses_pushes_but_not_replies(
    line: FakeLineState, api: MessagingApi
) -> None:
    line.monthly_limit = True

    assert refusal(lambda: push(api, SATO, "リマインダー")) == (
        429,
        {"message": "You have reached your monthly limit."},
    )
    reply(api, line.issue_reply_token(SATO), "返信は無料")
    assert line.messages_to(SATO) == ["返信は無料"]


def test_a_wrong_access_token_is_401(line: FakeLineState, base_url: str) -> None:
    with client(base_url, "wrong-token") as api_client:
        api = MessagingApi(api_client)
        assert refusal(lambda: push(api, SATO, "こんにちは"))[0] == 401
        assert refusal(api.get_bot_info)[0] == 401
    assert line.deliveries == []


def test_a_missing_authorization_header_is_401(line: FakeLineState, base_url: str) -> None:
    # The SDK always sends a bearer token, so this request is made by hand.
    body = {"to": SATO, "messages": [{"type": "text", "text": "こんにちは"}]}
    response = httpx.post(f"{base_url}/v2/bot/message/push", json=body)

    assert response.status_code == 401
    assert "Authorization header required" in response.json()["message"]
    assert line.deliveries == []


def test_more_than_five_messages_are_refused(line: FakeLineState, api: MessagingApi) -> None:
    # The SDK refuses six messages itself; construct() skips its check to reach the server.
    six = [TextMessage(text=f"{n}件目") for n in range(6)]
    request = ReplyMessageRequest.construct(reply_token=line.issue_reply_token(SATO), messages=six)

    status, body = refusal(lambda: api.reply_message(request))
    assert status == 400
    assert body["details"] == [{"message": "Size must be between 1 and 5", "property": "messages"}]
    assert line.replies_to(SATO) == []


def test_the_reply_token_survives_a_refused_request(line: FakeLineState, api: MessagingApi) -> None:
    token = line.issue_reply_token(SATO)
    too_long = "😀" * 2501  # 5,002 UTF-16 code units

    assert refusal(lambda: reply(api, token, too_long))[0] == 400
    reply(api, token, "あ" * 5000)
    assert line.replies_to(SATO) == ["あ" * 5000]


def quick_reply(*labels: str) -> QuickReply:
    items = [QuickReplyItem(action=MessageAction(label=x, text=x)) for x in labels]
    return QuickReply.construct(items=items)


def test_more_than_13_quick_replies_are_refused(line: FakeLineState, api: MessagingApi) -> None:
    fourteen = quick_reply(*[f"圏域{n}" for n in range(14)])
    message = TextMessage(text="どの圏域ですか？", quick_reply=fourteen)
    token = line.issue_reply_token(SATO)

    status, body = refusal(
        lambda: api.reply_message(ReplyMessageRequest(reply_token=token, messages=[message]))
    )
    assert status == 400
    assert body["details"][0]["property"] == "messages[0].quickReply.items"


def test_quick_reply_labels_over_20_characters_are_refused(
    line: FakeLineState, api: MessagingApi
) -> None:
    labels = quick_reply("北部圏域", "茶屋町小学校区 本町自治会 第三班 東側の集合住宅")
    message = TextMessage(text="どこですか？", quick_reply=labels)
    token = line.issue_reply_token(SATO)

    status, body = refusal(
        lambda: api.reply_message(ReplyMessageRequest(reply_token=token, messages=[message]))
    )
    assert status == 400
    assert body["details"] == [
        {
            "message": "Length must be between 1 and 20",
            "property": "messages[0].quickReply.items[1].action.label",
        }
    ]


def test_content_download_serves_registered_bytes(line: FakeLineState, base_url: str) -> None:
    line.add_content("325708", PNG, "image/png")
    with client(base_url) as api_client:
        blob = MessagingApiBlob(api_client)
        content = blob.get_message_content_with_http_info("325708")
        assert bytes(content.data) == PNG
        assert content.headers["content-type"] == "image/png"
        assert refusal(lambda: blob.get_message_content("999"))[0] == 404


def test_profile_of_a_friend(line: FakeLineState, api: MessagingApi) -> None:
    line.add_profile(SATO, "佐藤 花子")

    profile = api.get_profile(SATO)
    assert (profile.display_name, profile.user_id, profile.language) == ("佐藤 花子", SATO, "ja")
    assert refusal(lambda: api.get_profile(SUZUKI))[0] == 404


def test_rich_menu_is_created_uploaded_and_made_default(line: FakeLineState, base_url: str) -> None:
    menu = RichMenuRequest(
        size=RichMenuSize(width=2500, height=843),
        selected=True,
        name="tsunagi",
        chat_bar_text="メニュー",
        areas=[
            RichMenuArea(
                bounds=RichMenuBounds(x=0, y=0, width=833, height=421),
                action=MessageAction(label="訪問記録", text="訪問"),
            )
        ],
    )
    with client(base_url) as api_client:
        api, blob = MessagingApi(api_client), MessagingApiBlob(api_client)
        rich_menu_id = api.create_rich_menu(menu).rich_menu_id
        assert refusal(lambda: api.set_default_rich_menu(rich_menu_id))[0] == 400
        blob.set_rich_menu_image(rich_menu_id, PNG, _headers={"Content-Type": "image/png"})
        api.set_default_rich_menu(rich_menu_id)

    assert line.default_rich_menu == rich_menu_id
    assert line.rich_menus[rich_menu_id]["chatBarText"] == "メニュー"
    assert line.rich_menu_images[rich_menu_id] == (PNG, "image/png")


def test_bot_info(api: MessagingApi) -> None:
    info = api.get_bot_info()
    assert info.user_id.startswith("U")
    assert info.chat_mode == "bot"


def test_calls_are_recorded_with_the_clock_time(
    line: FakeLineState, api: MessagingApi, clock: ManualClock
) -> None:
    key = str(uuid.uuid4())
    push(api, SATO, "おはようございます", retry_key=key)

    [call] = line.calls
    assert (call.method, call.path, call.status, call.at) == (
        "POST",
        "/v2/bot/message/push",
        200,
        clock.now(),
    )
    assert call.headers["x-line-retry-key"] == key
    assert call.headers["authorization"] == f"Bearer {TOKEN}"
    assert call.body["messages"] == [{"type": "text", "text": "おはようございます"}]


def test_a_subprocess_can_reach_the_fake(line: FakeLineState, base_url: str) -> None:
    script = (
        "import sys, urllib.request\n"
        "request = urllib.request.Request(sys.argv[1] + '/v2/bot/info',"
        " headers={'Authorization': 'Bearer ' + sys.argv[2]})\n"
        "print(urllib.request.urlopen(request, timeout=5).status)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, base_url, TOKEN], capture_output=True, text=True, timeout=30
    )
    assert done.stdout.strip() == "200"
    assert [call.path for call in line.calls] == ["/v2/bot/info"]


def test_signed_webhooks_parse_with_the_sdk() -> None:
    secret = "test-channel-secret"
    body = webhook_body(
        text_event(SATO, "訪問", webhook_event_id="01J0A", reply_token="r1", timestamp_ms=1),
        postback_event(
            SATO,
            "visit:area=3",
            webhook_event_id="01J0B",
            reply_token="r2",
            timestamp_ms=2,
            redelivery=True,
        ),
    )
    text, tap = WebhookParser(secret).parse(body.decode("utf-8"), sign(body, secret))

    assert isinstance(text, MessageEvent) and isinstance(text.message, TextMessageContent)
    assert (text.message.text, text.source.user_id, text.reply_token) == ("訪問", SATO, "r1")
    assert text.webhook_event_id == "01J0A" and not text.delivery_context.is_redelivery
    assert isinstance(tap, PostbackEvent) and tap.postback.data == "visit:area=3"
    assert tap.delivery_context.is_redelivery
    with pytest.raises(InvalidSignatureError):
        WebhookParser(secret).parse(body.decode("utf-8") + " ", sign(body, secret))


def test_the_same_event_keeps_its_message_id_on_redelivery() -> None:
    first = text_event(SATO, "a", webhook_event_id="01J0C", reply_token="r", timestamp_ms=1)
    again = text_event(
        SATO, "a", webhook_event_id="01J0C", reply_token="r2", timestamp_ms=1, redelivery=True
    )
    assert first["message"]["id"] == again["message"]["id"]


def test_concurrent_pushes_with_one_retry_key_deliver_once(
    line: FakeLineState, base_url: str
) -> None:
    key = str(uuid.uuid4())

    def attempt(_: int) -> int:
        with client(base_url) as api_client:
            try:
                push(MessagingApi(api_client), SATO, "リマインダー", retry_key=key)
            except ApiException as refused:
                return refused.status
            return 200

    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = sorted(pool.map(attempt, range(10)))

    assert statuses == [200] + [409] * 9
    assert line.pushes_to(SATO) == ["リマインダー"]


def test_the_async_client_replies_through_the_fake(line: FakeLineState, base_url: str) -> None:
    token = line.issue_reply_token(SATO)

    async def send() -> None:
        configuration = Configuration(host=base_url, access_token=TOKEN)
        async with AsyncApiClient(configuration) as api_client:
            request = ReplyMessageRequest(reply_token=token, messages=[TextMessage(text="非同期")])
            await AsyncMessagingApi(api_client).reply_message(request, _request_timeout=5)

    asyncio.run(send())
    assert line.replies_to(SATO) == ["非同期"]


def test_follow_and_unfollow_parse_with_the_sdk() -> None:
    body = webhook_body(
        follow_event(
            SATO, webhook_event_id="01F", reply_token="rf", timestamp_ms=1, unblocked=True
        ),
        unfollow_event(SATO, webhook_event_id="01U", timestamp_ms=2),
    )
    follow, unfollow = WebhookParser("s").parse(body.decode("utf-8"), sign(body, "s"))
    assert isinstance(follow, FollowEvent) and follow.follow.is_unblocked
    assert follow.reply_token == "rf"
    assert isinstance(unfollow, UnfollowEvent) and unfollow.source.user_id == SATO
