"""Murmurs (つぶやき) and their categories (DOMAIN.md §3.7)."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, col, select

from storage.members import next_record_number
from storage.models import Murmur, MurmurCategory


def add_murmur(
    session: Session,
    *,
    municipality_id: int,
    recorded_by: int,
    text: str,
    kind: str,
    categories: list[str],
    captured_on: date,
    now: datetime,
    channel: str = "console",
    area_id: int | None = None,
    activity_id: int | None = None,
    sharing_scope: str = "team",
    sensitive_flags: list[str] | None = None,
    pii_masked: bool = False,
    source: str | None = None,
) -> Murmur:
    """Create a murmur with the next record number and its categories (the primary first)."""
    murmur = Murmur(
        municipality_id=municipality_id,
        number=next_record_number(session, municipality_id=municipality_id),
        recorded_by=recorded_by,
        channel=channel,
        activity_id=activity_id,
        text=text,
        kind=kind,
        area_id=area_id,
        sharing_scope=sharing_scope,
        sensitive_flags=list(sensitive_flags or []),
        pii_masked=pii_masked,
        source=source,
        captured_on=captured_on,
        created_at=now,
        updated_at=now,
    )
    session.add(murmur)
    session.flush()
    _set_categories(session, murmur, categories)
    return murmur


def update_murmur(
    session: Session,
    murmur: Murmur,
    *,
    text: str,
    kind: str,
    categories: list[str],
    area_id: int | None,
    sharing_scope: str,
    sensitive_flags: list[str],
    pii_masked: bool,
    now: datetime,
) -> Murmur:
    """Change a murmur's text, kind, categories, area and sharing scope."""
    murmur.text = text
    murmur.kind = kind
    murmur.area_id = area_id
    murmur.sharing_scope = sharing_scope
    murmur.sensitive_flags = list(sensitive_flags)
    murmur.pii_masked = pii_masked
    murmur.updated_at = now
    session.add(murmur)
    session.flush()
    _set_categories(session, murmur, categories)
    return murmur


def get_murmur(session: Session, *, municipality_id: int, number: int) -> Murmur | None:
    """Return the murmur #number of a municipality, if any."""
    return session.exec(
        select(Murmur).where(Murmur.municipality_id == municipality_id, Murmur.number == number)
    ).first()


def murmur_category_codes(session: Session, *, murmur_id: int) -> list[str]:
    """Return a murmur's category codes, the primary first."""
    rows = session.exec(
        select(MurmurCategory.category_code)
        .where(MurmurCategory.murmur_id == murmur_id)
        .order_by(col(MurmurCategory.position))
    )
    return list(rows)


def _set_categories(session: Session, murmur: Murmur, codes: list[str]) -> None:
    assert murmur.id is not None
    for row in session.exec(select(MurmurCategory).where(MurmurCategory.murmur_id == murmur.id)):
        session.delete(row)
    session.flush()
    unique = list(dict.fromkeys(codes))
    for position, code in enumerate(unique):
        session.add(MurmurCategory(murmur_id=murmur.id, category_code=code, position=position))
    session.flush()
