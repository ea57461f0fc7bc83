"""`tsunagi demo --fake-line`: watch the LINE side of tsunagi work in the terminal, no account needed.

    you type ─ signed webhook ─▶ tsunagi (ASGI app, inbox and outbox workers) ─ reply/push ─▶ fake LINE
        ▲                                                                                      │
        └─────────────── the demo polls the fake's deliveries and prints them ◀────────────────┘

Both servers run in this process on loopback; the records go to the usual database. A button's
number taps it (a postback, as on a phone); any other line is sent as a text message.
"""

from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass, field, replace
from typing import Any, Protocol, TextIO

import httpx

from bot.app import Runtime, build_runtime, create_asgi_app
from bot.demo import load_demo
from bot.fakes.line_platform import create_fake_line_app, serve_in_thread
from bot.fakes.line_state import Delivery, FakeLineState
from bot.fakes.line_webhooks import follow_event, postback_event, sign, text_event, webhook_body

ANSWER_WAIT = 10.0  # seconds to wait for the bot's answer to one event
POLL = 0.05
DISPLAY_NAME = "佐藤 花子"  # the LINE profile name the demo user registers under
PROMPT = "あなた> "
HOW_TO = (
    "1行ずつ送信。[番号] はボタンをタップ、'3 は文字の「3」を送信、Ctrl-D で終了。\n"
    "Each line is a message; a [number] taps that button, '3 sends the text 3; Ctrl-D ends."
)


@dataclass
class Phone:
    """One LINE user in a 1:1 chat with tsunagi, shown as their phone would show it."""

    fake: FakeLineState
    webhook_url: str
    secret: str
    out: TextIO
    user_id: str = field(default_factory=lambda: "U" + secrets.token_hex(16))
    buttons: list[tuple[str, str]] = field(default_factory=list)  # (label, postback data)

    def follow(self) -> None:
        """Add the bot as a friend (tsunagi answers with its welcome)."""
        self._send(follow_event(self.user_id, **self._envelope()))

    def enter(self, line: str) -> None:
        """Send what the user typed: a button's number taps it, anything else is a text."""
        if line.isdecimal() and 1 <= int(line) <= len(self.buttons):
            label, data = self.buttons[int(line) - 1]
            self._print(f"（タップ / tap: {label}）")
            self._send(postback_event(self.user_id, data, **self._envelope()))
        else:
            text = line.removeprefix("'")  # 'N sends the digits N as text
            self._send(text_event(self.user_id, text, **self._envelope()))

    def _envelope(self) -> dict[str, Any]:
        return {
            "webhook_event_id": secrets.token_hex(13).upper(),
            "reply_token": self.fake.issue_reply_token(self.user_id),
            "timestamp_ms": int(time.time() * 1000),
        }

    def _send(self, event: dict[str, Any]) -> None:
        seen = len(self._deliveries())
        body = webhook_body(event)
        headers = {"content-type": "application/json", "x-line-signature": sign(body, self.secret)}
        response = httpx.post(self.webhook_url, content=body, headers=headers, timeout=ANSWER_WAIT)
        if response.status_code != 200:
            self._print(f"（webhook refused: {response.status_code} {response.text}）")
            return
        deadline = time.monotonic() + ANSWER_WAIT
        while len(self._deliveries()) == seen and time.monotonic() < deadline:
            time.sleep(POLL)
        answers = self._deliveries()[seen:]
        if not answers:
            self._print("（返信なし / no answer）\n")
        for delivery in answers:
            self._show(delivery)

    def _deliveries(self) -> list[Delivery]:
        with self.fake.lock:
            return [d for d in self.fake.deliveries if d.to == self.user_id]

    def _show(self, delivery: Delivery) -> None:
        """Print one delivery: its messages, then its buttons numbered for tapping."""
        self._print(
            f"── つなぎ（{delivery.kind} で届きました: POST /v2/bot/message/{delivery.kind}）"
        )
        for message in delivery.messages:
            self._print("\n".join(f"  {line}" for line in message_lines(message)))
        self.buttons = buttons_of(delivery.messages)
        if self.buttons:
            self._print("  " + "  ".join(f"[{i}] {b[0]}" for i, b in enumerate(self.buttons, 1)))
        self._print("")

    def _print(self, text: str) -> None:
        print(text, file=self.out, flush=True)


