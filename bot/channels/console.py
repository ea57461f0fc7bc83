"""The terminal channel: `tsunagi chat --user NAME` (identity `console:NAME`).

Choices are printed numbered; typing the number picks one. Works with a pipe too: each input
line gets one reply block, so scripts and tests can drive the bot as a transcript.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from bot.engine import Bot
from bot.messages import Incoming, Reply
from storage.db import session_scope
from storage.outbox import due_outbound, mark_sent

CHANNEL = "console"


class ConsoleChannel:
    """One terminal user talking to the bot."""

    def __init__(self, bot: Bot, user: str) -> None:
        self.bot = bot
        self.user = user

    def send(self, text: str) -> list[Reply]:
        """Send one message as this user and return the bot's replies."""
        incoming = Incoming(
            channel=CHANNEL,
            chat_id=f"console:{self.user}",
            user_id=self.user,
            text=text,
            display_name=self.user,
        )
        return self.bot.handle(incoming) + self._pending_notices()

    def _pending_notices(self) -> list[Reply]:
        """Return (and mark sent) what was queued for this user meanwhile, e.g. a form saved."""
        with session_scope(self.bot.engine) as session:
            now = self.bot.clock.now()
            due = [
                m
                for m in due_outbound(session, channel=CHANNEL, now=now)
                if m.recipient == self.user
            ]
            for message in due:
                mark_sent(session, message, via="console", status=200, now=now)
            return [Reply(str(item.get("text", ""))) for m in due for item in m.messages]

    def run(self, lines: Iterable[str], out: TextIO, *, interactive: bool) -> None:
        """Answer each input line with one reply block until the input ends."""
        if interactive:
            out.write(f"tsunagi chat — console:{self.user}（終了は Ctrl-D）\n> ")
            out.flush()
        for line in lines:
            text = line.rstrip("\n")
            if not text.strip():
                if interactive:
                    out.write("> ")
                    out.flush()
                continue
            out.write(render(self.send(text)) + "\n")
            out.write("> " if interactive else "---\n")
            out.flush()


def render(replies: list[Reply]) -> str:
    """Render replies as the terminal shows them."""
    return "\n\n".join(reply.plain() for reply in replies)
