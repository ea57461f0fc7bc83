"""Slack end to end: `tsunagi serve` as a process, the fake Slack Web API, real signed requests.

Two coordinators of two municipalities register (one by DM, one by slash command), an admin links
a channel to their peer group, a murmur is recorded with /tsunagi and its 保存 button and shared
masked to the channel, the group's trends are shown with small counts hidden, a visit is recorded
through the modal /tsunagi 訪問 opens; an event Slack sends four times is answered once, and a
stale request is refused with nothing stored.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import World
from e2e_support import ServedBot, wait_until
from slack_support import button
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.clock import ManualClock
from bot.fakes.slack_api import serve_fake_slack
from bot.fakes.slack_requests import (
    block_action_payload,
    event_envelope,
    message_event,
    retry_headers,
    signed_headers,
    slash_command_form,
    view_submission_payload,
)
from bot.fakes.slack_state import FakeSlackState, Message, OpenedView
from storage.db import make_engine, migrate, session_scope
from storage.inbox import count_pending, list_events
from storage.models import Member
from storage.outbox import PENDING, list_outbound

SECRET = "e2e-slack-signing-secret"
TOKEN = "xoxb-e2e-tsunagi"
SATO, MORI = "U0SATO", "U0MORI"
PEERS = "C0PEERS"
GROUP = "岡山南部"
KNEE = "本町自治会の集会所で、膝を悪くしてからスーパーまで歩くのがしんどいと聞いた"
# The visit as filled in the modal: a select's option label, or the text typed.
VISIT = {
    "area": "本町自治会",
    "place": "本町集会所",
    "purpose": "宝物さがし",
    "duration": "1時間",
    "murmurs": "買い物に行くのが大変になった",
    "kubun": "把握（①）",
}


class SlackHarness:
    """The fake Slack Web API and the served bot; posts signed requests like Slack does."""

    def __init__(self, state: FakeSlackState, server: ServedBot) -> None:
        self.state = state
        self.server = server
        self.http = httpx.Client(timeout=10)
        self.seq = 0

    def post(self, body: bytes, *, age: int = 0, extra: dict[str, str] | None = None) -> int:
        headers = signed_headers(body, SECRET, int(time.time()) - age) | (extra or {})
        url = f"{self.server.url}/slack/events"
        return self.http.post(url, content=body, headers=headers).status_code

    def seen_by(self, user: str) -> list[Message]:
        """Return what a user saw: posts to their DM or to the peer channel, their ephemerals."""
        with self.state.lock:
            return [
                m
                for m in self.state.messages
                if m.user == user or (m.kind == "post" and m.channel in ("D" + user, PEERS))
            ]

    def exchange(self, user: str, body: bytes) -> Message:
        """Post a request and wait for the one new message the user sees; return it."""
        before = len(self.seen_by(user))
        assert self.post(body) == 200, self.server.log_tail()
        seen = wait_until(
            lambda: self.seen_by(user)[before:] or None,
            "the bot's answer",
            explain=self.server.log_tail,
        )
        return seen[0]

    def dm(self, user: str, text: str, event_id: str | None = None) -> bytes:
        self.seq += 1
        event = message_event(user, "D" + user, text, f"{int(time.time())}.{self.seq:06d}")
        return event_envelope(event, event_id or f"EvE2E{self.seq:06d}")

    def command(self, user: str, channel: str, text: str) -> bytes:
        url = self.state.issue_response_url(channel=channel, user=user)
        return slash_command_form(text, user, channel, self.state.issue_trigger_id(), url)

    def click(self, user: str, message: Message, label: str) -> bytes:
        action_id, value = button(message, label)
        channel = message.channel or "D" + user
        url = self.state.issue_response_url(channel=channel, user=user)
        trigger = self.state.issue_trigger_id()
        return block_action_payload(action_id, value, user, channel, trigger, url)

    def submit(self, user: str, modal: OpenedView, filled: dict[str, str]) -> bytes:
        """Return the submission of a modal with its fields filled in as `filled` says."""
        values = {
            block["block_id"]: {"value": entered(block["element"], filled.get(block["block_id"]))}
            for block in modal.view["blocks"]
        }
        metadata = modal.view["private_metadata"]
        return view_submission_payload("tsunagi_visit", values, user, metadata, view_id=modal.id)


def entered(element: dict[str, Any], wanted: str | None) -> Any:
    """Return an input's state as Slack submits it: the option labelled `wanted`, the text typed,
    or the date it showed."""
    if element["type"] == "datepicker":
        return {"type": "datepicker", "selected_date": element["initial_date"]}
    for option in element.get("options", []):
        if option["text"]["text"] == wanted:
            return {"type": element["type"], "selected_option": option}
    return wanted or {"type": element["type"], "value": None}


def slack_env(database_url: str, fake_url: str) -> dict[str, str]:
    """Return the server's environment: ours without tsunagi/LINE/Slack settings, plus Slack's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TSUNAGI_", "LINE_", "SLACK_"))}
    return env | {
        "TSUNAGI_DATABASE_URL": database_url,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_API_URL": f"{fake_url}/api/",
    }


