"""How connections show: their target, a murmur's connections on its card, and #N of a connection."""

from __future__ import annotations

from bot.context import Ctx
from bot.messages import Card, Reply
from storage.access import can_read
from storage.connections import (
    TO_HOUKATSU,
    TO_ORGANISATION,
    connections_of_murmur,
    follow_up_of,
    get_connection,
)
from storage.models import Connection, Murmur
from storage.resources import get_resource_by_id


def target_label(ctx: Ctx, connection: Connection) -> str:
    """Return where a connection goes: 資源 #3 name, an organisation, or the 包括."""
    if connection.target_kind == TO_HOUKATSU:
        return ctx.t("connections.target.houkatsu")
    if connection.target_kind == TO_ORGANISATION:
        return connection.organisation or ""
    resource = (
        get_resource_by_id(
            ctx.session, municipality_id=ctx.municipality_id, resource_id=connection.resource_id
        )
        if connection.resource_id
        else None
    )
    if resource is None:
        return ctx.t("connections.target.resource_gone")
    return ctx.t("connections.target.resource", number=resource.number, name=resource.name)


def connection_summary(ctx: Ctx, murmur: Murmur) -> str:
    """Return a murmur's connections for its card: #15 → 資源 #3 …（フォロー 12/1）."""
    assert murmur.id is not None
    parts = []
    for connection in connections_of_murmur(ctx.session, murmur_id=murmur.id):
        assert connection.id is not None
        follow = follow_up_of(ctx.session, connection_id=connection.id)
        note = ""
        if follow is not None:
            key = "connections.follow_done" if follow.done_at else "connections.follow_due"
            note = ctx.t(key, date=f"{follow.due_on:%m/%d}")
        parts.append(f"#{connection.number} → {target_label(ctx, connection)}{note}")
    return "、".join(parts)


def show_connection(ctx: Ctx, number: int) -> list[Reply] | None:
    """Show connection #number when the member may read its murmur; None when there is none."""
    connection = get_connection(ctx.session, municipality_id=ctx.municipality_id, number=number)
    if connection is None:
        return None
    murmur = ctx.session.get(Murmur, connection.murmur_id) if connection.murmur_id else None
    if murmur is not None and not can_read(ctx.me, murmur):
        return None
    assert connection.id is not None
    follow = follow_up_of(ctx.session, connection_id=connection.id)
    rows = [
        (ctx.t("connections.field.date"), f"{ctx.local(connection.created_at):%Y-%m-%d}"),
        (ctx.t("connections.field.murmur"), f"#{murmur.number}" if murmur else "—"),
        (ctx.t("connections.field.target"), target_label(ctx, connection)),
    ]
    if follow is not None:
        state = ctx.t("connections.follow_state.done" if follow.done_at else "connections.follow_state.open")
        rows.append((ctx.t("connections.field.follow"), f"{follow.due_on:%Y-%m-%d} {state}"))
    ctx.audit("record.view", target=f"connection:#{number}", found=True)
    return [Reply("", card=Card(ctx.t("connections.title", number=number), tuple(rows)))]
