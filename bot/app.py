"""The composition root: settings → engine → store → router → bot → ASGI app.

Nothing is created at import time; `build_runtime` wires the parts once at start-up.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Engine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bot.clock import Clock, SystemClock
from bot.engine import Bot
from bot.settings import Settings
from handlers import build_router
from storage.db import make_engine, migrate

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    """The wired parts of one tsunagi process."""

    settings: Settings
    engine: Engine
    clock: Clock
    bot: Bot


def build_runtime(
    settings: Settings, *, clock: Clock | None = None, engine: Engine | None = None
) -> Runtime:
    """Open the store (migrating it), register the handlers and return the bot."""
    engine = engine or make_engine(settings.database_url)
    migrate(engine)
    clock = clock or SystemClock()
    bot = Bot(engine=engine, router=build_router(), clock=clock, tz=settings.tz)
    return Runtime(settings=settings, engine=engine, clock=clock, bot=bot)


def create_asgi_app(runtime: Runtime) -> Starlette:
    """Return the ASGI app that serves the HTTP endpoints."""

    async def healthz(_request: Request) -> JSONResponse:
        database = "ok"
        try:
            with runtime.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception:
            log.exception("health check: database unreachable")
            database = "unreachable"
        body = {
            "status": "ok" if database == "ok" else "degraded",
            "database": database,
            "backend": runtime.engine.dialect.name,
            "channels": runtime.settings.enabled_channels(),
        }
        return JSONResponse(body, status_code=200 if database == "ok" else 503)

    return Starlette(routes=[Route("/healthz", healthz, methods=["GET"])])