def message_lines(message: dict[str, Any]) -> list[str]:
    """Return a LINE message as the lines a phone would show."""
    if message.get("type") == "text":
        return str(message.get("text", "")).splitlines()
    if message.get("type") == "flex":
        bubble = message.get("contents", {})
        header = [_flex_text(item) for item in bubble.get("header", {}).get("contents", [])]
        body = [_flex_text(item) for item in bubble.get("body", {}).get("contents", [])]
        return [f"[Flex] 【{' '.join(header)}】", *(f"│ {line}" for line in body)]
    return [f"[{message.get('type')}] {message.get('altText', '')}".rstrip()]


def buttons_of(messages: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Return (label, data) of the Flex buttons and of the last message's quick-reply items."""
    footers = [m.get("contents", {}).get("footer", {}) for m in messages if m["type"] == "flex"]
    items = [item for footer in footers for item in footer.get("contents", [])]
    items += messages[-1].get("quickReply", {}).get("items", [])
    actions = [item["action"] for item in items if item["action"].get("type") == "postback"]
    return list(dict.fromkeys((str(a["label"]), str(a["data"])) for a in actions))


def _flex_text(item: dict[str, Any]) -> str:
    if item.get("type") == "box":
        return ": ".join(_flex_text(child) for child in item.get("contents", []))
    return str(item.get("text", ""))


def run_fake_line_demo(runtime: Runtime, lines: TextIO, out: TextIO, *, interactive: bool) -> int:
    """Load the demo data, serve tsunagi and a fake LINE on loopback and chat as a LINE user."""
    report = load_demo(runtime)
    found = re.search(r"> 登録 (\S+)", report)
    print(report.partition("\n\n試してみる")[0], file=out, flush=True)
    secret, token = secrets.token_hex(16), secrets.token_urlsafe(32)
    fake = FakeLineState(clock=runtime.clock, access_token=token)
    fake_url, stop_fake = serve_in_thread(create_fake_line_app(fake))
    try:
        settings = replace(
            runtime.settings,
            line_channel_secret=secret,
            line_channel_access_token=token,
            line_api_base_url=fake_url,
            line_data_api_base_url=fake_url,
        )
        line_runtime = build_runtime(settings, clock=runtime.clock, engine=runtime.engine)
        bot_url, stop_bot = serve_in_thread(create_asgi_app(line_runtime), lifespan=True)
        try:
            print(f"\nfake LINE: {fake_url}　tsunagi: {bot_url}/line/webhook\n", file=out)
            phone = Phone(fake, f"{bot_url}/line/webhook", secret, out)
            fake.add_profile(phone.user_id, DISPLAY_NAME)
            phone.follow()
            code = found.group(1) if found else "CODE"
            print(f"招待コード / invite code: {code}　→ 送ってみる / try: 登録 {code}", file=out)
            print(HOW_TO + "\n", file=out, flush=True)
            chat_loop(phone, lines, out, interactive=interactive)
        finally:
            stop_bot()
    finally:
        stop_fake()
    return 0


class Device(Protocol):
    """A simulated phone or Slack client: something a typed line can be entered into."""

    def enter(self, line: str) -> None: ...


def chat_loop(phone: Device, lines: TextIO, out: TextIO, *, interactive: bool) -> None:
    """Send each line typed (or piped) until end of input or Ctrl-C."""
    try:
        while True:
            if interactive:
                print(PROMPT, end="", file=out, flush=True)
            line = lines.readline()
            if not line:
                break
            line = line.strip()
            if not line:
                continue
            if not interactive:
                print(f"{PROMPT}{line}", file=out, flush=True)
            phone.enter(line)
    except KeyboardInterrupt:
        pass
    print("\nデモを終了します / demo stopped.", file=out, flush=True)
