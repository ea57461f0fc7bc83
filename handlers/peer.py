"""Peer groups across municipalities (情報交換会) in a connected chat: share, trends, worries, tips.

A peer chat is identified by (channel, chat id) and reaches SCs of other municipalities, so it
gets only what a member explicitly shares, masked (`bot.masking`), and counts with small cells
suppressed. Replies made for the group carry `PEER_TAG`; the rest stay with the asker.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from bot.context import Ctx, UserError
from bot.masking import (
    PEER_TAG,
    Cell,
    coarse_area_label,
    fine_places,
    mask_for_peers,
    peer_text,
    share_refusal,
    trend_rows,
)
from bot.messages import Card, Reply
from bot.privacy import needs_restriction
from bot.router import Router, normalize
from handlers.records import parse_number, record_target
from storage.categories import list_categories
from storage.members import list_areas
from storage.models import Activity, Municipality, Murmur, PeerGroup, PeerNote, Role, SharedCase
from storage.peer import (
    add_peer_note,
    connect_chat,
    get_peer_group,
    group_for_chat,
    group_municipalities,
    groups_of_municipality,
    list_open_notes,
    municipality_names,
    primary_category_counts,
    private_resource_names,
    save_shared_case,
    search_shared_cases,
    shareable_category_codes,
)
from storage.records import category_labels, find_visible_record, murmur_category_codes

WORRY, TIP = "悩み", "ヒント"
TREND_DAYS = 28
CASE_LIMIT = 5


def register(router: Router) -> None:
    """Register the peer-group commands."""
    router.add_command(["グループ", "group"], connect_group, roles=[Role.ADMIN.value])
    router.add_command(["共有", "share"], share)
    router.add_command(["傾向", "trends"], trends)
    router.add_command(["悩み", "worry"], partial(add_note, kind=WORRY))
    router.add_command(["ヒント", "tip"], partial(add_note, kind=TIP))
    router.add_command(["悩み一覧", "ヒント一覧", "worries", "tips"], list_notes)
    router.add_command(["事例", "cases"], cases)


@dataclass(frozen=True)
class PeerChat:
    group: PeerGroup
    municipalities: list[Municipality]

    @property
    def group_id(self) -> int:
        assert self.group.id is not None
        return self.group.id

    def town(self, municipality_id: int) -> str:
        """Return the name of one of the group's municipalities."""
        return next(m.name for m in self.municipalities if m.id == municipality_id)


def for_peers(text: str, card: Card | None = None) -> Reply:
    """Return a reply made for everyone in the peer chat."""
    return Reply(text, card=card, tags=(PEER_TAG,))


def peer_chat(ctx: Ctx) -> PeerChat:
    """Return this chat's peer group if the member's municipality is in it; else explain."""
    incoming = ctx.incoming
    group = group_for_chat(ctx.session, channel=incoming.channel, chat_id=incoming.chat_id)
    if group is None:
        admin = ctx.me.role == Role.ADMIN.value
        raise UserError(ctx.t("peer.not_connected.admin" if admin else "peer.not_connected"))
    assert group.id is not None
    municipalities = group_municipalities(ctx.session, group_id=group.id)
    if ctx.municipality_id not in {m.id for m in municipalities}:
        raise UserError(ctx.t("peer.not_in_group", group=group.name))
    return PeerChat(group, municipalities)


def connect_group(ctx: Ctx, args: str) -> list[Reply]:
    """Connect this chat to a peer group the admin's municipality belongs to."""
    word, _, name = normalize(args).partition(" ")
    if word.lower() not in ("接続", "connect") or not name:
        return [Reply(ctx.t("peer.connect.usage"))]
    group = get_peer_group(ctx.session, name=name)
    members = group_municipalities(ctx.session, group_id=group.id) if group and group.id else []
    if group is None or ctx.municipality_id not in {m.id for m in members}:
        mine = groups_of_municipality(ctx.session, municipality_id=ctx.municipality_id)
        names = "、".join(g.name for g in mine) or ctx.t("peer.none")
        return [Reply(ctx.t("peer.connect.unknown", name=name, groups=names))]
    incoming = ctx.incoming
    connect_chat(ctx.session, group, channel=incoming.channel, chat_id=incoming.chat_id)
    ctx.audit("peer.connect", target=f"peergroup:{group.id}")
    towns = "、".join(m.name for m in members)
    return [for_peers(ctx.t("peer.connect.done", group=group.name, municipalities=towns))]


