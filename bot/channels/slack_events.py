"""Slack requests as the inbox keeps them, and what each means for the bot.

A request is stored as `{"kind": …, "body": …}` under a key that is the same every time Slack
sends it again: the envelope's event_id for events, a hash of the stable fields for slash
commands, button clicks and modal submissions (their trigger_id is unique per interaction).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from bot.channels.slack_modal import is_visit_modal, origin_of, read_visit
from bot.channels.slack_render import parse_action
from bot.messages import Incoming
from handlers.visit_form import VISIT_FORM

CHANNEL = "slack"
EVENT, COMMAND, ACTION, VIEW = "event", "command", "action", "view"
HELP = "ヘルプ"
_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")


@dataclass(frozen=True)
class ForBot:
    """A user's words or button for the bot; `response_url` when Slack gave one."""

    incoming: Incoming
    response_url: str | None = None


@dataclass(frozen=True)
class Ignore:
    """Stored and acknowledged, nothing else to do."""

    reason: str


Action = ForBot | Ignore


def inbox_row(body: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """Return (key, stored payload) of a request Slack sent, or None for one not kept."""
    if body.get("type") == "event_callback" and body.get("event_id"):
        return f"event:{body['event_id']}", {"kind": EVENT, "body": body}
    if body.get("command"):
        fields = ("team_id", "user_id", "channel_id", "command", "text", "trigger_id")
        return _hashed(COMMAND, body, fields), {"kind": COMMAND, "body": body}
    if body.get("type") == "block_actions":
        return _hashed(ACTION, body, ("team", "user", "trigger_id", "actions")), {
            "kind": ACTION,
            "body": body,
        }
    if body.get("type") == "view_submission":
        return _hashed(VIEW, body, ("team", "user", "trigger_id", "view")), {
            "kind": VIEW,
            "body": body,
        }
    return None


def translate(payload: dict[str, Any]) -> Action:
    """Decide what one stored Slack request means for tsunagi."""
    kind, body = payload.get("kind"), payload.get("body")
    if not isinstance(body, dict):
        return Ignore("no body")
    if kind == EVENT:
        return _event(body)
    if kind == COMMAND:
        return _command(body)
    if kind == ACTION:
        return _action(body)
    if kind == VIEW:
        return _submission(body)
    return Ignore(f"{kind} not handled")


def is_dm(channel_id: str) -> bool:
    """Return whether a Slack conversation is a direct message with the bot (IDs start with D)."""
    return channel_id.startswith("D")


def _event(envelope: dict[str, Any]) -> Action:
    event = envelope.get("event")
    if not isinstance(event, dict):
        return Ignore("no event")
    user, channel = str(event.get("user") or ""), str(event.get("channel") or "")
    bot_user = _bot_user(envelope)
    if event.get("bot_id") or event.get("subtype") or not user or not channel or user == bot_user:
        return Ignore("bot message, edit, join or the like")
    etype, text = event.get("type"), _unescape(str(event.get("text") or ""))
    if etype == "message" and event.get("channel_type") == "im":
        return ForBot(Incoming(CHANNEL, channel, user, text=text.strip()))
    if etype == "app_mention":
        text = _strip_mention(text, bot_user).strip() or HELP
        return ForBot(Incoming(CHANNEL, channel, user, text=text, is_group=not is_dm(channel)))
    return Ignore(f"event {etype}")


def _command(form: dict[str, Any]) -> Action:
    user, channel = str(form.get("user_id") or ""), str(form.get("channel_id") or "")
    if not user or not channel:
        return Ignore("command without user or channel")
    text = _unescape(str(form.get("text") or "")).strip() or HELP
    incoming = Incoming(CHANNEL, channel, user, text=text, is_group=not is_dm(channel))
    return ForBot(incoming, _url(form.get("response_url")))


def _action(payload: dict[str, Any]) -> Action:
    picked = parse_action(payload)
    user = payload.get("user") if isinstance(payload.get("user"), dict) else {}
    user_id = str((user or {}).get("id") or "")
    channel_id = _action_channel(payload)
    if picked is None or not user_id or not channel_id:
        return Ignore("not a choice button")
    incoming = Incoming(
        CHANNEL, channel_id, user_id, postback=picked[1], is_group=not is_dm(channel_id)
    )
    return ForBot(incoming, _url(payload.get("response_url")))


def _submission(payload: dict[str, Any]) -> Action:
    """Hand a submitted visit modal to the bot as the visits form, from where it was asked for."""
    view, user = payload.get("view"), payload.get("user")
    user_id = str(user.get("id") or "") if isinstance(user, dict) else ""
    if not is_visit_modal(view) or not user_id:
        return Ignore("not the visit modal")
    assert isinstance(view, dict)
    origin = origin_of(view)
    if not origin.channel:
        return Ignore("visit modal without its conversation")
    form = {"name": VISIT_FORM, "values": read_visit(view).values}
    incoming = Incoming(
        CHANNEL, origin.channel, user_id, form=form, is_group=not is_dm(origin.channel)
    )
    return ForBot(incoming, origin.response_url)


def _action_channel(payload: dict[str, Any]) -> str:
    channel = payload.get("channel")
    if isinstance(channel, dict) and channel.get("id"):
        return str(channel["id"])
    container = payload.get("container")
    return str(container.get("channel_id") or "") if isinstance(container, dict) else ""


def _bot_user(envelope: dict[str, Any]) -> str | None:
    authorizations = envelope.get("authorizations")
    if isinstance(authorizations, list) and authorizations:
        first = authorizations[0]
        if isinstance(first, dict) and first.get("is_bot", True):
            return str(first.get("user_id") or "") or None
    return None


def _strip_mention(text: str, bot_user: str | None) -> str:
    """Remove mentions of the bot (or, not knowing its ID, the leading mention)."""
    if bot_user:
        return _MENTION.sub(lambda m: "" if m.group(1) == bot_user else m.group(0), text)
    return _MENTION.sub("", text, count=1) if text.lstrip().startswith("<@") else text


def _unescape(text: str) -> str:
    """Undo Slack's escaping of & < > (the bot reads what the user typed)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _url(value: Any) -> str | None:
    return str(value) if isinstance(value, str) and value.startswith("http") else None


def _hashed(kind: str, body: dict[str, Any], fields: tuple[str, ...]) -> str:
    stable = {name: body.get(name) for name in fields}
    canonical = json.dumps(stable, sort_keys=True, ensure_ascii=False).encode()
    return f"{kind}:{hashlib.sha256(canonical).hexdigest()}"
