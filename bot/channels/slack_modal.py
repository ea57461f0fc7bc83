"""The visit record as a Slack modal: opened by `/tsunagi 訪問`, its submission read and checked
while Slack waits for the acknowledgement.

    /tsunagi 訪問 ─ ingress: the member's areas, views.open(trigger_id) within its 3 s ─ empty ack
        (not a member who records, or views.open refused → the command is stored as usual and the
        chat answers: "register first", or the step-by-step visit flow)
    view_submission ─ ingress: read_visit ─ problems → {"response_action": "errors"}, nothing stored
                                          ─ none → stored in the inbox, empty ack (the modal closes)
    inbox worker ─ the values as Incoming.form ─ the visits form handler saves the record

Every input's action_id is "value"; its block_id names the field. private_metadata carries where
the command was used (and its response_url), so the answer goes back there.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.context import Ctx
from bot.dates import parse_date
from bot.engine import Bot
from bot.messages import Choice, Incoming
from bot.privacy import find_pii
from bot.router import normalize
from bot.texts import t
from handlers.record_steps import TEXT_LIMIT
from handlers.visit_form import VISIT_FORM, visit_form_choices
from handlers.visit_steps import MAX_PARTICIPANTS
from storage.db import session_scope
from storage.members import find_member_by_identity

log = logging.getLogger(__name__)

CALLBACK_ID = "tsunagi_visit"
VALUE = "value"
MODAL_WORDS = ("訪問", "visit")
NOTE_FIELDS = ("counterpart", "treasures", "outcome")
SELECTS = ("area", "purpose", "duration", "kubun")
MULTILINE_LIMIT = 3000
# The modal's inputs in the chat flow's order: block_id, label, optional, hint.
FIELDS: tuple[tuple[str, str, bool, str | None], ...] = (
    ("date", "activity.field.date", False, None),
    ("area", "visit.field.area", False, None),
    ("place", "visit.field.place", False, "visit.modal.hint.place"),
    ("purpose", "visit.field.purpose", False, None),
    ("duration", "activity.field.duration", False, None),
    ("participants", "visit.field.participants", True, "visit.modal.hint.participants"),
    ("companions", "visit.field.companions", True, None),
    ("counterpart", "activity.field.counterpart", True, None),
    ("treasures", "visit.field.treasures", True, None),
    ("murmurs", "visit.field.murmurs", True, "visit.modal.hint.murmurs"),
    ("leads", "visit.field.leads", True, "visit.modal.hint.leads"),
    ("kubun", "activity.field.kubun", False, "visit.modal.hint.kubun"),
    ("outcome", "activity.field.outcome", True, None),
)
Problem = tuple[str, dict[str, object]]  # a catalogue key and its values


@dataclass(frozen=True)
class Origin:
    """Where the modal was asked for: the conversation, its response_url, the member's language."""

    channel: str
    response_url: str | None = None
    lang: str = "ja"

    def dump(self) -> str:
        return json.dumps({"c": self.channel, "u": self.response_url, "l": self.lang})


@dataclass(frozen=True)
class Submission:
    """A submitted visit modal: the form's values, and the problems found (by block_id)."""

    values: dict[str, Any]
    errors: dict[str, Problem] = field(default_factory=dict)


