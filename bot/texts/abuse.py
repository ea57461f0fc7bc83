"""Texts of the abuse controls: too many wrong invite codes."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    "register.locked": (
        "招待コードの入力に{count}回続けて失敗したため、{until}まで登録を受け付けません。"
        "時間をおいてから、正しいコードで「登録 ABCD-EFGH」のように送ってください。"
        "コードが分からないときは、招待した担当者に確認してください。",
        "After {count} wrong invite codes, registration is paused until {until}. "
        "Then send the right code, for example “register ABCD-EFGH”. "
        "If you are unsure of the code, ask whoever invited you.",
    ),
    "link.locked": (
        "このアドレスからの無効なリンクが多すぎるため、しばらく受け付けません。"
        "時間をおいてから、チャットで受け取ったリンクをもう一度開いてください。",
        "Too many invalid links from this address. Wait a while, then open the link "
        "you received in the chat again.",
    ),
}
