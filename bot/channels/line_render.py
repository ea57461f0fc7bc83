"""Render neutral replies as LINE messages: the JSON that goes into "messages" of a request.

Choices become a quick reply of postback actions on the last message (LINE shows a quick reply
only there), with a 「もっと見る」 item paging through lists longer than 13; a card becomes a Flex
bubble; long texts are split at line breaks; at most five messages go out (PLATFORMS.md §1.6).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from bot.messages import Attachment, Card, Choice, Reply
from bot.texts import t

Message = dict[str, Any]

MAX_MESSAGES = 5
MAX_TEXT = 5000  # UTF-16 code units
MAX_ITEMS = 13
PAGE_SIZE = MAX_ITEMS - 1  # the 13th item of a full page is 「もっと見る」
MAX_LABEL = 20
MAX_DATA = 300
MAX_ALT_TEXT = 400
MAX_BUTTONS = 5  # a record's confirmation (保存 and its changes) fits as buttons
MORE_DATA = "tsunagi:more:{page}"
_MORE = re.compile(r"tsunagi:more:([1-9][0-9]{0,5})")
GREY = "#888888"

# User-facing words of the LINE channel (Japanese only until rendering knows the member's lang).
MORE_LABEL = "もっと見る"
PAGE_TITLE = "ほかの選択肢（{page}/{pages}）"
CUT_NOTE = "…（続きは省略）"
PRIVATE_ONLY = "この内容は個別のトークでのみ表示します。"
ELLIPSIS = "…"
BLANK = "—"


def render_replies(replies: Sequence[Reply], *, in_group: bool = False) -> list[Message]:
    """Return the LINE messages for these replies: at most five, the last one's choices on top."""
    shown = [r for r in replies if r.card or r.attachment or r.plain().strip()]
    if in_group:
        shown = _hide_restricted(shown)
    shown = _merge_overflow(shown)
    messages: list[Message] = []
    for i, reply in enumerate(shown):
        room = MAX_MESSAGES - len(messages) - sum(_least(r) for r in shown[i + 1 :])
        messages.extend(_render_one(reply, room))
    if messages and shown[-1].choices:
        messages[-1]["quickReply"] = quick_reply(shown[-1].choices, page=1)
    return messages


def render_choice_page(choices: Sequence[Choice], page: int) -> Message:
    """Return the text message that answers a 「もっと見る」 tap with page `page` of the choices."""
    pages = _pages(choices)
    page = min(max(page, 1), len(pages))  # a stale or forged page number shows the nearest page
    title = PAGE_TITLE.format(page=page, pages=len(pages))
    return {"type": "text", "text": title, "quickReply": quick_reply(choices, page=page)}


def parse_more(data: str) -> int | None:
    """Return the page a 「もっと見る」 postback asks for, or None for any other postback."""
    match = _MORE.fullmatch(data)
    return int(match.group(1)) if match else None


def quick_reply(choices: Sequence[Choice], *, page: int) -> Message:
    """Return the quick reply showing page `page` of the choices (1-based)."""
    pages = _pages(choices)
    shown = list(pages[page - 1])
    if page < len(pages):
        shown.append(Choice(MORE_LABEL, MORE_DATA.format(page=page + 1)))
    return {"items": [{"type": "action", "action": _postback(choice)} for choice in shown]}


def flex_message(reply: Reply, card: Card) -> Message:
    """Return the reply's card as a Flex bubble, with buttons for up to five choices."""
    header = [_text(card.title, weight="bold", size="lg")]
    body = [_row(label, value) for label, value in card.rows]
    if reply.text.strip():
        body.append(_text(reply.text, margin="lg"))
    bubble: Message = {"type": "bubble", "header": _box("vertical", header)}
    if body:
        bubble["body"] = _box("vertical", body, spacing="sm")
    if 0 < len(reply.choices) <= MAX_BUTTONS:
        buttons = [_button(choice, primary=i == 0) for i, choice in enumerate(reply.choices)]
        bubble["footer"] = _box("vertical", buttons, spacing="sm")
    return {"type": "flex", "altText": _alt_text(card), "contents": bubble}


def split_text(text: str, room: int) -> list[str]:
    """Split text at line breaks into at most `room` texts under LINE's limit, noting any cut."""
    chunks = _chunks(text, MAX_TEXT)
    if len(chunks) <= room:
        return chunks
    kept = chunks[:room]
    kept[-1] = _chunks(kept[-1], MAX_TEXT - _units(CUT_NOTE) - 1)[0] + "\n" + CUT_NOTE
    return kept


