"""`tsunagi demo --fake-slack` as a newcomer runs it: a Slack DM in the terminal, driven through a pipe.

The demo serves tsunagi and the fake Slack Web API in its own process; the test only types lines
and reads what the "Slack client" shows, like a person at the terminal would.
"""

from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

DEADLINE = 30.0  # seconds for the demo to show any one thing


class Terminal:
    """The demo's stdin and stdout, read line by line with a deadline."""

    def __init__(self, tmp_path: Path) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("LINE_", "SLACK_"))}
        env |= {"TSUNAGI_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}"}
        env |= {"PYTHONIOENCODING": "utf-8"}
        self.env = env
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "demo", "--fake-slack"],
            cwd=tmp_path,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            encoding="utf-8",
        )
        self.shown: list[str] = []
        self._lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.put(line.rstrip("\n"))
        self._lines.put(None)

    def wait_for(self, pattern: str) -> re.Match[str]:
        """Read output until a line matches pattern; return the match."""
        deadline = time.monotonic() + DEADLINE
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self._lines.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                break
            self.shown.append(line)
            if found := re.search(pattern, line):
                return found
        raise AssertionError(f"no line matching {pattern!r} in:\n" + "\n".join(self.shown))

    def type(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def end(self) -> str:
        """Send EOF (Ctrl-D), wait for the demo to exit and return everything it showed."""
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=DEADLINE)
        while (line := self._lines.get(timeout=DEADLINE)) is not None:
            self.shown.append(line)
        return "\n".join(self.shown)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def tsunagi(terminal: Terminal, *args: str) -> str:
    """Run another tsunagi command on the demo's database; return what it printed."""
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        env=terminal.env,
        capture_output=True,
        encoding="utf-8",
        timeout=DEADLINE,
        check=True,
    )
    return done.stdout


def test_a_newcomer_registers_and_records_a_murmur_in_a_slack_dm(tmp_path):
    terminal = Terminal(tmp_path)
    try:
        code = terminal.wait_for(r"invite code: (\S+)").group(1)
        terminal.type(f"登録 {code}")
        terminal.wait_for("登録しました")
        terminal.type("つぶやき スーパーが遠くて買い物が大変")
        save = terminal.wait_for(r"\[(\d+)\] 保存").group(1)
        terminal.type(save)
        terminal.wait_for(r"つぶやき #\d+ を記録しました")
        shown = terminal.end()
    finally:
        terminal.kill()

    assert terminal.process.returncode == 0, shown
    assert "│ 内容: スーパーが遠くて買い物が大変" in shown  # the card's fields
    assert "│ 種類: 困りごと" in shown
    assert re.search(r"\[1\] 保存  \[2\] \S+", shown)  # buttons, numbered for clicking
    assert "（クリック / click: 保存）" in shown
    assert "chat.postMessage で届きました" in shown  # the outbox answered in the DM
    assert "デモを終了します" in shown
    assert "Traceback" not in shown
    members = tsunagi(terminal, "admin", "members", "あおば市")
    assert re.search(r"佐藤 花子\tcoordinator.*slack:U", members)  # named as users.info says


def test_a_slash_command_is_answered_in_the_dm(tmp_path):
    terminal = Terminal(tmp_path)
    try:
        code = terminal.wait_for(r"invite code: (\S+)").group(1)
        terminal.type(f"/tsunagi 登録 {code}")
        terminal.wait_for("登録しました")
        terminal.type("/tsunagi ヘルプ")
        terminal.wait_for("tsunagi の使い方")
        shown = terminal.end()
    finally:
        terminal.kill()

    assert terminal.process.returncode == 0, shown
    assert "返信なし" not in shown
    assert "Traceback" not in shown
