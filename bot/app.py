"""The composition root: settings → engine → store → router → bot → ASGI app.

Nothing is created at import time; `build_runtime` wires the parts once at start-up.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import Engine
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.clock import Clock, SystemClock
from bot.engine import Bot
from bot.files import files_routes
from bot.forms import forms_routes
from bot.ical import ical_routes
from bot.metrics import CONTENT_TYPE, REGISTRY, store_gauges
from bot.processing import WorkerProcess, Workers
from bot.settings import Settings
from bot.token_guard import TokenGuard
from handlers import build_router
from storage.db import make_engine, migrate
from storage.outbox import queue_counts

if TYPE_CHECKING:
    from bot.channels.line import LineChannel
    from bot.channels.slack import SlackChannel

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    """The wired parts of one tsunagi process."""

    settings: Settings
    engine: Engine
    clock: Clock
    bot: Bot
    line: LineChannel | None = None
    slack: SlackChannel | None = None
    worker_process: WorkerProcess | None = None  # when serve processes in a child process


def build_runtime(
    settings: Settings,
    *,
    clock: Clock | None = None,
    engine: Engine | None = None,
    migrate_store: bool = True,
) -> Runtime:
    """Open the store (migrating it), register the handlers and return the bot."""
    engine = engine or make_engine(settings.database_url)
    if migrate_store:
        migrate(engine)
    clock = clock or SystemClock()
    form_base_url = (
        settings.public_url.rstrip("/") if settings.forms_enabled and settings.public_url else None
    )
    bot = Bot(
        engine=engine,
        router=build_router(),
        clock=clock,
        tz=settings.tz,
        form_base_url=form_base_url,
        public_url=settings.public_url.rstrip("/") if settings.public_url else None,
    )
    runtime = Runtime(settings=settings, engine=engine, clock=clock, bot=bot)
    if settings.line_enabled:
        runtime.line = _line_channel(runtime)
    if settings.slack_enabled:
        runtime.slack = _slack_channel(runtime)
    return runtime


def _line_channel(runtime: Runtime) -> LineChannel:
    from bot.channels.line import LineChannel
    from bot.channels.line_api import LineApi

    settings = runtime.settings
    assert settings.line_channel_secret and settings.line_channel_access_token
    api = LineApi(
        base_url=settings.line_api_base_url,
        access_token=settings.line_channel_access_token,
        data_base_url=settings.line_data_api_base_url,
    )
    return LineChannel(
        engine=runtime.engine,
        bot=runtime.bot,
        clock=runtime.clock,
        secret=settings.line_channel_secret,
        api=api,
    )


def _slack_channel(runtime: Runtime) -> SlackChannel:
    from bot.channels.slack import SlackChannel

    settings = runtime.settings
    assert settings.slack_signing_secret and settings.slack_bot_token
    return SlackChannel(
        engine=runtime.engine,
        bot=runtime.bot,
        clock=runtime.clock,
        signing_secret=settings.slack_signing_secret,
        bot_token=settings.slack_bot_token,
        api_url=settings.slack_api_url,
        app_token=settings.slack_app_token,
    )


def create_asgi_app(
    runtime: Runtime, *, start_workers: bool = True, worker_process: bool = False
) -> Starlette:
    """Return the ASGI app that serves the HTTP endpoints.

    With `start_workers` its lifespan starts the inbox and outbox workers and the scheduler: in
    threads of this process, or with `worker_process` in a child process (bot/processing.py).
    """

    async def healthz(_request: Request) -> JSONResponse:
        database, queues = "ok", {}
        try:
            with runtime.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
                queues = queue_counts(connection)
        except Exception:
            log.exception("health check: database unreachable")
            database = "unreachable"
        body = {
            "status": "ok" if database == "ok" else "degraded",
            "database": database,
            "backend": runtime.engine.dialect.name,
            "channels": runtime.settings.enabled_channels(),
            "forms": runtime.settings.forms_enabled,
            **queues,
        }
        if runtime.worker_process is not None:  # webhooks are stored while it (re)starts
            body["worker"] = runtime.worker_process.state()
        return JSONResponse(body, status_code=200 if database == "ok" else 503)

    async def metrics(_request: Request) -> Response:
        worker = runtime.worker_process
        plus = await asyncio.to_thread(worker.counters) if worker is not None else None
        text = REGISTRY.render(*store_gauges(runtime.engine), plus=plus)
        return Response(text, media_type=CONTENT_TYPE)

    routes = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/metrics", metrics, methods=["GET"]),
    ]
    if runtime.line is not None:
        routes.extend(runtime.line.routes())
    if runtime.slack is not None:
        routes.extend(runtime.slack.routes())
    if runtime.settings.forms_enabled:
        routes.extend(forms_routes(runtime))
    routes.extend(ical_routes(runtime))
    if runtime.settings.public_url:
        routes.extend(files_routes(runtime))
    guard = Middleware(TokenGuard, engine=runtime.engine, clock=runtime.clock)  # token guessing
    return Starlette(
        routes=routes,
        middleware=[guard],
        lifespan=_lifespan(runtime, worker_process) if start_workers else None,
    )


def _lifespan(
    runtime: Runtime, worker_process: bool
) -> Callable[[Starlette], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        workers: Workers | WorkerProcess
        if worker_process:
            workers = runtime.worker_process = WorkerProcess(runtime)
        else:
            workers = Workers(runtime)
        workers.start()
        if runtime.slack is not None:  # Socket Mode is ingress: it stays with the webhooks
            await runtime.slack.start_socket_mode()
        try:
            yield
        finally:
            if runtime.slack is not None:
                await runtime.slack.stop_socket_mode()
            await asyncio.to_thread(workers.stop)

    return lifespan
