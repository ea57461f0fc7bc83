"""Photos sent during a visit: attached after a consent question, dropped without consent."""

from __future__ import annotations

from sqlmodel import select
from test_visits import send_all, visit_answers

from bot.channels.console import render
from bot.messages import Incoming
from storage.db import session_scope
from storage.media import add_media
from storage.members import find_member_by_identity
from storage.models import Activity, MediaBlob

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def send_photo(world, chat, source_id: str = "m1") -> str:
    """Store a photo as the channel would, then deliver it to the bot as the user's message."""
    with session_scope(world.engine) as s:
        member = find_member_by_identity(s, channel="console", external_id=chat.user)
        blob = add_media(
            s,
            municipality_id=member.municipality_id,
            member_id=member.id,
            channel="console",
            source_id=source_id,
            content_type="image/png",
            data=PNG,
            now=world.clock.now(),
        )
    incoming = Incoming("console", f"console:{chat.user}", chat.user, media_id=blob.id)
    chat.replies = world.bot.handle(incoming)
    return render(chat.replies)


def test_a_photo_is_attached_with_its_consent_and_saved_with_the_visit(world):
    sato = world.chat("sato", "あおば市")
    sato.send("訪問")
    sato.send("今日")
    question = send_photo(world, sato)
    assert "了承" in question and sato.choices == ["了承なし（保存しない）", "内部のみ", "公開可"]
    assert "どこまで" in question
    reply = sato.send("内部のみ")
    assert "写真を添付しました（了承: 内部のみ）" in reply
    assert "どのエリア" in reply  # back at the step where the photo arrived
    card = send_all(sato, visit_answers()[2:])
    assert "写真: 1枚（内部のみ 1）" in card
    assert "訪問記録 #" in sato.send("保存")
    with session_scope(world.engine) as s:
        activity = s.exec(select(Activity)).one()
        blob = s.exec(select(MediaBlob)).one()
        assert (blob.activity_id, blob.consent) == (activity.id, "内部のみ")


def test_without_consent_the_photo_is_not_kept(world):
    sato = world.chat("sato", "あおば市")
    sato.send("訪問")
    send_photo(world, sato)
    assert "先に写真の了承" in sato.send("昨日")  # the consent must be answered first
    assert "保存しませんでした" in sato.send("1")
    with session_scope(world.engine) as s:
        assert s.exec(select(MediaBlob)).all() == []


def test_a_photo_outside_a_visit_is_not_kept_by_the_murmur_flow(world):
    sato = world.chat("sato", "あおば市")
    sato.send("つぶやき")
    assert "訪問記録の途中で送ると添付できます" in send_photo(world, sato)


def test_another_members_photo_id_is_never_attached(world):
    suzuki = world.chat("suzuki", "あおば市")
    suzuki.send("訪問")
    send_photo(world, suzuki, source_id="theirs")  # suzuki's photo, pending in suzuki's draft
    sato = world.chat("sato", "あおば市")
    sato.send("訪問")
    with session_scope(world.engine) as s:
        theirs = s.exec(select(MediaBlob)).one()
    forged = Incoming("console", "console:sato", "sato", media_id=theirs.id)
    world.bot.handle(forged)
    sato.send("公開可")
    send_all(sato, ["今日", *visit_answers()[2:]])
    sato.send("保存")
    with session_scope(world.engine) as s:
        assert s.exec(select(MediaBlob)).one().activity_id is None


def test_two_photos_sent_together_share_one_consent_answer(world):
    sato = world.chat("sato", "あおば市")
    sato.send("訪問")
    send_photo(world, sato, source_id="p1")
    send_photo(world, sato, source_id="p2")
    assert "写真2枚を添付しました（了承: 内部のみ）" in sato.send("内部のみ")
    send_all(sato, ["今日", *visit_answers()[2:]])
    sato.send("保存")
    with session_scope(world.engine) as s:
        assert [b.consent for b in s.exec(select(MediaBlob))] == ["内部のみ", "内部のみ"]
        assert all(b.activity_id is not None for b in s.exec(select(MediaBlob)))
