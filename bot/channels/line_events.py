"""Translate LINE webhook events (JSON dicts) into what the core understands.

Every event type gets a sensible outcome: a message for the bot, a fixed notice, an identity
to deactivate, a choices page to show, or nothing at all (stored and acknowledged only).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from bot.channels.line_render import parse_more
from bot.messages import Incoming

CHANNEL = "line"
MORE_PREFIX = "tsunagi:more:"


@dataclass(frozen=True)
class ForBot:
    """A user message or tap for the bot engine."""

    incoming: Incoming


@dataclass(frozen=True)
class Notice:
    """A fixed answer that needs no bot logic (a sticker, a follow, unsupported media)."""

    key: str
    user_id: str
    chat_id: str
    is_group: bool


@dataclass(frozen=True)
class MorePage:
    """A tap on 「もっと見る」: show another page of the current choices."""

    user_id: str
    chat_id: str
    page: int


@dataclass(frozen=True)
class Photo:
    """A photo: attached to a visit in progress (after a consent question), else declined."""

    user_id: str
    chat_id: str
    is_group: bool
    message_id: str


@dataclass(frozen=True)
class Unfollow:
    """The user blocked or removed the bot: deactivate their identity."""

    user_id: str


@dataclass(frozen=True)
class Ignore:
    """Stored and acknowledged, nothing else to do."""

    reason: str


Action = ForBot | Notice | MorePage | Photo | Unfollow | Ignore


def event_id(event: dict[str, Any]) -> str:
    """Return the event's webhookEventId, or a stable hash when LINE sent none."""
    value = event.get("webhookEventId")
    if isinstance(value, str) and value:
        return value
    canonical = json.dumps(event, sort_keys=True, ensure_ascii=False).encode()
    return "sha256:" + hashlib.sha256(canonical).hexdigest()


def is_redelivery(event: dict[str, Any]) -> bool:
    context = event.get("deliveryContext")
    return bool(isinstance(context, dict) and context.get("isRedelivery"))


def translate(event: dict[str, Any]) -> Action:
    """Decide what one stored LINE event means for tsunagi."""
    if event.get("mode") == "standby":
        return Ignore("standby")
    source = event.get("source") if isinstance(event.get("source"), dict) else {}
    assert isinstance(source, dict)
    user_id = str(source.get("userId") or "")
    kind = source.get("type")
    chat_id = str(source.get("groupId") or source.get("roomId") or user_id)
    is_group = kind in ("group", "room")
    etype = event.get("type")
    if etype == "unfollow":
        return Unfollow(user_id) if user_id else Ignore("unfollow without user")
    if not user_id:
        return Ignore(f"{etype} without a user")
    if etype == "follow":
        return Notice("line.welcome", user_id, chat_id, is_group)
    if etype == "message":
        return _message(_object(event.get("message")), user_id, chat_id, is_group)
    if etype == "messageEdited":
        return Notice("line.edited", user_id, chat_id, is_group)
    if etype == "postback":
        return _postback(_object(event.get("postback")), user_id, chat_id, is_group)
    return Ignore(str(etype))


def _object(value: Any) -> dict[str, Any]:
    """Return a JSON object of the event, or an empty one for anything else (forged bodies)."""
    return value if isinstance(value, dict) else {}


def _message(message: dict[str, Any], user_id: str, chat_id: str, is_group: bool) -> Action:
    mtype = message.get("type")
    if mtype == "text":
        text = str(message.get("text") or "")
        return ForBot(Incoming(CHANNEL, chat_id, user_id, text=text, is_group=is_group))
    if mtype == "location":
        place = str(message.get("title") or "").strip()
        if not place:
            return Notice("line.location_untitled", user_id, chat_id, is_group)
        return ForBot(Incoming(CHANNEL, chat_id, user_id, text=place, is_group=is_group))
    if mtype == "sticker":
        return Notice("line.sticker", user_id, chat_id, is_group)
    if mtype == "image" and message.get("id") and not is_group:
        return Photo(user_id, chat_id, is_group, str(message["id"]))
    if mtype in ("image", "video", "audio", "file"):
        return Notice("line.media", user_id, chat_id, is_group)
    return Ignore(f"message {mtype}")


def _postback(postback: dict[str, Any], user_id: str, chat_id: str, is_group: bool) -> Action:
    data = str(postback.get("data") or "")[:300]
    if data.startswith(MORE_PREFIX):
        page = parse_more(data)  # the renderer wrote it; read it back the same way
        return MorePage(user_id, chat_id, page) if page else Ignore("bad more page")
    params = postback.get("params") if isinstance(postback.get("params"), dict) else {}
    assert isinstance(params, dict)
    picked = params.get("date") or params.get("datetime") or params.get("time")
    if picked:
        return ForBot(Incoming(CHANNEL, chat_id, user_id, text=str(picked), is_group=is_group))
    return ForBot(Incoming(CHANNEL, chat_id, user_id, text="", postback=data, is_group=is_group))
