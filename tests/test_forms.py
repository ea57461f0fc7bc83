"""相談記録: a one-time link in chat, a form off the chat, details stored encrypted with consent.

The chat side runs through `world.chat`; the form side through the real ASGI app (httpx against
`create_asgi_app`) on the same SQLite store, so a link handed out in chat opens the real form.
"""

from __future__ import annotations

import asyncio
import logging
import re
from pathlib import Path

import httpx
import pytest
from cryptography.fernet import Fernet
from sqlmodel import select

from bot.app import build_runtime, create_asgi_app
from bot.channels.console import ConsoleChannel, render
from bot.crypto import Keyring, KeyringError
from bot.form_pages import HideFormTokens
from bot.messages import Incoming
from bot.settings import Settings, SettingsError, load_settings
from storage.db import session_scope
from storage.models import AuditLog, FormToken, Member, OutboundMessage, SensitiveNote
from storage.murmurs import get_murmur
from storage.sensitive import hash_token

PUBLIC_URL = "https://tsunagi.example.jp"
KEY_A = "a:" + Fernet.generate_key().decode()
KEY_B = "b:" + Fernet.generate_key().decode()
DETAILS = "母が認知症の診断を受け、夜に家を出てしまうことがある。長男は県外で介護が難しい。"
SAVED_NOTICE = "相談記録 #{n} を保存しました（内容はチャットには表示しません）"
LINK = re.compile(re.escape(PUBLIC_URL) + r"/forms/([A-Za-z0-9_-]+)")


class FormSite:
    """tsunagi's HTTP side as a phone's browser reaches it (in-process ASGI)."""

    def __init__(self, world, data_key: str = KEY_A) -> None:
        settings = Settings(
            database_url=str(world.engine.url), public_url=PUBLIC_URL, data_key=data_key
        )
        runtime = build_runtime(settings, clock=world.clock, engine=world.engine)
        self.app = create_asgi_app(runtime, start_workers=False)
        world.bot = runtime.bot  # chats talk to the bot configured with the form

    def get(self, token: str) -> httpx.Response:
        return asyncio.run(self._call("GET", token))

    def post(self, token: str, **fields: str) -> httpx.Response:
        return asyncio.run(self._call("POST", token, fields))

    def post_twice_at_once(self, token: str, **fields: str) -> list[httpx.Response]:
        async def both() -> list[httpx.Response]:
            return list(
                await asyncio.gather(*(self._call("POST", token, fields) for _ in range(2)))
            )

        return asyncio.run(both())

    async def _call(
        self, method: str, token: str, fields: dict[str, str] | None = None
    ) -> httpx.Response:
        transport = httpx.ASGITransport(app=self.app)
        async with httpx.AsyncClient(transport=transport, base_url=PUBLIC_URL) as client:
            return await client.request(method, f"/forms/{token}", data=fields)


def ask_for_link(chat, text: str = "相談記録") -> str:
    """Send 相談記録 and return the token of the link in the reply."""
    reply = chat.send(text)
    found = LINK.search(reply)
    assert found, reply
    return found.group(1)


def notes(world) -> list[SensitiveNote]:
    with session_scope(world.engine) as s:
        return list(s.exec(select(SensitiveNote)).all())


def outbox(world) -> list[OutboundMessage]:
    with session_scope(world.engine) as s:
        return list(s.exec(select(OutboundMessage)).all())


def audit(world, action: str) -> list[AuditLog]:
    with session_scope(world.engine) as s:
        return list(s.exec(select(AuditLog).where(AuditLog.action == action)).all())


@pytest.fixture
def site(world) -> FormSite:
    return FormSite(world)


def test_consult_replies_with_a_one_time_link_valid_thirty_minutes(world, site):
    chat = world.chat("sato", "あおば市")
    reply = chat.send("相談記録")
    assert f"{PUBLIC_URL}/forms/" in reply
    assert "30分間・1回だけ有効" in reply
    assert "チャットではなくこのフォームに入力" in reply
    assert all(r.restricted for r in chat.replies)
    token = LINK.search(reply).group(1)
    with session_scope(world.engine) as s:
        stored = s.exec(select(FormToken)).one()
        assert stored.token_hash == hash_token(token) and token not in stored.token_hash
        assert (stored.expires_at - stored.created_at).total_seconds() == 30 * 60


