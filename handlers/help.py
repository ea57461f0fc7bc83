"""ヘルプ / help: what the bot can do."""

from __future__ import annotations

from bot.context import Ctx
from bot.messages import Reply
from bot.router import Router


def register(router: Router) -> None:
    router.add_command(["ヘルプ", "help", "へるぷ", "使い方", "?"], show_help, needs_member=False)


def show_help(ctx: Ctx, _args: str) -> list[Reply]:
    """Show the list of commands (and how to register, before registration)."""
    if ctx.member is None:
        return [Reply(ctx.t("register.required"))]
    return [Reply(ctx.t("help.text"))]