def share(ctx: Ctx, args: str) -> list[Reply]:
    """Post a masked copy of the member's own activity or murmur to the peer group."""
    peer = peer_chat(ctx)
    number = parse_number(args)
    if number is None:
        return [Reply(ctx.t("peer.share.usage"))]
    record = find_visible_record(ctx.session, viewer=ctx.me, number=number)
    if not isinstance(record, Activity | Murmur) or record.recorded_by != ctx.me.id:
        return [Reply(ctx.t("peer.share.not_found", number=number), restricted=True)]
    reason = share_refusal(record)
    if reason is not None:
        ctx.audit("peer.share.refused", target=record_target(record), reason=reason)
        return [Reply(ctx.t(f"peer.share.refused.{reason}", number=number), restricted=True)]
    case, new = save_shared_case(ctx.session, masked_case(ctx, peer, record))
    ctx.audit("peer.share", target=record_target(record), group=peer.group_id)
    intro = ctx.t("peer.share.done" if new else "peer.share.updated", name=ctx.me.name)
    return [for_peers(intro, card=case_card(ctx, case, peer.town(ctx.municipality_id)))]


def masked_case(ctx: Ctx, peer: PeerChat, record: Activity | Murmur) -> SharedCase:
    """Return the masked copy of a record: no names, coarse area, categories and kind kept."""
    assert record.id is not None and ctx.me.id is not None
    areas = list_areas(ctx.session, municipality_id=ctx.municipality_id)
    if isinstance(record, Murmur):
        kind, codes = record.kind, murmur_category_codes(ctx.session, murmur_id=record.id)
    else:
        kind = record.activity_type
        codes = shareable_category_codes(ctx.session, activity_id=record.id)
    return SharedCase(
        group_id=peer.group_id,
        municipality_id=ctx.municipality_id,
        record_kind="murmur" if isinstance(record, Murmur) else "activity",
        record_number=record.number,
        text=mask_for_peers(peer_text(record), places_to_hide(ctx)),
        categories=codes,
        area_label=coarse_area_label(areas, record.area_id, peer.town(ctx.municipality_id)),
        kind=kind,
        shared_by=ctx.me.id,
        shared_at=ctx.now(),
    )


def places_to_hide(ctx: Ctx) -> dict[str, str]:
    """Return the member's municipality's fine-grained places and private resources."""
    areas = list_areas(ctx.session, municipality_id=ctx.municipality_id)
    private = private_resource_names(ctx.session, municipality_id=ctx.municipality_id)
    return fine_places(areas, private)


def trends(ctx: Ctx, _args: str) -> list[Reply]:
    """Show murmur counts by category across the group for 4 weeks, small counts suppressed."""
    peer = peer_chat(ctx)
    end = ctx.today()
    start = end - timedelta(days=TREND_DAYS - 1)
    ids = [m.id for m in peer.municipalities if m.id is not None]
    counts = primary_category_counts(
        ctx.session, municipality_ids=ids, date_from=start, date_to=end
    )
    order = [c.code for c in list_categories(ctx.session)]
    rows = trend_rows(counts, ids, order)
    ctx.audit("peer.trends", target=f"peergroup:{peer.group_id}", rows=len(rows))
    lines = [ctx.t("peer.trends.header", group=peer.group.name, start=start, end=end)]
    for row in rows:
        label = _category_names(ctx, [row.code]) if row.code else ctx.t("peer.uncategorised")
        cells = "／".join(
            f"{m.name} {_cell(ctx, c)}" for m, c in zip(peer.municipalities, row.cells, strict=True)
        )
        lines.append(
            ctx.t("peer.trends.row", category=label, cells=cells, total=_cell(ctx, row.total))
        )
    lines.append(ctx.t("peer.trends.note") if rows else ctx.t("peer.trends.none"))
    return [for_peers("\n".join(lines))]


def _cell(ctx: Ctx, cell: Cell) -> str:
    if cell.value is None:
        return ctx.t("peer.suppressed")
    return ctx.t("peer.at_least", n=cell.value) if cell.at_least else str(cell.value)


