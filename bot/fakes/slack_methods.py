"""The Web API methods the fake Slack answers, each a function of the state and the arguments.

A method returns the body of an `ok` answer or raises SlackError with Slack's error code; slack_api
checks the token, injects failures and records the call around it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.fakes.slack_blocks import MAX_MESSAGE_BLOCKS, check_blocks, check_view
from bot.fakes.slack_state import FakeSlackState, Message, OpenedView, SharedFile, SlackError


@dataclass(frozen=True)
class Args:
    """The arguments of one call, from the query, a form body or a JSON body."""

    values: dict[str, Any]
    base_url: str

    def text(self, name: str) -> str | None:
        """Return an argument as text, or None if it is missing or empty."""
        value = self.values.get(name)
        return None if value in (None, "") else str(value)

    def require(self, name: str, error: str = "invalid_arguments") -> str:
        """Return an argument as text; refuse the call with error if it is missing."""
        value = self.text(name)
        if value is None:
            raise SlackError(error)
        return value

    def json(self, name: str, error: str = "invalid_arguments") -> Any:
        """Return an argument that is JSON (a form sends it as a string, a JSON body as is)."""
        value = self.values.get(name)
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except ValueError:
            raise SlackError(error) from None


Method = Callable[[FakeSlackState, Args], dict[str, Any]]
Blocks = list[dict[str, Any]] | None


def _auth_test(state: FakeSlackState, _args: Args) -> dict[str, Any]:
    return {
        "url": "https://tsunagi-fake.slack.com/",
        "team": "tsunagi (fake)",
        "user": "tsunagi",
        "team_id": state.team_id,
        "user_id": state.bot_user_id,
        "bot_id": state.bot_id,
        "is_enterprise_install": False,
    }


def _post_message(state: FakeSlackState, args: Args) -> dict[str, Any]:
    channel = args.require("channel", "channel_not_found")
    message = state.accept(_message(state, args, "post", channel, None, "chat.postMessage"))
    return {"channel": channel, "ts": message.ts, "message": _as_event(state, message)}


def _post_ephemeral(state: FakeSlackState, args: Args) -> dict[str, Any]:
    channel = args.require("channel", "channel_not_found")
    user = args.require("user", "user_not_in_channel")
    message = state.accept(_message(state, args, "ephemeral", channel, user, "chat.postEphemeral"))
    return {"message_ts": message.ts}


def _update(state: FakeSlackState, args: Args) -> dict[str, Any]:
    channel, ts = args.require("channel", "channel_not_found"), args.require("ts")
    text, blocks = message_content(args)
    message = state.edit(channel, ts, text=text, blocks=blocks, body=args.values)
    return {"channel": channel, "ts": ts, "text": text, "message": _as_event(state, message)}


def _message(
    state: FakeSlackState, args: Args, kind: str, channel: str, user: str | None, via: str
) -> Message:
    text, blocks = message_content(args)
    thread_ts, now = args.text("thread_ts"), state.clock.now()
    return Message(
        kind, channel, user, text, blocks, thread_ts, state.new_ts(), via, now, args.values
    )


def message_content(args: Args, *, allow_empty: bool = False) -> tuple[str, Blocks]:
    """Return a message's text and blocks; refuse an empty message or bad blocks."""
    text, blocks = args.text("text") or "", args.json("blocks", "invalid_blocks_format")
    if not (text or blocks or args.values.get("attachments") or allow_empty):
        raise SlackError("no_text")
    if blocks is not None:
        check_blocks(blocks, MAX_MESSAGE_BLOCKS, "invalid_blocks")
    return text, blocks


def _as_event(state: FakeSlackState, message: Message) -> dict[str, Any]:
    event: dict[str, Any] = {"type": "message", "text": message.text, "ts": message.ts}
    event |= {"user": state.bot_user_id, "bot_id": state.bot_id, "team": state.team_id}
    if message.blocks is not None:
        event["blocks"] = message.blocks
    if message.thread_ts is not None:
        event["thread_ts"] = message.thread_ts
    return event


def _open_view(state: FakeSlackState, args: Args) -> dict[str, Any]:
    trigger_id, view = args.require("trigger_id"), check_view(args.json("view"))
    state.redeem_trigger(trigger_id)
    view_id = state.new_id("V")
    state.views[view_id] = OpenedView(view_id, trigger_id, view, state.clock.now())
    return {"view": _as_shown(state, view_id, view)}


def _update_view(state: FakeSlackState, args: Args) -> dict[str, Any]:
    view = check_view(args.json("view"))
    opened = _opened_view(state, args.text("view_id"), args.text("external_id"))
    expected_hash = args.text("hash")
    if expected_hash is not None and expected_hash != _hash(opened):
        raise SlackError("hash_conflict")
    state.views[opened.id] = OpenedView(opened.id, opened.trigger_id, view, state.clock.now())
    return {"view": _as_shown(state, opened.id, view)}


