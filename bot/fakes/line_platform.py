"""A local fake of the LINE Messaging API, for tests and `tsunagi demo --fake-line`.

Point line-bot-sdk at it with `Configuration(host=base_url, access_token=...)`: it answers the
api.line.me and api-data.line.me paths tsunagi uses, on loopback. It enforces what the real platform
enforces and a bot can get wrong — the bearer token, single-use reply tokens that expire, message
and quick-reply limits, `X-Line-Retry-Key` dedupe — and can be told to fail (429/500, the monthly
limit). Every request is kept in `FakeLineState.calls`; accepted messages in `.deliveries`.

It also builds webhooks as LINE sends them: `webhook_body`, `text_event`, `postback_event`, `sign`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp

from bot.clock import Clock, SystemClock

REPLY_TOKEN_TTL = timedelta(seconds=30)
RETRY_KEY_TTL = timedelta(hours=24)
MAX_MESSAGES = 5
MAX_TEXT_UTF16 = 5000
MAX_QUICK_REPLY_ITEMS = 13
MAX_LABEL = 20
MAX_POSTBACK_DATA = 300
MAX_RICH_MENU_AREAS = 20
MAX_RICH_MENU_IMAGE = 1024 * 1024
MONTHLY_LIMIT_MESSAGE = "You have reached your monthly limit."
FAKE_BOT_USER_ID = "U" + "f" * 32
RECORDED_HEADERS = ("authorization", "content-type", "x-line-retry-key")


@dataclass(frozen=True)
class Call:
    """One request the fake received and the status it answered."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any
    at: datetime
    status: int


@dataclass(frozen=True)
class Delivery:
    """Messages the fake accepted for one user, by reply or push."""

    kind: str
    to: str
    messages: list[dict[str, Any]]
    at: datetime

    def texts(self) -> list[str]:
        """Return each message as text (a Flex or template message by its altText)."""
        return [m.get("text") or m.get("altText") or f"[{m.get('type')}]" for m in self.messages]


@dataclass
class _Failure:
    remaining: int
    status: int
    retry_after: float | None
    body: dict[str, Any]
    path: str | None


class Refused(Exception):
    """An error answer, raised by an endpoint and sent as JSON."""

    def __init__(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None):
        super().__init__(status, body)
        self.status, self.body, self.headers = status, body, headers or {}

    def response(self) -> Response:
        """Return the HTTP response LINE would send."""
        return JSONResponse(self.body, status_code=self.status, headers=self.headers)


