"""`tsunagi demo --fake-slack`: watch the Slack side of tsunagi work in the terminal, no workspace needed.

    you type ─ signed event / command / click ─▶ tsunagi (ASGI app, inbox and outbox workers)
        ▲                                                   │ chat.postMessage, response_url …
        └──── the demo reads the fake's messages and prints them ◀── fake Slack Web API ◀──┘

Both servers run in this process on loopback; the records go to the usual database. You are a
Slack user in a DM with the bot: a line is a message (`/tsunagi …` a slash command), a button's
number clicks it.
"""

from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass, field, replace
from typing import Any, TextIO

import httpx

from bot.app import Runtime, build_runtime, create_asgi_app
from bot.demo import load_demo
from bot.demo_line import chat_loop
from bot.fakes.line_platform import serve_in_thread
from bot.fakes.slack_api import serve_fake_slack
from bot.fakes.slack_requests import (
    block_action_payload,
    event_envelope,
    message_event,
    signed_headers,
    slash_command_form,
)
from bot.fakes.slack_state import FakeSlackState, Message

ANSWER_WAIT = 10.0  # seconds to wait for the bot's answer to one request
POLL = 0.05
USER_NAME, REAL_NAME = "hanako", "佐藤 花子"  # the Slack profile the demo user registers under
COMMAND = "/tsunagi "
HOW_TO = (
    "1行ずつ DM で送信。/tsunagi … はスラッシュコマンド、[番号] はボタンをクリック、"
    "'3 は文字の「3」を送信、Ctrl-D で終了。\n"
    "Each line is a DM; /tsunagi … runs the slash command, a [number] clicks that button, "
    "'3 sends the text 3; Ctrl-D ends."
)


@dataclass
class SlackUser:
    """One Slack user in a DM with tsunagi, shown as their Slack client would show it."""

    fake: FakeSlackState
    events_url: str
    secret: str
    out: TextIO
    user_id: str = field(default_factory=lambda: "U" + secrets.token_hex(5).upper())
    buttons: list[tuple[str, str, str]] = field(default_factory=list)  # (label, action_id, value)
    last_ts: str = ""

    @property
    def dm(self) -> str:
        return "D" + self.user_id[1:]

    def enter(self, line: str) -> None:
        """Send what the user typed: a button's number, a slash command or a message."""
        if line.isdecimal() and 1 <= int(line) <= len(self.buttons):
            label, action_id, value = self.buttons[int(line) - 1]
            self._print(f"（クリック / click: {label}）")
            trigger_id, url = self._handles()
            click = (action_id, value, self.user_id, self.dm, trigger_id, url)
            self._send(block_action_payload(*click, message_ts=self.last_ts))
        elif line.startswith(COMMAND):
            text = line.removeprefix(COMMAND).strip()
            self._send(slash_command_form(text, self.user_id, self.dm, *self._handles()))
        else:
            text = line.removeprefix("'")  # 'N sends the digits N as text
            event = message_event(self.user_id, self.dm, text, f"{time.time():.6f}")
            self._send(event_envelope(event, "Ev" + secrets.token_hex(5).upper()))

    def _handles(self) -> tuple[str, str]:
        """Return a fresh trigger_id and response_url, as Slack sends with a command or click."""
        url = self.fake.issue_response_url(channel=self.dm, user=self.user_id)
        return self.fake.issue_trigger_id(), url

    def _send(self, body: bytes) -> None:
        seen = len(self._received())
        headers = signed_headers(body, self.secret, int(time.time()))
        response = httpx.post(self.events_url, content=body, headers=headers, timeout=ANSWER_WAIT)
        if response.status_code != 200:
            self._print(f"（request refused: {response.status_code} {response.text}）")
            return
        deadline = time.monotonic() + ANSWER_WAIT
        while len(self._received()) == seen and time.monotonic() < deadline:
            time.sleep(POLL)
        answers = self._received()[seen:]
        if not answers:
            self._print("（返信なし / no answer）\n")
        for message in answers:
            self._show(message)

    def _received(self) -> list[Message]:
        """Return what the user sees: posts to their DM and ephemerals shown to them."""
        with self.fake.lock:
            return [
                m
                for m in self.fake.messages
                if m.user == self.user_id or (m.kind == "post" and m.channel == self.dm)
            ]

    def _show(self, message: Message) -> None:
        """Print one message: its blocks, then its buttons numbered for clicking."""
        seen = "（自分だけに表示 / only visible to you）" if message.kind == "ephemeral" else ""
        self._print(f"── つなぎ（{message.via} で届きました）{seen}")
        self._print("\n".join(f"  {line}" for line in message_lines(message)))
        self.buttons, self.last_ts = buttons_of(message), message.ts
        if self.buttons:
            self._print("  " + "  ".join(f"[{i}] {b[0]}" for i, b in enumerate(self.buttons, 1)))
        self._print("")

    def _print(self, text: str) -> None:
        print(text, file=self.out, flush=True)


