"""The neutral message types every channel adapter translates to and from.

Nothing past the adapters sees a LINE or Slack type: handlers take an `Incoming` and return
`Reply` objects, which each adapter renders natively (LINE quick replies and Flex bubbles,
Slack blocks, numbered lines in the terminal).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Incoming:
    """One message from a user, as the core sees it."""

    channel: str
    chat_id: str
    user_id: str
    text: str = ""
    postback: str | None = None
    display_name: str | None = None
    is_group: bool = False
    media_id: int | None = None  # a photo already stored by the channel (MediaBlob id)
    # A whole record submitted at once (a Slack modal): {"name": form name, "values": {...}}.
    form: dict[str, Any] | None = None


@dataclass(frozen=True)
class Choice:
    """One option the user can pick (a button, a quick reply, a numbered line)."""

    label: str
    value: str


@dataclass(frozen=True)
class Card:
    """A summary of a draft record shown for confirmation (a Flex bubble on LINE)."""

    title: str
    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Attachment:
    """A file for the chat (a chart, a workbook): an image on LINE, an upload on Slack.

    `url` is its expiring link under TSUNAGI_PUBLIC_URL (None when that is not set); `path` is
    where the terminal channel saved it.
    """

    filename: str
    content_type: str
    data: bytes = field(repr=False)
    url: str | None = None
    path: str | None = None

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


@dataclass(frozen=True)
class Reply:
    """One message to the user."""

    text: str
    choices: tuple[Choice, ...] = ()
    card: Card | None = None
    restricted: bool = False
    public: bool = False  # meant for everyone in a shared channel (peer sharing); else personal
    tags: tuple[str, ...] = field(default=())
    attachment: Attachment | None = None

    def plain(self) -> str:
        """Render the reply as plain text (the card and the choices included)."""
        lines: list[str] = []
        if self.card:
            lines.append(f"【{self.card.title}】")
            lines.extend(f"{label}: {value}" for label, value in self.card.rows)
        if self.text:
            lines.append(self.text)
        lines.extend(f"{i}. {c.label}" for i, c in enumerate(self.choices, start=1))
        return "\n".join(lines)