def _opened_view(state: FakeSlackState, view_id: str | None, external_id: str | None) -> OpenedView:
    for opened in state.views.values():
        if view_id == opened.id or (external_id and external_id == opened.view.get("external_id")):
            return opened
    raise SlackError("not_found")


def _as_shown(state: FakeSlackState, view_id: str, view: dict[str, Any]) -> dict[str, Any]:
    defaults = {"private_metadata": "", "callback_id": "", "external_id": ""}
    shown = defaults | view | {"id": view_id, "team_id": state.team_id, "bot_id": state.bot_id}
    return shown | {
        "root_view_id": view_id,
        "state": {"values": {}},
        "hash": _hash(state.views[view_id]),
    }


def _hash(opened: OpenedView) -> str:
    """Return the view's hash, which changes with every update (views.update checks it)."""
    content = json.dumps(opened.view, sort_keys=True).encode("utf-8")
    return f"{int(opened.at.timestamp())}.{hashlib.sha256(content).hexdigest()[:16]}"


def _user_info(state: FakeSlackState, args: Args) -> dict[str, Any]:
    user = state.users.get(args.require("user", "user_not_found"))
    if user is None:
        raise SlackError("user_not_found")
    wants_locale = args.text("include_locale") in ("1", "true", "True")
    return {"user": user if wants_locale else {k: v for k, v in user.items() if k != "locale"}}


def _conversation_info(state: FakeSlackState, args: Args) -> dict[str, Any]:
    channel = state.channels.get(args.require("channel", "channel_not_found"))
    if channel is None:
        raise SlackError("channel_not_found")
    return {"channel": channel}


def _upload_url(state: FakeSlackState, args: Args) -> dict[str, Any]:
    filename, length = args.require("filename"), args.require("length")
    if not length.isdigit() or int(length) == 0:
        raise SlackError("invalid_arguments")
    file_id = state.new_id("F")
    state.uploads[file_id] = SharedFile(file_id, filename, int(length))
    return {"upload_url": f"{args.base_url}/upload/{file_id}", "file_id": file_id}


def _complete_upload(state: FakeSlackState, args: Args) -> dict[str, Any]:
    files = args.json("files")
    if not isinstance(files, list) or not files or not all(isinstance(f, dict) for f in files):
        raise SlackError("invalid_arguments")
    uploads = [_uploaded(state, given.get("id")) for given in files]
    channel = args.text("channel_id") or (args.text("channels") or "").partition(",")[0] or None
    comment, thread_ts = args.text("initial_comment"), args.text("thread_ts")
    for upload, given in zip(uploads, files, strict=True):
        upload.share(given.get("title") or upload.filename, channel, comment, thread_ts)
    return {"files": [_file_object(upload) for upload in uploads]}


def _uploaded(state: FakeSlackState, file_id: Any) -> SharedFile:
    upload = state.uploads.get(file_id) if isinstance(file_id, str) else None
    if upload is None or upload.data is None or upload.completed:
        raise SlackError("file_not_found")
    return upload


def store_upload(state: FakeSlackState, file_id: str, data: bytes) -> None:
    """Keep the bytes POSTed to a file's upload_url."""
    upload = state.uploads.get(file_id)
    if upload is None or upload.completed:
        raise SlackError("file_not_found", 404)
    upload.data = data


def respond(state: FakeSlackState, url_id: str, body: dict[str, Any]) -> Message:
    """Accept a message POSTed to a response_url: in its channel, or ephemeral to its user."""
    args = Args(body, "")
    text, blocks = message_content(args, allow_empty=bool(body.get("delete_original")))
    response_url = state.redeem_response_url(url_id)
    kind = "post" if body.get("response_type") == "in_channel" else "ephemeral"
    where, thread_ts = (response_url.channel, response_url.user), args.text("thread_ts")
    at, ts = state.clock.now(), state.new_ts()
    return state.accept(
        Message(kind, *where, text, blocks, thread_ts, ts, "response_url", at, body)
    )


def _file_object(upload: SharedFile) -> dict[str, Any]:
    shares = [upload.channel] if upload.channel else []
    size = len(upload.data or b"")
    named = {"id": upload.id, "name": upload.filename, "title": upload.title}
    return named | {"size": size, "channels": shares}


METHODS: dict[str, Method] = {
    "auth.test": _auth_test,
    "chat.postMessage": _post_message,
    "chat.postEphemeral": _post_ephemeral,
    "chat.update": _update,
    "views.open": _open_view,
    "views.update": _update_view,
    "users.info": _user_info,
    "conversations.info": _conversation_info,
    "files.getUploadURLExternal": _upload_url,
    "files.completeUploadExternal": _complete_upload,
}
