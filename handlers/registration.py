"""登録 CODE: link this chat account to a new member through a one-time invite.

Wrong codes are counted per chat identity and per chat (`storage.invites`): too many lock the
sender out for a while, with an audit entry and a log line, and codes are not looked up then.
"""

from __future__ import annotations

import logging

from bot.context import Ctx
from bot.flows import StartFlow
from bot.messages import Reply
from bot.router import Router
from storage.conversations import delete_state, latest_state_of_member
from storage.invites import (
    LINK_TTL,
    InviteProblem,
    Lockout,
    add_link_code,
    check_invite,
    find_lockout,
    mark_invite_used,
    note_failed_attempt,
)
from storage.members import add_member, get_member, link_identity
from storage.models import Invite, Member, Municipality

log = logging.getLogger(__name__)


def register(router: Router) -> None:
    router.add_command(["登録", "register"], register_identity, needs_member=False)
    router.add_command(["連携", "link"], link_account, needs_member=False)
    router.add_command(["続き", "resume"], resume_elsewhere)


def link_account(ctx: Ctx, args: str) -> list[Reply]:
    """連携: give a member a code for their other chat account; 連携 CODE there links it."""
    if args:
        return register_identity(ctx, args)
    if ctx.member is None:
        return [Reply(ctx.t("register.required"))]
    if ctx.incoming.is_group:
        return [Reply(ctx.t("link.not_in_group"))]
    assert ctx.member.id is not None
    _, code = add_link_code(
        ctx.session,
        municipality_id=ctx.member.municipality_id,
        member_id=ctx.member.id,
        role=ctx.member.role,
        now=ctx.now(),
    )
    ctx.audit("member.link.code", target=f"member:{ctx.member.id}")
    minutes = int(LINK_TTL.total_seconds() // 60)
    return [Reply(ctx.t("link.code", code=code, minutes=minutes), restricted=True)]


def resume_elsewhere(ctx: Ctx, _args: str) -> list[Reply] | StartFlow:
    """続き: bring the member's latest unfinished entry from their other chat to this one."""
    assert ctx.me.id is not None
    state = latest_state_of_member(ctx.session, member_id=ctx.me.id)
    here = (ctx.incoming.channel, ctx.incoming.chat_id, ctx.incoming.user_id)
    if state is None or (state.channel, state.chat_id, state.user_id) == here:
        return [Reply(ctx.t("resume.nothing"))]
    start = StartFlow(state.flow, draft=dict(state.draft), step=state.step)
    delete_state(ctx.session, state)
    ctx.audit("flow.resume", target=state.flow, source=state.channel)
    return StartFlow(start.flow, start.draft, start.step, [Reply(ctx.t("resume.done"))])


def register_identity(ctx: Ctx, args: str) -> list[Reply]:
    """Use an invite code: create the member and link this chat account to them."""
    if ctx.member is not None:
        municipality = ctx.session.get(Municipality, ctx.member.municipality_id)
        name = municipality.name if municipality else ""
        return [Reply(ctx.t("register.already", name=ctx.member.name, municipality=name))]
    if not args:
        return [Reply(ctx.t("register.usage"))]
    subjects = attempt_subjects(ctx)
    locked = find_lockout(ctx.session, subjects=subjects, now=ctx.now())
    if locked is not None:
        ctx.audit("invite.locked", scope=locked.scope)
        return [Reply(locked_text(ctx, locked))]
    found = check_invite(ctx.session, code=args, now=ctx.now())
    if isinstance(found, InviteProblem):
        problem = Reply(ctx.t(f"register.{found.value}"))
        locked = note_failed_attempt(ctx.session, subjects=subjects, now=ctx.now())
        if locked is None:
            return [problem]
        ctx.audit("invite.lockout", scope=locked.scope, failures=locked.failures)
        log.warning(
            "invite codes: locked out by %s until %s after %d failures (audit: invite.lockout)",
            locked.scope,
            locked.until.isoformat(),
            locked.failures,
        )
        return [problem, Reply(locked_text(ctx, locked))]
    if found.link_member_id is not None:
        return _link_to_member(ctx, found)
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
    _use_invite(ctx, found, member)
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


def attempt_subjects(ctx: Ctx) -> dict[str, str]:
    """Return who is trying a code: this chat identity, and this chat (a group counts as one)."""
    incoming = ctx.incoming
    return {
        "identity": f"{incoming.channel}:{incoming.user_id}",
        "chat": f"{incoming.channel}:{incoming.chat_id}",
    }


def locked_text(ctx: Ctx, locked: Lockout) -> str:
    """Say how long registration is paused, in local time."""
    until = ctx.local(locked.until).strftime("%H:%M")
    return ctx.t("register.locked", count=locked.failures, until=until)


def _link_to_member(ctx: Ctx, invite: Invite) -> list[Reply]:
    """Link this chat account to the member who asked for the 連携 code."""
    member = get_member(ctx.session, member_id=invite.link_member_id or 0)
    if member is None or not member.active:
        return [Reply(ctx.t("register.invalid"))]
    _use_invite(ctx, invite, member)
    ctx.audit("member.link", target=f"member:{member.id}", channel=ctx.incoming.channel)
    return [Reply(ctx.t("link.done", name=member.name))]


def _use_invite(ctx: Ctx, invite: Invite, member: Member) -> None:
    """Link this chat account to the member and spend the invite (it works once)."""
    assert member.id is not None
    incoming = ctx.incoming
    link_identity(
        ctx.session,
        channel=incoming.channel,
        external_id=incoming.user_id,
        member_id=member.id,
        display_name=incoming.display_name,
        now=ctx.now(),
    )
    mark_invite_used(ctx.session, invite, member_id=member.id, now=ctx.now())
    ctx.member = member
