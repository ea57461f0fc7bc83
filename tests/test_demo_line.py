"""`tsunagi demo --fake-line` as a newcomer runs it: a LINE chat in the terminal, driven through a pipe.

The demo serves tsunagi and the fake LINE platform in its own process; the test only types lines
and reads what the "phone" shows, like a person at the terminal would.
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
        env = {k: v for k, v in os.environ.items() if not k.startswith("LINE_")}
        env |= {"TSUNAGI_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}"}
        env |= {"PYTHONIOENCODING": "utf-8"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "demo", "--fake-line"],
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


def test_a_newcomer_registers_and_records_a_murmur_as_on_a_phone(tmp_path):
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
    assert "友だち追加ありがとうございます" in shown  # the welcome after the follow event
    assert "│ 内容: スーパーが遠くて買い物が大変" in shown  # the Flex card's rows
    assert "│ 種類: 困りごと" in shown
    assert re.search(r"\[1\] \S+  \[2\] \S+", shown)  # quick replies as numbered buttons
    assert "（タップ / tap: 保存）" in shown
    assert "POST /v2/bot/message/reply" in shown  # the outbox answered with the reply token
    assert "Traceback" not in shown


def test_more_pages_through_a_long_list_and_a_tap_on_it_is_taken(tmp_path):
    terminal = Terminal(tmp_path)
    try:
        code = terminal.wait_for(r"invite code: (\S+)").group(1)
        terminal.type(f"登録 {code}")
        terminal.wait_for("登録しました")
        terminal.type("つぶやき スーパーが遠くて買い物が大変")
        change = terminal.wait_for(r"\[(\d+)\] カテゴリを変える").group(1)
        terminal.type(change)
        terminal.type(terminal.wait_for(r"\[(\d+)\] ほかのカテゴリ").group(1))
        more = terminal.wait_for(r"\[(\d+)\] もっと見る").group(1)
        terminal.type(more)
        terminal.wait_for(r"ほかの選択肢（2/\d+）")
        terminal.type(terminal.wait_for(r"\[(\d+)\] 農作業・畑・農地").group(1))
        terminal.wait_for("│ カテゴリ: 農作業・畑・農地")
        shown = terminal.end()
    finally:
        terminal.kill()

    assert terminal.process.returncode == 0, shown
    assert "デモを終了します" in shown
