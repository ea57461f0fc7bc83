"""訪問: the guided visit record (DOMAIN.md §3.6, PRACTICE.md Part 2 「活動記録」).

DATE → AREA → PLACE → PURPOSE → DURATION → PARTICIPANTS → COMPANIONS → COUNTERPART → TREASURES
→ MURMUR (→ MURMUR_MASK) → MURMUR_KIND → MURMUR_CATEGORY → MURMUR … until なし → LEADS → KUBUN
→ OUTCOME → CONFIRM: 保存, or 修正する → FIX → the field's step → CONFIRM.
Saving writes the activity, its murmurs and its leads in the message's one transaction.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from enum import StrEnum

from bot.classify import MURMUR_KINDS
from bot.context import Ctx
from bot.flows import Again, Answer, Draft, Flow, Goto, StartFlow, Step, StepResult
from bot.messages import Card, Choice, Reply
from bot.privacy import mask_pii
from bot.router import Router
from handlers.activities import (
    VISIT_TYPE,
    WRITERS,
    advance,
    card_title,
    common_draft,
    common_fields,
    confirm_step,
    date_step,
    date_value,
    duration_step,
    duration_value,
    edit_other_activity,
    fix_step,
    kubun_label,
    kubun_step,
    label,
    note_step,
    optional,
    picked,
    store_activity,
)
from handlers.common import area_label
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
from handlers.visit_steps import (
    area_step,
    companion_names,
    companions_step,
    is_none_word,
    leads_step,
    participants_step,
    place_step,
    purpose_step,
    visit_ordinal,
)
from storage.activities import add_lead, list_leads_of_activity, list_murmurs_of_activity
from storage.categories import TAXONOMY
from storage.models import Activity

VISIT_FLOW = "visit"


class VisitStep(StrEnum):
    DATE = "date"
    AREA = "area"
    PLACE = "place"
    PURPOSE = "purpose"
    DURATION = "duration"
    PARTICIPANTS = "participants"
    COMPANIONS = "companions"
    COUNTERPART = "counterpart"
    TREASURES = "treasures"
    MURMUR = "murmur"
    MURMUR_MASK = "murmur_mask"
    MURMUR_KIND = "murmur_kind"
    MURMUR_CATEGORY = "murmur_category"
    LEADS = "leads"
    KUBUN = "kubun"
    OUTCOME = "outcome"
    CONFIRM = "confirm"
    FIX = "fix"


S = VisitStep
FIX_FIELDS: tuple[tuple[str, StrEnum], ...] = (
    ("activity.field.date", S.DATE),
    ("visit.field.area", S.AREA),
    ("visit.field.place", S.PLACE),
    ("visit.field.purpose", S.PURPOSE),
    ("activity.field.duration", S.DURATION),
    ("visit.field.participants", S.PARTICIPANTS),
    ("visit.field.companions", S.COMPANIONS),
    ("activity.field.counterpart", S.COUNTERPART),
    ("visit.field.treasures", S.TREASURES),
    ("visit.field.murmurs", S.MURMUR),
    ("visit.field.leads", S.LEADS),
    ("activity.field.kubun", S.KUBUN),
    ("activity.field.outcome", S.OUTCOME),
)


def visit_card(ctx: Ctx, draft: Draft) -> Card:
    """Return the confirmation card of a visit: every field, each murmur and each lead."""
    rows = [
        (ctx.t("activity.field.date"), date_value(ctx, draft["occurred_on"])),
        (ctx.t("visit.field.area"), area_label(ctx, draft.get("area_id"))),
        (ctx.t("visit.field.place"), place_value(ctx, draft)),
        (ctx.t("visit.field.purpose"), purpose_value(ctx, draft.get("purpose"))),
        (ctx.t("activity.field.duration"), duration_value(ctx, draft.get("duration_min"))),
        (
            ctx.t("visit.field.participants"),
            participants_value(ctx, draft.get("participants_count")),
        ),
        (ctx.t("visit.field.companions"), companion_names(ctx, draft.get("companions") or [])),
        (ctx.t("activity.field.counterpart"), optional(ctx, draft.get("counterpart"))),
        (ctx.t("visit.field.treasures"), optional(ctx, draft.get("treasures"))),
        *murmur_card_rows(ctx, draft),
        (
            ctx.t("visit.field.leads"),
            optional(ctx, ctx.t("activity.list_separator").join(lead_labels(draft))),
        ),
        (ctx.t("activity.field.kubun"), kubun_label(ctx, draft.get("kubun"))),
        (ctx.t("activity.field.outcome"), optional(ctx, draft.get("outcome"))),
    ]
    return Card(card_title(ctx, draft, "visit.card_title"), tuple(rows))


def place_value(ctx: Ctx, draft: Draft) -> str:
    """Return the place, with which visit to it this is when it is a known resource."""
    place = optional(ctx, draft.get("place_label"))
    ordinal = visit_ordinal(ctx, draft)
    return place if ordinal is None else ctx.t("visit.place_with_ordinal", place=place, n=ordinal)


def purpose_value(ctx: Ctx, purpose: str | None) -> str:
    """Return the purpose for a card row."""
    return label(ctx, "visit.purpose", purpose) if purpose else optional(ctx, None)


def participants_value(ctx: Ctx, count: int | None) -> str:
    """Return the number of participants for a card row (約15人)."""
    return optional(ctx, None) if count is None else ctx.t("visit.participants_value", n=count)


def lead_labels(draft: Draft) -> list[str]:
    """Return the leads already saved (edit mode) and the new ones."""
    return [*draft.get("saved_leads", []), *draft.get("leads", [])]


def save_visit(ctx: Ctx, draft: Draft) -> list[Reply]:
    """Save the visit with its murmurs and leads, and name every record with its number."""
    fields = common_fields(draft) | {
        "area_id": draft.get("area_id"),
        "place_label": draft.get("place_label"),
        "resource_id": draft.get("resource_id"),
        "visit_ordinal": visit_ordinal(ctx, draft),
        "purpose": draft.get("purpose"),
        "participants_count": draft.get("participants_count"),
        "companions": list(draft.get("companions") or []),
        "treasures": draft.get("treasures"),
    }
    activity = store_activity(ctx, draft, **fields)
    assert activity.id is not None and ctx.me.id is not None
    murmurs = [
        save_murmur(
            ctx,
            m | {"area_id": activity.area_id},
            activity_id=activity.id,
            captured_on=activity.occurred_on,
        )
        for m in draft.get("murmurs", [])
    ]
    leads = [
        add_lead(
            ctx.session,
            municipality_id=ctx.municipality_id,
            activity_id=activity.id,
            label=text,
            area_id=activity.area_id,
            created_by=ctx.me.id,
            now=ctx.now(),
        )
        for text in draft.get("leads", [])
    ]
    parts = []
    if murmurs:
        parts.append(ctx.t("visit.saved_murmurs", numbers=numbers(m.number for m in murmurs)))
    if leads:
        parts.append(ctx.t("visit.saved_leads", numbers=numbers(lead.number for lead in leads)))
    key = "visit.edited" if draft.get("record_id") else "visit.saved"
    details = ctx.t("visit.saved_details", parts="、".join(parts)) if parts else ""
    text = ctx.t(key, number=activity.number, details=details)
    restricted = [m.number for m in murmurs if m.sharing_scope != "team"]
    if restricted:
        text += "\n" + ctx.t("visit.restricted_note", numbers=numbers(restricted))
    return [Reply(text)]


def numbers(values: Iterable[int]) -> str:
    """Return record numbers as #13, #14."""
    return ", ".join(f"#{n}" for n in values)


