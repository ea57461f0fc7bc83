"""資源: look up local resources (地域資源), show one, change its status, start 資源 登録.

    資源 WORDS          search: words over name, activities, venue, kind; category and area names;
                        活動中/休止/再開/廃止 filter the status (inactive ones are marked)
    資源 #N             one resource in full (its contact only with the contact's own consent)
    資源 #N 休止|再開|廃止|活動中   change its status (coordinators and admins)
    資源 登録 [#N]       the guided registration (from murmur #N: 資源化)
"""

from __future__ import annotations

import re

from bot.classify import fold
from bot.context import Ctx
from bot.flows import StartFlow
from bot.messages import Card, Reply
from bot.router import Router
from handlers.common import WRITERS, area_label
from handlers.murmur_common import category_label
from handlers.resource_flow import RESOURCE_FLOW, build_resource_flow
from handlers.resource_match import resource_line
from storage.access import can_read
from storage.categories import TAXONOMY
from storage.members import area_and_descendant_ids, list_areas
from storage.models import Murmur, Resource
from storage.records import find_visible_record
from storage.resources import (
    ACTIVE_STATUSES,
    STATUSES,
    get_resource,
    list_all_resources,
    set_resource_status,
)

ADD_WORDS = {"登録", "追加", "add", "new"}
NUMBER = re.compile(r"#\s?(\d+)(?:\s+(\S+))?")
SHOWN = 10
TEXT_FIELDS = ("name", "main_activities", "venue", "kind", "operator", "target", "pr_point")


def register(router: Router) -> None:
    """Register 資源 and the 資源 登録 flow."""
    router.add_command(["資源", "地域資源", "resources", "resource"], resources_command)
    router.add_flow(build_resource_flow())


def resources_command(ctx: Ctx, args: str) -> list[Reply] | StartFlow:
    """Dispatch 資源 登録, 資源 #N [status] and 資源 WORDS."""
    word, _, rest = args.partition(" ")
    if word.lower() in ADD_WORDS:
        return start_registration(ctx, rest.strip())
    found = NUMBER.fullmatch(args.strip())
    if found and found[2]:
        return change_status(ctx, int(found[1]), found[2])
    if found:
        return show_resource(ctx, int(found[1]))
    if not args.strip():
        return [Reply(ctx.t("resources.usage"))]
    return search(ctx, args.split())


def start_registration(ctx: Ctx, rest: str) -> list[Reply] | StartFlow:
    """Start 資源 登録, from murmur #N when one is named."""
    if ctx.me.role not in WRITERS:
        return [Reply(ctx.t("error.not_allowed"))]
    if not rest:
        return StartFlow(RESOURCE_FLOW)
    found = re.fullmatch(r"#?\s?(\d+)", rest)
    murmur = (
        find_visible_record(ctx.session, viewer=ctx.me, number=int(found[1])) if found else None
    )
    if not isinstance(murmur, Murmur):
        return [Reply(ctx.t("resources.from_murmur.not_found", text=rest))]
    preface = [Reply(ctx.t("resources.from_murmur.start", number=murmur.number))]
    return StartFlow(RESOURCE_FLOW, {"murmur_id": murmur.id}, preface=preface)


def _resource(ctx: Ctx, number: int) -> Resource | None:
    resource = get_resource(ctx.session, municipality_id=ctx.municipality_id, number=number)
    return resource if resource is not None and can_read(ctx.me, resource) else None


def show_resource(ctx: Ctx, number: int) -> list[Reply]:
    """Show one resource in full."""
    resource = _resource(ctx, number)
    ctx.audit("resource.view", target=f"resource:#{number}", found=resource is not None)
    if resource is None:
        return [Reply(ctx.t("resources.not_found", number=number))]
    return [Reply("", card=resource_card(ctx, resource))]