def _render_one(reply: Reply, room: int) -> list[Message]:
    if reply.card:
        return [flex_message(reply, reply.card)]
    file = reply.attachment
    if file is not None and file.is_image and file.url:
        image = image_message(file.url)
        if not reply.plain().strip():
            return [image]
        caption = split_text(reply.plain(), room - 1)
        return [*({"type": "text", "text": chunk} for chunk in caption), image]
    text = reply.text if reply.text.strip() else reply.plain()
    if file is not None:
        text = "\n".join(line for line in (text, file_line(file)) if line.strip())
    return [{"type": "text", "text": chunk} for chunk in split_text(text, room)]


def image_message(url: str) -> Message:
    """Return an image message: LINE fetches the image (and its preview) from our https link."""
    return {"type": "image", "originalContentUrl": url, "previewImageUrl": url}


def file_line(file: Attachment) -> str:
    """Return the line that hands over a file LINE cannot show: its link, or why there is none."""
    if file.url:
        return t("files.link", "ja", name=file.filename, url=file.url)
    return t("files.no_public_url", "ja")


def _least(reply: Reply) -> int:
    """Return the fewest messages a reply can take (an image with a caption takes two)."""
    file = reply.attachment
    image = file is not None and file.is_image and bool(file.url)
    return 2 if image and reply.plain().strip() else 1


def _hide_restricted(replies: list[Reply]) -> list[Reply]:
    shown: list[Reply] = []
    hidden = False
    for reply in replies:
        if not reply.restricted:
            shown.append(reply)
        elif not hidden:
            shown.append(Reply(PRIVATE_ONLY))
            hidden = True
    return shown


def _merge_overflow(replies: list[Reply]) -> list[Reply]:
    """Join the earliest replies into one text so that at most five remain, the last kept whole."""
    if len(replies) <= MAX_MESSAGES:
        return replies
    cut = len(replies) - MAX_MESSAGES + 1
    texts = [Reply(r.text, card=r.card).plain() for r in replies[:cut]]
    return [Reply("\n\n".join(t for t in texts if t.strip())), *replies[cut:]]


def _pages(choices: Sequence[Choice]) -> list[Sequence[Choice]]:
    if not choices:
        raise ValueError("no choices to show")
    pages: list[Sequence[Choice]] = []
    rest = choices
    while len(rest) > MAX_ITEMS:
        pages.append(rest[:PAGE_SIZE])
        rest = rest[PAGE_SIZE:]
    return [*pages, rest]


def _postback(choice: Choice) -> Message:
    if not choice.label.strip():
        raise ValueError(f"choice {choice.value!r} has no label")
    if len(choice.value) > MAX_DATA:
        raise ValueError(f"choice value is {len(choice.value)} characters, LINE allows {MAX_DATA}")
    return {
        "type": "postback",
        "label": _shorten(choice.label, MAX_LABEL),
        "data": choice.value,
        "displayText": _shorten(choice.label, MAX_DATA),
    }


def _button(choice: Choice, *, primary: bool) -> Message:
    style = "primary" if primary else "secondary"
    return {"type": "button", "style": style, "height": "sm", "action": _postback(choice)}


def _box(layout: str, contents: list[Message], **style: Any) -> Message:
    return {"type": "box", "layout": layout, "contents": contents, **style}


def _text(text: str, **style: Any) -> Message:
    return {"type": "text", "text": text.strip() or BLANK, "wrap": True, **style}


def _row(label: str, value: str) -> Message:
    cells = [_text(label, color=GREY, size="sm", flex=2), _text(value, size="sm", flex=5)]
    return _box("horizontal", cells, spacing="md")


def _alt_text(card: Card) -> str:
    lines = [card.title, *(f"{label}: {value}" for label, value in card.rows)]
    return _shorten("\n".join(lines), MAX_ALT_TEXT)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - len(ELLIPSIS)] + ELLIPSIS


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _chunks(text: str, limit: int) -> list[str]:
    """Pack whole lines into texts of at most `limit` UTF-16 units."""
    chunks: list[str] = []
    lines: list[str] = []
    size = 0
    for line in _lines(text, limit):
        width = _units(line)
        if lines and size + 1 + width > limit:
            chunks.append("\n".join(lines))
            lines, size = [], 0
        size += width + (1 if lines else 0)
        lines.append(line)
    chunks.append("\n".join(lines))
    return [chunk for chunk in chunks if chunk.strip()]


def _lines(text: str, limit: int) -> Iterator[str]:
    """Yield the lines of text, cutting any line longer than `limit` units into pieces."""
    for line in text.split("\n"):
        start, size = 0, 0
        for i, char in enumerate(line):
            width = 2 if ord(char) > 0xFFFF else 1
            if size + width > limit:
                yield line[start:i]
                start, size = i, 0
            size += width
        yield line[start:]
