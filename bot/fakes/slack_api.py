"""A local fake of the Slack Web API, for tests and `tsunagi demo --fake-slack`.

Point slack_sdk at it with `WebClient(token=..., base_url=f"{url}/api/")`: it answers the methods
tsunagi uses (slack_methods) with their arguments as the SDK sends them — form, JSON or query — on
loopback. It enforces what Slack enforces and a bot can get wrong: the bot token, single-use
trigger_ids that expire in 3 s, response_urls good for 5 answers in 30 minutes, Block Kit limits
(slack_blocks), the three-step file upload. It can be told to fail (429 with Retry-After, or 5xx).
Everything it sees is kept in FakeSlackState; requests for the bot are built by slack_requests.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from bot.fakes.line_platform import serve_in_thread
from bot.fakes.slack_methods import METHODS, Args, respond, store_upload
from bot.fakes.slack_state import FakeSlackState, SlackError

BOT_SCOPES = "app_mentions:read,channels:read,chat:write,commands,files:write,im:history,users:read"


def _arguments(request: Request, raw: bytes) -> dict[str, Any]:
    """Return a call's arguments: the query string, then a form or JSON body over it."""
    args: dict[str, Any] = dict(request.query_params)
    content_type = request.headers.get("content-type", "").partition(";")[0].strip()
    if content_type == "application/json" and raw:
        try:
            body = json.loads(raw)
        except ValueError:
            raise SlackError("invalid_json") from None
        if not isinstance(body, dict):
            raise SlackError("invalid_json")
        args |= body
    elif content_type == "application/x-www-form-urlencoded":
        args |= dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
    elif raw:
        raise SlackError("invalid_form_data")
    return args


def _refuse_bad_token(state: FakeSlackState, request: Request, args: dict[str, Any]) -> None:
    """Refuse a call without the bot token (in the Authorization header or a `token` argument)."""
    token = args.pop("token", None)
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and credentials:
        token = credentials
    if not token:
        raise SlackError("not_authed")
    if not hmac.compare_digest(str(token), state.bot_token):
        raise SlackError("invalid_auth")


def _call(state: FakeSlackState, method: str, request: Request, raw: bytes) -> Response:
    """Answer one Web API call and record it (without its token)."""
    args: dict[str, Any] = {}
    headers = {"x-oauth-scopes": BOT_SCOPES}
    try:
        args = _arguments(request, raw)
        answer = _answer(state, method, request, args)
    except SlackError as refusal:
        state.record(method, args, refusal.status, refusal.error)
        body = {"ok": False, "error": refusal.error}
        return JSONResponse(body, refusal.status, headers | refusal.headers)
    state.record(method, args, 200, None)
    return JSONResponse(answer, headers=headers)


def _answer(
    state: FakeSlackState, method: str, request: Request, args: dict[str, Any]
) -> dict[str, Any]:
    """Return the answer to a call made with the bot token, or raise Slack's error."""
    _refuse_bad_token(state, request, args)
    handle = METHODS.get(method)
    if handle is None:
        raise SlackError("unknown_method", 404)
    state.refuse_if_told(method)
    base_url = str(request.base_url).rstrip("/")
    return {"ok": True} | handle(state, Args(args, base_url))


def _upload(state: FakeSlackState, file_id: str, _request: Request, raw: bytes) -> Response:
    """Store the bytes POSTed to an upload_url issued by files.getUploadURLExternal."""
    try:
        state.refuse_if_told("upload")
        store_upload(state, file_id, raw)
    except SlackError as refusal:
        return _refused(state, "upload", {"file_id": file_id}, refusal)
    state.record("upload", {"file_id": file_id, "size": len(raw)}, 200, None)
    return PlainTextResponse(f"OK - {len(raw)}")


def _respond(state: FakeSlackState, url_id: str, request: Request, raw: bytes) -> Response:
    """Post a message through a response_url: in the channel, or ephemerally to its user."""
    body: dict[str, Any] = {}
    try:
        state.refuse_if_told("response_url")
        body = _response_body(request, raw)
        respond(state, url_id, body)
    except SlackError as refusal:
        return _refused(state, "response_url", body, refusal)
    state.record("response_url", body, 200, None)
    return PlainTextResponse("ok")


def _response_body(request: Request, raw: bytes) -> dict[str, Any]:
    """Return a response_url body: JSON, or a form with the JSON in `payload`."""
    args = _arguments(request, raw)
    if "payload" in args:
        args = Args(args, "").json("payload", "invalid_payload")
    if not isinstance(args, dict):
        raise SlackError("invalid_payload")
    return args


def _refused(
    state: FakeSlackState, name: str, args: dict[str, Any], refusal: SlackError
) -> Response:
    """Answer a refused upload or response_url in plain text, as Slack's webhooks do (4xx)."""
    status = 400 if refusal.status == 200 else refusal.status
    state.record(name, args, status, refusal.error)
    return PlainTextResponse(refusal.error, status, refusal.headers)


Answer = Callable[[FakeSlackState, str, Request, bytes], Response]


def _endpoint(state: FakeSlackState, answer: Answer, param: str) -> Callable[[Request], Any]:
    """Wrap an answer: read the body, then answer under the state's lock."""

    async def endpoint(request: Request) -> Response:
        raw = await request.body()
        with state.lock:
            return answer(state, request.path_params[param], request, raw)

    return endpoint


def create_fake_slack_app(state: FakeSlackState) -> Starlette:
    """Return the ASGI app of the fake Slack Web API, recording into state."""
    return Starlette(
        routes=[
            Route("/api/{method}", _endpoint(state, _call, "method"), methods=["GET", "POST"]),
            Route("/upload/{file_id}", _endpoint(state, _upload, "file_id"), methods=["POST"]),
            Route("/response/{url_id}", _endpoint(state, _respond, "url_id"), methods=["POST"]),
        ]
    )


def serve_fake_slack(
    state: FakeSlackState, host: str = "127.0.0.1"
) -> tuple[str, Callable[[], None]]:
    """Serve the fake on a free loopback port in a thread; return its URL and a stop.

    The Web API is at f"{url}/api/"; the state learns the URL so it can issue response_urls.
    """
    url, stop = serve_in_thread(create_fake_slack_app(state), host)
    state.base_url = url
    return url, stop