@dataclass
class FakeLineState:
    """What the fake LINE platform knows and has seen; read it from tests while it serves."""

    clock: Clock = field(default_factory=SystemClock)
    access_token: str = "fake-line-access-token"
    reply_token_ttl: timedelta = REPLY_TOKEN_TTL
    monthly_limit: bool = False
    calls: list[Call] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    rich_menus: dict[str, dict[str, Any]] = field(default_factory=dict)
    rich_menu_images: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    default_rich_menu: str | None = None
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    _reply_tokens: dict[str, tuple[str, datetime]] = field(default_factory=dict, init=False)
    _retry_keys: dict[str, tuple[str, list[Any], datetime]] = field(
        default_factory=dict, init=False
    )
    _contents: dict[str, tuple[bytes, str]] = field(default_factory=dict, init=False)
    _profiles: dict[str, dict[str, Any]] = field(default_factory=dict, init=False)
    _failures: list[_Failure] = field(default_factory=list, init=False)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(100001), init=False)

    def issue_reply_token(self, user_id: str) -> str:
        """Issue a reply token for an event from this user (and make the user a friend)."""
        token = uuid.uuid4().hex
        with self.lock:
            self._reply_tokens[token] = (user_id, self.clock.now())
            self._profiles.setdefault(user_id, _profile(user_id, f"LINEユーザー{user_id[-4:]}"))
        return token

    def add_profile(self, user_id: str, display_name: str, *, language: str = "ja") -> None:
        """Register the profile the fake answers for a user."""
        with self.lock:
            self._profiles[user_id] = _profile(user_id, display_name, language)

    def add_content(self, message_id: str, data: bytes, content_type: str) -> None:
        """Register the bytes served for a user's image/video/audio/file message."""
        with self.lock:
            self._contents[message_id] = (data, content_type)

    def fail_next(
        self,
        n: int,
        *,
        status: int = 500,
        retry_after: float | None = None,
        body: dict[str, Any] | None = None,
        path: str | None = None,
    ) -> None:
        """Make the next n requests (to one path, if given) fail with this status."""
        default = {"message": "Too many requests" if status == 429 else "Internal server error"}
        with self.lock:
            self._failures.append(_Failure(n, status, retry_after, body or default, path))

    def replies_to(self, user_id: str) -> list[str]:
        """Return the texts replied to a user, in order."""
        return self._texts(user_id, {"reply"})

    def pushes_to(self, user_id: str) -> list[str]:
        """Return the texts pushed to a user, in order."""
        return self._texts(user_id, {"push"})

    def messages_to(self, user_id: str) -> list[str]:
        """Return every text a user received, replies and pushes, in order."""
        return self._texts(user_id, {"reply", "push"})

    def calls_to(self, path: str) -> list[Call]:
        """Return the requests made to one path, in order."""
        with self.lock:
            return [call for call in self.calls if call.path == path]

    def _texts(self, user_id: str, kinds: set[str]) -> list[str]:
        with self.lock:
            chosen = [d for d in self.deliveries if d.to == user_id and d.kind in kinds]
        return [text for delivery in chosen for text in delivery.texts()]

    def _take_failure(self, path: str) -> _Failure | None:
        for failure in self._failures:
            if failure.remaining > 0 and failure.path in (None, path):
                failure.remaining -= 1
                return failure
        return None

    def _redeem_reply_token(self, token: Any) -> str | None:
        issued = self._reply_tokens.get(token) if isinstance(token, str) else None
        if issued is None or self.clock.now() - issued[1] > self.reply_token_ttl:
            return None
        del self._reply_tokens[token]
        return issued[0]

    def _deliver(self, kind: str, to: str, messages: list[dict[str, Any]]) -> list[Any]:
        self.deliveries.append(Delivery(kind, to, messages, self.clock.now()))
        return [{"id": str(next(self._ids))} for _ in messages]


def _profile(user_id: str, display_name: str, language: str = "ja") -> dict[str, Any]:
    return {"userId": user_id, "displayName": display_name, "language": language}


@dataclass(frozen=True)
class _Incoming:
    request: Request
    raw: bytes
    request_id: str

    def header(self, name: str) -> str | None:
        return self.request.headers.get(name)

    def param(self, name: str) -> str:
        return str(self.request.path_params[name])

    def json(self) -> dict[str, Any]:
        try:
            body = json.loads(self.raw)
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise Refused(400, {"message": "The request body could not be parsed as JSON"})
        return body


Endpoint = Callable[[FakeLineState, _Incoming], Response]


def _invalid(details: list[dict[str, str]]) -> Refused:
    message = f"The request body has {len(details)} error(s)"
    return Refused(400, {"message": message, "details": details})


def _detail(message: str, prop: str) -> dict[str, str]:
    return {"message": message, "property": prop}


def _check_messages(messages: Any) -> None:
    """Refuse a message list LINE would refuse (count, text length, quick replies)."""
    if not isinstance(messages, list) or not 1 <= len(messages) <= MAX_MESSAGES:
        raise _invalid([_detail(f"Size must be between 1 and {MAX_MESSAGES}", "messages")])
    details = [d for i, m in enumerate(messages) for d in _message_errors(m, f"messages[{i}]")]
    if details:
        raise _invalid(details)


