"""A terminal driving `tsunagi demo --fake-line|--fake-slack` through a pipe, for the demo tests."""

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

    def __init__(self, tmp_path: Path, demo_flag: str) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("LINE_", "SLACK_"))}
        env |= {"TSUNAGI_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}"}
        env |= {"PYTHONIOENCODING": "utf-8"}
        self.env = env
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "demo", demo_flag],
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