def add_note(ctx: Ctx, args: str, *, kind: str) -> list[Reply]:
    """Store a masked worry or tip for the group's next meeting."""
    peer = peer_chat(ctx)
    label = ctx.t(f"peer.kind.{kind}")
    if not args:
        return [Reply(ctx.t("peer.note.usage", kind=label, word=kind))]
    if needs_restriction(args, ""):
        return [Reply(ctx.t("peer.note.sensitive"), restricted=True)]
    masked = mask_for_peers(args, places_to_hide(ctx))
    assert ctx.me.id is not None
    note = PeerNote(
        group_id=peer.group_id,
        kind=kind,
        text=masked,
        member_id=ctx.me.id,
        municipality_id=ctx.municipality_id,
        created_at=ctx.now(),
    )
    add_peer_note(ctx.session, note)
    ctx.audit(
        "peer.note", target=f"peergroup:{peer.group_id}", kind="worry" if kind == WORRY else "tip"
    )
    changed = ctx.t("peer.note.masked") if masked != normalize(args) else ""
    return [for_peers(ctx.t("peer.note.saved", kind=label, text=masked) + changed)]


def list_notes(ctx: Ctx, _args: str) -> list[Reply]:
    """List the worries and tips collected for the group's next meeting."""
    peer = peer_chat(ctx)
    notes = list_open_notes(ctx.session, group_id=peer.group_id)
    ctx.audit("peer.notes", target=f"peergroup:{peer.group_id}", count=len(notes))
    if not notes:
        return [for_peers(ctx.t("peer.notes.none"))]
    towns = {m.id: m.name for m in peer.municipalities}
    lines = [ctx.t("peer.notes.header", group=peer.group.name)]
    for kind in (WORRY, TIP):
        found = [n for n in notes if n.kind == kind]
        if found:
            lines.append(ctx.t("peer.notes.kind", kind=ctx.t(f"peer.kind.{kind}"), n=len(found)))
            lines += [f"・{towns.get(n.municipality_id, '')}: {n.text}" for n in found]
    return [for_peers("\n".join(lines))]


def cases(ctx: Ctx, args: str) -> list[Reply]:
    """Search every case shared to the member's peer groups (words, category labels).

    Outside the chat of the group a case was shared to, the answer is for the asker only.
    """
    groups = groups_of_municipality(ctx.session, municipality_id=ctx.municipality_id)
    if not groups:
        return [Reply(ctx.t("peer.cases.no_group"))]
    ids = [g.id for g in groups if g.id is not None]
    hits = search_shared_cases(ctx.session, group_ids=ids, words=normalize(args).split())
    ctx.audit("peer.cases", results=len(hits))
    if not hits:
        return [Reply(ctx.t("peer.cases.none", words=args), restricted=True)]
    here = group_for_chat(ctx.session, channel=ctx.incoming.channel, chat_id=ctx.incoming.chat_id)
    public = here is not None and all(c.group_id == here.id for c in hits[:CASE_LIMIT])
    towns = municipality_names(ctx.session)
    lines = [ctx.t("peer.cases.header", n=len(hits))]
    lines += [
        case_line(ctx, case, towns.get(case.municipality_id, "")) for case in hits[:CASE_LIMIT]
    ]
    if len(hits) > CASE_LIMIT:
        lines.append(ctx.t("peer.cases.more", n=len(hits) - CASE_LIMIT))
    text = "\n".join(lines)
    return [for_peers(text) if public else Reply(text, restricted=True)]


def case_line(ctx: Ctx, case: SharedCase, municipality: str) -> str:
    """Return one shared case as a result line: where, kind and categories, masked text."""
    return ctx.t(
        "peer.cases.line",
        where=_where(case, municipality),
        kind=case.kind,
        categories=_category_names(ctx, case.categories),
        month=f"{ctx.local(case.shared_at):%Y-%m}",
        text=case.text,
    )


def case_card(ctx: Ctx, case: SharedCase, municipality: str) -> Card:
    """Return a shared case as a card: where, kind, categories and the masked text."""
    rows = (
        (ctx.t("peer.field.where"), _where(case, municipality)),
        (ctx.t("peer.field.kind"), case.kind),
        (ctx.t("peer.field.categories"), _category_names(ctx, case.categories)),
        (ctx.t("peer.field.text"), case.text),
    )
    return Card(ctx.t("peer.case.title"), tuple((k, v) for k, v in rows if v))


def _where(case: SharedCase, municipality: str) -> str:
    area = case.area_label
    return municipality if area == municipality else f"{municipality}・{area}"


def _category_names(ctx: Ctx, codes: list[str]) -> str:
    labels = category_labels(ctx.session)
    index = 1 if ctx.lang == "en" else 0
    return "、".join(labels[c][index] if c in labels else c for c in codes)
