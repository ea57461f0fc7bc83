"""Local resources (地域資源): salons, walking groups, mobile shops, helper services."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlmodel import Session, col, select

from storage.members import next_record_number
from storage.models import Resource


def add_resource(
    session: Session,
    *,
    municipality_id: int,
    name: str,
    now: datetime,
    kind: str | None = None,
    area_id: int | None = None,
    categories: list[str] | None = None,
    main_activities: str | None = None,
    schedule_text: str | None = None,
    venue: str | None = None,
    target: str | None = None,
    fee: str | None = None,
    operator: str | None = None,
    status: str = "活動中",
    status_as_of: date | None = None,
    publish_consent: bool = False,
    found_via: str | None = None,
    created_by: int | None = None,
) -> Resource:
    """Create a resource with the next record number."""
    resource = Resource(
        municipality_id=municipality_id,
        number=next_record_number(session, municipality_id=municipality_id),
        name=name,
        kind=kind,
        area_id=area_id,
        categories=list(categories or []),
        main_activities=main_activities,
        schedule_text=schedule_text,
        venue=venue,
        target=target,
        fee=fee,
        operator=operator,
        status=status,
        status_as_of=status_as_of,
        publish_consent=publish_consent,
        found_via=found_via,
        created_by=created_by,
        created_at=now,
    )
    session.add(resource)
    session.flush()
    return resource


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


def find_resource_by_name(session: Session, *, municipality_id: int, name: str) -> Resource | None:
    """Return the municipality's resource with exactly this name, if any."""
    return session.exec(
        select(Resource).where(Resource.municipality_id == municipality_id, Resource.name == name)
    ).first()