@pytest.fixture
def store(tmp_path: Path) -> Iterator[tuple[Engine, str]]:
    url = f"sqlite:///{tmp_path / 'slack-e2e.db'}"
    engine = make_engine(url)
    migrate(engine)
    yield engine, url
    engine.dispose()


@pytest.fixture
def slack(tmp_path: Path, store: tuple[Engine, str]) -> Iterator[SlackHarness]:
    state = FakeSlackState(bot_token=TOKEN)  # real time: the server runs on the system clock
    state.add_user(SATO, "sato", "佐藤 花子")
    state.add_user(MORI, "mori", "森 一郎")
    fake_url, stop_fake = serve_fake_slack(state)
    server = ServedBot(tmp_path, slack_env(store[1], fake_url))
    harness = SlackHarness(state, server)
    try:
        server.start()
        yield harness
    finally:
        server.stop()
        harness.http.close()
        stop_fake()


def invites(engine: Engine) -> tuple[str, str]:
    """Create あおば市 and みどり町; return an admin invite of the first, a coordinator's of the
    second."""
    world = World(engine, ManualClock(datetime.now(UTC)))
    world.municipality("あおば市")
    world.municipality("みどり町")
    return world.invite("あおば市", role="admin"), world.invite("みどり町")


def add_peer_group(tmp_path: Path, env: dict[str, str]) -> str:
    command = [sys.executable, "-m", "bot.cli", "admin", "add-peer-group", GROUP]
    command += ["--municipality", "あおば市", "--municipality", "みどり町"]
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_two_towns_share_a_masked_case_on_slack_and_every_request_counts_once(
    slack, store, tmp_path
):
    engine = store[0]
    sato_code, mori_code = invites(engine)
    assert GROUP in add_peer_group(tmp_path, slack.server.env)

    assert "登録しました" in slack.exchange(SATO, slack.dm(SATO, f"登録 {sato_code}")).text
    registered = slack.exchange(MORI, slack.command(MORI, "D" + MORI, f"登録 {mori_code}"))
    assert "登録しました" in registered.text
    with session_scope(engine) as s:
        assert sorted(m.name for m in s.exec(select(Member))) == ["佐藤 花子", "森 一郎"]

    linked = slack.exchange(SATO, slack.command(SATO, PEERS, f"グループ 接続 {GROUP}"))
    assert linked.kind == "post" and linked.channel == PEERS and GROUP in linked.text

    confirm = slack.exchange(SATO, slack.command(SATO, PEERS, f"つぶやき {KNEE}"))
    assert confirm.kind == "ephemeral" and "【つぶやき】" in confirm.text
    saved = slack.exchange(SATO, slack.click(SATO, confirm, "保存"))
    assert saved.kind == "ephemeral" and saved.text == "つぶやき #1 を記録しました。"

    shared = slack.exchange(SATO, slack.command(SATO, PEERS, "共有 #1"))
    assert shared.kind == "post" and shared.channel == PEERS
    assert "膝" in shared.text and "本町" not in shared.text  # the exact place is masked
    assert "あおば市" in shared.text

    trends = slack.exchange(MORI, slack.command(MORI, PEERS, "傾向"))
    assert trends.kind == "post" and "3未満の件数は伏せています" in trends.text
    assert "あおば市 3未満" in trends.text  # one murmur: its count hidden

    assert slack.post(slack.command(SATO, "D" + SATO, "訪問")) == 200
    [modal] = slack.state.views_opened()  # opened before the command was acknowledged
    recorded = slack.exchange(SATO, slack.submit(SATO, modal, VISIT))
    assert recorded.text.startswith("訪問記録 #2 を記録しました（つぶやき #3）")

    retried = slack.dm(MORI, "ヘルプ", event_id="EvRETRIED")
    before = len(slack.seen_by(MORI))
    statuses = [slack.post(retried, extra=retry_headers(n) if n else None) for n in range(4)]
    assert statuses == [200] * 4
    wait_until(lambda: len(slack.seen_by(MORI)) > before, "help", explain=slack.server.log_tail)

    with session_scope(engine) as s:
        stored = len(list_events(s, channel="slack"))
    assert slack.post(slack.dm(MORI, "ヘルプ"), age=400) == 401  # a replay: refused

    wait_until_quiet(engine, slack)
    assert len(slack.seen_by(MORI)) == before + 1  # the help answered once
    with session_scope(engine) as s:
        assert len(list_events(s, channel="slack")) == stored
    slack.server.stop()
    assert "Traceback" not in slack.server.output()


def wait_until_quiet(engine: Engine, slack: SlackHarness) -> None:
    def quiet() -> bool:
        with session_scope(engine) as s:
            outbox = list_outbound(s, channel="slack")
            return count_pending(s) == 0 and all(m.status != PENDING for m in outbox)

    wait_until(quiet, "the inbox and the outbox to drain", explain=slack.server.log_tail)
