"""Requests as Slack sends them to an app, signed, for tests and `tsunagi demo --fake-slack`.

Each builder returns the raw body Slack would POST: an Events API envelope (JSON), a slash command
(form) or an interactive payload (form `payload=<json>`). `signed_headers` signs a body with the
app's signing secret (v0 HMAC-SHA256 over "v0:timestamp:body", PLATFORMS.md §2.1); a redelivery
adds `retry_headers`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from bot.fakes.slack_state import FAKE_BOT_USER_ID

VERIFICATION_TOKEN = "fake-verification-token"


def signed_headers(body: bytes, signing_secret: str, timestamp: int) -> dict[str, str]:
    """Return the headers Slack sends with a body: its signature, timestamp and content type."""
    base = b"v0:" + str(timestamp).encode("ascii") + b":" + body
    digest = hmac.new(signing_secret.encode("utf-8"), base, hashlib.sha256).hexdigest()
    is_json = body.lstrip().startswith(b"{")
    content_type = "application/json" if is_json else "application/x-www-form-urlencoded"
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": str(timestamp),
        "X-Slack-Signature": f"v0={digest}",
    }


def retry_headers(retry_num: int, reason: str = "http_timeout") -> dict[str, str]:
    """Return the headers Slack adds when it delivers an event again."""
    return {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": reason}


def event_envelope(
    event: dict[str, Any],
    event_id: str,
    team_id: str = "T1",
    api_app_id: str = "A1",
    *,
    bot_user_id: str = FAKE_BOT_USER_ID,
) -> bytes:
    """Return the Events API body (an event_callback envelope) Slack posts for one event."""
    authorization: dict[str, Any] = {
        "enterprise_id": None,
        "team_id": team_id,
        "user_id": bot_user_id,
    }
    authorization |= {"is_bot": True, "is_enterprise_install": False}
    envelope = {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "api_app_id": api_app_id,
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(float(event.get("event_ts") or event.get("ts") or 0)),
        "authorizations": [authorization],
        "is_ext_shared_channel": False,
    }
    return json.dumps(envelope, ensure_ascii=False).encode("utf-8")


def message_event(
    user_id: str, channel_id: str, text: str, ts: str, *, channel_type: str = "im"
) -> dict[str, Any]:
    """Return a `message` event: a user's message in a DM (or a channel the bot is in)."""
    event = {"type": "message", "user": user_id, "text": text, "ts": ts, "event_ts": ts}
    return event | {"channel": channel_id, "channel_type": channel_type, "client_msg_id": ts}


def app_mention_event(
    user_id: str, channel_id: str, text: str, ts: str, *, bot_user_id: str = FAKE_BOT_USER_ID
) -> dict[str, Any]:
    """Return an `app_mention` event: a user's message that mentions the bot in a channel."""
    event = {"type": "app_mention", "user": user_id, "text": f"<@{bot_user_id}> {text}"}
    return event | {"ts": ts, "event_ts": ts, "channel": channel_id}


def slash_command_form(
    text: str,
    user_id: str,
    channel_id: str,
    trigger_id: str,
    response_url: str,
    *,
    command: str = "/tsunagi",
    team_id: str = "T1",
    api_app_id: str = "A1",
) -> bytes:
    """Return the form body Slack posts when a user runs a slash command."""
    form = {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "team_domain": "tsunagi-fake",
        "channel_id": channel_id,
        "channel_name": "directmessage" if channel_id.startswith("D") else channel_id.lower(),
        "user_id": user_id,
        "user_name": user_id.lower(),
        "command": command,
        "text": text,
        "api_app_id": api_app_id,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id,
    }
    return urlencode(form).encode("ascii")


def block_action_payload(
    action_id: str,
    value: str,
    user_id: str,
    channel_id: str,
    trigger_id: str,
    response_url: str,
    *,
    message_ts: str = "",
    team_id: str = "T1",
    api_app_id: str = "A1",
) -> bytes:
    """Return the form body Slack posts when a user clicks a button in a message."""
    action: dict[str, Any] = {
        "type": "button",
        "action_id": action_id,
        "block_id": action_id,
        "value": value,
    }
    action |= {"text": {"type": "plain_text", "text": value}, "action_ts": message_ts or "0"}
    container = {"type": "message", "message_ts": message_ts, "channel_id": channel_id}
    payload = _interaction("block_actions", user_id, team_id, api_app_id, trigger_id) | {
        "container": container | {"is_ephemeral": False},
        "channel": {"id": channel_id, "name": channel_id.lower()},
        "response_url": response_url,
        "actions": [action],
    }
    return _payload_form(payload)


def view_submission_payload(
    callback_id: str,
    values: Mapping[str, Mapping[str, Any]],
    user_id: str,
    private_metadata: str,
    *,
    view_id: str = "V00000001",
    trigger_id: str = "",
    team_id: str = "T1",
    api_app_id: str = "A1",
) -> bytes:
    """Return the form body Slack posts when a user submits a modal.

    `values` is `{block_id: {action_id: value}}`; a str value stands for a plain-text input,
    a dict is passed as Slack's own value object (e.g. a static_select's `selected_option`).
    """
    state = {
        block_id: {action_id: _input_value(value) for action_id, value in actions.items()}
        for block_id, actions in values.items()
    }
    view: dict[str, Any] = {
        "id": view_id,
        "team_id": team_id,
        "type": "modal",
        "callback_id": callback_id,
    }
    view |= {"private_metadata": private_metadata, "state": {"values": state}, "blocks": []}
    view |= {"hash": "0.0", "app_id": api_app_id, "root_view_id": view_id}
    payload = _interaction("view_submission", user_id, team_id, api_app_id, trigger_id)
    return _payload_form(payload | {"view": view, "response_urls": []})


def _interaction(
    kind: str, user_id: str, team_id: str, api_app_id: str, trigger_id: str
) -> dict[str, Any]:
    user = {"id": user_id, "username": user_id.lower(), "name": user_id.lower(), "team_id": team_id}
    return {
        "type": kind,
        "team": {"id": team_id, "domain": "tsunagi-fake"},
        "user": user,
        "api_app_id": api_app_id,
        "token": VERIFICATION_TOKEN,
        "trigger_id": trigger_id,
        "is_enterprise_install": False,
    }


def _input_value(value: Any) -> dict[str, Any]:
    return {"type": "plain_text_input", "value": value} if isinstance(value, str) else value


def _payload_form(payload: dict[str, Any]) -> bytes:
    return urlencode({"payload": json.dumps(payload, ensure_ascii=False)}).encode("ascii")