def test_consult_in_english(world, site):
    chat = world.chat("sam", "あおば市")
    with session_scope(world.engine) as s:
        member = s.exec(select(Member).where(Member.name == "sam")).one()
        member.language = "en"
        s.add(member)
    assert "consultation form (valid for 30 minutes, once)" in chat.send("consult")


def test_without_public_url_and_data_key_the_form_is_plainly_off(world):
    chat = world.chat("sato", "あおば市")
    reply = chat.send("相談記録")
    assert "相談記録のフォームは、このサーバーではまだ使えません" in reply
    assert "TSUNAGI_DATA_KEY" in reply
    assert "/forms/" not in reply


def test_no_link_in_a_group_chat(world, site):
    world.chat("sato", "あおば市")
    group = Incoming(
        channel="console", chat_id="group-1", user_id="sato", text="相談記録", is_group=True
    )
    replies = world.bot.handle(group)
    assert "1対1のトークでだけ" in replies[0].text
    assert "/forms/" not in replies[0].text


def test_the_form_shows_the_consent_block_first(world, site):
    token = ask_for_link(world.chat("sato", "あおば市"))
    page = site.get(token)
    assert page.status_code == 200
    html = page.text
    for shown in (
        "同意の確認",
        "あおば市",
        "sato",
        "利用目的",
        "2026-11 v1",
        "本人（または家族）の同意を得ています",
    ):
        assert shown in html
    assert html.index("本人（または家族）の同意を得ています") < html.index("<textarea")
    assert 'name="viewport"' in html and "<script" not in html and "http://" not in html
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]


def test_saving_stores_the_details_encrypted_and_tells_the_chat_only_the_number(
    world, site, tmp_path
):
    chat = world.chat("sato", "あおば市")
    token = ask_for_link(chat)
    page = site.post(token, consent="yes", details=DETAILS)
    assert page.status_code == 200
    assert "相談記録 #1 として保存しました" in page.text and "閉じてかまいません" in page.text
    assert DETAILS not in page.text

    [note] = notes(world)
    assert note.number == 1 and note.key_id == "a"
    assert DETAILS.encode() not in note.ciphertext
    assert Keyring.parse(KEY_A).decrypt(note.key_id, note.ciphertext) == DETAILS
    assert (note.consent_version, note.consent_at) == ("2026-11 v1", world.clock.now())
    assert "つなぎ" in note.consent_purpose
    stored_bytes = b"".join(p.read_bytes() for p in Path(tmp_path).glob("tsunagi.db*"))
    assert DETAILS.encode() not in stored_bytes
    assert DETAILS[:10].encode() not in stored_bytes

    [entry] = audit(world, "sensitive.create")
    assert entry.target == "sensitive:1" and DETAILS not in str(entry.detail)

    [message] = outbox(world)
    assert (message.channel, message.recipient) == ("console", "sato")
    assert message.messages == [{"type": "text", "text": SAVED_NOTICE.format(n=1)}]
    # The terminal shows the queued notice with the next reply, and nothing of the details.
    shown = render(ConsoleChannel(world.bot, "sato").send("ヘルプ"))
    assert SAVED_NOTICE.format(n=1) in shown and DETAILS not in shown


def test_the_note_takes_the_next_record_number(world, site):
    chat = world.chat("sato", "あおば市")
    chat.send("つぶやき 近所の空き家の庭が荒れている")
    assert "つぶやき #1 を記録しました" in chat.send("保存")
    site.post(ask_for_link(chat), consent="yes", details=DETAILS)
    assert [n.number for n in notes(world)] == [2]


def test_a_link_can_be_used_once(world, site):
    token = ask_for_link(world.chat("sato", "あおば市"))
    assert site.post(token, consent="yes", details=DETAILS).status_code == 200
    again = site.post(token, consent="yes", details="別の内容")
    assert again.status_code == 410
    assert "このリンクは使えません" in again.text and "あおば市" not in again.text
    assert site.get(token).status_code == 410
    assert len(notes(world)) == 1
    assert len(outbox(world)) == 1


