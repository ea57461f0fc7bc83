"""The murmurs heard on a visit: a loop of text → (mask) → kind → category, then the next one.

The murmur being entered is draft["murmur"], with the sub-step it has reached as its "stage";
finished ones are in draft["murmurs"]. After 戻る from the loop's text step, the sub-steps act
on the last finished murmur again. Saving the visit saves each murmur, linked to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import partial

from bot.classify import MURMUR_KINDS
from bot.context import Ctx
from bot.flows import Again, Answer, Draft, Goto, Step, StepResult
from bot.messages import Choice, Reply
from bot.privacy import mask_pii
from handlers.murmur_common import (
    PII_KEEP,
    PII_MASK,
    PII_REWRITE,
    MurmurDraft,
    apply_pii_choice,
    category_choices,
    category_label,
    kind_choices,
    kind_label,
    new_murmur_draft,
    pii_choices,
    save_murmur,
    set_murmur_kind,
)
from handlers.record_steps import advance, picked
from handlers.visit_steps import is_none_word
from storage.categories import TAXONOMY
from storage.models import Activity, Murmur

STAGES = ("mask", "kind", "category")
UNDO = "undo"
DONE = "done"
MORE = "more"
END_WORDS = {"おわり", "終わり", "おしまい", "終了", "以上", "end", "done", "finish"}


@dataclass(frozen=True)
class LoopSteps:
    """The loop's four steps in the visit flow, and where the flow goes once it ends."""

    text: StrEnum
    mask: StrEnum
    kind: StrEnum
    category: StrEnum
    then: StrEnum
    confirm: StrEnum


def murmur_loop(names: LoopSteps) -> dict[StrEnum, Step]:
    """Return the loop's steps, keyed by their names in the flow."""
    return {
        names.text: Step(ask_murmur, partial(take_murmur, names)),
        names.mask: Step(ask_mask, partial(take_mask, names)),
        names.kind: Step(ask_kind, partial(take_kind, names)),
        names.category: Step(ask_category, partial(take_category, names)),
    }


def current_murmur(draft: Draft, stage: str) -> MurmurDraft:
    """Return the murmur a sub-step is about: the one being entered, or the last one."""
    pending = draft.get("murmur")
    if pending is not None and STAGES.index(pending["stage"]) >= STAGES.index(stage):
        return pending
    if draft.get("murmurs"):
        return draft["murmurs"][-1]
    if pending is None:
        raise LookupError(f"visit murmur step {stage!r} without a murmur")
    return pending


def reached(draft: Draft, mdraft: MurmurDraft, stage: str) -> None:
    """Note that the murmur being entered has reached a sub-step."""
    if mdraft is draft.get("murmur"):
        mdraft["stage"] = stage


def loop_choices(ctx: Ctx, draft: Draft) -> tuple[Choice, ...]:
    """Return the choices of the murmur loop: なし, or おわり and taking the last one back."""
    if not draft.get("murmurs"):
        return (Choice(ctx.t("common.none"), DONE),)
    return (Choice(ctx.t("visit.murmurs_done"), DONE), Choice(ctx.t("visit.murmur_undo"), UNDO))


def ask_murmur(ctx: Ctx, draft: Draft) -> Reply:
    """Ask for the next murmur heard, one per message."""
    count = len(draft.get("murmurs", []))
    text = ctx.t("visit.ask_next_murmur", n=count) if count else ctx.t("visit.ask_murmur")
    if draft.get("saved_murmurs"):
        text = ctx.t("visit.saved_murmurs_kept", n=len(draft["saved_murmurs"])) + "\n" + text
    return Reply(text, choices=loop_choices(ctx, draft))


