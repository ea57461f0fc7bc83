"""`tsunagi demo --fake-slack` as a newcomer runs it: a Slack DM in the terminal, driven through a pipe.

The demo serves tsunagi and the fake Slack Web API in its own process; the test only types lines
and reads what the "Slack client" shows, like a person at the terminal would.
"""

from __future__ import annotations

import re
import subprocess
import sys

from demo_support import DEADLINE, Terminal


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
    terminal = Terminal(tmp_path, "--fake-slack")
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
    terminal = Terminal(tmp_path, "--fake-slack")
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
