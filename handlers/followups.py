"""フォロー (my open follow-ups, フォロー 完了 #N) and 状態 #N (a murmur's status by hand)."""

from __future__ import annotations

import re
from datetime import date

from bot.context import Ctx
from bot.messages import Reply
from handlers.connection_view import target_label
from storage.access import can_read
from storage.connections import (
    MURMUR_STATUSES,
    close_follow_up,
    follow_up_of,
    get_connection,
    open_follow_ups,
    set_murmur_status,
)
from storage.models import Connection, Murmur
from storage.murmurs import get_murmur

DONE_WORDS = {"完了", "done", "済", "済み"}


def follow_command(ctx: Ctx, args: str) -> list[Reply]:
    """List my open follow-ups, or close one (フォロー 完了 #N)."""
    word, _, rest = args.partition(" ")
    if word in DONE_WORDS:
        return close_command(ctx, rest)
    if args:
        return [Reply(ctx.t("connections.follow.usage"))]
    assert ctx.me.id is not None
    pairs = open_follow_ups(ctx.session, owner_id=ctx.me.id)
    ctx.audit("followup.list", count=len(pairs))
    if not pairs:
        return [Reply(ctx.t("connections.follow.none"))]
    lines = [ctx.t("connections.follow.title", n=len(pairs))]
    lines += [follow_line(ctx, f.due_on, c) for f, c in pairs]
    lines.append(ctx.t("connections.follow.hint"))
    return [Reply("\n".join(lines))]


def follow_line(ctx: Ctx, due_on: date, connection: Connection) -> str:
    """Return one open follow-up: due date (overdue marked), connection, murmur, target."""
    murmur = ctx.session.get(Murmur, connection.murmur_id) if connection.murmur_id else None
    overdue = ctx.t("connections.overdue") if due_on < ctx.today() else ""
    return ctx.t(
        "connections.follow.item",
        date=f"{due_on:%m/%d}",
        overdue=overdue,
        number=connection.number,
        murmur=f"#{murmur.number}" if murmur else "—",
        target=target_label(ctx, connection),
    )


def close_command(ctx: Ctx, rest: str) -> list[Reply]:
    """Close the follow-up of connection #N (its owner)."""
    found = re.fullmatch(r"#?\s?(\d+)", rest.strip())
    if found is None:
        return [Reply(ctx.t("connections.follow.usage"))]
    number = int(found[1])
    connection = get_connection(ctx.session, municipality_id=ctx.municipality_id, number=number)
    follow = follow_up_of(ctx.session, connection_id=connection.id) if connection and connection.id else None
    if follow is None or follow.owner_id != ctx.me.id:
        return [Reply(ctx.t("connections.follow.not_found", number=number))]
    if follow.done_at is not None:
        return [Reply(ctx.t("connections.follow.already", number=number))]
    close_follow_up(ctx.session, follow, now=ctx.now())
    ctx.audit("followup.close", target=f"connection:#{number}")
    return [Reply(ctx.t("connections.follow.closed", number=number))]


def status_command(ctx: Ctx, args: str) -> list[Reply]:
    """Set a murmur's status by hand: 状態 #12 検討中."""
    found = re.fullmatch(r"#?\s?(\d+)\s+(\S+)", args.strip())
    statuses = "／".join(MURMUR_STATUSES)
    if found is None or found[2] not in MURMUR_STATUSES:
        return [Reply(ctx.t("connections.status.usage", statuses=statuses))]
    murmur = get_murmur(ctx.session, municipality_id=ctx.municipality_id, number=int(found[1]))
    if murmur is None or not can_read(ctx.me, murmur):
        return [Reply(ctx.t("records.not_found", number=int(found[1])))]
    set_murmur_status(ctx.session, murmur, status=found[2], now=ctx.now())
    ctx.audit("murmur.status", target=f"murmur:#{murmur.number}", status=found[2])
    return [Reply(ctx.t("connections.status.done", number=murmur.number, status=found[2]))]