# --- The murmurs heard on the visit: a loop of text → (mask) → kind → category ---------------
# The murmur being entered is draft["murmur"], with the sub-step it has reached as its "stage";
# finished ones are in draft["murmurs"]. After 戻る from the loop's text step, the sub-steps
# act on the last finished murmur again.

STAGES = ("mask", "kind", "category")
UNDO = "undo"
DONE = "done"
MORE = "more"
END_WORDS = {"おわり", "終わり", "おしまい", "終了", "以上", "end", "done", "finish"}


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


def editable_murmur(draft: Draft, stage: str) -> MurmurDraft:
    """Return the murmur a sub-step changes, after copying the loop's state into this draft.

    The engine's draft is a shallow copy of the saved one: changing a nested murmur in place
    would change the saved value too, and the store would see nothing to write.
    """
    draft["murmur"] = copy.deepcopy(draft.get("murmur"))
    draft["murmurs"] = copy.deepcopy(draft.get("murmurs", []))
    return current_murmur(draft, stage)


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


def take_murmur(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
    """Start a murmur from the text, take back the last one, or end the loop."""
    value = picked(ctx, answer, loop_choices(ctx, draft))
    if value == DONE or is_none_word(answer.text) or answer.text.lower() in END_WORDS:
        draft["murmur"] = None
        return advance(draft, S.LEADS, S.CONFIRM)
    if value == UNDO:
        draft["murmurs"] = draft["murmurs"][:-1]
        draft["murmur"] = None
        return Again(ctx.t("visit.murmur_removed"))
    mdraft = new_murmur_draft(ctx, answer.text, area_id=draft.get("area_id"))
    mdraft["suggested_kind"] = mdraft["kind"]
    mdraft["suggested_categories"] = list(mdraft["categories"])
    mdraft["stage"] = "mask" if mdraft["pii"] else "kind"
    draft["murmur"] = mdraft
    return Goto(S.MURMUR_MASK if mdraft["pii"] else S.MURMUR_KIND)


def ask_mask(ctx: Ctx, draft: Draft) -> Reply:
    """Offer a masked version of a murmur that seems to hold a name, phone number or address."""
    mdraft = current_murmur(draft, "mask")
    return Reply(
        ctx.t("visit.ask_murmur_pii", masked=mask_pii(mdraft["text"])), choices=pii_choices(ctx)
    )


def take_mask(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
    """Keep the masked or the typed text, or go back to retype it."""
    value = picked(ctx, answer, pii_choices(ctx))
    if value not in (PII_MASK, PII_KEEP, PII_REWRITE):
        return Again(ctx.t("visit.bad_murmur_pii"))
    mdraft = editable_murmur(draft, "mask")
    if not apply_pii_choice(mdraft, value):
        if mdraft is not draft.get("murmur"):
            draft["murmur"] = draft["murmurs"].pop()
        return Goto(S.MURMUR)
    reached(draft, mdraft, "kind")
    return Goto(S.MURMUR_KIND)


def ask_kind(ctx: Ctx, draft: Draft) -> Reply:
    """Ask the murmur's kind, the suggested one first."""
    mdraft = current_murmur(draft, "kind")
    choices = kind_choices(ctx, mdraft["suggested_kind"])
    return Reply(ctx.t("visit.ask_murmur_kind", text=mdraft["text"]), choices=choices)


def take_kind(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
    """Store the murmur's kind (picked, or typed as in the list)."""
    mdraft = editable_murmur(draft, "kind")
    value = picked(ctx, answer, kind_choices(ctx, mdraft["suggested_kind"])) or answer.text
    if value not in MURMUR_KINDS:
        return Again(ctx.t("visit.bad_murmur_kind"))
    set_murmur_kind(mdraft, value)
    reached(draft, mdraft, "category")
    return Goto(S.MURMUR_CATEGORY)


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


def take_category(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
    """Store the main category and go back to the loop for the next murmur."""
    mdraft = editable_murmur(draft, "category")
    value = picked(ctx, answer, category_loop_choices(ctx, mdraft)) or category_code(
        ctx, answer.text
    )
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
    return Goto(S.MURMUR)


def category_code(ctx: Ctx, text: str) -> str | None:
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


def build_visit_flow() -> Flow:
    """Return the visit flow."""
    steps: dict[StrEnum, Step] = {
        S.DATE: date_step("visit.ask_date", S.AREA, S.CONFIRM),
        S.AREA: area_step(S.PLACE, S.CONFIRM),
        S.PLACE: place_step(S.PURPOSE, S.CONFIRM),
        S.PURPOSE: purpose_step(S.DURATION, S.CONFIRM),
        S.DURATION: duration_step(S.PARTICIPANTS, S.CONFIRM),
        S.PARTICIPANTS: participants_step(S.COMPANIONS, S.CONFIRM),
        S.COMPANIONS: companions_step(S.COUNTERPART, S.CONFIRM),
        S.COUNTERPART: note_step("counterpart", "visit.ask_counterpart", S.TREASURES, S.CONFIRM),
        S.TREASURES: note_step(
            "treasures", "visit.ask_treasures", S.MURMUR, S.CONFIRM, skip_key="common.none"
        ),
        S.MURMUR: Step(ask_murmur, take_murmur),
        S.MURMUR_MASK: Step(ask_mask, take_mask),
        S.MURMUR_KIND: Step(ask_kind, take_kind),
        S.MURMUR_CATEGORY: Step(ask_category, take_category),
        S.LEADS: leads_step(S.KUBUN, S.CONFIRM),
        S.KUBUN: kubun_step(S.OUTCOME, S.CONFIRM),
        S.OUTCOME: note_step("outcome", "activity.ask_outcome", S.CONFIRM, S.CONFIRM),
        S.CONFIRM: confirm_step(visit_card, save_visit, S.FIX),
        S.FIX: fix_step(FIX_FIELDS),
    }
    return Flow(VISIT_FLOW, steps, first=S.DATE, help_key="visit.help")


def edit_activity(ctx: Ctx, activity: Activity) -> StartFlow:
    """Reopen an activity record (a visit or other work) at its confirmation, to fix it."""
    if activity.activity_type != VISIT_TYPE:
        return edit_other_activity(ctx, activity)
    assert activity.id is not None
    saved_murmurs = list_murmurs_of_activity(ctx.session, activity_id=activity.id)
    saved_leads = list_leads_of_activity(ctx.session, activity_id=activity.id)
    draft = common_draft(activity) | {
        "area_id": activity.area_id,
        "place_label": activity.place_label,
        "resource_id": activity.resource_id,
        "purpose": activity.purpose,
        "participants_count": activity.participants_count,
        "companions": list(activity.companions),
        "treasures": activity.treasures,
        "murmurs": [],
        "saved_murmurs": [f"#{m.number} {m.text}" for m in saved_murmurs],
        "leads": [],
        "saved_leads": [f"#{lead.number} {lead.label}" for lead in saved_leads],
    }
    return StartFlow(VISIT_FLOW, draft, VisitStep.CONFIRM)


def start_visit(ctx: Ctx, args: str) -> StartFlow:
    """Start the guided visit record."""
    return StartFlow(VISIT_FLOW, {"activity_type": VISIT_TYPE, "murmurs": [], "leads": []})


def register(router: Router) -> None:
    """Register 訪問 / visit and its flow."""
    router.add_command(["訪問", "visit"], start_visit, roles=WRITERS)
    router.add_flow(build_visit_flow())
