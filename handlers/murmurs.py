"""つぶやき: record a resident's murmur in one message, or step by step, and confirm it.

    つぶやき TEXT ─► (MASK) ─────────────────────────────────────► CONFIRM ─► saved
    つぶやき ─► TEXT ─► (MASK) ─► KIND ─► CATEGORY (─► CATEGORY_ALL) ─► AREA ─► CONFIRM

MASK is asked only when the text seems to hold a name, phone number or address. From CONFIRM
each change (kind, category, area, text) goes to its step and comes straight back to CONFIRM.
"""

from __future__ import annotations

from enum import StrEnum

from bot.classify import MURMUR_KINDS, suggest_categories, suggest_kind
from bot.context import Ctx
from bot.flows import Again, Answer, Draft, Finish, Flow, Goto, StartFlow, Step, StepResult
from bot.messages import Card, Choice, Reply
from bot.router import Router
from handlers.common import WRITERS, area_choices, parse_area
from handlers.murmur_common import (
    apply_pii_choice,
    category_choices,
    category_label,
    kind_choices,
    kind_label,
    murmur_rows,
    new_murmur_draft,
    pii_choices,
    pii_prompt,
    save_murmur,
    set_murmur_kind,
    set_murmur_text,
)
from handlers.resource_match import match_reply
from storage.categories import TAXONOMY
from storage.members import member_area_ids
from storage.models import Murmur, SharingScope
from storage.murmurs import murmur_category_codes

MURMUR_FLOW = "murmur"
MORE = "more"


class MurmurStep(StrEnum):
    TEXT = "text"
    MASK = "mask"
    KIND = "kind"
    CATEGORY = "category"
    CATEGORY_ALL = "category_all"
    AREA = "area"
    CONFIRM = "confirm"


def register(router: Router) -> None:
    """Register the つぶやき command and its flow."""
    router.add_command(["つぶやき", "つぶやく", "呟き", "murmur"], murmur_command, roles=WRITERS)
    router.add_flow(MURMUR_FLOW_DEF)


def murmur_command(ctx: Ctx, args: str) -> StartFlow:
    """Start a murmur: at CONFIRM (or MASK) when the text came along, else at TEXT."""
    if not args:
        return StartFlow(MURMUR_FLOW, {}, MurmurStep.TEXT)
    assert ctx.me.id is not None
    areas = member_area_ids(ctx.session, member_id=ctx.me.id)
    draft = new_murmur_draft(ctx, args, area_id=areas[0] if areas else None)
    draft["review"] = True
    return StartFlow(MURMUR_FLOW, draft, MurmurStep.MASK if draft["pii"] else MurmurStep.CONFIRM)


def edit_murmur(ctx: Ctx, murmur: Murmur) -> StartFlow:
    """Reopen a saved murmur at CONFIRM, so 保存 updates the same record."""
    assert murmur.id is not None
    draft = {
        "text": murmur.text,
        "kind": murmur.kind,
        "categories": murmur_category_codes(ctx.session, murmur_id=murmur.id) or ["other"],
        "area_id": murmur.area_id,
        "flags": list(murmur.sensitive_flags),
        "restricted": murmur.sharing_scope == SharingScope.RESTRICTED.value,
        "pii": [],
        "pii_masked": murmur.pii_masked,
        "record_id": murmur.id,
        "review": True,
    }
    return StartFlow(MURMUR_FLOW, draft, MurmurStep.CONFIRM)


def _onward(draft: Draft, step: MurmurStep) -> Goto:
    """Go to the next step, or back to CONFIRM when the user is changing one field."""
    return Goto(MurmurStep.CONFIRM if draft.get("review") else step)


def ask_text(ctx: Ctx, draft: Draft) -> Reply:
    """Ask for the murmur's text."""
    return Reply(ctx.t("murmur.ask.text"))


