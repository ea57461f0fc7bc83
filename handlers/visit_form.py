"""The visit as one form (the Slack modal): its choices, and saving it like the chat flow.

`save_visit_form` turns the submitted values into the visit flow's draft and saves it with
`handlers.visits.save_visit`; murmurs get their kind and categories suggested and personal
details masked automatically, since a form has no masking question.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.context import Ctx, UserError
from bot.dates import MAX_DURATION_MIN, format_duration, parse_date
from bot.messages import Choice, Reply
from bot.router import Router
from handlers.activities import VISIT_TYPE
from handlers.common import WRITERS, area_choices, parse_area
from handlers.murmur_common import PII_MASK, MurmurDraft, apply_pii_choice, new_murmur_draft
from handlers.record_steps import DURATIONS, KUBUN, checked_text, kubun_label, label
from handlers.visit_steps import COMPANIONS, MAX_PARTICIPANTS, PURPOSES, purpose_choices
from handlers.visits import save_visit
from storage.resources import find_resource_by_name

VISIT_FORM = "visit"


def register(router: Router) -> None:
    """Register the one-page visit form."""
    router.add_form(VISIT_FORM, save_visit_form, roles=WRITERS)


def visit_form_choices(ctx: Ctx) -> dict[str, tuple[Choice, ...]]:
    """Return the choices of the one-page visit form: areas, purposes, durations, companions, 区分."""
    return {
        "area": area_choices(ctx),
        "purpose": purpose_choices(ctx, {}),
        "duration": tuple(Choice(format_duration(m, ctx.lang), str(m)) for m in DURATIONS),
        "companions": tuple(Choice(label(ctx, "visit.companion", c), c) for c in COMPANIONS),
        "kubun": tuple(Choice(kubun_label(ctx, k), k) for k in KUBUN),
    }


def save_visit_form(ctx: Ctx, values: dict[str, Any]) -> list[Reply]:
    """Save a visit submitted whole (the Slack modal) exactly as the chat flow saves one.

    `values`: occurred_on (ISO date), area (an area id or "none"), place, purpose, duration_min,
    participants_count, companions, counterpart, treasures, murmurs (texts), leads (texts),
    kubun, outcome. The channel has checked them already; what needs the store is checked here.
    """
    day = parse_date(str(values.get("occurred_on") or ""), ctx.today())
    area = str(values.get("area") or "")
    understood, area_id = parse_area(ctx, area, "")
    if not understood and area.isdecimal():  # an area id not of this municipality: forged
        ctx.audit("refused.foreign_record", target=f"area:{area}", form=VISIT_FORM)
    if day is None or not understood:
        raise UserError(ctx.t("visit.form.invalid"))
    place = checked_text(ctx, str(values.get("place") or ""))
    resource = find_resource_by_name(ctx.session, municipality_id=ctx.municipality_id, name=place)
    draft = {
        "activity_type": VISIT_TYPE,
        "occurred_on": day.isoformat(),
        "area_id": area_id,
        "place_label": place,
        "resource_id": resource.id if resource else None,
        "purpose": known(ctx, values.get("purpose"), PURPOSES),
        "duration_min": bounded(ctx, values.get("duration_min"), 1, MAX_DURATION_MIN),
        "participants_count": bounded(ctx, values.get("participants_count"), 0, MAX_PARTICIPANTS),
        "companions": [known(ctx, c, COMPANIONS) for c in values.get("companions") or []],
        "counterpart": optional_text(ctx, values.get("counterpart")),
        "treasures": optional_text(ctx, values.get("treasures")),
        "murmurs": [form_murmur(ctx, text, area_id) for text in values.get("murmurs") or []],
        "leads": list(dict.fromkeys(checked_text(ctx, t) for t in values.get("leads") or [])),
        "kubun": known(ctx, values.get("kubun"), KUBUN),
        "outcome": optional_text(ctx, values.get("outcome")),
    }
    return save_visit(ctx, draft)


def form_murmur(ctx: Ctx, text: str, area_id: int | None) -> MurmurDraft:
    """Return a murmur of the form: kind and categories suggested, personal details masked."""
    mdraft = new_murmur_draft(ctx, text, area_id=area_id)
    if mdraft["pii"]:
        apply_pii_choice(mdraft, PII_MASK)
    return mdraft


def known(ctx: Ctx, value: object, vocabulary: Sequence[str]) -> str:
    """Return a submitted value that is one of the vocabulary's, else refuse the form."""
    if value not in vocabulary:
        raise UserError(ctx.t("visit.form.invalid"))
    return str(value)


def bounded(ctx: Ctx, value: object, low: int, high: int) -> int | None:
    """Return a submitted whole number within [low, high], or None when none was given."""
    if value is None:
        return None
    if not isinstance(value, int) or not low <= value <= high:
        raise UserError(ctx.t("visit.form.invalid"))
    return value


def optional_text(ctx: Ctx, value: object) -> str | None:
    """Return a submitted free text checked like a chat answer, or None when left empty."""
    return checked_text(ctx, str(value)) if value else None
