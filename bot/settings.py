"""One typed settings object, read from the environment (and `.env`) at start-up only."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values

from bot.crypto import Keyring, KeyringError

LOG_FORMATS = ("text", "json")


class SettingsError(ValueError):
    """A configuration problem the operator must fix before the bot can start."""


@dataclass(frozen=True)
class Settings:
    database_url: str = "sqlite:///tsunagi.db"
    timezone: str = "Asia/Tokyo"
    public_url: str | None = None
    # TSUNAGI_DATA_KEY: `id1:key1,id2:key2` (bot/crypto.py); kept out of repr() and so of logs.
    data_key: str | None = field(default=None, repr=False)
    line_channel_secret: str | None = None
    line_channel_access_token: str | None = None
    line_api_base_url: str = "https://api.line.me"
    line_data_api_base_url: str = "https://api-data.line.me"
    slack_signing_secret: str | None = None
    slack_bot_token: str | None = None
    slack_api_url: str = "https://slack.com/api/"
    slack_app_token: str | None = None
    log_format: str = "text"  # TSUNAGI_LOG_FORMAT: text, or json (one JSON object a line)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def line_enabled(self) -> bool:
        return bool(self.line_channel_secret and self.line_channel_access_token)

    @property
    def forms_enabled(self) -> bool:
        """Whether the sensitive-input form is served (it needs a public URL and a data key)."""
        return bool(self.public_url and self.data_key)

    @property
    def slack_enabled(self) -> bool:
        return bool(self.slack_signing_secret and self.slack_bot_token)

    def enabled_channels(self) -> list[str]:
        """Return the names of the channels this configuration turns on."""
        channels = ["console"]
        if self.line_enabled:
            channels.append("line")
        if self.slack_enabled:
            channels.append("slack")
        return channels


_VARIABLES = {
    "TSUNAGI_DATABASE_URL": "database_url",
    "TSUNAGI_TIMEZONE": "timezone",
    "TSUNAGI_PUBLIC_URL": "public_url",
    "TSUNAGI_DATA_KEY": "data_key",
    "TSUNAGI_LOG_FORMAT": "log_format",
    "LINE_CHANNEL_SECRET": "line_channel_secret",
    "LINE_CHANNEL_ACCESS_TOKEN": "line_channel_access_token",
    "LINE_API_BASE_URL": "line_api_base_url",
    "LINE_DATA_API_BASE_URL": "line_data_api_base_url",
    "SLACK_SIGNING_SECRET": "slack_signing_secret",
    "SLACK_BOT_TOKEN": "slack_bot_token",
    "SLACK_API_URL": "slack_api_url",
    "SLACK_APP_TOKEN": "slack_app_token",
}


def load_settings(
    environ: Mapping[str, str] | None = None, env_file: Path | None = Path(".env")
) -> Settings:
    """Build and validate settings from `.env` (if present) overlaid by the environment."""
    values: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    values.update(os.environ if environ is None else environ)
    fields = {attr: values[var] for var, attr in _VARIABLES.items() if values.get(var)}
    settings = Settings(**fields)
    _validate(settings)
    return settings


def _validate(settings: Settings) -> None:
    try:
        ZoneInfo(settings.timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise SettingsError(f"TSUNAGI_TIMEZONE: unknown time zone {settings.timezone!r}") from exc
    if settings.log_format not in LOG_FORMATS:
        raise SettingsError(f"TSUNAGI_LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}")
    if not settings.database_url.startswith(("sqlite:", "postgresql")):
        raise SettingsError("TSUNAGI_DATABASE_URL must be sqlite:///… or postgresql+psycopg://…")
    if settings.data_key:
        try:
            Keyring.parse(settings.data_key)
        except KeyringError as exc:
            raise SettingsError(str(exc)) from None
    if bool(settings.line_channel_secret) != bool(settings.line_channel_access_token):
        raise SettingsError(
            "LINE needs both LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN (one is missing)"
        )
    if bool(settings.slack_signing_secret) != bool(settings.slack_bot_token):
        raise SettingsError(
            "Slack needs both SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN (one is missing)"
        )
