"""Municipalities, areas, members and their chat identities."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, update
from sqlmodel import Session, col, select

from storage.models import Area, Identity, Member, MemberArea, Municipality


class NotFound(LookupError):
    """A named municipality, area or member does not exist."""


def add_municipality(
    session: Session, *, name: str, prefecture: str | None, now: datetime
) -> Municipality:
    """Create a municipality."""
    municipality = Municipality(name=name, prefecture=prefecture, created_at=now)
    session.add(municipality)
    session.flush()
    return municipality


def get_municipality(session: Session, *, name: str) -> Municipality:
    """Return the municipality called `name`, or raise NotFound."""
    found = session.exec(select(Municipality).where(Municipality.name == name)).first()
    if found is None:
        raise NotFound(f"municipality not found: {name}")
    return found


def list_municipalities(session: Session) -> list[Municipality]:
    return list(session.exec(select(Municipality).order_by(col(Municipality.id))))


def next_record_number(session: Session, *, municipality_id: int) -> int:
    """Take the next record number (#N) of a municipality, atomically."""
    statement = (
        update(Municipality)
        .where(col(Municipality.id) == municipality_id)
        .values(next_record_no=col(Municipality.next_record_no) + 1)
        .returning(col(Municipality.next_record_no))
    )
    taken = session.connection().execute(statement).scalar_one()
    return int(taken) - 1


def add_area(
    session: Session, *, municipality_id: int, name: str, kind: str, parent_id: int | None = None
) -> Area:
    """Create an area in a municipality's area tree."""
    area = Area(municipality_id=municipality_id, name=name, kind=kind, parent_id=parent_id)
    session.add(area)
    session.flush()
    return area


def get_area(session: Session, *, municipality_id: int, name: str) -> Area:
    """Return the area of this municipality called `name`, or raise NotFound."""
    found = session.exec(
        select(Area).where(Area.municipality_id == municipality_id, Area.name == name)
    ).first()
    if found is None:
        raise NotFound(f"area not found: {name}")
    return found


def get_area_by_id(session: Session, *, municipality_id: int, area_id: int) -> Area | None:
    """Return an area by id, only if it belongs to the municipality."""
    area = session.get(Area, area_id)
    return area if area is not None and area.municipality_id == municipality_id else None


def list_areas(session: Session, *, municipality_id: int) -> list[Area]:
    """Return a municipality's areas in creation order."""
    return list(
        session.exec(
            select(Area).where(Area.municipality_id == municipality_id).order_by(col(Area.id))
        )
    )


def area_and_descendant_ids(session: Session, *, municipality_id: int, area_id: int) -> set[int]:
    """Return an area's id with the ids of every area below it."""
    children: dict[int | None, list[int]] = {}
    for area in list_areas(session, municipality_id=municipality_id):
        assert area.id is not None
        children.setdefault(area.parent_id, []).append(area.id)
    found, todo = set(), [area_id]
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo.extend(children.get(current, []))
    return found


def add_member(
    session: Session,
    *,
    municipality_id: int,
    name: str,
    role: str,
    now: datetime,
    layer: int | None = None,
    area_ids: list[int] | None = None,
    language: str = "ja",
) -> Member:
    """Create a member with their areas."""
    member = Member(
        municipality_id=municipality_id,
        name=name,
        role=role,
        layer=layer,
        language=language,
        created_at=now,
    )
    session.add(member)
    session.flush()
    assert member.id is not None
    for area_id in area_ids or []:
        session.add(MemberArea(member_id=member.id, area_id=area_id))
    session.flush()
    return member


def member_area_ids(session: Session, *, member_id: int) -> list[int]:
    """Return the ids of the areas a member is assigned to."""
    rows = session.exec(select(MemberArea.area_id).where(MemberArea.member_id == member_id))
    return list(rows)


def list_members(session: Session, *, municipality_id: int) -> list[tuple[Member, list[Identity]]]:
    """Return a municipality's members, each with their chat identities."""
    members = session.exec(
        select(Member).where(Member.municipality_id == municipality_id).order_by(col(Member.id))
    ).all()
    result = []
    for member in members:
        identities = session.exec(select(Identity).where(Identity.member_id == member.id)).all()
        result.append((member, list(identities)))
    return result


def get_member(session: Session, *, member_id: int) -> Member | None:
    return session.get(Member, member_id)


# Built once: this runs for every incoming message (docs/performance.md, fix 8).
_MEMBER_BY_IDENTITY = (
    select(Member)
    .join(Identity, col(Identity.member_id) == col(Member.id))
    .where(
        col(Identity.channel) == bindparam("channel"),
        col(Identity.external_id) == bindparam("external_id"),
        col(Identity.active).is_(True),
        col(Member.active).is_(True),
    )
)


def find_member_by_identity(session: Session, *, channel: str, external_id: str) -> Member | None:
    """Return the active member behind an active chat identity, if any."""
    params = {"channel": channel, "external_id": external_id}
    return session.exec(_MEMBER_BY_IDENTITY, params=params).first()


def link_identity(
    session: Session,
    *,
    channel: str,
    external_id: str,
    member_id: int,
    display_name: str | None,
    now: datetime,
) -> Identity:
    """Link a chat account to a member (re-using the row of an earlier, deactivated link)."""
    identity = session.exec(
        select(Identity).where(Identity.channel == channel, Identity.external_id == external_id)
    ).first()
    if identity is None:
        identity = Identity(channel=channel, external_id=external_id, member_id=member_id)
    identity.member_id = member_id
    identity.display_name = display_name
    identity.active = True
    identity.created_at = now
    session.add(identity)
    session.flush()
    return identity


def revoke_member(session: Session, *, member_id: int, now: datetime) -> Member:
    """Cut a member's access at once; their records stay with the municipality."""
    member = session.get(Member, member_id)
    if member is None:
        raise NotFound(f"member not found: {member_id}")
    member.active = False
    member.revoked_at = now
    for identity in session.exec(select(Identity).where(Identity.member_id == member_id)):
        identity.active = False
        session.add(identity)
    session.add(member)
    session.flush()
    return member


def deactivate_identity(session: Session, *, channel: str, external_id: str) -> bool:
    """Deactivate one chat account (e.g. the user blocked the bot); the member stays."""
    identity = session.exec(
        select(Identity).where(Identity.channel == channel, Identity.external_id == external_id)
    ).first()
    if identity is None or not identity.active:
        return False
    identity.active = False
    session.add(identity)
    return True


def reactivate_identity(session: Session, *, channel: str, external_id: str) -> bool:
    """Re-activate a chat account deactivated by an unfollow; return whether there was one."""
    identity = session.exec(
        select(Identity).where(Identity.channel == channel, Identity.external_id == external_id)
    ).first()
    if identity is None or identity.active:
        return False
    identity.active = True
    session.add(identity)
    session.flush()
    return True
