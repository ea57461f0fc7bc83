"""Commands, flows and forms, registered explicitly by each handler module, matched in a fixed order.

Dispatch order (see `bot.engine`): a submitted form, then the active flow, then a command, then
"unknown" with suggestions. Command words are matched after NFKC normalisation, Japanese or
English alike. A form is a whole record submitted at once (the Slack visit modal): its handler
takes the submitted values and saves the record.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from bot.context import Ctx
from bot.flows import Flow, StartFlow
from bot.messages import Reply

CommandResult = list[Reply] | StartFlow
CommandFn = Callable[[Ctx, str], CommandResult]
FormFn = Callable[[Ctx, dict[str, Any]], list[Reply]]


def normalize(text: str) -> str:
    """Return text NFKC-normalised with collapsed white space (full-width space included)."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


@dataclass(frozen=True)
class Command:
    """A chat command: its words (Japanese and English), what it does, and who may use it."""

    words: tuple[str, ...]
    fn: CommandFn
    needs_member: bool = True
    roles: frozenset[str] | None = None
    pattern: re.Pattern[str] | None = None


@dataclass(frozen=True)
class Form:
    """A record submitted at once: its handler (values in, replies out) and who may submit it."""

    name: str
    fn: FormFn
    roles: frozenset[str] | None = None


class Router:
    """The registry of commands, flows and forms."""

    def __init__(self) -> None:
        self.commands: list[Command] = []
        self.flows: dict[str, Flow] = {}
        self.forms: dict[str, Form] = {}

    def add_command(
        self,
        words: Iterable[str],
        fn: CommandFn,
        *,
        needs_member: bool = True,
        roles: Iterable[str] | None = None,
    ) -> None:
        """Register a command run when a message starts with one of `words`."""
        self.commands.append(
            Command(
                words=tuple(w.lower() for w in words),
                fn=fn,
                needs_member=needs_member,
                roles=frozenset(roles) if roles is not None else None,
            )
        )

    def add_pattern(self, pattern: str, fn: CommandFn, *, needs_member: bool = True) -> None:
        """Register a command run when the whole message matches a regular expression."""
        self.commands.append(
            Command(words=(), fn=fn, needs_member=needs_member, pattern=re.compile(pattern))
        )

    def add_flow(self, flow: Flow) -> None:
        """Register a flow by its name; two flows with one name are a bug."""
        if flow.name in self.flows:
            raise ValueError(f"flow {flow.name!r} registered twice")
        self.flows[flow.name] = flow

    def flow(self, name: str) -> Flow:
        """Return the flow called `name`; an unknown name fails loudly."""
        try:
            return self.flows[name]
        except KeyError:
            raise KeyError(f"unknown flow {name!r}") from None

    def add_form(self, name: str, fn: FormFn, *, roles: Iterable[str] | None = None) -> None:
        """Register the handler of a form submitted by a member; two with one name are a bug."""
        if name in self.forms:
            raise ValueError(f"form {name!r} registered twice")
        self.forms[name] = Form(name, fn, frozenset(roles) if roles is not None else None)

    def form(self, name: str) -> Form:
        """Return the form called `name`; an unknown name fails loudly."""
        try:
            return self.forms[name]
        except KeyError:
            raise KeyError(f"unknown form {name!r}") from None

    def match(self, text: str) -> tuple[Command, str] | None:
        """Return the command for a message and the rest of the message as its arguments."""
        text = normalize(text)
        head, _, rest = text.partition(" ")
        for command in self.commands:
            if command.pattern is not None:
                found = command.pattern.fullmatch(text)
                if found:
                    return command, found.group(1) if found.groups() else text
            elif head.lower() in command.words:
                return command, rest.strip()
        return None

    def suggestions(self, text: str, *, limit: int = 3) -> list[str]:
        """Return command words that look like what the user typed."""
        head = normalize(text).partition(" ")[0].lower()
        words = [w for c in self.commands for w in c.words]
        return difflib.get_close_matches(head, words, n=limit, cutoff=0.4)
