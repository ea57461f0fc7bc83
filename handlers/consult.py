"""相談記録 / consult: a one-time link to tsunagi's own form for sensitive details.

Health, dementia and family details (要配慮個人情報) must not be typed into LINE (DESIGN.md §4):
the chat only carries the link, valid 30 minutes and once; the form (bot/forms.py) stores the
details encrypted and tells the chat the note's number.

The form exists only where a public URL and a data key are configured; without them 相談記録
says plainly that the form is off.
"""

from __future__ import annotations

from bot.context import Ctx
from bot.messages import Reply
from bot.router import Router
from handlers.records import parse_number
from storage.murmurs import get_murmur
from storage.sensitive import FORM_TTL, add_form_token


def register(router: Router) -> None:
    router.add_command(["相談記録", "consult"], consult)


def consult(ctx: Ctx, args: str) -> list[Reply]:
    """Reply with a one-time link to the sensitive-input form (optionally for murmur #N)."""
    base_url = ctx.form_base_url
    if base_url is None:
        return [Reply(ctx.t("consult.not_configured"))]
    if ctx.incoming.is_group:
        return [Reply(ctx.t("consult.not_in_group"))]
    murmur_id, preface = None, []
    if args:
        number = parse_number(args)
        murmur = get_murmur(ctx.session, municipality_id=ctx.municipality_id, number=number or 0)
        if murmur is None or murmur.recorded_by != ctx.me.id:
            return [Reply(ctx.t("consult.unknown_murmur", number=args.lstrip("#")))]
        murmur_id = murmur.id
        preface.append(ctx.t("consult.link_for_murmur", number=murmur.number))
    assert ctx.me.id is not None
    form, token = add_form_token(
        ctx.session,
        municipality_id=ctx.municipality_id,
        member_id=ctx.me.id,
        channel=ctx.incoming.channel,
        chat_id=ctx.incoming.user_id,  # 1:1 only, so the saved-notice goes to this user
        murmur_id=murmur_id,
        now=ctx.now(),
    )
    ctx.audit("sensitive.link", target=f"form:{form.id}", murmur=murmur_id is not None)
    minutes = int(FORM_TTL.total_seconds() // 60)
    link = ctx.t("consult.link", minutes=minutes, url=f"{base_url}/forms/{token}")
    return [Reply("\n".join([*preface, link]), restricted=True)]
