"""The terminal channel: `tsunagi chat --user NAME` (identity `console:NAME`).

Choices are printed numbered; typing the number picks one. Works with a pipe too: each input
line gets one reply block, so scripts and tests can drive the bot as a transcript. Files the bot
hands over (charts, workbooks) are saved under `files_dir` and their path is printed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from bot.engine import Bot
from bot.messages import Incoming, Reply
from storage.db import session_scope
from storage.outbox import due_outbound, mark_sent

CHANNEL = "console"
FILES_DIR = Path("tsunagi-files")


class ConsoleChannel:
    """One terminal user talking to the bot."""

    def __init__(self, bot: Bot, user: str, files_dir: Path = FILES_DIR) -> None:
        self.bot = bot
        self.user = user
        self.files_dir = files_dir

    def send(self, text: str) -> list[Reply]:
        """Send one message as this user and return the bot's replies."""
        incoming = Incoming(
            channel=CHANNEL,
            chat_id=f"console:{self.user}",
            user_id=self.user,
            text=text,
            display_name=self.user,
        )
        replies = [self._save(reply) for reply in self.bot.handle(incoming)]
        return replies + self._pending_notices()

    def _save(self, reply: Reply) -> Reply:
        """Save a reply's file under files_dir and note where (the terminal cannot show it)."""
        file = reply.attachment
        if file is None:
            return reply
        self.files_dir.mkdir(parents=True, exist_ok=True)
        path = self.files_dir / Path(file.filename).name
        path.write_bytes(file.data)
        return dataclasses.replace(reply, attachment=dataclasses.replace(file, path=str(path)))

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
    """Render replies as the terminal shows them (a file as its saved path, or its link)."""
    return "\n\n".join(_plain(reply) for reply in replies)


def _plain(reply: Reply) -> str:
    file = reply.attachment
    if file is None:
        return reply.plain()
    where = file.path or file.url or ""
    return "\n".join(line for line in (reply.plain(), f"📎 {file.filename} {where}".rstrip()) if line)
