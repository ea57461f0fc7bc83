"""Render neutral replies as a Slack message: the "text" and "blocks" of chat.postMessage.

A reply's text becomes plain-text sections split at line breaks; a card a header and sections of
label/value fields; choices buttons in actions blocks, each carrying its choice's value. At most
50 blocks go out: the earliest replies are merged into one text, and content still over is cut
with a note (PLATFORMS.md §2.4). Text users wrote is never parsed as Slack markup, so nobody can
be pinged through it. `in_shared_channel` means "everyone in the channel sees this": restricted
replies are then replaced by a note, and `needs_ephemeral` tells the channel to answer ephemerally
(an ephemeral message is seen by its reader only: render it with in_shared_channel=False).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from bot.messages import Card, Choice, Reply
from bot.texts import t

Block = dict[str, Any]

MAX_BLOCKS = 50
MAX_SECTION = 3000
MAX_FIELDS = 10
MAX_FIELD = 2000
MAX_LABEL = 200  # a card row's label, inside its field
MAX_HEADER = 150
MAX_BUTTONS = 25
MAX_BUTTON_TEXT = 75
MAX_VALUE = 2000
MAX_FALLBACK = 40000
CHOICE_ACTION = "tsunagi_choice_"
SAVE = frozenset({"save", "保存"})
ELLIPSIS = "…"
BLANK = "—"
_CUT_ENTITY = re.compile(r"&[a-z]{0,3}$")  # an escape cut in half at the end of a text

# User-facing words of the Slack channel (ja, en); they belong in bot/texts/channels.py.


def render_message(
    replies: Sequence[Reply], *, in_shared_channel: bool, lang: str = "ja"
) -> dict[str, Any]:
    """Return the chat.postMessage "text" and "blocks" for these replies, within Slack's limits."""
    shown = [reply for reply in replies if reply.card or reply.plain().strip()]
    if in_shared_channel:
        shown = _hide_restricted(shown, lang)
    shown = _merge_overflow(shown)
    return {"text": fallback_text(shown), "blocks": _blocks(shown, lang)}


def needs_ephemeral(replies: Sequence[Reply], in_shared_channel: bool) -> bool:
    """Return whether the replies must go ephemerally: restricted content in a shared channel."""
    return in_shared_channel and any(reply.restricted for reply in replies)


def parse_action(payload: dict[str, Any]) -> tuple[str, str] | None:
    """Return (action_id, value) of the choice button a block_actions payload reports, or None."""
    actions = payload.get("actions") if payload.get("type") == "block_actions" else None
    for action in actions if isinstance(actions, list) else []:
        if not isinstance(action, dict):
            continue  # a forged payload: only button objects are read
        action_id, value = action.get("action_id"), action.get("value")
        if str(action_id).startswith(CHOICE_ACTION) and isinstance(value, str):
            return str(action_id), value
    return None


def fallback_text(replies: Sequence[Reply]) -> str:
    """Return the message's notification text: every reply in plain text, escaped and cut."""
    return _escape_cut("\n\n".join(reply.plain() for reply in replies), MAX_FALLBACK)


def card_blocks(card: Card) -> list[Block]:
    """Return the card as a header and sections of at most ten label/value fields."""
    header = {"type": "header", "text": _plain(_shorten(card.title.strip(), MAX_HEADER))}
    fields = [_field(label, value) for label, value in card.rows]
    sections = [
        {"type": "section", "fields": fields[i : i + MAX_FIELDS]}
        for i in range(0, len(fields), MAX_FIELDS)
    ]
    return [header, *sections]


def action_blocks(choices: Sequence[Choice], *, first: int = 1) -> list[Block]:
    """Return the choices as buttons, 25 to an actions block, numbered from `first`."""
    buttons = [
        _button(choice, first + i, primary=i == 0 and _is_save(choice))
        for i, choice in enumerate(choices)
    ]
    return [
        {"type": "actions", "elements": buttons[i : i + MAX_BUTTONS]}
        for i in range(0, len(buttons), MAX_BUTTONS)
    ]