def message_lines(message: Message) -> list[str]:
    """Return a message as the lines Slack would show: texts, card titles and fields."""
    if not message.blocks:
        return _unescape(message.text).splitlines()
    lines: list[str] = []
    for block in message.blocks:
        if block.get("type") == "header":
            lines.append(f"【{block['text']['text']}】")
        elif block.get("type") == "section":
            text = block.get("text")
            lines += _unescape(text["text"]).splitlines() if text else []
            lines += [f"│ {_field_line(f['text'])}" for f in block.get("fields", [])]
        elif block.get("type") == "context":
            lines += [_unescape(str(e.get("text", ""))) for e in block.get("elements", [])]
    return lines


def buttons_of(message: Message) -> list[tuple[str, str, str]]:
    """Return (label, action_id, value) of the message's buttons, in order."""
    actions = [b for b in message.blocks or [] if b.get("type") == "actions"]
    elements: list[dict[str, Any]] = [e for block in actions for e in block.get("elements", [])]
    return [
        (e["text"]["text"], e["action_id"], e["value"]) for e in elements if e["type"] == "button"
    ]


def _field_line(text: str) -> str:
    """Return a card field ("*label*\\nvalue" in mrkdwn) as "label: value"."""
    label, _, value = text.partition("\n")
    return f"{_unescape(label.strip('*'))}: {_unescape(value)}"


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def run_fake_slack_demo(runtime: Runtime, lines: TextIO, out: TextIO, *, interactive: bool) -> int:
    """Load the demo data, serve tsunagi and a fake Slack on loopback and chat as a Slack user."""
    report = load_demo(runtime)
    found = re.search(r"> 登録 (\S+)", report)
    print(report.partition("\n\n試してみる")[0], file=out, flush=True)
    secret, token = secrets.token_hex(16), "xoxb-" + secrets.token_urlsafe(24)
    fake = FakeSlackState(clock=runtime.clock, bot_token=token)
    fake_url, stop_fake = serve_fake_slack(fake)
    try:
        settings = replace(
            runtime.settings,
            line_channel_secret=None,  # the demo is Slack only: nothing goes to a real LINE
            line_channel_access_token=None,
            slack_signing_secret=secret,
            slack_bot_token=token,
            slack_api_url=f"{fake_url}/api/",
            slack_app_token=None,
        )
        slack_runtime = build_runtime(settings, clock=runtime.clock, engine=runtime.engine)
        bot_url, stop_bot = serve_in_thread(create_asgi_app(slack_runtime), lifespan=True)
        try:
            print(f"\nfake Slack: {fake_url}/api/　tsunagi: {bot_url}/slack/events\n", file=out)
            user = SlackUser(fake, f"{bot_url}/slack/events", secret, out)
            fake.add_user(user.user_id, USER_NAME, REAL_NAME)
            fake.add_channel(user.dm, "directmessage")
            code = found.group(1) if found else "CODE"
            print(f"招待コード / invite code: {code}　→ 送ってみる / try: 登録 {code}", file=out)
            print(HOW_TO + "\n", file=out, flush=True)
            chat_loop(user, lines, out, interactive=interactive)
        finally:
            stop_bot()
    finally:
        stop_fake()
    return 0