def _message_errors(message: Any, where: str) -> list[dict[str, str]]:
    if not isinstance(message, dict) or "type" not in message:
        return [_detail("Must be specified", f"{where}.type")]
    errors = []
    if message["type"] == "text":
        text = message.get("text")
        if not isinstance(text, str) or not text:
            errors.append(_detail("Must be specified", f"{where}.text"))
        elif len(text.encode("utf-16-le")) // 2 > MAX_TEXT_UTF16:
            errors.append(
                _detail(f"Length must be between 0 and {MAX_TEXT_UTF16}", f"{where}.text")
            )
    if message["type"] in ("flex", "template"):
        errors += [
            _detail("Must be specified", f"{where}.{key}")
            for key in ("altText", "contents" if message["type"] == "flex" else "template")
            if not message.get(key)
        ]
    return errors + _quick_reply_errors(message.get("quickReply"), f"{where}.quickReply")


def _quick_reply_errors(quick_reply: Any, where: str) -> list[dict[str, str]]:
    if quick_reply is None:
        return []
    items = quick_reply.get("items") if isinstance(quick_reply, dict) else None
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_QUICK_REPLY_ITEMS:
        return [_detail(f"Size must be between 1 and {MAX_QUICK_REPLY_ITEMS}", f"{where}.items")]
    errors = []
    for i, item in enumerate(items):
        action = item.get("action") if isinstance(item, dict) else None
        at = f"{where}.items[{i}].action"
        if not isinstance(action, dict):
            errors.append(_detail("Must be specified", at))
            continue
        label, data = action.get("label"), action.get("data", "")
        if not isinstance(label, str) or not 1 <= len(label) <= MAX_LABEL:
            errors.append(_detail(f"Length must be between 1 and {MAX_LABEL}", f"{at}.label"))
        if not isinstance(data, str) or len(data) > MAX_POSTBACK_DATA:
            errors.append(
                _detail(f"Length must be between 0 and {MAX_POSTBACK_DATA}", f"{at}.data")
            )
    return errors


def _reply(state: FakeLineState, incoming: _Incoming) -> Response:
    body = incoming.json()
    _check_messages(body.get("messages"))
    user_id = state._redeem_reply_token(body.get("replyToken"))
    if user_id is None:
        raise Refused(400, {"message": "Invalid reply token"})
    return JSONResponse({"sentMessages": state._deliver("reply", user_id, body["messages"])})


def _push(state: FakeLineState, incoming: _Incoming) -> Response:
    key = incoming.header("x-line-retry-key")
    if key is not None:
        _refuse_accepted_retry_key(state, key)
    if state.monthly_limit:
        raise Refused(429, {"message": MONTHLY_LIMIT_MESSAGE})
    body = incoming.json()
    if not isinstance(body.get("to"), str) or not body["to"]:
        raise _invalid([_detail("Must be specified", "to")])
    _check_messages(body.get("messages"))
    sent = state._deliver("push", body["to"], body["messages"])
    if key is not None:
        state._retry_keys[key] = (incoming.request_id, sent, state.clock.now())
    return JSONResponse({"sentMessages": sent})


def _refuse_accepted_retry_key(state: FakeLineState, key: str) -> None:
    """Refuse a malformed key (400) or one accepted in the last 24 hours (409)."""
    try:
        uuid.UUID(key)
    except ValueError:
        raise Refused(400, {"message": "The value of X-Line-Retry-Key is invalid"}) from None
    accepted = state._retry_keys.get(key)
    if accepted is not None and state.clock.now() - accepted[2] < RETRY_KEY_TTL:
        body = {"message": "The retry key is already accepted", "sentMessages": accepted[1]}
        raise Refused(409, body, {"x-line-accepted-request-id": accepted[0]})


def _profile_of(state: FakeLineState, incoming: _Incoming) -> Response:
    profile = state._profiles.get(incoming.param("userId"))
    if profile is None:
        raise Refused(404, {"message": "Not found"})
    return JSONResponse(profile)


def _content(state: FakeLineState, incoming: _Incoming) -> Response:
    content = state._contents.get(incoming.param("messageId"))
    if content is None:
        raise Refused(404, {"message": "Not found"})
    return Response(content[0], media_type=content[1])


