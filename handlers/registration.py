"""登録 CODE: link this chat account to a new member through a one-time invite."""

from __future__ import annotations

from bot.context import Ctx
from bot.messages import Reply
from bot.router import Router
from storage.invites import InviteProblem, check_invite, mark_invite_used
from storage.members import add_member, link_identity
from storage.models import Municipality


def register(router: Router) -> None:
    router.add_command(["登録", "register"], register_identity, needs_member=False)


def register_identity(ctx: Ctx, args: str) -> list[Reply]:
    """Use an invite code: create the member and link this chat account to them."""
    if ctx.member is not None:
        municipality = ctx.session.get(Municipality, ctx.member.municipality_id)
        name = municipality.name if municipality else ""
        return [Reply(ctx.t("register.already", name=ctx.member.name, municipality=name))]
    if not args:
        return [Reply(ctx.t("register.usage"))]
    found = check_invite(ctx.session, code=args, now=ctx.now())
    if isinstance(found, InviteProblem):
        return [Reply(ctx.t(f"register.{found.value}"))]
    incoming = ctx.incoming
    member = add_member(
        ctx.session,
        municipality_id=found.municipality_id,
        name=incoming.display_name or incoming.user_id,
        role=found.role,
        layer=found.layer,
        area_ids=[found.area_id] if found.area_id else [],
        language=ctx.lang,
        now=ctx.now(),
    )
    assert member.id is not None
    link_identity(
        ctx.session,
        channel=incoming.channel,
        external_id=incoming.user_id,
        member_id=member.id,
        display_name=incoming.display_name,
        now=ctx.now(),
    )
    mark_invite_used(ctx.session, found, member_id=member.id, now=ctx.now())
    ctx.member = member
    ctx.audit("member.register", target=f"member:{member.id}", role=member.role)
    municipality = ctx.session.get(Municipality, member.municipality_id)
    return [
        Reply(
            ctx.t(
                "register.done_officer" if member.role == "officer" else "register.done",
                municipality=municipality.name if municipality else "",
                role=ctx.t(f"role.{member.role}"),
            )
        )
    ]
