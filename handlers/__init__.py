"""Every capability of the bot, registered explicitly and in order (no import side effects)."""

from __future__ import annotations

from types import ModuleType

from bot.router import Router
from handlers import (
    activities,
    activity_report,
    area,
    connections,
    consult,
    exports,
    help,
    indicators,
    issues,
    meetings,
    minutes,
    murmurs,
    peer,
    records,
    registration,
    resources,
    search,
    summaries,
    visit_form,
    visits,
)

HANDLERS: tuple[ModuleType, ...] = (
    registration,
    help,
    visits,
    visit_form,
    activities,
    murmurs,
    resources,
    connections,
    issues,
    consult,
    search,
    exports,
    indicators,
    summaries,
    activity_report,
    area,
    records,
    peer,
    meetings,
    minutes,
)


def build_router() -> Router:
    """Return a router with every handler registered."""
    router = Router()
    for module in HANDLERS:
        module.register(router)
    return router
