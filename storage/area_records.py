"""One area's records, for its sheet (エリア NAME): resources, murmurs, visits, connections.

An area includes every area below it. Murmurs are returned whole (their texts included): the
caller quotes only those the viewer may read (storage.access) and counts the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, or_, select

from storage.members import area_and_descendant_ids
from storage.models import Activity, Connection, FollowUp, Murmur, Resource

VISIT = "訪問"
CLOSED = "廃止"


@dataclass
class AreaRecords:
    resources: list[Resource]
    murmurs: list[Murmur]
    visits: list[Activity]
    connections: list[tuple[Connection, FollowUp | None]]


def area_records(session: Session, *, municipality_id: int, area_id: int) -> AreaRecords:
    """Return the records of an area and its sub-areas (resources not closed, newest last)."""
    ids = area_and_descendant_ids(session, municipality_id=municipality_id, area_id=area_id)
    resources = session.exec(
        select(Resource)
        .where(Resource.municipality_id == municipality_id, col(Resource.area_id).in_(ids))
        .where(Resource.status != CLOSED)
        .order_by(col(Resource.number))
    ).all()
    murmurs = session.exec(
        select(Murmur)
        .where(Murmur.municipality_id == municipality_id, col(Murmur.area_id).in_(ids))
        .order_by(col(Murmur.captured_on), col(Murmur.number))
    ).all()
    visits = session.exec(
        select(Activity)
        .where(Activity.municipality_id == municipality_id, col(Activity.area_id).in_(ids))
        .where(Activity.activity_type == VISIT)
        .order_by(col(Activity.occurred_on), col(Activity.number))
    ).all()
    murmur_ids = [m.id for m in murmurs]
    resource_ids = [r.id for r in resources]
    pairs = session.exec(
        select(Connection, FollowUp)
        .outerjoin(FollowUp, col(FollowUp.connection_id) == col(Connection.id))
        .where(Connection.municipality_id == municipality_id)
        .where(
            or_(
                col(Connection.murmur_id).in_(murmur_ids),
                col(Connection.resource_id).in_(resource_ids),
            )
        )
        .order_by(col(Connection.number))
    ).all()
    return AreaRecords(list(resources), list(murmurs), list(visits), [(c, f) for c, f in pairs])
