"""Operational settings: leases and the access log take only sensible values, and do what they say."""

from __future__ import annotations

import pytest
from e2e_support import ServedBot, serve_env

from bot.settings import SettingsError, load_settings


@pytest.mark.parametrize(
    "name", ["TSUNAGI_INBOX_LEASE_SECONDS", "TSUNAGI_OUTBOX_LEASE_SECONDS", "TSUNAGI_ACCESS_LOG"]
)
@pytest.mark.parametrize("value", ["0", "-5", "soon", "yes please"])
def test_a_bad_value_stops_start_up_with_the_variables_name(name, value):
    with pytest.raises(SettingsError, match=name):
        load_settings({name: value}, env_file=None)


def test_defaults_and_good_values():
    settings = load_settings({}, env_file=None)
    assert (settings.inbox_lease_seconds, settings.outbox_lease_seconds) == (60, 60)
    assert settings.access_log == "off"
    settings = load_settings(
        {"TSUNAGI_OUTBOX_LEASE_SECONDS": "5", "TSUNAGI_ACCESS_LOG": "on"}, env_file=None
    )
    assert (settings.outbox_lease_seconds, settings.access_log) == (5, "on")


@pytest.mark.parametrize("access_log", ["on", "off"])
def test_the_access_log_is_written_only_when_asked_for(tmp_path, access_log):
    env = serve_env(f"sqlite:///{tmp_path / 't.db'}", "http://127.0.0.1:9", "token")
    server = ServedBot(tmp_path, env | {"TSUNAGI_ACCESS_LOG": access_log})
    server.start()  # polls GET /healthz until it answers 200
    server.stop()
    logged = '"GET /healthz HTTP/1.1" 200' in server.output()
    assert logged is (access_log == "on")
    assert "Application startup complete" in server.output()  # the rest of the log stays