def _create_rich_menu(state: FakeLineState, incoming: _Incoming) -> Response:
    body = incoming.json()
    required = ("size", "selected", "name", "chatBarText", "areas")
    details = [_detail("Must be specified", key) for key in required if key not in body]
    if len(body.get("areas") or []) > MAX_RICH_MENU_AREAS:
        details.append(_detail(f"Size must be between 0 and {MAX_RICH_MENU_AREAS}", "areas"))
    if details:
        raise _invalid(details)
    rich_menu_id = f"richmenu-{uuid.uuid4().hex}"
    state.rich_menus[rich_menu_id] = body
    return JSONResponse({"richMenuId": rich_menu_id})


def _upload_rich_menu_image(state: FakeLineState, incoming: _Incoming) -> Response:
    rich_menu_id = _known_rich_menu(state, incoming)
    content_type = incoming.header("content-type") or ""
    if content_type not in ("image/png", "image/jpeg"):
        raise Refused(415, {"message": "Unsupported Media Type"})
    if len(incoming.raw) > MAX_RICH_MENU_IMAGE:
        raise Refused(413, {"message": "Request Entity Too Large"})
    if rich_menu_id in state.rich_menu_images:
        raise Refused(400, {"message": "An image has already been uploaded to the richmenu"})
    state.rich_menu_images[rich_menu_id] = (incoming.raw, content_type)
    return JSONResponse({})


def _set_default_rich_menu(state: FakeLineState, incoming: _Incoming) -> Response:
    rich_menu_id = _known_rich_menu(state, incoming)
    if rich_menu_id not in state.rich_menu_images:
        raise Refused(400, {"message": "must upload richmenu image before applying it to user"})
    state.default_rich_menu = rich_menu_id
    return JSONResponse({})


def _known_rich_menu(state: FakeLineState, incoming: _Incoming) -> str:
    rich_menu_id = incoming.param("richMenuId")
    if rich_menu_id not in state.rich_menus:
        raise Refused(404, {"message": "Not found"})
    return rich_menu_id


def _bot_info(_state: FakeLineState, _incoming: _Incoming) -> Response:
    info = {"userId": FAKE_BOT_USER_ID, "basicId": "@000tsunagi", "displayName": "つなぎ (fake)"}
    return JSONResponse(info | {"chatMode": "bot", "markAsReadMode": "auto"})


def _not_found(_state: FakeLineState, _incoming: _Incoming) -> Response:
    raise Refused(404, {"message": "Not found"})


def _refuse_bad_token(state: FakeLineState, incoming: _Incoming) -> None:
    authorization = incoming.header("authorization")
    if authorization is None:
        message = "Authorization header required. Must follow the scheme, 'Authorization: Bearer <ACCESS TOKEN>'"
        raise Refused(401, {"message": message})
    if not hmac.compare_digest(authorization, f"Bearer {state.access_token}"):
        message = "Authentication failed. Confirm that the access token in the authorization header is valid."
        raise Refused(401, {"message": message})


def _refuse_if_told(state: FakeLineState, path: str) -> None:
    failure = state._take_failure(path)
    if failure is not None:
        headers = {} if failure.retry_after is None else {"Retry-After": f"{failure.retry_after:g}"}
        raise Refused(failure.status, failure.body, headers)


def _record(state: FakeLineState, incoming: _Incoming, status: int) -> None:
    request = incoming.request
    headers = {name: request.headers[name] for name in RECORDED_HEADERS if name in request.headers}
    try:
        body = json.loads(incoming.raw) if incoming.raw else None
    except ValueError:
        body = None  # binary uploads are kept in rich_menu_images, not in the call log
    at = state.clock.now()
    state.calls.append(Call(request.method, request.url.path, headers, body, at, status))


