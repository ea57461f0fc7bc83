"""Logs an operator can ship: JSON lines (or text) that never hold what users wrote, nor secrets."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO
from typing import Any

import httpx
import pytest
from line_support import SATO, TOKEN, line_world

from bot.logs import configure_logging, make_handler
from bot.messages import Incoming, Reply
from bot.settings import Settings, SettingsError, load_settings

JAPANESE = "台所の電球が切れたまま、脚立に上るのはもう無理だわ"
ENGLISH = "the kitchen bulb has been out for weeks and the stepladder is too high"
JSON_SETTINGS = Settings(log_format="json", slack_bot_token="xoxb-123-456-abcdef")


@contextmanager
def captured(settings: Settings = JSON_SETTINGS) -> Iterator[StringIO]:
    """Capture everything logged (down to DEBUG) through tsunagi's handler."""
    stream, root = StringIO(), logging.getLogger()
    handler, level = make_handler(settings, stream), root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def lines(stream: StringIO) -> list[dict[str, Any]]:
    """Parse every captured line as one JSON object."""
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_murmurs_sent_over_line_never_reach_the_json_log(tmp_path, clock):
    with line_world(tmp_path, clock) as line, captured(JSON_SETTINGS) as stream:
        line.register(SATO, "佐藤 花子")
        line.say(SATO, f"つぶやき {JAPANESE}")
        assert line.tap(SATO, "save") == ["つぶやき #1 を記録しました。"]
        line.say(SATO, f"murmur {ENGLISH}")
        assert "#2" in line.tap(SATO, "save")[0]
        logging.getLogger("tsunagi.test").info("handled %s", Incoming("line", SATO, SATO, ENGLISH))
    records = lines(stream)
    assert records, "the conversation logged nothing at DEBUG: the test proves nothing"
    for record in records:
        assert {"time", "level", "logger", "message"} <= set(record)
    output = stream.getvalue()
    assert JAPANESE not in output and ENGLISH not in output
    assert "電球" not in output and "stepladder" not in output
    assert TOKEN not in output  # the channel access token sent to LINE on every call


def test_a_json_line_has_the_time_level_logger_and_message():
    with captured() as stream:
        logging.getLogger("tsunagi.test").warning("outbox message %s failed (status %s)", 7, 500)
    (record,) = lines(stream)
    assert record["level"] == "WARNING"
    assert record["logger"] == "tsunagi.test"
    assert record["message"] == "outbox message 7 failed (status 500)"
    assert str(record["time"]).endswith("Z") and "T" in str(record["time"])


def test_arguments_that_carry_what_users_wrote_are_withheld():
    log = logging.getLogger("tsunagi.test")
    with captured() as stream:
        log.info("incoming %s", Incoming("line", "C1", "U1", text=ENGLISH))
        log.info("reply %s", Reply(ENGLISH))
        log.info("payload %s", {"events": [{"message": {"text": ENGLISH}}]})
        log.info("text %s", JAPANESE)
        log.info(f"unhandled request ({ {'text': ENGLISH} })")  # noqa: G004 — as an SDK might
    messages = [record["message"] for record in lines(stream)]
    assert messages[:4] == ["incoming [Incoming]", "reply [Reply]", "payload [dict]", "text [text]"]
    assert ENGLISH not in stream.getvalue() and JAPANESE not in stream.getvalue()


