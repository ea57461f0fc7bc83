"""Declarative conversation flows: named steps, each a prompt plus a small answer handler.

A flow's state (its step, the draft and the path taken) is saved after every step, keyed by
(channel, chat, user), so a restart resumes where the user was. The engine in `bot.engine`
drives flows and provides the escapes every flow has: 戻る, キャンセル, ヘルプ and idle expiry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from bot.messages import Reply

if TYPE_CHECKING:
    from bot.context import Ctx

Draft = dict[str, Any]


@dataclass(frozen=True)
class Answer:
    """What the user said at a step: the text, and the value of the choice it picked (if any)."""

    text: str
    value: str | None = None


@dataclass(frozen=True)
class Goto:
    """Move on to another step."""

    step: StrEnum


@dataclass(frozen=True)
class Again:
    """Stay at this step: tell the user what was wrong and ask again."""

    message: str


@dataclass(frozen=True)
class Finish:
    """End the flow (the draft is dropped) and send these replies."""

    replies: list[Reply] = field(default_factory=list)


@dataclass(frozen=True)
class Leave:
    """End the flow and handle the same message as a new command (for browsing flows)."""


StepResult = Goto | Again | Finish | Leave
Prompt = Callable[["Ctx", Draft], Reply]
Handle = Callable[["Ctx", Draft, Answer], StepResult]


@dataclass(frozen=True)
class Step:
    """One named step: how to ask, and what to do with the answer."""

    prompt: Prompt
    handle: Handle
    numeric: bool = False  # digits are an answer here, never a choice number


@dataclass(frozen=True)
class Flow:
    """A named set of steps with a first step."""

    name: str
    steps: Mapping[StrEnum, Step]
    first: StrEnum
    help_key: str = "flow.help"
    accepts_media: bool = False  # photos sent meanwhile are attached to draft["media"]
    browsing: bool = False  # a result list: any command ends it (the step decides), nothing is lost

    def step(self, name: str) -> tuple[StrEnum, Step]:
        """Return the step called `name`; an unknown name is a bug and fails loudly."""
        for key, step in self.steps.items():
            if key.value == name:
                return key, step
        raise KeyError(f"flow {self.name!r} has no step {name!r}")


@dataclass(frozen=True)
class StartFlow:
    """A command's answer that starts a flow, optionally at a given step with a prepared draft."""

    flow: str
    draft: Draft = field(default_factory=dict)
    step: StrEnum | str | None = None  # a str is a saved step name (e.g. a resumed entry)
    preface: list[Reply] = field(default_factory=list)
