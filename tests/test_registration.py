"""登録: invite codes are one-time and expiring; nothing works before registration."""

from __future__ import annotations

from sqlmodel import select

from storage.db import session_scope
from storage.models import ConversationState, Identity, Invite


def test_unregistered_user_is_told_how_to_register_and_nothing_is_stored(world):
    chat = world.chat("yamada")
    reply = chat.send("訪問")
    assert "登録" in reply and "招待コード" in reply
    chat.send("こんにちは")
    with session_scope(world.engine) as s:
        assert s.exec(select(ConversationState)).all() == []
        assert s.exec(select(Identity)).all() == []


def test_register_with_invite_links_the_account(world):
    code = world.invite("あおば市")
    chat = world.chat("sato")
    assert "登録しました" in chat.send(f"登録 {code}")
    assert "すでに登録済み" in chat.send(f"登録 {code}")
    with session_scope(world.engine) as s:
        invite = s.exec(select(Invite)).one()
        assert invite.used_at is not None
        assert invite.code_hash != code.replace("-", "")  # only the hash is stored


def test_used_wrong_and_expired_codes_get_clear_answers(world, clock):
    code = world.invite("あおば市")
    world.chat("sato").send(f"登録 {code}")
    assert "すでに使われています" in world.chat("suzuki").send(f"登録 {code}")
    assert "見つかりません" in world.chat("suzuki").send("登録 ZZZZ-ZZZZ")
    late = world.invite("あおば市")
    clock.advance(days=15)
    assert "有効期限が切れています" in world.chat("kato").send(f"登録 {late}")


def test_code_is_accepted_in_lower_case_and_full_width(world):
    code = world.invite("あおば市")
    full_width = code.lower().translate(
        {ord(c): ord(c) + 0xFEE0 for c in "abcdefghijklmnopqrstuvwxyz0123456789-"}
    )
    assert "登録しました" in world.chat("sato").send(f"登録　{full_width}")


def test_an_officer_is_welcomed_with_what_officers_can_do(world):
    code = world.invite("あおば市", role="officer", area=None, layer=None)
    reply = world.chat("suzuki").send(f"登録 {code}")
    assert "市町村担当" in reply and "まとめ" in reply and "「訪問」" not in reply
