"""Records by number (#42): activities, murmurs, leads and resources share one number sequence.

Lookups for a viewer go through `storage.access`; a number the viewer may not read is reported
exactly like a number that does not exist (callers get None either way).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from storage.access import Record, can_read, visible_leads_clause, visible_murmurs_clause
from storage.models import (
    Activity,
    Area,
    Category,
    FormToken,
    Lead,
    MediaBlob,
    Member,
    Murmur,
    MurmurCategory,
    Resource,
    SensitiveNote,
)

RECORD_TYPES: tuple[type[Any], ...] = (Activity, Murmur, Lead, Resource, SensitiveNote)
CHUNK = 1000  # ids per IN (...) query, well under SQLite's and PostgreSQL's parameter limits


def record_kind(record: Record) -> str:
    """Return a record's kind: activity, murmur, lead or resource."""
    return type(record).__name__.lower()


def find_record(session: Session, *, municipality_id: int, number: int) -> Record | None:
    """Return the record with this number in a municipality, whatever its kind."""
    for table in RECORD_TYPES:
        found = session.exec(
            select(table).where(table.municipality_id == municipality_id, table.number == number)
        ).first()
        if found is not None:
            return found
    return None


def find_visible_record(session: Session, *, viewer: Member, number: int) -> Record | None:
    """Return the record #number if the viewer may read it; None if missing or not theirs to see."""
    record = find_record(session, municipality_id=viewer.municipality_id, number=number)
    return record if record is not None and can_read(viewer, record) else None


def murmur_category_codes(session: Session, *, murmur_id: int) -> list[str]:
    """Return a murmur's category codes, the primary one first."""
    rows = session.exec(
        select(MurmurCategory)
        .where(MurmurCategory.murmur_id == murmur_id)
        .order_by(col(MurmurCategory.position))
    )
    return [row.category_code for row in rows]


def category_codes_by_murmur(
    session: Session, *, murmur_ids: Sequence[int]
) -> dict[int, list[str]]:
    """Return the category codes (primary first) of many murmurs at once."""
    found: dict[int, list[str]] = {murmur_id: [] for murmur_id in murmur_ids}
    for start in range(0, len(murmur_ids), CHUNK):
        rows = session.exec(  # plain columns: no ORM objects for thousands of rows
            select(MurmurCategory.murmur_id, MurmurCategory.category_code)
            .where(col(MurmurCategory.murmur_id).in_(murmur_ids[start : start + CHUNK]))
            .order_by(col(MurmurCategory.murmur_id), col(MurmurCategory.position))
        )
        for murmur_id, code in rows:
            found[murmur_id].append(code)
    return found


def category_labels(session: Session) -> dict[str, tuple[str, str]]:
    """Return every category's (Japanese, English) label by code."""
    return {c.code: (c.label_ja, c.label_en) for c in session.exec(select(Category))}


def area_names(session: Session, *, municipality_id: int) -> dict[int, str]:
    """Return a municipality's area names by id."""
    rows = session.exec(select(Area).where(Area.municipality_id == municipality_id))
    return {a.id: a.name for a in rows if a.id is not None}


def member_names(session: Session, *, municipality_id: int) -> dict[int, str]:
    """Return a municipality's member names by id (revoked members included)."""
    rows = session.exec(select(Member).where(Member.municipality_id == municipality_id))
    return {m.id: m.name for m in rows if m.id is not None}


def linked_murmurs(session: Session, *, viewer: Member, activity_id: int) -> list[Murmur]:
    """Return the murmurs heard during an activity that the viewer may read."""
    query = (
        select(Murmur)
        .where(Murmur.activity_id == activity_id, visible_murmurs_clause(viewer))
        .order_by(col(Murmur.number))
    )
    return list(session.exec(query))


def linked_leads(session: Session, *, viewer: Member, activity_id: int) -> list[Lead]:
    """Return the leads (芋づる) noted during an activity."""
    query = (
        select(Lead)
        .where(Lead.activity_id == activity_id, visible_leads_clause(viewer))
        .order_by(col(Lead.number))
    )
    return list(session.exec(query))


def delete_record(session: Session, record: Record) -> None:
    """Delete a record: an activity's murmurs and leads stay but lose the link; a murmur's categories go."""
    if isinstance(record, Resource):
        raise ValueError("resources are not deleted by number")
    if isinstance(record, Activity):
        session.execute(delete(MediaBlob).where(col(MediaBlob.activity_id) == record.id))
        session.execute(
            update(Murmur).where(col(Murmur.activity_id) == record.id).values(activity_id=None)
        )
        session.execute(
            update(Lead).where(col(Lead.activity_id) == record.id).values(activity_id=None)
        )
    if isinstance(record, Murmur):
        session.execute(delete(MurmurCategory).where(col(MurmurCategory.murmur_id) == record.id))
        session.execute(
            update(SensitiveNote)
            .where(col(SensitiveNote.murmur_id) == record.id)
            .values(murmur_id=None)
        )
        session.execute(
            update(FormToken).where(col(FormToken.murmur_id) == record.id).values(murmur_id=None)
        )
    session.delete(record)
    session.flush()


def list_activities(session: Session, *, municipality_id: int) -> list[Activity]:
    """Return a municipality's activities in number order."""
    query = select(Activity).where(Activity.municipality_id == municipality_id)
    return list(session.exec(query.order_by(col(Activity.number))))


def list_murmurs(session: Session, *, municipality_id: int) -> list[Murmur]:
    """Return a municipality's murmurs in number order (restricted ones included)."""
    query = select(Murmur).where(Murmur.municipality_id == municipality_id)
    return list(session.exec(query.order_by(col(Murmur.number))))


def list_leads(session: Session, *, municipality_id: int) -> list[Lead]:
    """Return a municipality's leads in number order."""
    query = select(Lead).where(Lead.municipality_id == municipality_id)
    return list(session.exec(query.order_by(col(Lead.number))))


def list_resources(session: Session, *, municipality_id: int) -> list[Resource]:
    """Return a municipality's resources in number order."""
    query = select(Resource).where(Resource.municipality_id == municipality_id)
    return list(session.exec(query.order_by(col(Resource.number))))


def activity_numbers(session: Session, *, municipality_id: int) -> dict[int, int]:
    """Return the record number of each activity by id."""
    rows = session.exec(
        select(Activity.id, Activity.number).where(Activity.municipality_id == municipality_id)
    )
    return {activity_id: number for activity_id, number in rows if activity_id is not None}