def _blocks(replies: list[Reply], lang: str) -> list[Block]:
    """Render each reply in the room left after keeping the smallest rendering of later ones."""
    blocks: list[Block] = []
    numbered = 0
    for i, reply in enumerate(replies):
        later = sum(1 + _count_actions(r) for r in replies[i + 1 :])
        blocks.extend(_render_one(reply, MAX_BLOCKS - len(blocks) - later, numbered + 1, lang))
        numbered += len(reply.choices)
    return blocks


def _render_one(reply: Reply, room: int, first: int, lang: str) -> list[Block]:
    actions = action_blocks(reply.choices, first=first)
    content = _content(reply)
    budget = room - len(actions)
    if budget < min(len(content), 1):
        raise ValueError(f"{len(reply.choices)} choices do not fit in one Slack message")
    if len(content) > budget:
        content = [*content[: budget - 1], _section(_word("cut", lang))]
    return [*content, *actions]


def _content(reply: Reply) -> list[Block]:
    card = card_blocks(reply.card) if reply.card else []
    return [*card, *(_section(chunk) for chunk in _chunks(reply.text, MAX_SECTION))]


def _count_actions(reply: Reply) -> int:
    return -(-len(reply.choices) // MAX_BUTTONS)


def _hide_restricted(replies: list[Reply], lang: str) -> list[Reply]:
    shown = [reply for reply in replies if not reply.restricted]
    if len(shown) < len(replies):
        first_hidden = next(i for i, reply in enumerate(replies) if reply.restricted)
        shown.insert(first_hidden, Reply(_word("private", lang)))
    return shown


def _merge_overflow(replies: list[Reply]) -> list[Reply]:
    """Join the earliest replies into one text until the blocks fit, the last kept whole."""
    while len(replies) > 2 and _count(replies) > MAX_BLOCKS:
        texts = (Reply(r.text, card=r.card).plain() for r in replies[:2])
        replies = [Reply("\n\n".join(t for t in texts if t.strip())), *replies[2:]]
    return replies


def _count(replies: list[Reply]) -> int:
    return sum(len(_content(reply)) + _count_actions(reply) for reply in replies)


def _button(choice: Choice, number: int, *, primary: bool) -> Block:
    if not choice.label.strip():
        raise ValueError(f"choice {choice.value!r} has no label")
    if not 0 < len(choice.value) <= MAX_VALUE:
        raise ValueError(f"choice value is {len(choice.value)} characters, Slack allows 1–2000")
    button: Block = {
        "type": "button",
        "action_id": f"{CHOICE_ACTION}{number}",
        "text": _plain(_shorten(choice.label, MAX_BUTTON_TEXT)),
        "value": choice.value,
    }
    if primary:
        button["style"] = "primary"
    return button


def _is_save(choice: Choice) -> bool:
    return bool({choice.value.strip().lower(), choice.label.strip().lower()} & SAVE)


def _field(label: str, value: str) -> Block:
    """Return a mrkdwn field: the label in bold over the value, both escaped and never parsed."""
    head = f"*{_escape_cut(label.strip(), MAX_LABEL) or BLANK}*\n"
    text = head + (_escape_cut(value.strip(), MAX_FIELD - len(head)) or BLANK)
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def _section(text: str) -> Block:
    return {"type": "section", "text": _plain(text)}


def _plain(text: str) -> Block:
    return {"type": "plain_text", "text": text or BLANK}


def _word(key: str, lang: str) -> str:
    return t(f"slack.{key}", lang)


def _escape_cut(text: str, limit: int) -> str:
    """Escape & < > (Slack's markup) and cut the result to `limit`, never inside an escape."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if len(escaped) <= limit:
        return escaped
    return _CUT_ENTITY.sub("", escaped[: limit - 1]) + ELLIPSIS


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


def _chunks(text: str, limit: int) -> list[str]:
    """Pack whole lines into texts of at most `limit` characters, cutting longer lines."""
    lines = text.split("\n")
    pieces = [line[i : i + limit] for line in lines for i in range(0, max(len(line), 1), limit)]
    chunks: list[str] = []
    for piece in pieces:
        if chunks and len(chunks[-1]) + 1 + len(piece) <= limit:
            chunks[-1] += "\n" + piece
        else:
            chunks.append(piece)
    return [chunk for chunk in chunks if chunk.strip()]
