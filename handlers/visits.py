"""訪問: the guided visit record (DOMAIN.md §3.6, PRACTICE.md Part 2 「活動記録」).

DATE → AREA → PLACE → PURPOSE → DURATION → PARTICIPANTS → COMPANIONS → COUNTERPART → TREASURES
→ MURMUR (→ MURMUR_MASK) → MURMUR_KIND → MURMUR_CATEGORY → MURMUR … until なし → LEADS → KUBUN
→ OUTCOME → CONFIRM: 保存, or 修正する → FIX → the field's step → CONFIRM.
Saving writes the activity, its murmurs and its leads in the message's one transaction.

The same visit can also arrive whole, as a form (the Slack modal): see handlers/visit_form.py.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from enum import StrEnum

from bot.context import Ctx
from bot.flows import Draft, Flow, StartFlow, Step
from bot.messages import Card, Reply
from bot.router import Router
from handlers.activities import (
    VISIT_TYPE,
    card_title,
    common_draft,
    common_fields,
    date_value,
    duration_value,
    edit_other_activity,
    store_activity,
)
from handlers.common import WRITERS, area_label
from handlers.record_steps import (
    confirm_step,
    date_step,
    duration_step,
    fix_step,
    kubun_label,
    kubun_step,
    label,
    note_step,
    optional,
)
from handlers.resource_match import match_replies
from handlers.visit_murmurs import LoopSteps, murmur_card_rows, murmur_loop, save_murmurs
from handlers.visit_steps import (
    area_step,
    companion_names,
    companions_step,
    leads_step,
    participants_step,
    place_step,
    purpose_step,
    visit_ordinal,
)
from storage.activities import add_lead, list_leads_of_activity, list_murmurs_of_activity
from storage.media import attach_media
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
        (ctx.t("visit.field.purpose"), purpose_value(ctx, draft)),
        (ctx.t("activity.field.duration"), duration_value(ctx, draft.get("duration_min"))),
        (ctx.t("visit.field.participants"), participants_value(ctx, draft)),
        (ctx.t("visit.field.companions"), companion_names(ctx, draft.get("companions") or [])),
        (ctx.t("activity.field.counterpart"), optional(ctx, draft.get("counterpart"))),
        (ctx.t("visit.field.treasures"), optional(ctx, draft.get("treasures"))),
        *murmur_card_rows(ctx, draft),
        (ctx.t("visit.field.leads"), leads_value(ctx, draft)),
        (ctx.t("activity.field.kubun"), kubun_label(ctx, draft.get("kubun"))),
        (ctx.t("activity.field.outcome"), optional(ctx, draft.get("outcome"))),
    ]
    if draft.get("media"):
        rows.append((ctx.t("visit.field.photos"), photos_value(ctx, draft["media"])))
    return Card(card_title(ctx, draft, "visit.card_title"), tuple(rows))


def photos_value(ctx: Ctx, media: list[dict[str, object]]) -> str:
    """Return 「2枚（内部のみ 1・公開可 1）」 for the photos attached to a draft."""
    counts = Counter(str(item["consent"]) for item in media)
    detail = "・".join(f"{consent} {n}" for consent, n in counts.items())
    return ctx.t("visit.photos", count=len(media), detail=detail)


def place_value(ctx: Ctx, draft: Draft) -> str:
    """Return the place, with which visit to it this is when it is a known resource."""
    place = optional(ctx, draft.get("place_label"))
    ordinal = visit_ordinal(ctx, draft)
    return place if ordinal is None else ctx.t("visit.place_with_ordinal", place=place, n=ordinal)


def purpose_value(ctx: Ctx, draft: Draft) -> str:
    """Return the purpose for a card row."""
    purpose = draft.get("purpose")
    return label(ctx, "visit.purpose", purpose) if purpose else optional(ctx, None)


def participants_value(ctx: Ctx, draft: Draft) -> str:
    """Return the number of participants for a card row (約15人)."""
    count = draft.get("participants_count")
    return optional(ctx, None) if count is None else ctx.t("visit.participants_value", n=count)


def leads_value(ctx: Ctx, draft: Draft) -> str:
    """Return the leads already saved (edit mode) and the new ones for a card row."""
    labels = [*draft.get("saved_leads", []), *draft.get("leads", [])]
    return optional(ctx, ctx.t("activity.list_separator").join(labels))


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
    attach_media(
        ctx.session,
        media=draft.get("media", []),
        activity_id=activity.id,
        member_id=ctx.me.id,
        now=ctx.now(),
    )
    murmurs = save_murmurs(ctx, draft, activity)
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
    return [Reply(text), *match_replies(ctx, murmurs)]


def numbers(values: Iterable[int]) -> str:
    """Return record numbers as #13, #14."""
    return ", ".join(f"#{n}" for n in values)


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
        **murmur_loop(
            LoopSteps(
                text=S.MURMUR,
                mask=S.MURMUR_MASK,
                kind=S.MURMUR_KIND,
                category=S.MURMUR_CATEGORY,
                then=S.LEADS,
                confirm=S.CONFIRM,
            )
        ),
        S.LEADS: leads_step(S.KUBUN, S.CONFIRM),
        S.KUBUN: kubun_step(S.OUTCOME, S.CONFIRM),
        S.OUTCOME: note_step("outcome", "activity.ask_outcome", S.CONFIRM, S.CONFIRM),
        S.CONFIRM: confirm_step(visit_card, save_visit, S.FIX),
        S.FIX: fix_step(FIX_FIELDS),
    }
    return Flow(VISIT_FLOW, steps, first=S.DATE, help_key="visit.help", accepts_media=True)


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
