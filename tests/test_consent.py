"""Consent records: written before any sensitive field is stored, withdrawable, reads audited.

The form side goes through the real ASGI app (tests/test_forms.py's FormSite); photos through
the visit flow as in tests/test_visit_photos.py.
"""

from __future__ import annotations

import pytest
from sqlmodel import select
from test_forms import DETAILS, FormSite, ask_for_link, audit, notes
from test_visit_photos import send_photo
from test_visits import send_all, visit_answers

from bot.forms import CONSENT_VERSION, CONSENT_WORDING
from bot.texts import t
from storage.consent import (
    ConsentMissing,
    consents_for,
    record_consent,
    withdraw_consent,
    wording_hash,
)
from storage.db import session_scope
from storage.media import PHOTO_CONSENT_VERSION
from storage.members import find_member_by_identity
from storage.models import ConsentRecord, MediaBlob, SensitiveNote
from storage.sensitive import add_sensitive_note


def consents(world) -> list[ConsentRecord]:
    with session_scope(world.engine) as s:
        return list(s.exec(select(ConsentRecord).order_by(ConsentRecord.id)).all())


def member_of(world, user: str):
    with session_scope(world.engine) as s:
        member = find_member_by_identity(s, channel="console", external_id=user)
        s.expunge(member)
        return member


@pytest.fixture
def site(world) -> FormSite:
    return FormSite(world)


def test_a_form_submission_records_who_when_wording_and_purpose_before_the_note(world, site):
    chat = world.chat("sato", "あおば市")
    response = site.post(ask_for_link(chat), consent="yes", details=DETAILS)
    assert response.status_code == 200
    [consent] = consents(world)
    [note] = notes(world)
    sato = member_of(world, "sato")
    wording = "\n".join(t(key, "ja") for key in CONSENT_WORDING)
    assert (consent.member_id, consent.municipality_id) == (sato.id, sato.municipality_id)
    assert consent.subject == "本人（または家族）の同意を得ています"
    assert consent.purpose == t("forms.purpose", "ja")
    assert consent.wording_version == CONSENT_VERSION == note.consent_version
    assert consent.wording_hash == wording_hash(wording)
    assert consent.given_at == world.clock.now() == note.consent_at
    assert (consent.record_kind, consent.record_id) == ("sensitive_note", note.id)
    assert consent.withdrawn_at is None
    [created] = audit(world, "sensitive.create")
    assert created.detail["consent"] == consent.id and DETAILS not in str(created.detail)


def test_without_the_consent_box_neither_consent_nor_note_is_stored(world, site):
    chat = world.chat("sato", "あおば市")
    response = site.post(ask_for_link(chat), details=DETAILS)
    assert response.status_code == 400
    assert "同意" in response.text
    assert consents(world) == [] and notes(world) == []


def _store_note(world, consent_id: int | None, municipality_id: int) -> None:
    sato = member_of(world, "sato")
    with session_scope(world.engine) as s:
        add_sensitive_note(
            s,
            municipality_id=municipality_id,
            number=99,
            recorded_by=sato.id,
            ciphertext=b"opaque",
            key_id="a",
            consent_id=consent_id,
            now=world.clock.now(),
        )


def _consent(world, municipality_id: int, record_kind: str = "sensitive_note") -> int:
    sato = member_of(world, "sato")
    with session_scope(world.engine) as s:
        consent = record_consent(
            s,
            municipality_id=municipality_id,
            member_id=sato.id,
            subject="本人",
            purpose="相談",
            wording_version="v1",
            wording="同意文",
            record_kind=record_kind,
            now=world.clock.now(),
        )
        return consent.id


def test_a_note_without_a_live_consent_of_its_municipality_is_refused(world):
    world.chat("sato", "あおば市")
    aoba = member_of(world, "sato").municipality_id
    other = world.municipality("みどり町")
    with pytest.raises(ConsentMissing):
        _store_note(world, None, aoba)
    with pytest.raises(ConsentMissing):
        _store_note(world, _consent(world, other), aoba)  # another municipality's consent
    with pytest.raises(ConsentMissing):
        _store_note(world, _consent(world, aoba, record_kind="media"), aoba)
    withdrawn = _consent(world, aoba)
    with session_scope(world.engine) as s:
        withdraw_consent(s, municipality_id=aoba, consent_id=withdrawn, now=world.clock.now())
    with pytest.raises(ConsentMissing):
        _store_note(world, withdrawn, aoba)
    assert notes(world) == []
    _store_note(world, _consent(world, aoba), aoba)
    assert [n.number for n in notes(world)] == [99]


def test_withdrawing_deletes_the_note_and_keeps_the_consent_as_evidence(world, site):
    chat = world.chat("sato", "あおば市")
    site.post(ask_for_link(chat), consent="yes", details=DETAILS)
    [consent] = consents(world)
    [note] = notes(world)
    assert f"相談記録 #{note.number}" in chat.send(f"#{note.number}")
    aoba = member_of(world, "sato").municipality_id
    other = world.municipality("みどり町")
    with session_scope(world.engine) as s:  # not from another municipality
        assert withdraw_consent(s, municipality_id=other, consent_id=consent.id, now=world.clock.now()) is None
    world.clock.advance(days=3)
    with session_scope(world.engine) as s:
        assert withdraw_consent(s, municipality_id=aoba, consent_id=consent.id, now=world.clock.now())
    assert notes(world) == []
    assert "見つかりません" in chat.send(f"#{note.number}")
    [kept] = consents(world)
    assert kept.withdrawn_at == world.clock.now() and kept.record_id == note.id


def test_a_photo_gets_its_consent_recorded_when_attached(world):
    sato = world.chat("sato", "あおば市")
    sato.send("訪問")
    sato.send("今日")
    send_photo(world, sato)
    sato.send("公開可")
    send_all(sato, visit_answers()[2:])
    sato.send("保存")
    with session_scope(world.engine) as s:
        blob = s.exec(select(MediaBlob)).one()
        [consent] = consents_for(s, record_kind="media", record_id=blob.id)
        assert (consent.purpose, consent.wording_version) == ("公開可", PHOTO_CONSENT_VERSION)
        assert consent.member_id == blob.member_id and consent.given_at == world.clock.now()
        aoba = blob.municipality_id
    with session_scope(world.engine) as s:
        withdraw_consent(s, municipality_id=aoba, consent_id=consent.id, now=world.clock.now())
    with session_scope(world.engine) as s:
        assert s.exec(select(MediaBlob)).all() == []


def test_every_read_of_a_sensitive_note_is_audited_and_nothing_decrypts_it_in_chat(world, site):
    chat = world.chat("sato", "あおば市")
    site.post(ask_for_link(chat), consent="yes", details=DETAILS)
    [note] = notes(world)
    shown = chat.send(f"#{note.number}")
    assert DETAILS not in shown and "同意" in shown
    views = [a for a in audit(world, "record.view") if a.target.endswith(f":#{note.number}")]
    assert len(views) == 1 and DETAILS not in str(views[0].detail)
    with session_scope(world.engine) as s:
        stored = s.exec(select(SensitiveNote)).one()
        assert DETAILS.encode() not in stored.ciphertext
