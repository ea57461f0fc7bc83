"""`tsunagi demo --fake-line` as a newcomer runs it: a LINE chat in the terminal, driven through a pipe.

The demo serves tsunagi and the fake LINE platform in its own process; the test only types lines
and reads what the "phone" shows, like a person at the terminal would.
"""

from __future__ import annotations

import re

from demo_support import Terminal


def test_a_newcomer_registers_and_records_a_murmur_as_on_a_phone(tmp_path):
    terminal = Terminal(tmp_path, "--fake-line")
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
    terminal = Terminal(tmp_path, "--fake-line")
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
