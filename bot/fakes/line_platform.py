"""A local fake of the LINE Messaging API, for tests and `tsunagi demo --fake-line`.

Point line-bot-sdk at it with `Configuration(host=base_url, access_token=...)`: it answers the
api.line.me and api-data.line.me paths tsunagi uses, on loopback. It enforces what the real platform
enforces and a bot can get wrong — the bearer token, single-use reply tokens that expire, message
and quick-reply limits (line_limits), `X-Line-Retry-Key` dedupe — and can be told to fail (429/500,
the monthly limit). Every request is kept in `FakeLineState.calls`; accepted messages in
`.deliveries`. Webhooks to send to the bot are built by line_webhooks.
"""

from __future__ import annotations

import hmac
import json
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp

from bot.fakes.line_limits import (
    Refused,
    check_messages,
    check_push,
    check_retry_key,
    check_rich_menu,
    check_rich_menu_image,
)
from bot.fakes.line_state import Call, FakeLineState
from bot.fakes.line_webhooks import FAKE_BOT_USER_ID

MONTHLY_LIMIT_MESSAGE = "You have reached your monthly limit."
RECORDED_HEADERS = ("authorization", "content-type", "x-line-retry-key")


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


def _reply(state: FakeLineState, incoming: _Incoming) -> Response:
    body = incoming.json()
    check_messages(body.get("messages"))
    user_id = state.redeem_reply_token(body.get("replyToken"))
    if user_id is None:
        raise Refused(400, {"message": "Invalid reply token"})
    return JSONResponse({"sentMessages": state.deliver("reply", user_id, body["messages"])})


def _push(state: FakeLineState, incoming: _Incoming) -> Response:
    key = incoming.header("x-line-retry-key")
    if key is not None:
        _refuse_accepted_retry_key(state, key)
    if state.monthly_limit:
        raise Refused(429, {"message": MONTHLY_LIMIT_MESSAGE})
    body = incoming.json()
    check_push(body)
    sent = state.deliver("push", body["to"], body["messages"])
    if key is not None:
        state.accept_retry_key(key, incoming.request_id, sent)
    return JSONResponse({"sentMessages": sent})


def _refuse_accepted_retry_key(state: FakeLineState, key: str) -> None:
    """Refuse a malformed key (400) or one accepted in the last 24 hours (409)."""
    check_retry_key(key)
    accepted = state.accepted_retry_key(key)
    if accepted is not None:
        body = {"message": "The retry key is already accepted", "sentMessages": accepted[1]}
        raise Refused(409, body, {"x-line-accepted-request-id": accepted[0]})


def _profile_of(state: FakeLineState, incoming: _Incoming) -> Response:
    profile = state.profile(incoming.param("userId"))
    if profile is None:
        raise Refused(404, {"message": "Not found"})
    return JSONResponse(profile)


def _content(state: FakeLineState, incoming: _Incoming) -> Response:
    content = state.content(incoming.param("messageId"))
    if content is None:
        raise Refused(404, {"message": "Not found"})
    return Response(content[0], media_type=content[1])


def _create_rich_menu(state: FakeLineState, incoming: _Incoming) -> Response:
    body = incoming.json()
    check_rich_menu(body)
    rich_menu_id = f"richmenu-{uuid.uuid4().hex}"
    state.rich_menus[rich_menu_id] = body
    return JSONResponse({"richMenuId": rich_menu_id})


def _upload_rich_menu_image(state: FakeLineState, incoming: _Incoming) -> Response:
    rich_menu_id = _known_rich_menu(state, incoming)
    content_type = incoming.header("content-type") or ""
    check_rich_menu_image(content_type, incoming.raw)
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
    failure = state.take_failure(path)
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
    app: ASGIApp, host: str = "127.0.0.1", *, timeout: float = 10.0, lifespan: bool = False
) -> tuple[str, Callable[[], None]]:
    """Serve an ASGI app with uvicorn on a free port in a thread; return its URL and a stop.

    With `lifespan`, the app's start-up and shutdown run too (tsunagi's workers live there).
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app, log_level="warning", lifespan="on" if lifespan else "off", timeout_graceful_shutdown=1
    )
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
