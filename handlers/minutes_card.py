"""The card of a 会議記録 (a draft being recorded, or a saved record shown again)."""

from __future__ import annotations

from datetime import date

from bot.context import Ctx
from bot.flows import Draft
from bot.messages import Card
from storage.minutes import FOLLOW_UPS, RAISERS


def day_label(text: str) -> str:
    """Return an ISO date as 2026/11/10."""
    day = date.fromisoformat(text)
    return f"{day.year}/{day.month}/{day.day}"


def _vocabulary_label(ctx: Ctx, group: str, values: tuple[str, ...], value: str | None) -> str:
    if value not in values:
        return ctx.t("common.none")
    return ctx.t(f"minutes.{group}.{values.index(value)}")


def record_card(ctx: Ctx, draft: Draft) -> Card:
    """Return the draft record as a card."""
    none = ctx.t("common.none")
    breakdown = draft["attendance_by_type"]
    rows = [
        (ctx.t("minutes.field.meeting"), draft["last_label"]),
        (ctx.t("minutes.field.date"), day_label(draft["occurrence"])),
        (ctx.t("minutes.field.ordinal"), ctx.t("minutes.nth", n=draft["ordinal"])),
        (
            ctx.t("minutes.field.attendance"),
            ctx.t(
                "minutes.out_of", total=draft["attendees_total"], present=draft["attendees_present"]
            ),
        ),
        (
            ctx.t("minutes.field.breakdown"),
            " ".join(f"{k}{v}" for k, v in breakdown.items()) or none,
        ),
        (ctx.t("minutes.field.agenda"), draft["agenda"]),
        (ctx.t("minutes.field.issues"), draft["issues_raised"] or none),
        (
            ctx.t("minutes.field.raised_by"),
            _vocabulary_label(ctx, "raiser", RAISERS, draft["issues_raised_by"]),
        ),
        (ctx.t("minutes.field.decisions"), draft["decisions"] or none),
        (
            ctx.t("minutes.field.follow_up"),
            _vocabulary_label(ctx, "follow_up", FOLLOW_UPS, draft["follow_up"]),
        ),
        (ctx.t("minutes.field.next"), draft["next_meeting"] or none),
    ]
    return Card(ctx.t("minutes.card_title"), tuple(rows))