def test_two_submissions_at_once_store_one_note(world, site):
    token = ask_for_link(world.chat("sato", "あおば市"))
    statuses = sorted(
        r.status_code for r in site.post_twice_at_once(token, consent="yes", details=DETAILS)
    )
    assert statuses == [200, 410]
    assert len(notes(world)) == 1
    assert len(outbox(world)) == 1


def test_the_link_expires_after_thirty_minutes(world, site):
    token = ask_for_link(world.chat("sato", "あおば市"))
    world.clock.advance(minutes=29)
    assert site.get(token).status_code == 200
    world.clock.advance(minutes=2)
    page = site.get(token)
    assert page.status_code == 410 and "有効期限が切れたか" in page.text
    assert site.post(token, consent="yes", details=DETAILS).status_code == 410
    assert notes(world) == [] and outbox(world) == []


def test_an_unknown_link_reveals_nothing(world, site):
    ask_for_link(world.chat("sato", "あおば市"))
    page = site.get("not-a-token")
    assert page.status_code == 404
    assert "このリンクは無効です" in page.text
    assert "あおば市" not in page.text and "sato" not in page.text
    assert site.post("not-a-token", consent="yes", details=DETAILS).status_code == 404
    assert notes(world) == []


def test_without_consent_nothing_is_stored_and_the_form_comes_back(world, site):
    token = ask_for_link(world.chat("sato", "あおば市"))
    page = site.post(token, details=DETAILS)
    assert page.status_code == 400
    assert "同意の確認にチェックを入れてください" in page.text
    assert DETAILS in page.text  # what was typed is kept on the page, not stored
    assert notes(world) == [] and outbox(world) == [] and audit(world, "sensitive.create") == []
    assert site.post(token, consent="yes", details=DETAILS).status_code == 200
    assert len(notes(world)) == 1


def test_empty_details_are_asked_for_again(world, site):
    token = ask_for_link(world.chat("sato", "あおば市"))
    page = site.post(token, consent="yes", details="   ")
    assert page.status_code == 400 and "内容を入力してください" in page.text
    assert notes(world) == []


def test_typed_markup_is_shown_as_text(world, site):
    token = ask_for_link(world.chat("sato", "あおば市"))
    page = site.post(token, details="<script>alert(1)</script>")
    assert "<script>" not in page.text and "&lt;script&gt;" in page.text


def test_a_note_can_be_linked_to_ones_own_murmur(world, site):
    chat = world.chat("sato", "あおば市")
    chat.send("つぶやき 近所の空き家の庭が荒れている")
    chat.send("保存")
    reply = chat.send("相談記録 #1")
    assert "つぶやき #1 に関連づけます" in reply
    token = LINK.search(reply).group(1)
    assert 'value="1"' in site.get(token).text
    assert site.post(token, consent="yes", details=DETAILS, murmur="1").status_code == 200
    [note] = notes(world)
    with session_scope(world.engine) as s:
        murmur = get_murmur(s, municipality_id=note.municipality_id, number=1)
        assert murmur is not None and note.murmur_id == murmur.id


def test_someone_elses_murmur_cannot_be_linked(world, site):
    sato = world.chat("sato", "あおば市")
    sato.send("つぶやき 近所の空き家の庭が荒れている")
    sato.send("保存")
    suzuki = world.chat("suzuki", "あおば市")
    assert "つぶやき #1 は見つかりません" in suzuki.send("相談記録 #1")
    token = ask_for_link(suzuki)
    page = site.post(token, consent="yes", details=DETAILS, murmur="1")
    assert page.status_code == 400 and "つぶやき #1 は見つかりません" in page.text
    assert notes(world) == []


def test_a_revoked_member_cannot_use_an_open_link(world, site):
    token = ask_for_link(world.chat("sato", "あおば市"))
    with session_scope(world.engine) as s:
        member = s.exec(select(Member).where(Member.name == "sato")).one()
        member.active = False
        s.add(member)
    assert site.get(token).status_code == 410
    assert site.post(token, consent="yes", details=DETAILS).status_code == 410
    assert notes(world) == []


