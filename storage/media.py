"""Photos and files from the field, kept with the consent given for them."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from storage.consent import MEDIA, record_consent
from storage.models import MediaBlob

PHOTO_SUBJECT = "写っている人 / the people in the photo"
PHOTO_CONSENT_VERSION = "2026-11 v1"
# The chat question (bot/texts/channels.py `media.consent` and its three answers), as recorded.
PHOTO_CONSENT_WORDING = "写真を受け取りました。撮影・掲載の了承はどこまでありますか？ 了承なし / 内部のみ / 公開可"


def add_media(
    session: Session,
    *,
    municipality_id: int,
    member_id: int,
    channel: str,
    source_id: str,
    content_type: str,
    data: bytes,
    now: datetime,
) -> MediaBlob:
    """Store a photo (not yet attached to a record, consent not yet given)."""
    blob = MediaBlob(
        municipality_id=municipality_id,
        member_id=member_id,
        channel=channel,
        source_id=source_id,
        content_type=content_type,
        size=len(data),
        data=data,
        created_at=now,
    )
    session.add(blob)
    session.flush()
    return blob


def find_media(session: Session, *, channel: str, source_id: str) -> MediaBlob | None:
    """Return a photo already stored for a platform message (a redelivered event)."""
    query = select(MediaBlob).where(MediaBlob.channel == channel, MediaBlob.source_id == source_id)
    return session.exec(query).first()


def delete_media(session: Session, *, media_id: int, member_id: int | None) -> bool:
    """Delete a member's own unattached photo (e.g. consent refused); return whether it went."""
    blob = session.get(MediaBlob, media_id)
    if blob is None or blob.member_id != member_id or blob.activity_id is not None:
        return False
    session.delete(blob)
    session.flush()
    return True


def attach_media(
    session: Session,
    *,
    media: list[dict[str, object]],
    activity_id: int,
    member_id: int,
    now: datetime,
) -> list[MediaBlob]:
    """Attach a draft's photos ({"id", "consent"}) to a saved activity, each with its consent
    recorded first (撮影・掲載の了承, asked in chat); foreign ids are skipped."""
    attached = []
    for item in media:
        blob = session.get(MediaBlob, int(str(item["id"])))
        if blob is None or blob.member_id != member_id:
            continue
        assert blob.id is not None
        record_consent(
            session,
            municipality_id=blob.municipality_id,
            member_id=member_id,
            subject=PHOTO_SUBJECT,
            purpose=str(item["consent"]),
            wording_version=PHOTO_CONSENT_VERSION,
            wording=PHOTO_CONSENT_WORDING,
            record_kind=MEDIA,
            record_id=blob.id,
            now=now,
        )
        blob.activity_id = activity_id
        blob.consent = str(item["consent"])
        session.add(blob)
        attached.append(blob)
    session.flush()
    return attached


def list_media_of_activity(session: Session, *, activity_id: int) -> list[MediaBlob]:
    query = (
        select(MediaBlob).where(MediaBlob.activity_id == activity_id).order_by(col(MediaBlob.id))
    )
    return list(session.exec(query))
