"""Every capability of the bot, registered explicitly and in order (no import side effects)."""

from __future__ import annotations

from types import ModuleType

from bot.router import Router
from handlers import help, registration

HANDLERS: tuple[ModuleType, ...] = (
    registration,
    help,
)


def build_router() -> Router:
    """Return a router with every handler registered."""
    router = Router()
    for module in HANDLERS:
        module.register(router)
    return router
