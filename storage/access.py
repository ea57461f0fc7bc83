"""Who may see and change which record: the single place that decides (DESIGN.md §4, DOMAIN.md §7.3).

- The municipality is the boundary: every clause below filters by the viewer's municipality.
- Activities (visits included), leads and resources are team records of their municipality.
- Murmurs are read by everyone of the municipality when shared with the team (or wider);
  `private` and `restricted_individual` murmurs are read by their author only — not by officers,
  not by admins, not by another coordinator.
- Only the author may edit a record; the author or an admin may delete one they can read.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, or_
from sqlmodel import col

from storage.models import (
    Activity,
    Lead,
    Member,
    Murmur,
    Resource,
    Role,
    SensitiveNote,
    SharingScope,
)

Record = Activity | Murmur | Lead | Resource | SensitiveNote

TEAM_SCOPES: tuple[str, ...] = (
    SharingScope.TEAM.value,
    SharingScope.PEER.value,
    SharingScope.PUBLIC.value,
)
AUTHOR_ONLY_SCOPES: tuple[str, ...] = (SharingScope.PRIVATE.value, SharingScope.RESTRICTED.value)


def is_author_only(murmur: Murmur) -> bool:
    """Return whether a murmur may be read by its author alone (private or restricted)."""
    return murmur.sharing_scope not in TEAM_SCOPES


def visible_activities_clause(viewer: Member) -> ColumnElement[bool]:
    """Return the WHERE clause for the activities (visits included) a member may read."""
    return col(Activity.municipality_id) == viewer.municipality_id


def visible_murmurs_clause(viewer: Member) -> ColumnElement[bool]:
    """Return the WHERE clause for the murmurs a member may read."""
    return and_(
        col(Murmur.municipality_id) == viewer.municipality_id,
        or_(col(Murmur.sharing_scope).in_(TEAM_SCOPES), col(Murmur.recorded_by) == viewer.id),
    )


def visible_leads_clause(viewer: Member) -> ColumnElement[bool]:
    """Return the WHERE clause for the leads (芋づる) a member may read."""
    return col(Lead.municipality_id) == viewer.municipality_id


def visible_resources_clause(viewer: Member) -> ColumnElement[bool]:
    """Return the WHERE clause for the resources a member may read."""
    return col(Resource.municipality_id) == viewer.municipality_id


def author_id(record: Record) -> int | None:
    """Return the id of the member who recorded a record."""
    if isinstance(record, Activity | Murmur | SensitiveNote):
        return record.recorded_by
    return record.created_by


def can_read(viewer: Member, record: Record) -> bool:
    """Return whether a member may read a record."""
    if record.municipality_id != viewer.municipality_id:
        return False
    if isinstance(record, Murmur) and is_author_only(record):
        return record.recorded_by == viewer.id
    if isinstance(record, SensitiveNote):
        return record.recorded_by == viewer.id or viewer.role == Role.ADMIN
    return True


def can_edit(viewer: Member, record: Record) -> bool:
    """Return whether a member may edit (修正) a record: their own only."""
    return can_read(viewer, record) and author_id(record) == viewer.id


def can_delete(viewer: Member, record: Record) -> bool:
    """Return whether a member may delete (削除) a record: their own, or any they read if admin."""
    return can_edit(viewer, record) or (can_read(viewer, record) and viewer.role == Role.ADMIN)


def summary_scope_author(viewer: Member) -> int | None:
    """Return whose records a member's summary covers: their own (coordinator) or all (None)."""
    return viewer.id if viewer.role == Role.COORDINATOR else None
