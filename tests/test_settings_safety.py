"""No setting turns off request verification: such variables stop `tsunagi serve`, and a missing or
empty secret turns its channel off instead of accepting unsigned requests.

tsunagi has no skip-verification switch, not even for tests (they sign their requests the way
LINE and Slack do), so there is nothing a variable could enable outside pytest.
"""

from __future__ import annotations

import ast
import asyncio
import os
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import httpx
import pytest
from sqlmodel import select

from bot.app import build_runtime, create_asgi_app
from bot.settings import Settings, SettingsError, _skips_verification, load_settings
from storage.db import session_scope
from storage.models import InboundEvent

ROOT = Path(__file__).resolve().parent.parent
LINE_EVENT = b'{"destination":"U0","events":[{"type":"message","webhookEventId":"01X","mode":"active",' \
    b'"timestamp":1,"source":{"type":"user","userId":"Uattacker"},' \
    b'"message":{"type":"text","id":"1","text":"\\u767b\\u9332 ZZZZ-ZZZZ"}}]}'
SLACK_EVENT = b'{"type":"event_callback","event_id":"Ev1","event":{"type":"message",' \
    b'"channel_type":"im","user":"U0","channel":"D0","text":"hi"}}'


def serve(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `tsunagi serve` in tmp_path with only the given tsunagi variables set."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TSUNAGI_", "LINE_", "SLACK_"))}
    clean.update(TSUNAGI_DATABASE_URL=f"sqlite:///{tmp_path / 't.db'}", PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "serve", "--port", "0"],
        cwd=tmp_path,
        env=clean | env,
        capture_output=True,
        encoding="utf-8",
        timeout=60,
    )


@pytest.mark.parametrize(
    "name", ["TSUNAGI_SKIP_SIGNATURE_VERIFICATION", "TSUNAGI_TEST_MODE", "LINE_SKIP_SIGNATURE_CHECK",
             "SLACK_VERIFICATION_DISABLED", "TSUNAGI_INSECURE", "tsunagi_no_verify"]
)  # fmt: skip
def test_settings_refuse_every_spelling_of_a_verification_switch(name):
    with pytest.raises(SettingsError, match=f"{name} is set, but tsunagi never turns off"):
        load_settings({name: "1"}, env_file=None)
    load_settings({name: ""}, env_file=None)  # an empty variable is as good as unset


@pytest.mark.parametrize("name", ["TSUNAGI_SKIP_SIGNATURE_VERIFICATION", "SLACK_VERIFICATION_DISABLED"])
def test_serve_refuses_to_start_with_a_variable_that_would_skip_verification(tmp_path, name):
    result = serve(tmp_path, **{name: "1"})
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"tsunagi: {name} is set, but tsunagi never turns off")
    assert f"Remove {name} to start" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "t.db").exists()  # refused before anything was opened


def test_serve_refuses_a_secret_of_only_spaces_since_anyone_could_sign_with_it(tmp_path):
    result = serve(tmp_path, LINE_CHANNEL_SECRET="   ", LINE_CHANNEL_ACCESS_TOKEN="token")
    assert result.returncode == 1
    assert "LINE_CHANNEL_SECRET is blank (only spaces)" in result.stderr


def test_a_secret_without_its_token_is_refused_rather_than_half_enabled(tmp_path):
    with pytest.raises(SettingsError, match="LINE needs both"):
        load_settings({"LINE_CHANNEL_SECRET": "", "LINE_CHANNEL_ACCESS_TOKEN": "t"}, env_file=None)
    with pytest.raises(SettingsError, match="Slack needs both"):
        load_settings({"SLACK_SIGNING_SECRET": "", "SLACK_BOT_TOKEN": "xoxb"}, env_file=None)


def post(settings: Settings, path: str, body: bytes, headers: dict[str, str]) -> int:
    """POST an unsigned body to the app built from `settings`; return the status and the inbox size."""
    runtime = build_runtime(settings)
    try:

        async def call() -> int:
            transport = httpx.ASGITransport(app=create_asgi_app(runtime, start_workers=False))
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                return (await client.post(path, content=body, headers=headers)).status_code

        status = asyncio.run(call())
        with session_scope(runtime.engine) as s:
            assert s.exec(select(InboundEvent)).all() == []  # nothing stored, whatever the status
        return status
    finally:
        runtime.engine.dispose()


@pytest.mark.parametrize("secret", [None, ""])
def test_a_missing_or_empty_secret_turns_the_channel_off_instead_of_accepting_unsigned_requests(
    tmp_path, secret
):
    environ = {"TSUNAGI_DATABASE_URL": f"sqlite:///{tmp_path / 't.db'}"}
    if secret is not None:
        environ |= {
            "LINE_CHANNEL_SECRET": secret,
            "LINE_CHANNEL_ACCESS_TOKEN": secret,
            "SLACK_SIGNING_SECRET": secret,
            "SLACK_BOT_TOKEN": secret,
        }
    settings = load_settings(environ, env_file=None)
    assert settings.enabled_channels() == ["console"]
    json = {"content-type": "application/json"}
    assert post(settings, "/line/webhook", LINE_EVENT, json) == 404
    assert post(settings, "/slack/events", SLACK_EVENT, json) == 404


def test_with_secrets_set_unsigned_requests_are_refused_and_nothing_is_stored(tmp_path):
    environ = {
        "TSUNAGI_DATABASE_URL": f"sqlite:///{tmp_path / 't.db'}",
        "LINE_CHANNEL_SECRET": "line-secret",
        "LINE_CHANNEL_ACCESS_TOKEN": "line-token",
        "SLACK_SIGNING_SECRET": "slack-secret",
        "SLACK_BOT_TOKEN": "xoxb-token",
        "SLACK_API_URL": "http://127.0.0.1:9/api/",
    }
    settings = load_settings(environ, env_file=None)
    json = {"content-type": "application/json"}
    assert post(settings, "/line/webhook", LINE_EVENT, json) == 400
    assert post(settings, "/line/webhook", LINE_EVENT, json | {"x-line-signature": ""}) == 400
    assert post(settings, "/slack/events", SLACK_EVENT, json) == 401


def test_no_setting_and_no_module_can_switch_verification_off():
    """Nothing to enable outside pytest: no such field, and no production code asks for pytest."""
    assert not [f.name for f in fields(Settings) if _skips_verification(f"TSUNAGI_{f.name}")]
    for package in ("bot", "handlers", "storage", "schedules"):
        for path in (ROOT / package).rglob("*.py"):
            if "fakes" in path.parts:
                continue  # the fake platforms are test tools; `tsunagi serve` never imports them
            tree = ast.parse(path.read_text(encoding="utf-8"))
            imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
            imported |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
            constants = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)}
            assert not {m for m in imported if m.split(".")[0] in {"pytest", "_pytest"}}, path
            assert "PYTEST_CURRENT_TEST" not in constants, path
