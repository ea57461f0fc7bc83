"""Matching (function ⑥ ニーズとサービスのマッチング): resources that may answer a murmur.

Up to three active resources serving the murmur's categories: first those in its area (and the
areas below it), then in each parent area going up, then anywhere in the municipality. Within a
tier, a resource serving the murmur's primary category comes first.
"""

from __future__ import annotations

from bot.context import Ctx
from bot.messages import Reply
from handlers.common import area_label
from storage.access import is_author_only
from storage.members import list_areas
from storage.models import Area, Murmur, Resource
from storage.murmurs import murmur_category_codes
from storage.resources import ACTIVE_STATUSES, list_all_resources

LIMIT = 3
# Kinds that name something already there: offer to register it as a resource instead.
FOUND_KINDS = ("宝物", "担い手の申し出")


def area_tiers(areas: list[Area], area_id: int | None) -> list[set[int]]:
    """Return the area ids of each tier: the area's subtree, then each ancestor's subtree."""
    children: dict[int | None, list[int]] = {}
    parents: dict[int, int | None] = {}
    for area in areas:
        assert area.id is not None
        children.setdefault(area.parent_id, []).append(area.id)
        parents[area.id] = area.parent_id

    def subtree(root: int) -> set[int]:
        found, todo = set(), [root]
        while todo:
            current = todo.pop()
            if current not in found:
                found.add(current)
                todo.extend(children.get(current, []))
        return found

    tiers: list[set[int]] = []
    current = area_id if area_id in parents else None
    while current is not None:
        tiers.append(subtree(current))
        current = parents.get(current)
    return tiers


def matching_resources(
    ctx: Ctx, *, categories: list[str], area_id: int | None, limit: int = LIMIT
) -> list[Resource]:
    """Return up to `limit` active resources serving the categories, nearest first."""
    wanted = [c for c in categories if c != "other"]
    if not wanted:
        return []
    candidates = [
        r
        for r in list_all_resources(ctx.session, municipality_id=ctx.municipality_id)
        if r.status in ACTIVE_STATUSES and set(r.categories) & set(wanted)
    ]
    areas = list_areas(ctx.session, municipality_id=ctx.municipality_id)
    ranked: list[Resource] = []
    for tier in [*area_tiers(areas, area_id), None]:
        in_tier = [r for r in candidates if r not in ranked and (tier is None or r.area_id in tier)]
        in_tier.sort(key=lambda r: (wanted[0] not in r.categories, r.number))
        ranked.extend(in_tier)
    return ranked[:limit]


def resource_line(ctx: Ctx, resource: Resource) -> str:
    """Return one resource as a list line: #N name（kind・area）schedule."""
    tags = "・".join(
        t for t in (resource.kind, area_label(ctx, resource.area_id) if resource.area_id else "") if t
    )
    return ctx.t(
        "resources.line",
        number=resource.number,
        name=resource.name,
        tags=f"（{tags}）" if tags else "",
        schedule=f" {resource.schedule_text}" if resource.schedule_text else "",
    )


def match_reply(ctx: Ctx, murmur: Murmur) -> Reply | None:
    """Return the answer after a murmur is saved: resources nearby and the offer of つなぎ.

    A 宝物 or an offer to help is offered 資源 登録 instead; with nothing nearby there is no
    answer (the save's own reply is enough, and `つなぎ #N` works all the same).
    """
    assert murmur.id is not None
    restricted = is_author_only(murmur)  # never shown in a group chat
    if murmur.kind in FOUND_KINDS:
        text = ctx.t("resources.match.register", number=murmur.number)
        return Reply(text, restricted=restricted)
    codes = murmur_category_codes(ctx.session, murmur_id=murmur.id)
    found = matching_resources(ctx, categories=codes, area_id=murmur.area_id)
    if not found:
        return None
    offer = ctx.t("resources.match.offer", number=murmur.number)
    lines = [ctx.t("resources.match.title"), *(resource_line(ctx, r) for r in found), offer]
    return Reply("\n".join(lines), restricted=restricted)


def match_replies(ctx: Ctx, murmurs: list[Murmur]) -> list[Reply]:
    """Return the matching answer for murmurs heard on a visit: only those with resources nearby.

    A visit record is long already; murmurs with nothing to match add no noise.
    """
    parts, restricted = [], False
    for murmur in murmurs:
        assert murmur.id is not None
        codes = murmur_category_codes(ctx.session, murmur_id=murmur.id)
        found = matching_resources(ctx, categories=codes, area_id=murmur.area_id)
        if not found or murmur.kind in FOUND_KINDS:
            continue
        restricted = restricted or is_author_only(murmur)
        lines = [ctx.t("resources.match.for", number=murmur.number), ctx.t("resources.match.title")]
        lines += [resource_line(ctx, r) for r in found]
        lines.append(ctx.t("resources.match.offer", number=murmur.number))
        parts.append("\n".join(lines))
    return [Reply("\n\n".join(parts), restricted=restricted)] if parts else []
