"""The Slack request body, read before bolt sees it: at most 1 MiB, and parsable as bolt parses it.

bolt reads the whole body into memory and parses it while building its request, before it checks
the signature; a body that is not UTF-8, not JSON where JSON is due, not an object, or an object
whose fields bolt reads have other shapes (`"authorizations": [null]`) made it raise (a 500, and
a Slack retry). Here a body over the limit gets 413 — whether or not it
declares a Content-Length — and one bolt could not parse gets 400; nothing is stored for either.
"""

from __future__ import annotations

import json
from typing import Any

from slack_bolt.adapter.starlette.async_handler import to_async_bolt_request, to_starlette_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.internals import parse_body
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response


async def dispatch_limited(app: AsyncApp, request: Request, limit: int) -> Response:
    """Read the body within `limit` bytes, check bolt can parse it, then let bolt handle it."""
    declared = request.headers.get("content-length", "")
    if declared.isdecimal() and int(declared) > limit:
        return PlainTextResponse("payload too large", status_code=413)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return PlainTextResponse("payload too large", status_code=413)
        chunks.append(chunk)
    body = b"".join(chunks)
    types = request.headers.getlist("content-type") or [""]  # bolt may read any one of them
    if not all(_parsable(body, content_type) for content_type in types):
        return PlainTextResponse("malformed body", status_code=400)
    try:
        bolt_request = to_async_bolt_request(request, body)
    except (AttributeError, IndexError, KeyError, TypeError):  # bolt reads fields it assumes
        return PlainTextResponse("malformed body", status_code=400)
    return to_starlette_response(await app.async_dispatch(bolt_request))


def _parsable(body: bytes, content_type: str) -> bool:
    """Tell whether bolt reads the body as an object (an empty body is bolt's to refuse)."""
    try:
        parsed: Any = parse_body(body.decode("utf-8"), content_type.split(";")[0].strip())
    except (UnicodeDecodeError, json.JSONDecodeError, ValueError):
        return False
    return isinstance(parsed, dict) and _shaped(parsed)


def _shaped(body: dict[str, Any]) -> bool:
    """Tell whether the fields bolt indexes without looking have the shapes Slack sends."""
    kind = body.get("type")
    if kind == "event_callback" and "event" in body:
        event = body["event"]
        return isinstance(event, dict) and isinstance(event.get("type", ""), str)
    if kind == "block_actions" and "actions" in body:
        actions = body["actions"]
        return isinstance(actions, list) and bool(actions) and isinstance(actions[0], dict)
    if kind in ("view_submission", "view_closed") and "view" in body:
        view = body["view"]
        return isinstance(view, dict) and ("callback_id" not in view or "type" in view)
    return True