def test_a_restricted_murmur_points_to_the_form(world, site):
    chat = world.chat("sato", "あおば市")
    chat.send("つぶやき 向かいの一人暮らしの人、このところ雨戸が閉まったままで気になってる")
    assert "詳しい事情は「相談記録」で専用フォームに入力できます" in chat.send("保存")


def test_after_key_rotation_old_notes_open_and_new_ones_use_the_new_key(world):
    site_a = FormSite(world, KEY_A)
    chat = world.chat("sato", "あおば市")
    site_a.post(ask_for_link(chat), consent="yes", details="古い鍵の記録")
    rotated = FormSite(world, f"{KEY_B},{KEY_A}")  # the new key first, the old one kept
    rotated.post(ask_for_link(chat), consent="yes", details="新しい鍵の記録")
    old, new = sorted(notes(world), key=lambda n: n.number)
    assert (old.key_id, new.key_id) == ("a", "b")
    keyring = Keyring.parse(f"{KEY_B},{KEY_A}")
    assert keyring.decrypt(old.key_id, old.ciphertext) == "古い鍵の記録"
    assert keyring.decrypt(new.key_id, new.ciphertext) == "新しい鍵の記録"
    with pytest.raises(KeyringError):
        Keyring.parse(KEY_B).decrypt(old.key_id, old.ciphertext)  # dropped too early


def test_nothing_typed_on_the_form_reaches_the_logs(world, site, caplog):
    caplog.set_level(logging.DEBUG)
    token = ask_for_link(world.chat("sato", "あおば市"))
    site.post(token, details=DETAILS)
    site.post(token, consent="yes", details=DETAILS)
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name != "httpx")  # not the client
    assert DETAILS not in ours and DETAILS[:8] not in ours
    assert token not in ours


def test_a_malformed_data_key_stops_the_start(tmp_path):
    with pytest.raises(SettingsError, match="TSUNAGI_DATA_KEY"):
        load_settings({"TSUNAGI_DATA_KEY": "not-a-key"}, env_file=None)
    with pytest.raises(SettingsError, match="not a Fernet key"):
        load_settings({"TSUNAGI_DATA_KEY": "a:short"}, env_file=None)
    settings = load_settings(
        {"TSUNAGI_DATA_KEY": KEY_A, "TSUNAGI_PUBLIC_URL": PUBLIC_URL}, env_file=None
    )
    assert settings.forms_enabled
    assert KEY_A.split(":")[1] not in repr(settings)


def test_the_form_needs_both_settings(world):
    assert not Settings(public_url=PUBLIC_URL).forms_enabled
    assert not Settings(data_key=KEY_A).forms_enabled


def test_the_access_log_filter_hides_form_tokens():
    token = "m2eWDzXGq_wUssEVMtMtb1V0t8p-Fl3TQ612ZEUW2Z4"
    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "POST", f"/forms/{token}", "1.1", 200), None,
    )  # fmt: skip
    assert HideFormTokens().filter(record)
    assert record.getMessage() == '127.0.0.1:5000 - "POST /forms/… HTTP/1.1" 200'


def test_a_note_by_number_shows_only_who_and_when_never_the_content(world, site):
    sato = world.chat("sato", "あおば市")
    site.post(ask_for_link(sato), consent="yes", details=DETAILS)
    (note,) = notes(world)
    shown = sato.send(f"#{note.number}")
    assert f"相談記録 #{note.number}" in shown and "チャットには表示しません" in shown
    assert DETAILS[:6] not in shown
    assert sato.replies[0].restricted  # never rendered into a group chat
    other = world.chat("suzuki", "あおば市")
    assert "見つかりません" in other.send(f"#{note.number}")  # another coordinator: as if absent
    assert "チャットからは修正できません" in sato.send(f"修正 #{note.number}")
    sato.send(f"削除 #{note.number}")
    sato.send("はい")
    assert notes(world) == []
