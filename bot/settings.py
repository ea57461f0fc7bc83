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
    # TSUNAGI_ACCESS_LOG: on writes a line per HTTP request (uvicorn's access log); off by default:
    # at webhook rates it costs a tenth of the CPU (docs/performance.md, fix 10) and the reverse
    # proxy keeps one anyway. Refusals and errors are logged either way.
    access_log: str = "off"
    # TSUNAGI_WORKER_PROCESS: on runs the inbox/outbox workers and the scheduler of `serve` in a
    # child process beside the one answering HTTP, so processing cannot delay acknowledgements
    # (bot/processing.py); off keeps them in threads of one process.
    worker_process: str = "on"
    # Replicas and the scheduler (docs/operations.md): how long an inbox event stays leased to
    # the process handling it, and how often the scheduler looks for work and for leadership.
    inbox_lease_seconds: int = 60
    outbox_lease_seconds: int = 60  # how long a message being sent stays with one sender
    scheduler_interval_seconds: int = 30
    # Retention in days per record type (0 = keep); the daily job in schedules/retention.py.
    retention_sensitive_days: int = 1826  # 相談記録 (要配慮個人情報): 5 years
    retention_media_days: int = 1096  # photos: 3 years
    retention_queue_days: int = 30  # processed inbox/outbox payloads, used form links
    retention_audit_days: int = 1826  # the audit log: 5 years
    retention_anonymise_days: int = 0  # visits/activities and restricted murmurs: never

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
    "TSUNAGI_ACCESS_LOG": "access_log",
    "TSUNAGI_WORKER_PROCESS": "worker_process",
    "LINE_CHANNEL_SECRET": "line_channel_secret",
    "LINE_CHANNEL_ACCESS_TOKEN": "line_channel_access_token",
    "LINE_API_BASE_URL": "line_api_base_url",
    "LINE_DATA_API_BASE_URL": "line_data_api_base_url",
    "SLACK_SIGNING_SECRET": "slack_signing_secret",
    "SLACK_BOT_TOKEN": "slack_bot_token",
    "SLACK_API_URL": "slack_api_url",
    "SLACK_APP_TOKEN": "slack_app_token",
    "TSUNAGI_INBOX_LEASE_SECONDS": "inbox_lease_seconds",
    "TSUNAGI_OUTBOX_LEASE_SECONDS": "outbox_lease_seconds",
    "TSUNAGI_SCHEDULER_INTERVAL_SECONDS": "scheduler_interval_seconds",
    "TSUNAGI_RETENTION_SENSITIVE_DAYS": "retention_sensitive_days",
    "TSUNAGI_RETENTION_MEDIA_DAYS": "retention_media_days",
    "TSUNAGI_RETENTION_QUEUE_DAYS": "retention_queue_days",
    "TSUNAGI_RETENTION_AUDIT_DAYS": "retention_audit_days",
    "TSUNAGI_RETENTION_ANONYMISE_DAYS": "retention_anonymise_days",
}


def load_settings(
    environ: Mapping[str, str] | None = None, env_file: Path | None = Path(".env")
) -> Settings:
    """Build and validate settings from `.env` (if present) overlaid by the environment."""
    values: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    values.update(os.environ if environ is None else environ)
    _refuse_unsafe(values)
    fields: dict[str, object] = {
        attr: _typed(var, attr, values[var]) for var, attr in _VARIABLES.items() if values.get(var)
    }
    settings = Settings(**fields)  # type: ignore[arg-type]
    _validate(settings)
    return settings


def _typed(variable: str, attr: str, value: str) -> object:
    """Return a variable's value as its field's type (whole numbers ≥ 0 for the int ones)."""
    if Settings.__dataclass_fields__[attr].type != "int":
        return value
    if not value.strip().isdecimal():
        raise SettingsError(f"{variable} must be a whole number ≥ 0, e.g. {variable}=30")
    return int(value)


# Words of a variable that reads like a switch to skip request verification. tsunagi has no such
# switch (tests sign their requests like LINE and Slack do): refuse it rather than start believing it.
_SKIP_WORDS = {"SKIP", "BYPASS", "DISABLE", "DISABLED", "IGNORE", "NO", "OFF", "UNSIGNED"}
_CHECK_WORDS = ("SIGN", "VERIF", "AUTH", "SECUR", "CHECK")
_ALONE_WORDS = {"INSECURE", "UNSAFE", "TESTMODE"}
_SECRETS = ("LINE_CHANNEL_SECRET", "SLACK_SIGNING_SECRET", "TSUNAGI_DATA_KEY")


def _refuse_unsafe(values: Mapping[str, str]) -> None:
    """Refuse to start with a verification-skipping variable or a secret of only spaces."""
    for name, value in values.items():
        if value and _skips_verification(name):
            raise SettingsError(
                f"{name} is set, but tsunagi never turns off signature checks: LINE and Slack "
                f"requests are always verified (tests sign theirs). Remove {name} to start."
            )
    for name in _SECRETS:
        secret = values.get(name)
        if secret and not secret.strip():
            raise SettingsError(
                f"{name} is blank (only spaces): anyone could sign with it. "
                f"Set the real secret, or leave {name} unset to turn the channel off."
            )


def _skips_verification(name: str) -> bool:
    """Return whether a TSUNAGI_/LINE_/SLACK_ variable's name asks to skip a check."""
    words = name.upper().replace("TEST_MODE", "TESTMODE").split("_")
    if words[0] not in {"TSUNAGI", "LINE", "SLACK"}:
        return False
    checks = any(w.startswith(_CHECK_WORDS) for w in words)
    return bool(_ALONE_WORDS & set(words)) or (checks and bool(_SKIP_WORDS & set(words)))


def _validate(settings: Settings) -> None:
    try:
        ZoneInfo(settings.timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise SettingsError(f"TSUNAGI_TIMEZONE: unknown time zone {settings.timezone!r}") from exc
    if settings.inbox_lease_seconds < 1 or settings.scheduler_interval_seconds < 1:
        raise SettingsError(
            "TSUNAGI_INBOX_LEASE_SECONDS and TSUNAGI_SCHEDULER_INTERVAL_SECONDS must be ≥ 1"
        )
    if settings.outbox_lease_seconds < 1:
        raise SettingsError("TSUNAGI_OUTBOX_LEASE_SECONDS must be ≥ 1 (e.g. 60)")
    if settings.access_log not in ("on", "off"):
        raise SettingsError("TSUNAGI_ACCESS_LOG must be on or off")
    if settings.worker_process not in ("on", "off"):
        raise SettingsError("TSUNAGI_WORKER_PROCESS must be on or off")
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
