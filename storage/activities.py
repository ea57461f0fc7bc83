"""Activity records (活動記録, a visit being the type 訪問) and leads (芋づる) found on visits."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, func, select

from storage.members import next_record_number
from storage.models import Activity, Lead, Murmur

VISIT = "訪問"
OPEN_LEAD = "未訪問"

# The columns a handler may set on an activity; the rest are the store's to manage.
ACTIVITY_FIELDS = frozenset(
    {
        "activity_type",
        "occurred_on",
        "duration_min",
        "area_id",
        "place_label",
        "resource_id",
        "purpose",
        "visit_ordinal",
        "participants_count",
        "companions",
        "counterpart",
        "treasures",
        "kubun",
        "outcome",
    }
)


def _check_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - ACTIVITY_FIELDS
    if unknown:
        raise ValueError(f"not activity fields: {sorted(unknown)}")


def add_activity(
    session: Session,
    *,
    municipality_id: int,
    recorded_by: int,
    now: datetime,
    channel: str = "console",
    **fields: Any,
) -> Activity:
    """Create an activity record with the next record number."""
    _check_fields(fields)
    activity = Activity(
        municipality_id=municipality_id,
        number=next_record_number(session, municipality_id=municipality_id),
        recorded_by=recorded_by,
        channel=channel,
        created_at=now,
        updated_at=now,
        **fields,
    )
    session.add(activity)
    session.flush()
    return activity


def update_activity(
    session: Session, activity: Activity, *, now: datetime, **fields: Any
) -> Activity:
    """Change an activity record's fields."""
    _check_fields(fields)
    for name, value in fields.items():
        setattr(activity, name, value)
    activity.updated_at = now
    session.add(activity)
    session.flush()
    return activity


def get_activity(session: Session, *, municipality_id: int, number: int) -> Activity | None:
    """Return the activity record #number of a municipality, if any."""
    return session.exec(
        select(Activity).where(
            Activity.municipality_id == municipality_id, Activity.number == number
        )
    ).first()


def count_visits_to_resource(
    session: Session,
    *,
    municipality_id: int,
    resource_id: int,
    on_or_before: date | None = None,
    exclude_activity_id: int | None = None,
) -> int:
    """Return how many visits a municipality has recorded to a resource (up to a date)."""
    query = select(func.count()).where(
        Activity.municipality_id == municipality_id,
        Activity.resource_id == resource_id,
        Activity.activity_type == VISIT,
    )
    if on_or_before is not None:
        query = query.where(Activity.occurred_on <= on_or_before)
    if exclude_activity_id is not None:
        query = query.where(Activity.id != exclude_activity_id)
    return int(session.exec(query).one())


def add_lead(
    session: Session,
    *,
    municipality_id: int,
    label: str,
    created_by: int,
    now: datetime,
    activity_id: int | None = None,
    area_id: int | None = None,
) -> Lead:
    """Create a lead (a place to visit next) with the next record number."""
    lead = Lead(
        municipality_id=municipality_id,
        number=next_record_number(session, municipality_id=municipality_id),
        activity_id=activity_id,
        label=label,
        area_id=area_id,
        created_by=created_by,
        created_at=now,
    )
    session.add(lead)
    session.flush()
    return lead


def list_open_leads(
    session: Session, *, municipality_id: int, area_ids: Iterable[int] | None = None
) -> list[Lead]:
    """Return a municipality's leads not visited yet, oldest first (optionally in some areas)."""
    query = select(Lead).where(Lead.municipality_id == municipality_id, Lead.status == OPEN_LEAD)
    if area_ids is not None:
        query = query.where(col(Lead.area_id).in_(list(area_ids)))
    return list(session.exec(query.order_by(col(Lead.number))))


def list_leads_of_activity(session: Session, *, activity_id: int) -> list[Lead]:
    """Return the leads found on one activity, in the order they were recorded."""
    query = select(Lead).where(Lead.activity_id == activity_id).order_by(col(Lead.number))
    return list(session.exec(query))


def list_murmurs_of_activity(session: Session, *, activity_id: int) -> list[Murmur]:
    """Return the murmurs heard on one activity, in the order they were recorded."""
    query = select(Murmur).where(Murmur.activity_id == activity_id).order_by(col(Murmur.number))
    return list(session.exec(query))


def get_activity_by_id(
    session: Session, *, municipality_id: int, activity_id: int
) -> Activity | None:
    """Return an activity record by id, only if it belongs to the municipality."""
    activity = session.get(Activity, activity_id)
    return (
        activity if activity is not None and activity.municipality_id == municipality_id else None
    )
