"""STUB: filled in by the activities work of issue 2."""

from __future__ import annotations

from bot.router import Router


def register(router: Router) -> None:
    """Register this module's commands and flows."""
