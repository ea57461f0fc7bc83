"""What Slack refuses in Block Kit messages and modals, for the fake Web API.

Only the limits a bot's renderer can plausibly break (PLATFORMS.md §2.3–2.4, Block Kit reference):
block counts, section text and fields, header text, buttons per actions block, button labels
and values, modal titles and size.
"""

from __future__ import annotations

import json
from typing import Any

from bot.fakes.slack_state import SlackError

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_VIEW_BYTES = 250_000
MAX_SECTION_TEXT = 3000
MAX_FIELDS = 10
MAX_FIELD_TEXT = 2000
MAX_HEADER_TEXT = 150
MAX_ACTIONS_ELEMENTS = 25
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_ACTION_ID = 255
MAX_TITLE = 24


def check_blocks(blocks: Any, limit: int, error: str) -> None:
    """Refuse a block list Slack would refuse, answering with this error code."""
    if not isinstance(blocks, list):
        raise SlackError("invalid_blocks_format")
    if len(blocks) > limit or not all(_block_is_valid(block) for block in blocks):
        raise SlackError(error)


def check_view(view: Any) -> dict[str, Any]:
    """Return a modal view Slack would open; refuse a malformed or oversized one."""
    if not isinstance(view, dict) or view.get("type") != "modal":
        raise SlackError("invalid_arguments")
    title = view.get("title")
    if not _text_fits(title, MAX_TITLE) or not isinstance(view.get("blocks"), list):
        raise SlackError("invalid_arguments")
    if len(json.dumps(view, ensure_ascii=False).encode("utf-8")) > MAX_VIEW_BYTES:
        raise SlackError("view_too_large")
    check_blocks(view["blocks"], MAX_VIEW_BLOCKS, "invalid_arguments")
    return view


def _block_is_valid(block: Any) -> bool:
    if not isinstance(block, dict) or not isinstance(block.get("type"), str):
        return False
    if block["type"] == "section":
        return _section_is_valid(block)
    if block["type"] == "header":
        return _text_fits(block.get("text"), MAX_HEADER_TEXT)
    if block["type"] == "actions":
        elements = block.get("elements")
        if not isinstance(elements, list) or not 1 <= len(elements) <= MAX_ACTIONS_ELEMENTS:
            return False
        return all(_element_is_valid(element) for element in elements)
    return True


def _section_is_valid(block: dict[str, Any]) -> bool:
    has_text, fields = "text" in block, block.get("fields")
    if has_text and not _text_fits(block["text"], MAX_SECTION_TEXT):
        return False
    if fields is not None and not (
        isinstance(fields, list)
        and 1 <= len(fields) <= MAX_FIELDS
        and all(_text_fits(field, MAX_FIELD_TEXT) for field in fields)
    ):
        return False
    accessory = block.get("accessory")
    return (has_text or fields is not None) and (accessory is None or _element_is_valid(accessory))


def _element_is_valid(element: Any) -> bool:
    if not isinstance(element, dict) or "type" not in element:
        return False
    if len(str(element.get("action_id", ""))) > MAX_ACTION_ID:
        return False
    if element["type"] != "button":
        return True
    value_fits = len(str(element.get("value", ""))) <= MAX_BUTTON_VALUE
    return value_fits and _text_fits(element.get("text"), MAX_BUTTON_TEXT)


def _text_fits(text: Any, limit: int) -> bool:
    """Tell whether a text object is present, non-empty and within limit characters."""
    if not isinstance(text, dict) or not isinstance(text.get("text"), str):
        return False
    return 1 <= len(text["text"]) <= limit
