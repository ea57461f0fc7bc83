"""活動: the quick record of work that is not a visit, and what every activity record shares.

A visit is an activity of the type 訪問 (PRACTICE.md Part 2): the visit flow stores its record,
titles its card and shows its date and duration with the functions here. The steps both flows
ask are in `handlers.record_steps`.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from bot.context import Ctx, UserError
from bot.dates import format_duration
from bot.flows import Draft, Flow, StartFlow, Step
from bot.messages import Card, Choice, Reply
from bot.router import Router
from handlers.common import WRITERS
from handlers.record_steps import (
    choice_step,
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
from storage.activities import add_activity, get_activity_by_id, update_activity
from storage.models import Activity

ACTIVITY_FLOW = "activity"
VISIT_TYPE = "訪問"
OTHER_TYPES = ("会議・集まり参加", "電話・調査", "来所相談", "研修", "事務")


class ActivityStep(StrEnum):
    TYPE = "type"
    DATE = "date"
    DURATION = "duration"
    KUBUN = "kubun"
    COUNTERPART = "counterpart"
    OUTCOME = "outcome"
    CONFIRM = "confirm"
    FIX = "fix"


# --- Every activity record: storing it, and what its card shows -----------------------------


def get_own_activity(ctx: Ctx, record_id: int) -> Activity:
    """Return the activity being edited; only its author may change it."""
    activity = get_activity_by_id(
        ctx.session, municipality_id=ctx.municipality_id, activity_id=record_id
    )
    if activity is None or activity.recorded_by != ctx.me.id:
        raise UserError(ctx.t("activity.not_yours"))
    return activity


def store_activity(ctx: Ctx, draft: Draft, **fields: object) -> Activity:
    """Create the activity record, or update the one being edited (audited either way)."""
    record_id = draft.get("record_id")
    if record_id is not None:
        activity = get_own_activity(ctx, record_id)
        update_activity(ctx.session, activity, now=ctx.now(), **fields)
        action = "activity.edit"
    else:
        assert ctx.me.id is not None
        activity = add_activity(
            ctx.session,
            municipality_id=ctx.municipality_id,
            recorded_by=ctx.me.id,
            channel=ctx.incoming.channel,
            now=ctx.now(),
            **fields,
        )
        action = "activity.create"
    ctx.audit(action, target=f"activity:{activity.number}", type=activity.activity_type)
    return activity


def common_fields(draft: Draft) -> dict[str, object]:
    """Return the columns every activity record takes from its draft."""
    return {
        "activity_type": draft["activity_type"],
        "occurred_on": date.fromisoformat(draft["occurred_on"]),
        "duration_min": draft.get("duration_min"),
        "kubun": draft.get("kubun"),
        "counterpart": draft.get("counterpart"),
        "outcome": draft.get("outcome"),
    }


def common_draft(activity: Activity) -> Draft:
    """Return a draft holding the fields every activity record has, for editing it."""
    return {
        "record_id": activity.id,
        "record_number": activity.number,
        "reviewed": True,
        "activity_type": activity.activity_type,
        "occurred_on": activity.occurred_on.isoformat(),
        "duration_min": activity.duration_min,
        "kubun": activity.kubun,
        "counterpart": activity.counterpart,
        "outcome": activity.outcome,
    }


def card_title(ctx: Ctx, draft: Draft, key: str) -> str:
    """Return a card's title, naming the record when it is being edited."""
    number = draft.get("record_number")
    return (
        ctx.t(key)
        if number is None
        else ctx.t("activity.editing_title", title=ctx.t(key), number=number)
    )


def date_value(ctx: Ctx, iso: str) -> str:
    """Return a stored ISO date as the user reads it, e.g. 2026年11月22日（日）."""
    day = date.fromisoformat(iso)
    weekday = ctx.t("activity.weekdays").split()[day.weekday()]
    return ctx.t("activity.date", y=day.year, m=day.month, d=day.day, w=weekday)