def take_text(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
    """Take the text: a fresh draft with suggestions, or a new text for the same draft."""
    if not answer.text.strip():
        return Again(ctx.t("murmur.invalid.text"))
    if draft.get("review"):
        set_murmur_text(draft, answer.text)
    else:
        draft.update(new_murmur_draft(ctx, answer.text, area_id=draft.get("area_id")))
    return Goto(MurmurStep.MASK) if draft["pii"] else _onward(draft, MurmurStep.KIND)


def ask_mask(ctx: Ctx, draft: Draft) -> Reply:
    """Show the masked text and ask how to record it."""
    return Reply(pii_prompt(ctx, draft), choices=pii_choices(ctx))


def take_mask(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
    """Mask, keep or retype the text."""
    if answer.value is None:
        return Again(ctx.t("murmur.invalid.choice"))
    if not apply_pii_choice(draft, answer.value):
        return Goto(MurmurStep.TEXT)
    return _onward(draft, MurmurStep.KIND)


def ask_kind(ctx: Ctx, draft: Draft) -> Reply:
    """Ask for the kind, the suggested one first."""
    return Reply(ctx.t("murmur.ask.kind"), choices=kind_choices(ctx, suggest_kind(draft["text"])))


def take_kind(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
    """Set the kind from a choice or its name."""
    kind = answer.value or next(
        (k for k in MURMUR_KINDS if answer.text in (k, kind_label(ctx, k))), None
    )
    if kind not in MURMUR_KINDS:
        return Again(ctx.t("murmur.invalid.kind"))
    set_murmur_kind(draft, kind)
    return _onward(draft, MurmurStep.CATEGORY)


def ask_category(ctx: Ctx, draft: Draft) -> Reply:
    """Offer the suggested categories, then a way to see them all."""
    suggested = [c for c in suggest_categories(draft["text"]) if c != "other"]
    current = [c for c in draft["categories"] if c != "other"]
    codes = list(dict.fromkeys(current + suggested))
    choices = (*category_choices(ctx, codes), Choice(ctx.t("murmur.more_categories"), MORE))
    return Reply(ctx.t("murmur.ask.category"), choices=choices)


def ask_category_all(ctx: Ctx, draft: Draft) -> Reply:
    """Offer every category of the taxonomy."""
    return Reply(ctx.t("murmur.ask.category_all"), choices=category_choices(ctx, []))


def take_category(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
    """Make the chosen category the primary one (or show them all)."""
    if answer.value == MORE:
        return Goto(MurmurStep.CATEGORY_ALL)
    code = answer.value or next(
        (c.code for c in TAXONOMY if answer.text in (c.code, category_label(ctx, c.code))), None
    )
    if code is None or all(code != c.code for c in TAXONOMY):
        return Again(ctx.t("murmur.invalid.category"))
    current = list(draft["categories"])
    draft["categories"] = [code, *(c for c in current if c != code)] if code in current else [code]
    return _onward(draft, MurmurStep.AREA)


def ask_area(ctx: Ctx, draft: Draft) -> Reply:
    """Ask for the area."""
    return Reply(ctx.t("murmur.ask.area"), choices=area_choices(ctx))


def take_area(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
    """Set the area from a choice or an area name."""
    understood, area_id = parse_area(ctx, answer.value, answer.text)
    if not understood:
        return Again(ctx.t("murmur.invalid.area"))
    draft["area_id"] = area_id
    draft["review"] = True
    return Goto(MurmurStep.CONFIRM)


_CHANGES = {
    "kind": MurmurStep.KIND,
    "category": MurmurStep.CATEGORY,
    "area": MurmurStep.AREA,
    "text": MurmurStep.TEXT,
}


def ask_confirm(ctx: Ctx, draft: Draft) -> Reply:
    """Show the murmur as a card and offer to save it or change a field."""
    card = Card(ctx.t("murmur.card.title"), tuple(murmur_rows(ctx, draft)))
    choices = tuple(
        Choice(ctx.t(f"murmur.confirm.{value}"), value) for value in ("save", *_CHANGES)
    )
    return Reply(
        ctx.t("murmur.ask.confirm"), choices=choices, card=card, restricted=draft["restricted"]
    )


def take_confirm(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
    """Save the murmur, or go to the field the user wants to change."""
    if answer.value in _CHANGES:
        return Goto(_CHANGES[answer.value])
    if answer.value != "save":
        return Again(ctx.t("murmur.invalid.choice"))
    editing = draft.get("record_id") is not None
    murmur = save_murmur(ctx, draft)
    replies = [Reply(ctx.t("murmur.updated" if editing else "murmur.saved", number=murmur.number))]
    if draft["restricted"]:
        replies.append(Reply(ctx.t("murmur.restricted"), restricted=True))
    if not editing and (match := match_reply(ctx, murmur)) is not None:
        replies.append(match)  # matching: resources nearby, and つなぎ
    return Finish(replies)


MURMUR_FLOW_DEF = Flow(
    name=MURMUR_FLOW,
    first=MurmurStep.TEXT,
    steps={
        MurmurStep.TEXT: Step(ask_text, take_text, numeric=True),
        MurmurStep.MASK: Step(ask_mask, take_mask),
        MurmurStep.KIND: Step(ask_kind, take_kind),
        MurmurStep.CATEGORY: Step(ask_category, take_category),
        MurmurStep.CATEGORY_ALL: Step(ask_category_all, take_category),
        MurmurStep.AREA: Step(ask_area, take_area),
        MurmurStep.CONFIRM: Step(ask_confirm, take_confirm),
    },
)
