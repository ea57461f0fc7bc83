"""Log records as readable text or JSON lines, never with message text, tokens or secrets.

    configure_logging(settings, level) ─ one handler on the root logger, TSUNAGI_LOG_FORMAT=text|json
        QuietLibraries (filter): the SDKs' and HTTP clients' debug records (request bodies) dropped
        TextFormatter | JsonFormatter: the message rebuilt by `Redactor.message`:
            arguments that are not plain values (payloads, Incoming, Reply, exceptions) → [TypeName]
            arguments holding Japanese (what users write, names) → [text]
            Japanese left in the message → [text]; dict dumps → {...}
            tokens, form links, Slack response URLs, passwords and the configured secrets → ***
        exceptions: their type and where they were raised, never their message
            (SQLAlchemy errors carry a statement's parameters, i.e. what a user typed)

The record itself is not changed, so other handlers (pytest's caplog) see it as it was logged.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import traceback
import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from types import TracebackType
from typing import Any, TextIO

from bot.settings import Settings

MASK = "***"
TEXT = "[text]"
PLAIN = (int, float, bool, type(None), datetime, date, timedelta, uuid.UUID)
LIBRARIES = ("slack_sdk", "slack_bolt", "linebot", "httpx", "httpcore", "urllib3", "hpack")
NOT_ASCII = re.compile(r"[^\x00-\x7f]+")
DICT_DUMP = re.compile(r"\{\s*['\"].*\}", re.DOTALL)
TOKENS = [
    (re.compile(r"\b(?:xox[a-z]|xapp)-[\w-]+"), MASK),
    (re.compile(r"(?i)\b(bearer\s+)[^\s'\",]+"), r"\1" + MASK),
    (re.compile(r"(https://hooks\.slack\.com/)[^\s'\"]+"), r"\1" + MASK),
    (re.compile(r"(/forms/|/ical/|/files/)[^/?#\s'\"]+"), r"\1" + MASK),
    (re.compile(r"(://[^:/@\s]+:)[^@\s]+@"), r"\1" + MASK + "@"),
    (
        re.compile(
            r"(?i)\b([\w-]*(?:token|secret|signature|password|key)['\"]?\s*[:=]\s*['\"]?)"
            r"[^\s'\",&}]+"
        ),
        r"\1" + MASK,
    ),
]

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


class Redactor:
    """Rebuild a record's message without user text, tokens or the configured secrets."""

    def __init__(self, secrets: list[str]) -> None:
        self.secrets = sorted({s for s in secrets if len(s) >= 6}, key=len, reverse=True)

    @classmethod
    def of(cls, settings: Settings) -> Redactor:
        """Return a redactor that knows the settings' secrets and tokens."""
        values = [
            settings.data_key,
            settings.line_channel_secret,
            settings.line_channel_access_token,
            settings.slack_signing_secret,
            settings.slack_bot_token,
            settings.slack_app_token,
        ]
        keys = [part.partition(":")[2] for part in (settings.data_key or "").split(",")]
        return cls([v for v in [*values, *keys] if v])

    def message(self, record: logging.LogRecord) -> str:
        """Return the record's message with unsafe arguments withheld and secrets masked."""
        if not isinstance(record.msg, str):
            return f"[{type(record.msg).__name__}]"
        text = record.msg
        if record.args:
            try:
                text = text % _safe_args(text, record.args)
            except (TypeError, ValueError, KeyError):
                text += " [arguments withheld]"
        return self.redact(text)

    def redact(self, text: str) -> str:
        """Mask secrets, tokens, dict dumps and Japanese text in a piece of log text."""
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        for pattern, replacement in TOKENS:
            text = pattern.sub(replacement, text)
        return DICT_DUMP.sub("{...}", NOT_ASCII.sub(TEXT, text))


class QuietLibraries(logging.Filter):
    """Drop the platform SDKs' and HTTP clients' debug records (they dump request bodies)."""

    def filter(self, record: logging.LogRecord) -> bool:
        library = record.name.partition(".")[0]
        return record.levelno >= logging.INFO or library not in LIBRARIES


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message (and exception, stack)."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self.redactor = redactor

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": _iso_time(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": self.redactor.message(record),
        }
        if record.exc_info and record.exc_info[0] is not None:
            line["exception"] = _exception_names(record.exc_info[1])
            line["stack"] = _frames(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """`time LEVEL logger: message`, an exception shown by its type and frames."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self.redactor = redactor

    def format(self, record: logging.LogRecord) -> str:
        moment = datetime.fromtimestamp(record.created).astimezone().isoformat(timespec="seconds")
        text = f"{moment} {record.levelname} {record.name}: {self.redactor.message(record)}"
        if record.exc_info and record.exc_info[0] is not None:
            frames = "\n".join(f"  {frame}" for frame in _frames(record.exc_info))
            text += f"\nTraceback (most recent call last):\n{frames}\n"
            text += f"{_exception_names(record.exc_info[1])} (message withheld)"
        return text


def make_handler(settings: Settings, stream: TextIO | None = None) -> logging.Handler:
    """Return a stream handler writing redacted records in the settings' log format."""
    handler = logging.StreamHandler(stream or sys.stderr)
    redactor = Redactor.of(settings)
    json_lines = settings.log_format == "json"
    handler.setFormatter(JsonFormatter(redactor) if json_lines else TextFormatter(redactor))
    handler.addFilter(QuietLibraries())
    handler.set_name("tsunagi")
    return handler


def configure_logging(
    settings: Settings, *, level: int, stream: TextIO | None = None
) -> logging.Handler:
    """Send every log record through one redacting handler (replacing an earlier one of ours)."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == "tsunagi"]:
        root.removeHandler(old)
    handler = make_handler(settings, stream)
    root.addHandler(handler)
    root.setLevel(level)
    return handler


def _safe_args(
    text: str, args: tuple[Any, ...] | Mapping[str, Any]
) -> tuple[Any, ...] | dict[str, Any]:
    """Return the arguments made safe (a lone dict is one argument unless `%(name)s` is used)."""
    if isinstance(args, Mapping):
        if "%(" in text:
            return {key: _safe(value) for key, value in args.items()}
        return (_safe(args),)
    return tuple(_safe(value) for value in args)


def _safe(value: Any) -> Any:
    """Keep plain values; withhold payloads, messages, exceptions and text in Japanese."""
    if isinstance(value, str):
        return TEXT if NOT_ASCII.search(value) else value
    if isinstance(value, PLAIN):
        return value
    if type(value).__name__ == "URL":  # httpx's request log: masked like the rest of the line
        return _safe(str(value))
    return f"[{type(value).__name__}]"


def _iso_time(created: float) -> str:
    moment = datetime.fromtimestamp(created, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _exception_names(error: BaseException | None) -> str:
    """Return the exception's type, and the types of what caused it (never a message)."""
    names: list[str] = []
    while error is not None and len(names) < 5:
        kind = type(error)
        module = "" if kind.__module__ == "builtins" else f"{kind.__module__}."
        names.append(f"{module}{kind.__qualname__}")
        error = error.__cause__ or error.__context__
    return " <- ".join(names)


def _frames(exc_info: ExcInfo | tuple[None, None, None]) -> list[str]:
    """Return where the exception passed: `file:line in function`, innermost last."""
    return [
        f"{frame.filename}:{frame.lineno} in {frame.name}"
        for frame in traceback.extract_tb(exc_info[2])
    ]