class VisitModal:
    """Open the visit modal for members who record visits, and check what they submit."""

    def __init__(self, bot: Bot, client: AsyncWebClient, channel: str) -> None:
        self.bot = bot
        self.client = client
        self.channel = channel

    async def open(self, command: dict[str, Any]) -> bool:
        """Open the modal for `/tsunagi 訪問`; False when the chat should answer the command."""
        if not wants_modal(command):
            return False
        view = await asyncio.to_thread(self.view_for, command)
        if view is None:
            return False
        try:
            await self.client.views_open(trigger_id=command["trigger_id"], view=view)
        except SlackApiError as exc:
            error = exc.response.get("error")
            log.warning("views.open refused (%s); the chat flow answers instead", error)
            return bool(error == "exchanged_trigger_id")  # a repeat: its modal is open already
        except Exception:
            log.warning("views.open failed; the chat flow answers instead", exc_info=True)
            return False
        return True

    def view_for(self, command: dict[str, Any]) -> dict[str, Any] | None:
        """Return the modal for the command's user, or None unless they may record visits."""
        user, channel = str(command.get("user_id") or ""), str(command.get("channel_id") or "")
        roles = self.bot.router.form(VISIT_FORM).roles
        with session_scope(self.bot.engine) as session:
            member = find_member_by_identity(session, channel=self.channel, external_id=user)
            if member is None or (roles is not None and member.role not in roles):
                return None
            incoming = Incoming(self.channel, channel, user, text=str(command.get("text")))
            ctx = Ctx(session, incoming, self.bot.clock, self.bot.tz, member, member.language)
            origin = Origin(channel, _url(command.get("response_url")), member.language)
            return visit_view(ctx.lang, visit_form_choices(ctx), ctx.today(), origin)

    def refusal(self, payload: dict[str, Any]) -> dict[str, Any] | None:
        """Return Slack's errors answer for a visit modal that can't be saved; None to store it."""
        view = payload.get("view")
        if payload.get("type") != "view_submission" or not is_visit_modal(view):
            return None
        assert isinstance(view, dict)
        today = self.bot.clock.now().astimezone(self.bot.tz).date()
        errors = read_visit(view, today).errors
        if not errors:
            return None
        lang = origin_of(view).lang
        messages = {block: t(key, lang, **values) for block, (key, values) in errors.items()}
        return {"response_action": "errors", "errors": messages}


def wants_modal(command: dict[str, Any]) -> bool:
    """Tell whether a slash command asks for the visit with nothing after the word."""
    text = normalize(str(command.get("text") or "")).lower()
    return bool(command.get("command") and command.get("trigger_id")) and text in MODAL_WORDS


def is_visit_modal(view: object) -> bool:
    """Tell whether a submitted view is the visit modal."""
    return isinstance(view, dict) and view.get("callback_id") == CALLBACK_ID


def visit_view(
    lang: str, choices: dict[str, tuple[Choice, ...]], today: date, origin: Origin
) -> dict[str, Any]:
    """Return the visit modal: every field of the chat flow on one page."""
    pick = t("visit.modal.pick", lang)
    elements = {
        "date": _datepicker(today),
        **{name: _select(choices[name], pick) for name in SELECTS},
        "participants": _number_input(),
        "companions": _select(choices["companions"], pick, multi=True),
        **{name: _text_input() for name in ("place", *NOTE_FIELDS)},
        **{name: _text_input(multiline=True) for name in ("murmurs", "leads")},
    }
    blocks = [
        _input(block, t(label, lang), elements[block], optional, hint and t(hint, lang))
        for block, label, optional, hint in FIELDS
    ]
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "title": _plain(t("visit.card_title", lang)),
        "submit": _plain(t("activity.save", lang)),
        "close": _plain(t("visit.modal.close", lang)),
        "private_metadata": origin.dump(),
        "blocks": blocks,
    }


def origin_of(view: dict[str, Any]) -> Origin:
    """Return where a submitted modal was asked for (an empty channel if it can't be read)."""
    try:
        data = json.loads(str(view.get("private_metadata") or ""))
    except ValueError:
        data = None
    if not isinstance(data, dict):
        return Origin("")
    return Origin(str(data.get("c") or ""), _url(data.get("u")), str(data.get("l") or "ja"))


def read_visit(view: dict[str, Any], today: date | None = None) -> Submission:
    """Return a submitted modal's values for the visits form, with what is missing or wrong.

    Checked without the store: required fields, whole numbers, no personal details in the
    free texts (murmurs excepted: they are masked when saved), lengths, and, given `today`,
    that the date is neither in the future nor over a year back.
    """
    read = _Reader(view)
    values = {
        "occurred_on": read.selected_date("date", today),
        "area": read.selected("area"),
        "place": read.text("place", required=True),
        "purpose": read.selected("purpose"),
        "duration_min": read.selected_number("duration"),
        "participants_count": read.participants("participants"),
        "companions": read.selected_many("companions"),
        **{name: read.text(name) for name in NOTE_FIELDS},
        "murmurs": read.lines("murmurs"),
        "leads": list(dict.fromkeys(read.lines("leads", checked=True))),
        "kubun": read.selected("kubun"),
    }
    return Submission(values, read.errors)


