"""The steps only a visit (訪問) has: area, place, purpose, participants, companions, leads.

Each factory takes the step to go to next and the confirmation step to return to while the
user is fixing a field (see `handlers.record_steps.advance`).
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum

from bot.context import Ctx, UserError
from bot.flows import Again, Answer, Draft, Step, StepResult
from bot.messages import Choice, Reply
from bot.router import normalize
from handlers.common import area_choices, member_areas, parse_area
from handlers.record_steps import SKIP, advance, checked_text, choice_step, label, picked
from storage.activities import count_visits_to_resource
from storage.members import area_and_descendant_ids, list_areas
from storage.resources import find_resource_by_name, get_resource_by_id, list_resources_for_areas

PURPOSES = (
    "宝物さがし",
    "あいさつ",
    "同行訪問",
    "立ち上げ支援",
    "取材",
    "会議・集まり参加",
    "住民説明会",
    "個別訪問・相談",
    "その他",
)
COMPANIONS = (
    "社協地区担当",
    "自治会長",
    "民生委員",
    "包括職員",
    "市町村職員",
    "協議体メンバー",
    "他のSC",
)
NONE = "none"
DONE = "done"
NONE_WORDS = {"なし", "無し", "ない", "ありません", "特になし", "none", "no", "nothing"}
MAX_PLACES = 10
MAX_PARTICIPANTS = 10000
_COUNT = re.compile(r"(?:約|およそ)?(\d+)(?:人|名)?(?:くらい|ぐらい|程度|ほど)?")
_LIST_SEPARATORS = re.compile(r"[、,，/／\n]+")
_NUMBER_LIST = re.compile(r"\d+(?:[\s、,，]+\d+)+")


def area_step(then: StrEnum, confirm: StrEnum) -> Step:
    """Return the step asking the area of the visit (the member's areas)."""

    def prompt(ctx: Ctx, draft: Draft) -> Reply:
        """Ask the area."""
        return Reply(ctx.t("visit.ask_area"), choices=area_choices(ctx))

    def handle(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
        """Store the area picked or typed by name."""
        understood, area_id = parse_area(ctx, picked(ctx, answer, area_choices(ctx)), answer.text)
        if not understood:
            return Again(ctx.t("visit.bad_area"))
        draft["area_id"] = area_id
        return advance(draft, then, confirm)

    return Step(prompt, handle)


def nearby_area_ids(ctx: Ctx, area_id: int | None) -> set[int]:
    """Return an area with every area above and below it (or the member's areas if none)."""
    if area_id is None:
        return {a.id for a in member_areas(ctx) if a.id is not None}
    parents = {
        a.id: a.parent_id for a in list_areas(ctx.session, municipality_id=ctx.municipality_id)
    }
    found = area_and_descendant_ids(
        ctx.session, municipality_id=ctx.municipality_id, area_id=area_id
    )
    parent = parents.get(area_id)
    while parent is not None and parent not in found:
        found.add(parent)
        parent = parents.get(parent)
    return found


def place_choices(ctx: Ctx, draft: Draft) -> tuple[Choice, ...]:
    """Return the known resources near the visit's area as choices (value: r + id)."""
    resources = list_resources_for_areas(
        ctx.session,
        municipality_id=ctx.municipality_id,
        area_ids=nearby_area_ids(ctx, draft.get("area_id")),
    )
    return tuple(Choice(r.name, f"r{r.id}") for r in resources[:MAX_PLACES])


def place_step(then: StrEnum, confirm: StrEnum) -> Step:
    """Return the step asking the place: a known resource nearby, or a place typed freely."""

    def prompt(ctx: Ctx, draft: Draft) -> Reply:
        """Ask the place, offering the known resources of the area first."""
        choices = place_choices(ctx, draft)
        key = "visit.ask_place_known" if choices else "visit.ask_place"
        return Reply(ctx.t(key), choices=choices)

    def handle(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
        """Store the place, linked to the known resource picked or typed by its name."""
        value = picked(ctx, answer, place_choices(ctx, draft))
        if value is not None:
            resource = get_resource_by_id(
                ctx.session, municipality_id=ctx.municipality_id, resource_id=int(value[1:])
            )
            place = resource.name if resource else answer.text
        else:
            place = checked_text(ctx, answer.text)
            resource = find_resource_by_name(
                ctx.session, municipality_id=ctx.municipality_id, name=place
            )
        draft.update(place_label=place, resource_id=resource.id if resource else None)
        return advance(draft, then, confirm)

    return Step(prompt, handle)


def visit_ordinal(ctx: Ctx, draft: Draft) -> int | None:
    """Return 1 + the visits already recorded to the draft's resource up to its date."""
    if draft.get("resource_id") is None:
        return None
    earlier = count_visits_to_resource(
        ctx.session,
        municipality_id=ctx.municipality_id,
        resource_id=draft["resource_id"],
        on_or_before=date.fromisoformat(draft["occurred_on"]),
        exclude_activity_id=draft.get("record_id"),
    )
    return earlier + 1


def purpose_choices(ctx: Ctx, draft: Draft) -> tuple[Choice, ...]:
    """Return the visit purposes as choices."""
    return tuple(Choice(label(ctx, "visit.purpose", p), p) for p in PURPOSES)


def purpose_step(then: StrEnum, confirm: StrEnum) -> Step:
    """Return the step asking the purpose of the visit (DOMAIN.md §3.6)."""
    return choice_step(
        "purpose",
        "visit.purpose",
        purpose_choices,
        then,
        confirm,
        ask="visit.ask_purpose",
        bad="visit.bad_purpose",
    )


def participants_step(then: StrEnum, confirm: StrEnum) -> Step:
    """Return the step asking roughly how many people took part (digits are the answer)."""

    def prompt(ctx: Ctx, draft: Draft) -> Reply:
        """Ask the number of participants, offering to skip it."""
        return Reply(ctx.t("visit.ask_participants"), choices=(Choice(ctx.t("common.skip"), SKIP),))

    def handle(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
        """Store the number (約15人 and 15名 work too), or nothing when skipped."""
        if answer.value == SKIP:
            draft["participants_count"] = None
            return advance(draft, then, confirm)
        found = _COUNT.fullmatch(answer.text.replace(" ", ""))
        if not found or int(found[1]) > MAX_PARTICIPANTS:
            return Again(ctx.t("visit.bad_participants"))
        draft["participants_count"] = int(found[1])
        return advance(draft, then, confirm)

    return Step(prompt, handle, numeric=True)


def companion_choices(ctx: Ctx) -> tuple[Choice, ...]:
    """Return なし, the usual companions and 完了 as choices."""
    people = tuple(Choice(label(ctx, "visit.companion", c), c) for c in COMPANIONS)
    none, done = Choice(ctx.t("common.none"), NONE), Choice(ctx.t("visit.companions_done"), DONE)
    return (none, *people, done)


def companions_step(then: StrEnum, confirm: StrEnum) -> Step:
    """Return the step asking who came along; several may be picked, one by one or as 2,4."""

    def prompt(ctx: Ctx, draft: Draft) -> Reply:
        """Ask who came along, showing those picked so far."""
        chosen = draft.get("companions") or []
        text = ctx.t("visit.ask_companions")
        if chosen:
            text += "\n" + ctx.t("visit.companions_so_far", names=companion_names(ctx, chosen))
        return Reply(text, choices=companion_choices(ctx))

    def handle(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
        """Add a companion and ask again, or store a whole list (or none) and go on."""
        choices = companion_choices(ctx)
        if _NUMBER_LIST.fullmatch(answer.text):
            draft["companions"] = companions_by_numbers(ctx, choices, answer.text)
            return advance(draft, then, confirm)
        value = picked(ctx, answer, choices)
        if value == NONE:
            draft["companions"] = []
            return advance(draft, then, confirm)
        if value == DONE:
            return advance(draft, then, confirm)
        if value is not None:
            draft["companions"] = list(dict.fromkeys([*(draft.get("companions") or []), value]))
            return Again(
                ctx.t("visit.companions_added", names=companion_names(ctx, draft["companions"]))
            )
        draft["companions"] = companions_by_words(ctx, answer.text)
        return advance(draft, then, confirm)

    return Step(prompt, handle)


def companions_by_numbers(ctx: Ctx, choices: tuple[Choice, ...], text: str) -> list[str]:
    """Return the companions named by choice numbers such as 2,4."""
    values = []
    for number in re.findall(r"\d+", text):
        if not 1 <= int(number) <= len(choices):
            raise UserError(ctx.t("activity.bad_number", n=len(choices)))
        value = choices[int(number) - 1].value
        if value not in (NONE, DONE) and value not in values:
            values.append(value)
    return values


def companions_by_words(ctx: Ctx, text: str) -> list[str]:
    """Return the companions typed as words (a role not in the list is kept as typed)."""
    known = {label(ctx, "visit.companion", c): c for c in COMPANIONS} | {c: c for c in COMPANIONS}
    words = [w.strip() for w in _LIST_SEPARATORS.split(text) if w.strip()]
    return list(dict.fromkeys(known.get(w) or checked_text(ctx, w) for w in words))


def companion_names(ctx: Ctx, companions: list[str]) -> str:
    """Return companions joined for display, in the user's language."""
    names = [label(ctx, "visit.companion", c) if c in COMPANIONS else c for c in companions]
    return ctx.t("activity.list_separator").join(names) or ctx.t("common.none")


def is_none_word(text: str) -> bool:
    """Return whether an answer means "nothing" (なし, none…)."""
    return text.strip().lower() in NONE_WORDS


def leads_step(then: StrEnum, confirm: StrEnum) -> Step:
    """Return the step asking where to go next (芋づる): several places, or なし."""

    def prompt(ctx: Ctx, draft: Draft) -> Reply:
        """Ask for the places heard of during the visit."""
        return Reply(ctx.t("visit.ask_leads"), choices=(Choice(ctx.t("common.none"), NONE),))

    def handle(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
        """Store the leads, split on 、 , or new lines."""
        if picked(ctx, answer, (Choice("", NONE),)) == NONE or is_none_word(answer.text):
            draft["leads"] = []
        else:
            parts = [normalize(p) for p in _LIST_SEPARATORS.split(ctx.incoming.text)]
            draft["leads"] = list(dict.fromkeys(checked_text(ctx, p) for p in parts if p))
        return advance(draft, then, confirm)

    return Step(prompt, handle)