def test_tokens_and_configured_secrets_are_masked():
    settings = Settings(
        log_format="json",
        line_channel_secret="line-channel-secret-1",
        line_channel_access_token=TOKEN,
        slack_signing_secret="slack-signing-secret-1",
        slack_bot_token="xoxb-999-888-zzzz",
    )
    log = logging.getLogger("tsunagi.test")
    with captured(settings) as stream:
        log.info("token %s and secret %s", TOKEN, "line-channel-secret-1")
        log.info("header Authorization: Bearer abc.def.ghi")
        log.info("posting to https://hooks.slack.com/actions/T1/22/secretpath")
        log.info("opened /forms/one-time-form-token?x=1")
        log.info("served /files/one-time-file-token")
        log.info("database postgresql+psycopg://tsunagi:pa55word@db/tsunagi")
        log.info("other workspace token xoxp-1-2-3")
        log.info("HTTP Request: POST %s", httpx.URL("https://api.example/x?access_token=abcdef"))
    output = stream.getvalue()
    for secret in (TOKEN, "line-channel-secret-1", "abc.def.ghi", "secretpath"):
        assert secret not in output
    for secret in ("one-time-form-token", "one-time-file-token", "pa55word", "xoxp-1-2-3", "abcdef"):
        assert secret not in output
    assert "/forms/***" in output and "Bearer ***" in output
    assert "POST https://api.example/x?access_token=***" in output


def test_an_exception_is_logged_by_type_and_place_never_its_message():
    log = logging.getLogger("tsunagi.test")
    with captured() as stream:
        try:
            raise ValueError(f"could not file {ENGLISH}")
        except ValueError:
            log.exception("event %s could not be processed", 12)
    (record,) = lines(stream)
    assert record["message"] == "event 12 could not be processed"
    assert record["exception"] == "ValueError"
    assert any("test_logs.py" in frame for frame in record["stack"])
    assert ENGLISH not in stream.getvalue()


def test_the_sdks_debug_records_are_dropped_but_their_warnings_kept():
    with captured() as stream:
        logging.getLogger("slack_sdk.web").debug("Sending a request - json_body: %s", ENGLISH)
        logging.getLogger("slack_bolt.App").warning("Unhandled request")
    assert [r["logger"] for r in lines(stream)] == ["slack_bolt.App"]


def test_text_format_is_one_readable_line(tmp_path):
    with captured(Settings()) as stream:
        logging.getLogger("tsunagi.test").error("inbox %s stuck", "line")
        try:
            {"present": 1}["missing"]
        except KeyError:
            logging.getLogger("tsunagi.test").exception("lookup failed")
    text = stream.getvalue()
    assert " ERROR tsunagi.test: inbox line stuck\n" in text
    assert "KeyError (message withheld)" in text and "'missing'" not in text


def test_configure_logging_replaces_its_own_handler_and_sets_the_level():
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    try:
        configure_logging(JSON_SETTINGS, level=logging.INFO, stream=StringIO())
        second = StringIO()
        configure_logging(JSON_SETTINGS, level=logging.WARNING, stream=second)
        ours = [h for h in root.handlers if h.get_name() == "tsunagi"]
        assert len(ours) == 1 and root.level == logging.WARNING
        logging.getLogger("tsunagi.test").warning("once")
        assert [r["message"] for r in lines(second)] == ["once"]
    finally:
        root.handlers[:] = before
        root.setLevel(level)


def test_the_log_format_is_read_from_the_environment():
    assert load_settings({"TSUNAGI_LOG_FORMAT": "json"}, env_file=None).log_format == "json"
    assert load_settings({}, env_file=None).log_format == "text"
    with pytest.raises(SettingsError, match="TSUNAGI_LOG_FORMAT"):
        load_settings({"TSUNAGI_LOG_FORMAT": "yaml"}, env_file=None)


def test_calendar_tokens_are_hidden_from_the_access_log():
    import logging

    from bot.form_pages import HideFormTokens

    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "GET %s HTTP/1.1" %d',
        ("127.0.0.1:5000", "/ical/SECRET123.ics", 200), None,
    )  # fmt: skip
    assert HideFormTokens().filter(record)
    assert "SECRET123" not in record.getMessage()


def test_file_tokens_are_hidden_from_the_access_log():
    import logging

    from bot.form_pages import HideFormTokens

    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "GET %s HTTP/1.1" %d',
        ("127.0.0.1:5000", "/files/FILETOKEN42", 200), None,
    )  # fmt: skip
    assert HideFormTokens().filter(record)
    assert "FILETOKEN42" not in record.getMessage()