class _Reader:
    """Read the inputs of a submitted view by block_id, noting the first problem of each."""

    def __init__(self, view: dict[str, Any]) -> None:
        state = view.get("state") if isinstance(view.get("state"), dict) else {}
        blocks = (state or {}).get("values") or {}
        self.inputs: dict[str, dict[str, Any]] = {
            block: actions.get(VALUE) or {}
            for block, actions in blocks.items()
            if isinstance(actions, dict)
        }
        self.errors: dict[str, Problem] = {}

    def fail(self, block: str, key: str, **values: object) -> None:
        self.errors.setdefault(block, (key, values))

    def raw(self, block: str, name: str = "value") -> str:
        value = self.inputs.get(block, {}).get(name)
        return value.strip() if isinstance(value, str) else ""

    def selected(self, block: str) -> str:
        option = self.inputs.get(block, {}).get("selected_option")
        value = str(option.get("value") or "") if isinstance(option, dict) else ""
        if not value:
            self.fail(block, "visit.modal.required")
        return value

    def selected_many(self, block: str) -> list[str]:
        options = self.inputs.get(block, {}).get("selected_options") or []
        return [str(o["value"]) for o in options if isinstance(o, dict) and o.get("value")]

    def selected_date(self, block: str, today: date | None) -> str:
        iso = self.raw(block, "selected_date")
        if not iso:
            self.fail(block, "visit.modal.required")
        elif today is not None and parse_date(iso, today) is None:
            self.fail(block, "visit.modal.bad_date")
        return iso

    def selected_number(self, block: str) -> int | None:
        value = self.selected(block)
        if value and not value.isdecimal():
            self.fail(block, "visit.modal.unknown_choice")
        return int(value) if value.isdecimal() else None

    def participants(self, block: str) -> int | None:
        """Return the number of participants typed (a whole number), or None when left empty."""
        text = self.raw(block)
        if not text:
            return None
        if not text.isdecimal() or int(text) > MAX_PARTICIPANTS:
            self.fail(block, "visit.modal.bad_participants", max=MAX_PARTICIPANTS)
            return None
        return int(text)

    def text(self, block: str, *, required: bool = False) -> str | None:
        text = self.raw(block)
        if not text:
            if required:
                self.fail(block, "visit.modal.required")
            return None
        self.check(block, text)
        return text

    def lines(self, block: str, *, checked: bool = False) -> list[str]:
        found = [normalize(line) for line in self.raw(block).splitlines()]
        for line in found if checked else ():
            self.check(block, line)
        return [line for line in found if line]

    def check(self, block: str, text: str) -> None:
        """Note a free text holding personal details, or too long to keep."""
        if find_pii(text):
            self.fail(block, "visit.modal.personal")
        elif len(text) > TEXT_LIMIT:
            self.fail(block, "visit.modal.too_long", limit=TEXT_LIMIT)


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text}


def _input(
    block_id: str, label: str, element: dict[str, Any], optional: bool, hint: str | None
) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "input", "block_id": block_id, "label": _plain(label)}
    block |= {"element": element, "optional": optional}
    return block | ({"hint": _plain(hint)} if hint else {})


def _select(choices: Sequence[Choice], placeholder: str, *, multi: bool = False) -> dict[str, Any]:
    options = [{"text": _plain(c.label[:75]), "value": c.value} for c in choices[:100]]
    kind = "multi_static_select" if multi else "static_select"
    return {
        "type": kind,
        "action_id": VALUE,
        "placeholder": _plain(placeholder),
        "options": options,
    }


def _datepicker(today: date) -> dict[str, Any]:
    return {"type": "datepicker", "action_id": VALUE, "initial_date": today.isoformat()}


def _number_input() -> dict[str, Any]:
    return {
        "type": "number_input",
        "action_id": VALUE,
        "is_decimal_allowed": False,
        "min_value": "0",
        "max_value": str(MAX_PARTICIPANTS),
    }


def _text_input(*, multiline: bool = False) -> dict[str, Any]:
    limit = MULTILINE_LIMIT if multiline else TEXT_LIMIT
    element = {"type": "plain_text_input", "action_id": VALUE, "max_length": limit}
    return element | {"multiline": multiline}


def _url(value: Any) -> str | None:
    return str(value) if isinstance(value, str) and value.startswith("http") else None
