"""会議記録: light records of meetings held (回次, 出席, 議題, 課題提起, 決定事項, 今後の扱い, 次回)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, func, select

from storage.members import next_record_number
from storage.models import MeetingRecord, MeetingSeries

ORGANISATION_TYPES = ("地縁組織", "関係機関", "多様な主体", "行政", "SC")
RAISERS = ("第2層協議体", "SC", "住民", "行政", "包括", "その他")
FOLLOW_UPS = ("行政各課で共有", "第2層へ返す", "次回継続", "その他")


def add_record(
    session: Session,
    *,
    municipality_id: int,
    series_id: int,
    occurrence: date,
    recorded_by: int,
    now: datetime,
    **fields: Any,
) -> MeetingRecord:
    """Save a meeting record with the next record number (#M) of its municipality."""
    record = MeetingRecord(
        municipality_id=municipality_id,
        number=next_record_number(session, municipality_id=municipality_id),
        series_id=series_id,
        occurrence=occurrence,
        recorded_by=recorded_by,
        created_at=now,
        **fields,
    )
    session.add(record)
    session.flush()
    return record


def count_records_before(session: Session, *, series_id: int, occurrence: date) -> int:
    """Return how many records a series has of meetings held before `occurrence`."""
    statement = select(func.count()).where(
        MeetingRecord.series_id == series_id, col(MeetingRecord.occurrence) < occurrence
    )
    return int(session.exec(statement).one())


def has_record(session: Session, *, series_id: int, occurrence: date) -> bool:
    """Return whether a series has a record of the meeting held on a day."""
    found = session.exec(
        select(MeetingRecord.id).where(
            MeetingRecord.series_id == series_id, MeetingRecord.occurrence == occurrence
        )
    ).first()
    return found is not None


def get_record(session: Session, *, municipality_id: int, number: int) -> MeetingRecord | None:
    """Return the meeting record #number of a municipality, or None."""
    return session.exec(
        select(MeetingRecord).where(
            MeetingRecord.municipality_id == municipality_id, MeetingRecord.number == number
        )
    ).first()


def list_records(session: Session, *, series_id: int) -> list[MeetingRecord]:
    """Return a series' records, oldest meeting first."""
    return list(
        session.exec(
            select(MeetingRecord)
            .where(MeetingRecord.series_id == series_id)
            .order_by(col(MeetingRecord.occurrence), col(MeetingRecord.number))
        )
    )


def latest_records(
    session: Session, *, municipality_id: int, limit: int, series_id: int | None = None
) -> list[tuple[MeetingRecord, MeetingSeries]]:
    """Return a municipality's records (of one series) with their series, latest meeting first."""
    query = (
        select(MeetingRecord, MeetingSeries)
        .join(MeetingSeries, col(MeetingSeries.id) == MeetingRecord.series_id)
        .where(MeetingRecord.municipality_id == municipality_id)
        .order_by(col(MeetingRecord.occurrence).desc(), col(MeetingRecord.number).desc())
        .limit(limit)
    )
    if series_id is not None:
        query = query.where(MeetingRecord.series_id == series_id)
    return [(record, series) for record, series in session.exec(query)]
