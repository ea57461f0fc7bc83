"""`tsunagi serve` as a child process, driven through the fake LINE platform by signed webhooks.

A `LineUser` talks like a phone would: `say` sends a text message, `tap` a quick-reply item and
`press` a Flex button of the last message the fake received for that user. Each webhook is built
with line-bot-sdk's own models and signed with the channel secret; every one sent is kept so a
test can replay them all.
"""

from __future__ import annotations

import itertools
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
from linebot.v3.webhooks import (
    CallbackRequest,
    DeliveryContext,
    Event,
    EventMode,
    MessageEvent,
    PostbackContent,
    PostbackEvent,
    TextMessageContent,
    UserSource,
)

from bot.fakes.line_platform import create_fake_line_app, serve_in_thread
from bot.fakes.line_state import Delivery, FakeLineState
from bot.fakes.line_webhooks import FAKE_BOT_USER_ID, sign

SECRET = "e2e-channel-secret"
DEADLINE = 15.0  # seconds to wait for any one thing the bot does asynchronously
POLL = 0.02
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_message_ids = itertools.count(700000000000001)

T = TypeVar("T")


def wait_until(check: Callable[[], T | None], what: str, *, explain: Callable[[], str]) -> T:
    """Poll `check` until it returns a value; fail with `explain()` after the deadline."""
    deadline = time.monotonic() + DEADLINE
    while True:
        value = check()
        if value is not None and value is not False:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}\n{explain()}")
        time.sleep(POLL)