def take_murmur(names: LoopSteps, ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
    """Start a murmur from the text, take back the last one, or end the loop."""
    value = picked(ctx, answer, loop_choices(ctx, draft))
    if value == DONE or is_none_word(answer.text) or answer.text.lower() in END_WORDS:
        draft["murmur"] = None
        return advance(draft, names.then, names.confirm)
    if value == UNDO:
        draft["murmurs"] = draft["murmurs"][:-1]
        draft["murmur"] = None
        return Again(ctx.t("visit.murmur_removed"))
    mdraft = new_murmur_draft(ctx, answer.text, area_id=draft.get("area_id"))
    mdraft["suggested_kind"] = mdraft["kind"]
    mdraft["suggested_categories"] = list(mdraft["categories"])
    mdraft["stage"] = "mask" if mdraft["pii"] else "kind"
    draft["murmur"] = mdraft
    return Goto(names.mask if mdraft["pii"] else names.kind)


def ask_mask(ctx: Ctx, draft: Draft) -> Reply:
    """Offer a masked version of a murmur that seems to hold a name, phone number or address."""
    mdraft = current_murmur(draft, "mask")
    return Reply(
        ctx.t("visit.ask_murmur_pii", masked=mask_pii(mdraft["text"])), choices=pii_choices(ctx)
    )


def take_mask(names: LoopSteps, ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
    """Keep the masked or the typed text, or go back to retype it."""
    value = picked(ctx, answer, pii_choices(ctx))
    if value not in (PII_MASK, PII_KEEP, PII_REWRITE):
        return Again(ctx.t("visit.bad_murmur_pii"))
    mdraft = current_murmur(draft, "mask")
    if not apply_pii_choice(mdraft, value):
        if mdraft is not draft.get("murmur"):
            draft["murmur"] = draft["murmurs"].pop()
        return Goto(names.text)
    reached(draft, mdraft, "kind")
    return Goto(names.kind)


def ask_kind(ctx: Ctx, draft: Draft) -> Reply:
    """Ask the murmur's kind, the suggested one first."""
    mdraft = current_murmur(draft, "kind")
    choices = kind_choices(ctx, mdraft["suggested_kind"])
    return Reply(ctx.t("visit.ask_murmur_kind", text=mdraft["text"]), choices=choices)


def take_kind(names: LoopSteps, ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
    """Store the murmur's kind (picked, or typed as in the list)."""
    mdraft = current_murmur(draft, "kind")
    value = picked(ctx, answer, kind_choices(ctx, mdraft["suggested_kind"])) or answer.text
    if value not in MURMUR_KINDS:
        return Again(ctx.t("visit.bad_murmur_kind"))
    set_murmur_kind(mdraft, value)
    reached(draft, mdraft, "category")
    return Goto(names.category)


def category_loop_choices(ctx: Ctx, mdraft: MurmurDraft) -> tuple[Choice, ...]:
    """Return the suggested categories and ほかのカテゴリ, or every category once asked for."""
    if mdraft.get("all_categories"):
        return category_choices(ctx, [])
    suggested = category_choices(ctx, mdraft["suggested_categories"])
    return (*suggested, Choice(ctx.t("visit.more_categories"), MORE))


def ask_category(ctx: Ctx, draft: Draft) -> Reply:
    """Ask the murmur's main category, the suggested ones first."""
    mdraft = current_murmur(draft, "category")
    return Reply(ctx.t("visit.ask_murmur_category"), choices=category_loop_choices(ctx, mdraft))


def take_category(names: LoopSteps, ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
    """Store the main category and go back to the loop for the next murmur."""
    mdraft = current_murmur(draft, "category")
    value = picked(ctx, answer, category_loop_choices(ctx, mdraft)) or category_code(answer.text)
    if value == MORE:
        mdraft["all_categories"] = True
        return Again(ctx.t("visit.all_categories"))
    if value is None:
        return Again(ctx.t("visit.bad_murmur_category"))
    suggested = mdraft.get("suggested_categories", [])
    others = [c for c in suggested if c not in (value, "other")] if value in suggested else []
    mdraft["categories"] = [value, *others]
    mdraft["all_categories"] = False
    if mdraft is draft.get("murmur"):
        mdraft.pop("stage")
        draft["murmurs"] = [*draft.get("murmurs", []), mdraft]
    draft["murmur"] = None
    return Goto(names.text)


def category_code(text: str) -> str | None:
    """Return the category a typed label or code names, if any."""
    for item in TAXONOMY:
        if text.lower() in (item.code, item.label_ja, item.label_en.lower()):
            return item.code
    return None


def murmur_card_rows(ctx: Ctx, draft: Draft) -> list[tuple[str, str]]:
    """Return the card rows of the murmurs: saved ones (read-only) first, then the new ones."""
    rows = [(ctx.t("visit.field.saved_murmur"), text) for text in draft.get("saved_murmurs", [])]
    for i, mdraft in enumerate(draft.get("murmurs", []), start=1):
        rows.append((ctx.t("visit.field.murmur_n", n=i), murmur_line(ctx, mdraft)))
    return rows or [(ctx.t("visit.field.murmurs"), ctx.t("common.none"))]


def murmur_line(ctx: Ctx, mdraft: MurmurDraft) -> str:
    """Return one murmur as a card line: text〔kind・category〕, marked when restricted."""
    tags = [
        kind_label(ctx, mdraft["kind"]),
        *(category_label(ctx, c) for c in mdraft["categories"][:1]),
    ]
    line = ctx.t("visit.murmur_line", text=mdraft["text"], tags="・".join(tags))
    return line + ctx.t("visit.murmur_restricted_mark") if mdraft.get("restricted") else line


def save_murmurs(ctx: Ctx, draft: Draft, activity: Activity) -> list[Murmur]:
    """Save each murmur heard on the visit, linked to it and in its area."""
    assert activity.id is not None
    return [
        save_murmur(
            ctx,
            m | {"area_id": activity.area_id},
            activity_id=activity.id,
            captured_on=activity.occurred_on,
        )
        for m in draft.get("murmurs", [])
    ]
