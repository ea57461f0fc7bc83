"""Pieces several handlers share: area choices and labels."""

from __future__ import annotations

from bot.context import Ctx
from bot.messages import Choice
from storage.members import (
    area_and_descendant_ids,
    get_area_by_id,
    list_areas,
    member_area_ids,
)
from storage.models import Area, Role

NO_AREA = "none"
# Officers read; coordinators and admins record (DESIGN.md §4).
WRITERS = (Role.COORDINATOR.value, Role.ADMIN.value)


def member_areas(ctx: Ctx) -> list[Area]:
    """Return the areas a member works in (their areas and every area below), or all areas."""
    areas = list_areas(ctx.session, municipality_id=ctx.municipality_id)
    assert ctx.me.id is not None
    assigned = member_area_ids(ctx.session, member_id=ctx.me.id)
    if not assigned:
        return areas
    wanted: set[int] = set()
    for area_id in assigned:
        wanted |= area_and_descendant_ids(
            ctx.session, municipality_id=ctx.municipality_id, area_id=area_id
        )
    return [a for a in areas if a.id in wanted]


def area_choices(ctx: Ctx, *, include_none: bool = True) -> tuple[Choice, ...]:
    """Return the member's areas as choices (value: the area id), with 'エリアなし' last."""
    choices = [Choice(a.name, str(a.id)) for a in member_areas(ctx)]
    if include_none:
        choices.append(Choice(ctx.t("common.no_area"), NO_AREA))
    return tuple(choices)


def parse_area(ctx: Ctx, value: str | None, text: str) -> tuple[bool, int | None]:
    """Resolve an area answer (a choice value or an area name); return (understood, area_id)."""
    if value == NO_AREA:
        return True, None
    if value is not None and value.isdecimal():
        area = get_area_by_id(ctx.session, municipality_id=ctx.municipality_id, area_id=int(value))
        return (area is not None), (area.id if area else None)
    for area in list_areas(ctx.session, municipality_id=ctx.municipality_id):
        if area.name == text:
            return True, area.id
    return False, None


def area_label(ctx: Ctx, area_id: int | None) -> str:
    """Return an area's name, or 'エリアなし'."""
    if area_id is None:
        return ctx.t("common.no_area")
    area = get_area_by_id(ctx.session, municipality_id=ctx.municipality_id, area_id=area_id)
    return area.name if area else ctx.t("common.no_area")
