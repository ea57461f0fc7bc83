"""Peer groups across municipalities: their chat, shared cases, worries and tips, trend counts.

A peer group sees only what a member explicitly shared (masked) and aggregate counts; the
queries here never return another municipality's records, only the group's own tables.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import bindparam, update
from sqlmodel import Session, col, select

from storage.access import TEAM_SCOPES
from storage.models import (
    Category,
    Municipality,
    Murmur,
    MurmurCategory,
    PeerGroup,
    PeerGroupMunicipality,
    PeerNote,
    Resource,
    SharedCase,
)


def add_peer_group(
    session: Session, *, name: str, municipality_ids: Sequence[int], now: datetime
) -> PeerGroup:
    """Create a peer group of municipalities; a name already taken raises ValueError."""
    if get_peer_group(session, name=name) is not None:
        raise ValueError(f"peer group already exists: {name}")
    group = PeerGroup(name=name, created_at=now)
    session.add(group)
    session.flush()
    assert group.id is not None
    for municipality_id in dict.fromkeys(municipality_ids):
        session.add(PeerGroupMunicipality(group_id=group.id, municipality_id=municipality_id))
    session.flush()
    return group


def get_peer_group(session: Session, *, name: str) -> PeerGroup | None:
    """Return the peer group called `name`, or None."""
    return session.exec(select(PeerGroup).where(PeerGroup.name == name)).first()


def group_municipalities(session: Session, *, group_id: int) -> list[Municipality]:
    """Return the municipalities of a peer group, in the order they were created."""
    statement = (
        select(Municipality)
        .join(PeerGroupMunicipality, col(PeerGroupMunicipality.municipality_id) == Municipality.id)
        .where(PeerGroupMunicipality.group_id == group_id)
        .order_by(col(Municipality.id))
    )
    return list(session.exec(statement))


def groups_of_municipality(session: Session, *, municipality_id: int) -> list[PeerGroup]:
    """Return the peer groups a municipality belongs to."""
    statement = (
        select(PeerGroup)
        .join(PeerGroupMunicipality, col(PeerGroupMunicipality.group_id) == PeerGroup.id)
        .where(PeerGroupMunicipality.municipality_id == municipality_id)
        .order_by(col(PeerGroup.id))
    )
    return list(session.exec(statement))


def group_for_chat(session: Session, *, channel: str, chat_id: str) -> PeerGroup | None:
    """Return the peer group a chat is connected to, or None."""
    return session.exec(_GROUP_OF_CHAT, params={"channel": channel, "chat_id": chat_id}).first()


# Built once: this runs for every incoming message (docs/performance.md, fix 8).
_GROUP_OF_CHAT = select(PeerGroup).where(
    col(PeerGroup.channel) == bindparam("channel"), col(PeerGroup.chat_id) == bindparam("chat_id")
)


def connect_chat(session: Session, group: PeerGroup, *, channel: str, chat_id: str) -> None:
    """Connect a group to a chat (a chat serves one group; a group has one chat)."""
    session.execute(
        update(PeerGroup)
        .where(col(PeerGroup.channel) == channel, col(PeerGroup.chat_id) == chat_id)
        .values(channel=None, chat_id=None)
    )
    session.flush()
    group.channel, group.chat_id = channel, chat_id
    session.add(group)
    session.flush()


def save_shared_case(session: Session, case: SharedCase) -> tuple[SharedCase, bool]:
    """Store a shared case, replacing an earlier share of the same record; return (case, new)."""
    earlier = session.exec(
        select(SharedCase).where(
            SharedCase.group_id == case.group_id,
            SharedCase.municipality_id == case.municipality_id,
            SharedCase.record_kind == case.record_kind,
            SharedCase.record_number == case.record_number,
        )
    ).first()
    if earlier is not None:
        for field in ("text", "categories", "area_label", "kind", "shared_by", "shared_at"):
            setattr(earlier, field, getattr(case, field))
        case = earlier
    session.add(case)
    session.flush()
    return case, earlier is None


def search_shared_cases(
    session: Session, *, group_ids: Sequence[int], words: Sequence[str]
) -> list[SharedCase]:
    """Return the cases shared to these groups that match every word, newest first.

    A word matches a case's masked text, area, kind, municipality or a category label. A
    record shared to several groups is returned once.
    """
    if not group_ids:
        return []
    statement = (
        select(SharedCase)
        .where(col(SharedCase.group_id).in_(group_ids))
        .order_by(col(SharedCase.shared_at).desc(), col(SharedCase.id).desc())
    )
    labels = {c.code: f"{c.label_ja} {c.label_en.lower()}" for c in session.exec(select(Category))}
    towns = municipality_names(session)
    found: dict[tuple[int, str, int], SharedCase] = {}
    for case in session.exec(statement):
        haystack = " ".join(
            [case.text, case.area_label, case.kind, towns.get(case.municipality_id, "")]
            + [labels.get(code, code) for code in case.categories]
        )
        key = (case.municipality_id, case.record_kind, case.record_number)
        if key not in found and all(w.lower() in haystack.lower() for w in words):
            found[key] = case
    return list(found.values())


def shareable_category_codes(session: Session, *, activity_id: int) -> list[str]:
    """Return the categories of the team-visible murmurs heard during an activity."""
    statement = (
        select(MurmurCategory.category_code)
        .join(Murmur, col(Murmur.id) == MurmurCategory.murmur_id)
        .where(Murmur.activity_id == activity_id, col(Murmur.sharing_scope).in_(TEAM_SCOPES))
        .order_by(col(Murmur.id), col(MurmurCategory.position))
    )
    return list(dict.fromkeys(session.exec(statement)))


def private_resource_names(session: Session, *, municipality_id: int) -> list[str]:
    """Return the names of a municipality's resources without consent to publish them."""
    statement = select(Resource.name).where(
        Resource.municipality_id == municipality_id, col(Resource.publish_consent).is_(False)
    )
    return list(session.exec(statement))


