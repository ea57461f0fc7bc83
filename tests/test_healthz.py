"""GET /healthz: a small JSON status an operator or a load balancer can poll."""

from __future__ import annotations

from starlette.testclient import TestClient

from bot.app import Runtime, build_runtime, create_asgi_app
from bot.settings import Settings
from storage.db import make_engine


def _client(runtime: Runtime) -> TestClient:
    return TestClient(create_asgi_app(runtime))


def test_healthz_reports_the_database_and_the_console_channel(tmp_path):
    runtime = build_runtime(Settings(database_url=f"sqlite:///{tmp_path / 't.db'}"))
    response = _client(runtime).get("/healthz")
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
    body = _client(build_runtime(settings)).get("/healthz").json()
    assert body["channels"] == ["console", "line"]


def test_healthz_answers_503_when_the_database_is_unreachable(tmp_path):
    runtime = build_runtime(Settings(database_url=f"sqlite:///{tmp_path / 't.db'}"))
    unreachable = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    broken = Runtime(
        settings=runtime.settings, engine=unreachable, clock=runtime.clock, bot=runtime.bot
    )
    response = _client(broken).get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
    assert "nobody" not in response.text  # no connection details leak


def test_healthz_secrets_never_appear_in_the_status(tmp_path):
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 't.db'}",
        slack_signing_secret="sign-me",
        slack_bot_token="xoxb-very-secret",
    )
    response = _client(build_runtime(settings)).get("/healthz")
    assert "xoxb" not in response.text and "sign-me" not in response.text