def ulid() -> str:
    """Return a new ULID, the format of LINE's webhookEventId."""
    value = (time.time_ns() // 1_000_000) << 80 | secrets.randbits(80)
    return "".join(CROCKFORD[(value >> (5 * i)) & 31] for i in reversed(range(26)))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServedBot:
    """`python -m bot.cli serve` on a free port, started, killed and restarted on one store."""

    def __init__(self, tmp_path: Path, env: dict[str, str]) -> None:
        self.tmp_path = tmp_path
        self.env = env
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.runs = 0
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the server and wait until GET /healthz answers 200."""
        self.runs += 1
        with self._log(self.runs).open("wb") as log:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "bot.cli", "serve", "--port", str(self.port)],
                cwd=self.tmp_path,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_until(self._healthy, "GET /healthz to answer 200", explain=self.log_tail)

    def kill(self) -> None:
        """SIGKILL the server: no shutdown, no flush, like a power cut."""
        process = self._running()
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=DEADLINE)

    def stop(self) -> None:
        """Terminate the server, killing it if it does not exit in time."""
        if self._process is None or self._process.poll() is not None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(timeout=5)

    def output(self) -> str:
        """Return what every run of the server printed."""
        logs = (self._log(run) for run in range(1, self.runs + 1))
        return "\n".join(path.read_text("utf-8", "replace") for path in logs if path.exists())

    def log_tail(self, lines: int = 40) -> str:
        """Return the end of the current run's output (for failure messages)."""
        path = self._log(self.runs)
        text = path.read_text("utf-8", "replace") if path.exists() else ""
        return "server output:\n" + "\n".join(text.splitlines()[-lines:])

    def _healthy(self) -> bool:
        if self._running().poll() is not None:
            raise AssertionError(f"the server exited early\n{self.log_tail()}")
        try:
            return httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    def _running(self) -> subprocess.Popen[bytes]:
        assert self._process is not None, "the server was never started"
        return self._process

    def _log(self, run: int) -> Path:
        return self.tmp_path / f"serve-{run}.log"


def serve_env(database_url: str, fake_url: str, access_token: str) -> dict[str, str]:
    """Return the server's environment: ours without tsunagi/LINE/Slack settings, plus these."""
    prefixes = ("TSUNAGI_", "LINE_", "SLACK_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    return env | {
        "TSUNAGI_DATABASE_URL": database_url,
        "LINE_CHANNEL_SECRET": SECRET,
        "LINE_CHANNEL_ACCESS_TOKEN": access_token,
        "LINE_API_BASE_URL": fake_url,
        "LINE_DATA_API_BASE_URL": fake_url,
    }


@dataclass(frozen=True)
class UserEvent:
    """One thing a user did in the LINE app: a text message or a postback tap."""

    user_id: str
    event_id: str
    reply_token: str
    timestamp_ms: int
    text: str | None = None
    postback: str | None = None

    def model(self, *, redelivery: bool) -> Event:
        """Return the event as line-bot-sdk builds it."""
        common: dict[str, Any] = {
            "timestamp": self.timestamp_ms,
            "mode": EventMode.ACTIVE,
            "webhook_event_id": self.event_id,
            "delivery_context": DeliveryContext(is_redelivery=redelivery),
            "source": UserSource(user_id=self.user_id),
            "reply_token": self.reply_token,
        }
        if self.postback is not None:
            return PostbackEvent(postback=PostbackContent(data=self.postback), **common)
        message_id = str(next(_message_ids))
        content = TextMessageContent(id=message_id, text=self.text, quote_token=f"q{message_id}")
        return MessageEvent(message=content, **common)

    def body(self, *, redelivery: bool = False) -> bytes:
        """Return the webhook body LINE posts for this event."""
        request = CallbackRequest(
            destination=FAKE_BOT_USER_ID, events=[self.model(redelivery=redelivery)]
        )
        return request.to_json().encode("utf-8")


class LineHarness:
    """The fake LINE platform, the served bot, and every webhook event sent to it."""

    def __init__(self, state: FakeLineState, server: ServedBot) -> None:
        self.state = state
        self.server = server
        self.events: list[UserEvent] = []
        self.http = httpx.Client(timeout=10)

    def post(self, body: bytes) -> int:
        """POST a signed webhook body to the bot; return the status."""
        headers = {"content-type": "application/json", "x-line-signature": sign(body, SECRET)}
        return self.http.post(
            f"{self.server.url}/line/webhook", content=body, headers=headers
        ).status_code

    def deliveries_to(self, user_id: str) -> list[Delivery]:
        with self.state.lock:
            return [d for d in self.state.deliveries if d.to == user_id]


class LineUser:
    """One LINE user in a 1:1 chat with the served bot."""

    def __init__(self, line: LineHarness, user_id: str) -> None:
        self.line = line
        self.user_id = user_id

    def event(self, *, text: str | None = None, postback: str | None = None) -> UserEvent:
        """Return (and log) a new event from this user, with a reply token the fake issued."""
        event = UserEvent(
            self.user_id,
            ulid(),
            self.line.state.issue_reply_token(self.user_id),
            time.time_ns() // 1_000_000,
            text=text,
            postback=postback,
        )
        self.line.events.append(event)
        return event

    def say(self, text: str) -> str:
        """Send a text message and return the bot's answer."""
        return self.deliver(self.event(text=text))

    def tap(self, label: str) -> str:
        """Tap a quick-reply item of the last message and return the bot's answer."""
        return self.deliver(self.event(postback=self.quick_reply_data(label)))

    def press(self, label: str) -> str:
        """Press a button of the last Flex bubble and return the bot's answer."""
        return self.deliver(self.event(postback=self.button_data(label)))

    def deliver(self, event: UserEvent, *, redelivery: bool = False) -> str:
        """Post one event and wait for the one answer it must get; return its texts."""
        before = len(self.answers)
        status = self.line.post(event.body(redelivery=redelivery))
        assert status == 200, f"webhook answered {status}\n{self.line.server.log_tail()}"
        answers = wait_until(
            lambda: self.answers if len(self.answers) > before else None,
            f"the answer to {event.text or event.postback!r}",
            explain=self.line.server.log_tail,
        )
        return "\n".join(answers[before].texts())

    @property
    def answers(self) -> list[Delivery]:
        """Return every reply or push the fake accepted for this user, in order."""
        return self.line.deliveries_to(self.user_id)

    def last_message(self) -> dict[str, Any]:
        assert self.answers, "the bot has not answered yet"
        return self.answers[-1].messages[-1]

    def quick_reply_labels(self) -> list[str]:
        items = self.last_message().get("quickReply", {}).get("items", [])
        return [item["action"]["label"] for item in items]

    def quick_reply_data(self, label: str) -> str:
        """Return the postback data of the last message's quick-reply item with this label."""
        for item in self.last_message().get("quickReply", {}).get("items", []):
            if item["action"]["label"] == label:
                return str(item["action"]["data"])
        raise AssertionError(f"no quick reply {label!r} in {self.quick_reply_labels()}")

    def button_data(self, label: str) -> str:
        """Return the postback data of the last Flex bubble's button with this label."""
        message = self.last_message()
        assert message["type"] == "flex", f"the last message is {message['type']}, not Flex"
        for button in message["contents"].get("footer", {}).get("contents", []):
            if button["action"]["label"] == label:
                return str(button["action"]["data"])
        raise AssertionError(f"no button {label!r} in the Flex bubble")


@contextmanager
def served_line(
    tmp_path: Path,
    database_url: str,
    *,
    state: FakeLineState | None = None,
    env: dict[str, str] | None = None,
) -> Iterator[LineHarness]:
    """The fake LINE platform in this process and `tsunagi serve` pointed at it (with `env` added
    to its environment), started; everything stopped on exit."""
    state = state or FakeLineState()  # real time: the server process runs on the system clock
    fake_url, stop_fake = serve_in_thread(create_fake_line_app(state))
    server_env = serve_env(database_url, fake_url, state.access_token) | (env or {})
    harness = LineHarness(state, ServedBot(tmp_path, server_env))
    try:
        harness.server.start()
        yield harness
    finally:
        harness.server.stop()
        harness.http.close()
        stop_fake()