def duration_value(ctx: Ctx, minutes: int | None) -> str:
    """Return a duration for a card row, or 「なし」."""
    return format_duration(minutes, ctx.lang) if minutes else optional(ctx, None)


# --- 活動: the quick record of non-visit work -------------------------------------------------


def type_choices(ctx: Ctx, draft: Draft) -> tuple[Choice, ...]:
    """Return the kinds of non-visit work as choices."""
    return tuple(Choice(label(ctx, "activity.type", t), t) for t in OTHER_TYPES)


def activity_card(ctx: Ctx, draft: Draft) -> Card:
    """Return the confirmation card of an activity record."""
    rows = (
        (ctx.t("activity.field.type"), label(ctx, "activity.type", draft["activity_type"])),
        (ctx.t("activity.field.date"), date_value(ctx, draft["occurred_on"])),
        (ctx.t("activity.field.duration"), duration_value(ctx, draft.get("duration_min"))),
        (ctx.t("activity.field.kubun"), kubun_label(ctx, draft.get("kubun"))),
        (ctx.t("activity.field.counterpart"), optional(ctx, draft.get("counterpart"))),
        (ctx.t("activity.field.outcome"), optional(ctx, draft.get("outcome"))),
    )
    return Card(card_title(ctx, draft, "activity.card_title"), rows)


def save_other_activity(ctx: Ctx, draft: Draft) -> list[Reply]:
    """Save the activity record and name it with its number."""
    activity = store_activity(ctx, draft, **common_fields(draft))
    key = "activity.edited" if draft.get("record_id") else "activity.saved"
    return [Reply(ctx.t(key, number=activity.number))]


ACTIVITY_FIX_FIELDS: tuple[tuple[str, StrEnum], ...] = (
    ("activity.field.type", ActivityStep.TYPE),
    ("activity.field.date", ActivityStep.DATE),
    ("activity.field.duration", ActivityStep.DURATION),
    ("activity.field.kubun", ActivityStep.KUBUN),
    ("activity.field.counterpart", ActivityStep.COUNTERPART),
    ("activity.field.outcome", ActivityStep.OUTCOME),
)


def build_activity_flow() -> Flow:
    """Return the 活動 flow: type, date, duration, 区分, 相手方, 成果, confirmation."""
    S = ActivityStep
    steps: dict[StrEnum, Step] = {
        S.TYPE: choice_step(
            "activity_type",
            "activity.type",
            type_choices,
            S.DATE,
            S.CONFIRM,
            ask="activity.ask_type",
            bad="activity.bad_type",
        ),
        S.DATE: date_step("activity.ask_date", S.DURATION, S.CONFIRM),
        S.DURATION: duration_step(S.KUBUN, S.CONFIRM),
        S.KUBUN: kubun_step(S.COUNTERPART, S.CONFIRM),
        S.COUNTERPART: note_step("counterpart", "activity.ask_counterpart", S.OUTCOME, S.CONFIRM),
        S.OUTCOME: note_step("outcome", "activity.ask_outcome", S.CONFIRM, S.CONFIRM),
        S.CONFIRM: confirm_step(activity_card, save_other_activity, S.FIX),
        S.FIX: fix_step(ACTIVITY_FIX_FIELDS),
    }
    return Flow(ACTIVITY_FLOW, steps, first=S.TYPE, help_key="activity.help")


def edit_other_activity(ctx: Ctx, activity: Activity) -> StartFlow:
    """Reopen a non-visit activity record at its confirmation, to fix and save it again."""
    return StartFlow(ACTIVITY_FLOW, common_draft(activity), ActivityStep.CONFIRM)


def start_activity(ctx: Ctx, args: str) -> StartFlow:
    """Start the quick record of non-visit work."""
    return StartFlow(ACTIVITY_FLOW)


def register(router: Router) -> None:
    """Register 活動 / activity and its flow."""
    router.add_command(["活動", "activity"], start_activity, roles=WRITERS)
    router.add_flow(build_activity_flow())