def _endpoint(state: FakeLineState, handle: Endpoint) -> Callable[[Request], Any]:
    """Wrap a handler: check the token, inject failures, answer errors, record the call."""

    async def endpoint(request: Request) -> Response:
        incoming = _Incoming(request, await request.body(), uuid.uuid4().hex)
        with state.lock:
            try:
                _refuse_bad_token(state, incoming)
                _refuse_if_told(state, request.url.path)
                response = handle(state, incoming)
            except Refused as refusal:
                response = refusal.response()
            response.headers["x-line-request-id"] = incoming.request_id
            _record(state, incoming, response.status_code)
        return response

    return endpoint


def create_fake_line_app(state: FakeLineState) -> Starlette:
    """Return the ASGI app of the fake LINE platform, recording into state."""
    routes = [
        ("/v2/bot/message/reply", _reply, "POST"),
        ("/v2/bot/message/push", _push, "POST"),
        ("/v2/bot/profile/{userId}", _profile_of, "GET"),
        ("/v2/bot/message/{messageId}/content", _content, "GET"),
        ("/v2/bot/richmenu", _create_rich_menu, "POST"),
        ("/v2/bot/richmenu/{richMenuId}/content", _upload_rich_menu_image, "POST"),
        ("/v2/bot/user/all/richmenu/{richMenuId}", _set_default_rich_menu, "POST"),
        ("/v2/bot/info", _bot_info, "GET"),
    ]
    every_method = ["GET", "POST", "PUT", "DELETE", "PATCH"]
    return Starlette(
        routes=[Route(path, _endpoint(state, handle), methods=[m]) for path, handle, m in routes]
        + [Route("/{path:path}", _endpoint(state, _not_found), methods=every_method)]
    )


def serve_in_thread(
    app: ASGIApp, host: str = "127.0.0.1", *, timeout: float = 10.0
) -> tuple[str, Callable[[], None]]:
    """Serve an ASGI app with uvicorn on a free port in a thread; return its URL and a stop."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="off", timeout_graceful_shutdown=1)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            sock.close()
            raise RuntimeError(f"the server on {host}:{port} did not start")
        thread.join(0.005)  # wakes early if the server thread dies

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout)
        sock.close()

    return f"http://{host}:{port}", stop


def sign(body: bytes, channel_secret: str) -> str:
    """Return the X-Line-Signature LINE sends with a webhook body."""
    digest = hmac.new(channel_secret.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def webhook_body(*events: dict[str, Any], destination: str = FAKE_BOT_USER_ID) -> bytes:
    """Return the raw body LINE posts to the webhook for these events."""
    payload = {"destination": destination, "events": list(events)}
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


def text_event(
    user_id: str,
    text: str,
    *,
    webhook_event_id: str,
    reply_token: str,
    timestamp_ms: int,
    redelivery: bool = False,
) -> dict[str, Any]:
    """Return a text-message event from a user in a 1:1 chat, shaped like LINE's."""
    message_id = str(int(hashlib.sha256(webhook_event_id.encode()).hexdigest()[:13], 16))
    message = {"type": "text", "id": message_id, "quoteToken": f"q{message_id}", "text": text}
    return _event("message", user_id, webhook_event_id, reply_token, timestamp_ms, redelivery) | {
        "message": message
    }


def postback_event(
    user_id: str,
    data: str,
    *,
    webhook_event_id: str,
    reply_token: str,
    timestamp_ms: int,
    redelivery: bool = False,
) -> dict[str, Any]:
    """Return a postback event (a tapped quick reply or button) from a user in a 1:1 chat."""
    event = _event("postback", user_id, webhook_event_id, reply_token, timestamp_ms, redelivery)
    return event | {"postback": {"data": data}}


def _event(
    kind: str, user_id: str, event_id: str, reply_token: str, timestamp_ms: int, redelivery: bool
) -> dict[str, Any]:
    return {
        "type": kind,
        "mode": "active",
        "timestamp": timestamp_ms,
        "source": {"type": "user", "userId": user_id},
        "webhookEventId": event_id,
        "deliveryContext": {"isRedelivery": redelivery},
        "replyToken": reply_token,
    }
