"""What LINE refuses in a request body, and the error answers it sends, for the fake platform.

The limits are the Messaging API's (PLATFORMS.md §1): a 400 names each offending property, as
`{"message": "The request body has N error(s)", "details": [{"message", "property"}, ...]}`.
"""

from __future__ import annotations

import uuid
from typing import Any

from starlette.responses import JSONResponse, Response

MAX_MESSAGES = 5
MAX_TEXT_UTF16 = 5000
MAX_QUICK_REPLY_ITEMS = 13
MAX_LABEL = 20
MAX_POSTBACK_DATA = 300
MAX_RICH_MENU_AREAS = 20
MAX_RICH_MENU_IMAGE = 1024 * 1024
RICH_MENU_IMAGE_TYPES = ("image/png", "image/jpeg")
RICH_MENU_FIELDS = ("size", "selected", "name", "chatBarText", "areas")

Detail = dict[str, str]


class Refused(Exception):
    """An error answer, raised by an endpoint and sent as JSON."""

    def __init__(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None):
        super().__init__(status, body)
        self.status, self.body, self.headers = status, body, headers or {}

    def response(self) -> Response:
        """Return the HTTP response LINE would send."""
        return JSONResponse(self.body, status_code=self.status, headers=self.headers)


def invalid(details: list[Detail]) -> Refused:
    """Return the 400 LINE answers for a body with these errors."""
    message = f"The request body has {len(details)} error(s)"
    return Refused(400, {"message": message, "details": details})


def detail(message: str, prop: str) -> Detail:
    """Return one error of a 400 answer, naming the property at fault."""
    return {"message": message, "property": prop}


def check_push(body: dict[str, Any]) -> None:
    """Refuse a push body LINE would refuse (no recipient, bad messages)."""
    if not isinstance(body.get("to"), str) or not body["to"]:
        raise invalid([detail("Must be specified", "to")])
    check_messages(body.get("messages"))


def check_messages(messages: Any) -> None:
    """Refuse a message list LINE would refuse (count, text length, quick replies)."""
    if not isinstance(messages, list) or not 1 <= len(messages) <= MAX_MESSAGES:
        raise invalid([detail(f"Size must be between 1 and {MAX_MESSAGES}", "messages")])
    details = [d for i, m in enumerate(messages) for d in _message_errors(m, f"messages[{i}]")]
    if details:
        raise invalid(details)


def check_retry_key(key: str) -> None:
    """Refuse an X-Line-Retry-Key that is not a UUID."""
    try:
        uuid.UUID(key)
    except ValueError:
        raise Refused(400, {"message": "The value of X-Line-Retry-Key is invalid"}) from None


def check_rich_menu(body: dict[str, Any]) -> None:
    """Refuse a rich menu LINE would refuse (missing fields, too many areas)."""
    details = [detail("Must be specified", key) for key in RICH_MENU_FIELDS if key not in body]
    if len(body.get("areas") or []) > MAX_RICH_MENU_AREAS:
        details.append(detail(f"Size must be between 0 and {MAX_RICH_MENU_AREAS}", "areas"))
    if details:
        raise invalid(details)


def check_rich_menu_image(content_type: str, data: bytes) -> None:
    """Refuse a rich menu image that is not a PNG or JPEG of at most 1 MiB."""
    if content_type not in RICH_MENU_IMAGE_TYPES:
        raise Refused(415, {"message": "Unsupported Media Type"})
    if len(data) > MAX_RICH_MENU_IMAGE:
        raise Refused(413, {"message": "Request Entity Too Large"})


def _message_errors(message: Any, where: str) -> list[Detail]:
    if not isinstance(message, dict) or "type" not in message:
        return [detail("Must be specified", f"{where}.type")]
    is_text = message["type"] == "text"
    errors = _text_errors(message.get("text"), f"{where}.text") if is_text else []
    if message["type"] in ("flex", "template"):
        errors += [
            detail("Must be specified", f"{where}.{key}")
            for key in ("altText", "contents" if message["type"] == "flex" else "template")
            if not message.get(key)
        ]
    return errors + _quick_reply_errors(message.get("quickReply"), f"{where}.quickReply")


def _text_errors(text: Any, where: str) -> list[Detail]:
    if not isinstance(text, str) or not text:
        return [detail("Must be specified", where)]
    if len(text.encode("utf-16-le")) // 2 > MAX_TEXT_UTF16:
        return [detail(f"Length must be between 0 and {MAX_TEXT_UTF16}", where)]
    return []


def _quick_reply_errors(quick_reply: Any, where: str) -> list[Detail]:
    if quick_reply is None:
        return []
    items = quick_reply.get("items") if isinstance(quick_reply, dict) else None
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_QUICK_REPLY_ITEMS:
        return [detail(f"Size must be between 1 and {MAX_QUICK_REPLY_ITEMS}", f"{where}.items")]
    errors = []
    for i, item in enumerate(items):
        action = item.get("action") if isinstance(item, dict) else None
        errors += _action_errors(action, f"{where}.items[{i}].action")
    return errors


def _action_errors(action: Any, where: str) -> list[Detail]:
    if not isinstance(action, dict):
        return [detail("Must be specified", where)]
    errors = []
    label, data = action.get("label"), action.get("data", "")
    if not isinstance(label, str) or not 1 <= len(label) <= MAX_LABEL:
        errors.append(detail(f"Length must be between 1 and {MAX_LABEL}", f"{where}.label"))
    if not isinstance(data, str) or len(data) > MAX_POSTBACK_DATA:
        errors.append(detail(f"Length must be between 0 and {MAX_POSTBACK_DATA}", f"{where}.data"))
    return errors