def municipality_names(session: Session) -> dict[int, str]:
    """Return every municipality's name by id."""
    return {m.id: m.name for m in session.exec(select(Municipality)) if m.id is not None}


def add_peer_note(session: Session, note: PeerNote) -> PeerNote:
    """Store a worry or a tip for the group's next meeting."""
    session.add(note)
    session.flush()
    return note


def list_open_notes(session: Session, *, group_id: int) -> list[PeerNote]:
    """Return the group's worries and tips not yet taken up at a meeting, oldest first."""
    statement = (
        select(PeerNote)
        .where(PeerNote.group_id == group_id, col(PeerNote.used_at).is_(None))
        .order_by(col(PeerNote.created_at), col(PeerNote.id))
    )
    return list(session.exec(statement))


def mark_notes_used(session: Session, *, note_ids: Sequence[int], now: datetime) -> None:
    """Mark worries and tips as taken up at a meeting (for the meetings feature)."""
    session.execute(update(PeerNote).where(col(PeerNote.id).in_(note_ids)).values(used_at=now))


def primary_category_counts(
    session: Session, *, municipality_ids: Sequence[int], date_from: date, date_to: date
) -> Counter[tuple[int, str | None]]:
    """Count team-visible murmurs by (municipality, primary category) captured in a period."""
    statement = (
        select(Murmur.municipality_id, MurmurCategory.category_code)
        .select_from(Murmur)
        .outerjoin(
            MurmurCategory,
            (col(MurmurCategory.murmur_id) == Murmur.id) & (col(MurmurCategory.position) == 0),
        )
        .where(
            col(Murmur.municipality_id).in_(municipality_ids),
            col(Murmur.sharing_scope).in_(TEAM_SCOPES),
            col(Murmur.captured_on) >= date_from,
            col(Murmur.captured_on) <= date_to,
        )
    )
    return Counter((muni, code) for muni, code in session.exec(statement))
