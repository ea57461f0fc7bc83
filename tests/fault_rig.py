"""The rig of the crash tests: the fake LINE and Slack platforms, `tsunagi serve` on a store, the
scripted users, and what the store and the fakes must show once everything has drained.

Counting answers: a LINE answer belongs to its event by the reply token it used, or by the
`X-Line-Retry-Key` of a push (derived from the event's webhookEventId); a Slack answer is one
`chat.postMessage` to the user's DM. One answer per event, none missing.

The one duplicate no bot can avoid: the platform accepted a reply or a Slack post, and the process
was killed before it recorded that (LINE reply tokens and Slack posts carry no idempotency key).
Such a duplicate is told apart from a bug by its timing: the first copy was accepted just before
a SIGKILL and the second after the restart. The tests report how many they saw.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from conftest import World
from e2e_support import ServedBot
from fault_support import (
    SLACK_TOKEN,
    Event,
    Platforms,
    both_env,
    murmur_text,
    place_of,
    poll,
    script,
)
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.clock import ManualClock
from bot.fakes.line_platform import create_fake_line_app, serve_in_thread
from bot.fakes.line_state import FakeLineState
from bot.fakes.slack_api import serve_fake_slack
from bot.fakes.slack_state import FakeSlackState
from storage.db import session_scope
from storage.inbox import DONE
from storage.models import Activity, InboundEvent, Murmur, OutboundMessage
from storage.outbox import PENDING, SENT, retry_key_for

START_WITHIN = 60.0  # seconds for `serve` to come up: imports are slow on a loaded 2-core box
REPLY, PUSH = "/v2/bot/message/reply", "/v2/bot/message/push"
CRASH_WINDOW = timedelta(seconds=1)  # accepted this long before a kill: the unrecorded send


class PatientServer(ServedBot):
    """`serve` that may take its time to start (on a busy machine) and reports how long it took."""

    startups: list[float]

    def start(self) -> None:
        """Start the server and wait until GET /healthz answers 200."""
        self.runs += 1
        started = time.monotonic()
        with self._log(self.runs).open("wb") as log:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "bot.cli", "serve", "--port", str(self.port)],
                cwd=self.tmp_path,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        poll(
            self._healthy, "GET /healthz to answer 200", within=START_WITHIN, explain=self.log_tail
        )
        self.startups = [*getattr(self, "startups", []), time.monotonic() - started]


class Rig:
    """Fakes, server and users for one crash test on one store."""

    def __init__(self, tmp_path: Path, engine: Engine, url: str) -> None:
        self.engine = engine
        self.line = FakeLineState()  # real time: the server process runs on the system clock
        self.slack = FakeSlackState(bot_token=SLACK_TOKEN)
        line_url, self._stop_line = serve_in_thread(create_fake_line_app(self.line))
        slack_url, self._stop_slack = serve_fake_slack(self.slack)
        env = both_env(url, line_url, self.line.access_token, slack_url)
        self.server = PatientServer(tmp_path, env)
        self.platforms = Platforms(self.line, self.slack)
        self.kills: list[datetime] = []

    def users(self, line_users: int, slack_users: int, total: int) -> list[list[Event]]:
        """Register invites for the users and return their scripts, padded to `total` events."""
        world = World(self.engine, ManualClock(datetime.now(UTC)))
        world.municipality("あおば市")
        scripts = []
        for n in range(line_users + slack_users):
            platform = "line" if n < line_users else "slack"
            user = f"U{n:032x}" if platform == "line" else f"U0FAULT{n:03d}"
            if platform == "slack":
                self.slack.add_user(user, f"sc{n}", f"コーディネーター{n}")
            scripts.append(script(platform, user, n, world.invite("あおば市")))
        n = 0
        while sum(len(s) for s in scripts) < total:
            last = scripts[n % len(scripts)][-1]
            scripts[n % len(scripts)].append(Event(last.platform, last.user, last.kind, "ヘルプ"))
            n += 1
        return scripts

    def kill_and_restart(self) -> None:
        """SIGKILL `serve` and start it again on the same store."""
        self.server.kill()
        self.kills.append(datetime.now(UTC))
        self.server.start()

    def healthy(self) -> bool:
        """Return whether the running server answers GET /healthz with 200."""
        try:
            return httpx.get(f"{self.server.url}/healthz", timeout=2).status_code == 200
        except httpx.TransportError:
            return False

    def answered(self) -> int:
        """Return how many answers the fakes accepted so far."""
        with self.line.lock:
            line = len(self.line.deliveries)
        with self.slack.lock:
            slack = sum(1 for m in self.slack.messages if m.kind == "post")
        return line + slack

    def drained(self, events: list[Event]) -> bool:
        """Return whether every event is acknowledged, processed and its answer sent."""
        if not all(e.acked for e in events):
            return False
        with session_scope(self.engine) as s:
            inbox = s.exec(select(InboundEvent.status)).all()
            outbox = s.exec(select(OutboundMessage.status)).all()
        return len(inbox) == len(events) and set(inbox) <= {DONE} and PENDING not in outbox

    def stop(self) -> None:
        self.server.stop()
        self._stop_line()
        self._stop_slack()

    # ── what must hold afterwards ────────────────────────────────────────────────────────────

    def assert_processed_once(self, scripts: list[list[Event]]) -> None:
        """One inbox row per event, all done; each murmur and each visit stored exactly once."""
        events = [e for s in scripts for e in s]
        with session_scope(self.engine) as s:
            inbox = Counter((r.channel, r.status) for r in s.exec(select(InboundEvent)))
            murmurs = Counter(m.text for m in s.exec(select(Murmur)))
            places = Counter(a.place_label for a in s.exec(select(Activity)))
            outbox = Counter(m.status for m in s.exec(select(OutboundMessage)))
        per_channel = Counter(e.platform for e in events)
        assert inbox == {(channel, DONE): n for channel, n in per_channel.items()}
        expected = Counter()
        for n, user_script in enumerate(scripts):
            line = user_script[0].platform == "line"
            expected.update(murmur_text(n, k) for k in ((1, 2) if line else (1,)))
        assert murmurs == expected, "each murmur stored once"
        assert places == Counter(place_of(n) for n in range(len(scripts))), "each visit once"
        assert set(outbox) == {SENT}, outbox

    def assert_answered_once(self, scripts: list[list[Event]]) -> int:
        """Each event answered once at the fakes, none missing; return the crash-window
        duplicates (first copy accepted just before a kill, second after the restart)."""
        line_events = [e for s in scripts for e in s if e.platform == "line"]
        by_token = {e.reply_token: e.key for e in line_events}
        by_retry_key = {retry_key_for("line", f"reply:{e.key}"): e.key for e in line_events}
        copies: dict[str, list[datetime]] = defaultdict(list)
        for call in self.line.calls_to(REPLY):
            if call.status == 200:
                copies[by_token[call.body["replyToken"]]].append(call.at)
        for call in self.line.calls_to(PUSH):
            if call.status == 200:
                copies[by_retry_key[call.headers["x-line-retry-key"]]].append(call.at)
        missing = [e.key for e in line_events if not copies[e.key]]
        assert not missing, f"LINE events never answered: {missing}"
        explained = sum(self._crash_window(sorted(at)) for at in copies.values() if len(at) > 1)
        slack_users = [s for s in scripts if s[0].platform == "slack"]
        for user_script in slack_users:
            posts = self.slack.posts("D" + user_script[0].user)
            seen: dict[str, list[datetime]] = defaultdict(list)
            for post in posts:
                seen[post.text].append(post.at)
            twice = sum(self._crash_window(sorted(at)) for at in seen.values() if len(at) > 1)
            assert len(posts) - twice == len(user_script), (
                f"{user_script[0].user}: {len(posts)} posts for {len(user_script)} events"
            )
            explained += twice
        return explained

    def _crash_window(self, copies: list[datetime]) -> int:
        """Return 1 if two copies straddle a kill with the first just before it; else fail."""
        assert len(copies) == 2, f"answered {len(copies)} times"
        first, second = copies
        assert any(
            first <= kill <= first + CRASH_WINDOW and kill < second for kill in self.kills
        ), f"a duplicate answer not explained by a crash: {copies} (kills {self.kills})"
        return 1
