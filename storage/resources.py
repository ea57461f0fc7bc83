"""Local resources (地域資源): salons, walking groups, mobile shops, helper services.

Every creation, update and status change of a resource writes a `ResourceChange`, so a monthly
report can count the resources that were new, updated, paused, resumed or closed in a period.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from storage.members import next_record_number
from storage.models import Resource, ResourceChange

ACTIVE = "活動中"
PAUSED = "休止"
RESUMED = "再開"
CLOSED = "廃止"
STATUSES: tuple[str, ...] = (ACTIVE, PAUSED, RESUMED, CLOSED)
ACTIVE_STATUSES: tuple[str, ...] = (ACTIVE, RESUMED)

CREATED = "created"
UPDATED = "updated"
STATUS = "status"

# The fields a coordinator or an import may set, in the order of the template and the card.
FIELDS: tuple[str, ...] = (
    "name",
    "kind",
    "area_id",
    "categories",
    "main_activities",
    "level",
    "schedule_text",
    "venue",
    "target",
    "fee",
    "participants",
    "operator",
    "contact",
    "contact_consent",
    "pr_point",
    "booking",
    "legal_position",
    "found_via",
    "publish_consent",
    "status",
    "status_as_of",
)


def add_resource(
    session: Session,
    *,
    municipality_id: int,
    name: str,
    now: datetime,
    created_by: int | None = None,
    source: str = "chat",
    **fields: Any,
) -> Resource:
    """Create a resource with the next record number and record its creation."""
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown resource fields: {sorted(unknown)}")
    resource = Resource(
        municipality_id=municipality_id,
        number=next_record_number(session, municipality_id=municipality_id),
        name=name,
        created_by=created_by,
        created_at=now,
        updated_at=now,
    )
    for key, value in fields.items():
        setattr(resource, key, list(value or []) if key == "categories" else value)
    session.add(resource)
    session.flush()
    _record(session, resource, CREATED, None, resource.status, now, created_by, source)
    return resource


def update_resource(
    session: Session,
    resource: Resource,
    *,
    now: datetime,
    member_id: int | None = None,
    source: str = "chat",
    **fields: Any,
) -> bool:
    """Update a resource's fields; record the change (and a status change) when anything differs."""
    changed = {k: v for k, v in fields.items() if k in FIELDS and getattr(resource, k) != v}
    if not changed:
        return False
    before = resource.status
    for key, value in changed.items():
        setattr(resource, key, value)
    resource.updated_at = now
    session.add(resource)
    session.flush()
    if resource.status != before:
        _record(session, resource, STATUS, before, resource.status, now, member_id, source)
    if set(changed) - {"status", "status_as_of"}:
        _record(session, resource, UPDATED, before, resource.status, now, member_id, source)
    return True


def set_resource_status(
    session: Session,
    resource: Resource,
    *,
    status: str,
    as_of: date,
    now: datetime,
    member_id: int | None = None,
) -> bool:
    """Move a resource to 活動中/休止/再開/廃止 as of a date; return False when already there."""
    if status not in STATUSES:
        raise ValueError(f"unknown resource status: {status}")
    if resource.status == status:
        return False
    return update_resource(
        session, resource, now=now, member_id=member_id, status=status, status_as_of=as_of
    )


def _record(
    session: Session,
    resource: Resource,
    change: str,
    before: str | None,
    after: str | None,
    now: datetime,
    member_id: int | None,
    source: str,
) -> None:
    assert resource.id is not None
    session.add(
        ResourceChange(
            municipality_id=resource.municipality_id,
            resource_id=resource.id,
            change=change,
            status_before=before if change != CREATED else None,
            status_after=after,
            at=now,
            member_id=member_id,
            source=source,
        )
    )


def resource_changes(
    session: Session, *, municipality_id: int, start: datetime, end: datetime
) -> list[ResourceChange]:
    """Return a municipality's resource changes in [start, end), oldest first.

    `change` is created | updated | status; a status change has status_before/status_after
    (休止 = paused, 再開 = resumed, 廃止 = closed).
    """
    query = (
        select(ResourceChange)
        .where(
            ResourceChange.municipality_id == municipality_id,
            col(ResourceChange.at) >= start,
            col(ResourceChange.at) < end,
        )
        .order_by(col(ResourceChange.at), col(ResourceChange.id))
    )
    return list(session.exec(query))


def get_resource(session: Session, *, municipality_id: int, number: int) -> Resource | None:
    """Return the resource #number of a municipality, if any."""
    return session.exec(
        select(Resource).where(
            Resource.municipality_id == municipality_id, Resource.number == number
        )
    ).first()


def get_resource_by_id(
    session: Session, *, municipality_id: int, resource_id: int
) -> Resource | None:
    """Return a resource by id, only if it belongs to the municipality."""
    resource = session.get(Resource, resource_id)
    return (
        resource if resource is not None and resource.municipality_id == municipality_id else None
    )


def list_resources_for_areas(
    session: Session, *, municipality_id: int, area_ids: Iterable[int]
) -> list[Resource]:
    """Return a municipality's resources located in any of the given areas, by number."""
    query = (
        select(Resource)
        .where(
            Resource.municipality_id == municipality_id,
            col(Resource.area_id).in_(list(area_ids)),
        )
        .order_by(col(Resource.number))
    )
    return list(session.exec(query))


def list_all_resources(session: Session, *, municipality_id: int) -> list[Resource]:
    """Return every resource of a municipality, by number."""
    query = select(Resource).where(Resource.municipality_id == municipality_id)
    return list(session.exec(query.order_by(col(Resource.number))))


def find_resource_by_name(session: Session, *, municipality_id: int, name: str) -> Resource | None:
    """Return the municipality's resource with exactly this name, if any."""
    return session.exec(
        select(Resource).where(Resource.municipality_id == municipality_id, Resource.name == name)
    ).first()


def find_resource_by_name_and_area(
    session: Session, *, municipality_id: int, name: str, area_id: int | None
) -> Resource | None:
    """Return the resource with this name in this area (the import's duplicate key), if any."""
    area_clause = (
        col(Resource.area_id).is_(None) if area_id is None else col(Resource.area_id) == area_id
    )
    return session.exec(
        select(Resource).where(
            Resource.municipality_id == municipality_id, Resource.name == name, area_clause
        )
    ).first()
