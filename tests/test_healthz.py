"""GET /healthz: a small JSON status an operator or a load balancer can poll."""

from __future__ import annotations

import asyncio

import httpx

from bot.app import Runtime, build_runtime, create_asgi_app
from bot.settings import Settings
from storage.db import make_engine


def get_healthz(runtime: Runtime) -> httpx.Response:
    """Call GET /healthz on the ASGI app in-process (what uvicorn serves)."""

    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=create_asgi_app(runtime))
        async with httpx.AsyncClient(transport=transport, base_url="http://tsunagi") as client:
            return await client.get("/healthz")

    return asyncio.run(call())


def test_healthz_reports_the_database_and_the_console_channel(tmp_path):
    runtime = build_runtime(Settings(database_url=f"sqlite:///{tmp_path / 't.db'}"))
    response = get_healthz(runtime)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["backend"] == "sqlite"
    assert body["channels"] == ["console"]


def test_healthz_lists_the_channels_that_are_configured(tmp_path):
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 't.db'}",
        line_channel_secret="secret",
        line_channel_access_token="token",
    )
    body = get_healthz(build_runtime(settings)).json()
    assert body["channels"] == ["console", "line"]


def test_healthz_answers_503_when_the_database_is_unreachable(tmp_path):
    runtime = build_runtime(Settings(database_url=f"sqlite:///{tmp_path / 't.db'}"))
    unreachable = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    broken = Runtime(
        settings=runtime.settings, engine=unreachable, clock=runtime.clock, bot=runtime.bot
    )
    response = get_healthz(broken)
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
    assert "nobody" not in response.text  # no connection details leak


def test_healthz_secrets_never_appear_in_the_status(tmp_path):
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 't.db'}",
        slack_signing_secret="sign-me",
        slack_bot_token="xoxb-very-secret",
    )
    response = get_healthz(build_runtime(settings))
    assert "xoxb" not in response.text and "sign-me" not in response.text


def test_healthz_shows_messages_stopped_by_the_monthly_limit(tmp_path, clock):
    from storage.db import session_scope
    from storage.outbox import QUOTA_EXHAUSTED, add_outbound, claim_due_outbound, mark_final

    runtime = build_runtime(Settings(database_url=f"sqlite:///{tmp_path / 't.db'}"))
    with session_scope(runtime.engine) as s:
        add_outbound(
            s, channel="line", idempotency_key="k1", recipient="U1", messages=[], now=clock.now()
        )
        add_outbound(
            s, channel="line", idempotency_key="k2", recipient="U1", messages=[], now=clock.now()
        )
        first = claim_due_outbound(s, channel="line", now=clock.now(), limit=1)[0]
        mark_final(
            s, first, state=QUOTA_EXHAUSTED, status=429, error="monthly limit", now=clock.now()
        )
    body = get_healthz(runtime).json()
    assert body["outbox"] == {"quota_exhausted": 1, "pending": 1}
    assert body["inbox"] == {}