def resource_card(ctx: Ctx, resource: Resource) -> Card:
    """Return every field of a resource that has a value; the contact only with its consent."""
    contact = resource.contact if resource.contact_consent else None
    if resource.contact and not resource.contact_consent:
        contact = ctx.t("resources.contact.hidden")
    status = resource.status
    if resource.status_as_of:
        status += ctx.t("resources.as_of", date=f"{resource.status_as_of:%Y-%m-%d}")
    values = {
        "kind": resource.kind,
        "area": area_label(ctx, resource.area_id) if resource.area_id else None,
        "categories": "、".join(category_label(ctx, c) for c in resource.categories),
        "main_activities": resource.main_activities,
        "level": resource.level,
        "schedule_text": resource.schedule_text,
        "venue": resource.venue,
        "target": resource.target,
        "fee": resource.fee,
        "participants": resource.participants,
        "operator": resource.operator,
        "contact": contact,
        "pr_point": resource.pr_point,
        "booking": resource.booking,
        "legal_position": resource.legal_position,
        "found_via": resource.found_via,
        "publish_consent": ctx.t("common.yes" if resource.publish_consent else "common.no"),
        "status": status,
    }
    rows = tuple((ctx.t(f"resources.field.{k}"), v) for k, v in values.items() if v)
    title = ctx.t("resources.title", number=resource.number, name=resource.name)
    return Card(title, rows)


def change_status(ctx: Ctx, number: int, status: str) -> list[Reply]:
    """Move a resource to 活動中/休止/再開/廃止 as of today (coordinators and admins)."""
    if ctx.me.role not in WRITERS:
        return [Reply(ctx.t("error.not_allowed"))]
    if status not in STATUSES:
        return [Reply(ctx.t("resources.status.usage", number=number, status=status))]
    resource = _resource(ctx, number)
    if resource is None:
        return [Reply(ctx.t("resources.not_found", number=number))]
    changed = set_resource_status(
        ctx.session,
        resource,
        status=status,
        as_of=ctx.today(),
        now=ctx.now(),
        member_id=ctx.me.id,
    )
    if not changed:
        return [Reply(ctx.t("resources.status.same", number=number, status=status))]
    ctx.audit("resource.status", target=f"resource:#{number}", status=status)
    day = f"{ctx.today():%Y-%m-%d}"
    text = ctx.t("resources.status.done", number=number, name=resource.name, status=status, date=day)
    return [Reply(text)]


def search(ctx: Ctx, words: list[str]) -> list[Reply]:
    """Find resources matching every word; inactive ones last and marked."""
    statuses = {w for w in words if w in STATUSES}
    areas = {a.name: a for a in list_areas(ctx.session, municipality_id=ctx.municipality_id)}
    area_ids: set[int] | None = None
    terms = []
    for word in words:
        if word in statuses:
            continue
        area_id = areas[word].id if word in areas else None
        if area_id is not None:
            subtree = area_and_descendant_ids(
                ctx.session, municipality_id=ctx.municipality_id, area_id=area_id
            )
            area_ids = subtree if area_ids is None else area_ids & subtree
            continue
        terms.append(word)
    found = [
        r
        for r in list_all_resources(ctx.session, municipality_id=ctx.municipality_id)
        if (not statuses or r.status in statuses)
        and (area_ids is None or r.area_id in area_ids)
        and all(matches(ctx, r, term) for term in terms)
    ]
    found.sort(key=lambda r: (r.status not in ACTIVE_STATUSES, r.number))
    ctx.audit("resource.search", count=len(found))
    if not found:
        return [Reply(ctx.t("resources.search.none", words=" ".join(words)))]
    lines = [ctx.t("resources.search.title", n=len(found))]
    for resource in found[:SHOWN]:
        mark = "" if resource.status in ACTIVE_STATUSES else f"〔{resource.status}〕"
        lines.append(resource_line(ctx, resource) + mark)
    if len(found) > SHOWN:
        lines.append(ctx.t("resources.search.more", n=len(found) - SHOWN))
    lines.append(ctx.t("resources.search.hint"))
    return [Reply("\n".join(lines))]


def matches(ctx: Ctx, resource: Resource, term: str) -> bool:
    """Return whether a search word is in a resource's text fields or names one of its categories."""
    folded = fold(term)
    texts = [getattr(resource, key) or "" for key in TEXT_FIELDS]
    if any(folded in fold(text) for text in texts):
        return True
    return any(
        folded in fold(item.label_ja) or folded in fold(item.label_en) or folded == item.code
        for item in TAXONOMY
        if item.code in resource.categories
    )
