"""Meeting series, their cancelled or moved occurrences, their audience and the RSVPs."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from schedules.occurrences import Occurrence, Policy, occurrences
from schedules.recurrence import EXAMPLES, Recurrence, parse_recurrence
from storage.audit import add_audit
from storage.members import (
    area_and_descendant_ids,
    get_municipality,
    member_area_ids,
    next_record_number,
)
from storage.models import MeetingException, MeetingSeries, Member, PeerGroupMunicipality, Rsvp

ANSWERS = ("参加", "欠席", "未定")
KINDS = (
    "定例連絡会",
    "協議体（第1層）",
    "協議体（第2層）",
    "勉強会",
    "情報交換会",
    "研修",
    "地域ケア会議",
    "その他",
)


def add_series(
    session: Session,
    *,
    municipality_id: int,
    kind: str,
    title: str,
    rrule: str,
    time_of_day: time,
    starts_on: date,
    now: datetime,
    **fields: Any,
) -> MeetingSeries:
    """Create a meeting series with the next record number (#N) of its municipality."""
    series = MeetingSeries(
        municipality_id=municipality_id,
        number=next_record_number(session, municipality_id=municipality_id),
        kind=kind,
        title=title,
        rrule=rrule,
        time_of_day=time_of_day,
        starts_on=starts_on,
        created_at=now,
        **fields,
    )
    session.add(series)
    session.flush()
    return series


class UnreadableMeeting(ValueError):
    """A meeting given on the command line whose schedule or first date cannot be read."""


def add_series_from_text(
    session: Session,
    *,
    municipality: str,
    kind: str,
    title: str,
    when: str,
    starts: str | None,
    policy: str,
    now: datetime,
    tz: ZoneInfo,
    place: str | None = None,
    duration_min: int | None = None,
) -> tuple[MeetingSeries, str]:
    """Create a series for everyone in a municipality from words (`tsunagi meeting add`)."""
    found = get_municipality(session, name=municipality)
    assert found.id is not None
    try:
        first = date.fromisoformat(starts) if starts else now.astimezone(tz).date()
    except ValueError:
        raise UnreadableMeeting(f"not a date (YYYY-MM-DD): {starts}") from None
    rule = parse_recurrence(when, start=first)
    if not isinstance(rule, Recurrence) or rule.time is None:
        examples = "\n".join(f"  {e} 14:00" if ":" not in e else f"  {e}" for e in EXAMPLES)
        raise UnreadableMeeting(f"cannot read --when {when!r} with a time; e.g.\n{examples}")
    series = add_series(
        session,
        municipality_id=found.id,
        kind=kind,
        title=title,
        rrule=rule.rrule,
        time_of_day=rule.time,
        starts_on=first,
        now=now,
        place=place,
        duration_min=duration_min,
        holiday_policy=policy,
    )
    add_audit(
        session,
        at=now,
        action="meeting.create",
        municipality_id=found.id,
        actor="cli",
        target=f"meeting:#{series.number}",
        detail={"kind": kind},
    )
    return series, rule.describe("ja")


def get_series(session: Session, *, municipality_id: int, number: int) -> MeetingSeries | None:
    """Return the series #number of a municipality, or None."""
    return session.exec(
        select(MeetingSeries).where(
            MeetingSeries.municipality_id == municipality_id, MeetingSeries.number == number
        )
    ).first()


def list_series(session: Session, *, municipality_id: int) -> list[MeetingSeries]:
    """Return a municipality's meeting series in number order."""
    return list(
        session.exec(
            select(MeetingSeries)
            .where(MeetingSeries.municipality_id == municipality_id)
            .order_by(col(MeetingSeries.number))
        )
    )


def in_audience(session: Session, *, series: MeetingSeries, member: Member) -> bool:
    """Return whether a member is invited to a series (its municipality, area, role or group)."""
    kind, _, ref = series.audience.partition(":")
    if not member.active:
        return False
    if kind == "peer":
        return _in_peer_group(session, group_id=int(ref), municipality_id=member.municipality_id)
    if member.municipality_id != series.municipality_id:
        return False
    if kind == "role":
        return member.role == ref
    if kind == "area":
        return _works_in_area(session, member=member, area_id=int(ref))
    return kind == "municipality"


def _in_peer_group(session: Session, *, group_id: int, municipality_id: int) -> bool:
    return session.get(PeerGroupMunicipality, (group_id, municipality_id)) is not None


def _works_in_area(session: Session, *, member: Member, area_id: int) -> bool:
    """Members of the whole municipality, of the area, above it or below it are invited."""
    assert member.id is not None
    assigned = member_area_ids(session, member_id=member.id)
    if not assigned:
        return True
    below = area_and_descendant_ids(
        session, municipality_id=member.municipality_id, area_id=area_id
    )
    return any(
        area_id
        in area_and_descendant_ids(session, municipality_id=member.municipality_id, area_id=a)
        or a in below
        for a in assigned
    )


def rsvp_value(series: MeetingSeries, original: date) -> str:
    """Return the RSVP choice value of an occurrence, without its answer.

    A municipality's own series is named by its number (`rsvp:12:2026-12-08`); a peer-group
    series by `p` and its id, since its members come from several municipalities whose numbers
    overlap (`rsvp:p7:2026-12-08`).
    """
    ref = f"p{series.id}" if peer_group_of(series) is not None else str(series.number)
    return f"rsvp:{ref}:{original.isoformat()}"


def peer_group_of(series: MeetingSeries) -> int | None:
    """Return the peer group a series is for (audience `peer:<id>`), or None."""
    kind, _, ref = series.audience.partition(":")
    return int(ref) if kind == "peer" and ref.isdigit() else None


def audience_members(session: Session, *, series: MeetingSeries) -> list[Member]:
    """Return the active members invited to a series.

    A peer-group series invites the members of every municipality of the group; any other
    series only members of its own municipality.
    """
    group_id = peer_group_of(series)
    if group_id is None:
        towns = [series.municipality_id]
    else:
        towns = list(
            session.exec(
                select(PeerGroupMunicipality.municipality_id).where(
                    PeerGroupMunicipality.group_id == group_id
                )
            )
        )
    members = session.exec(
        select(Member)
        .where(col(Member.municipality_id).in_(towns), col(Member.active).is_(True))
        .order_by(col(Member.id))
    )
    return [m for m in members if in_audience(session, series=series, member=m)]


def peer_series_for(session: Session, *, municipality_id: int) -> list[MeetingSeries]:
    """Return the peer-group series of other municipalities that a municipality is invited to."""
    groups = session.exec(
        select(PeerGroupMunicipality.group_id).where(
            PeerGroupMunicipality.municipality_id == municipality_id
        )
    )
    audiences = [f"peer:{group_id}" for group_id in groups]
    if not audiences:
        return []
    return list(
        session.exec(
            select(MeetingSeries)
            .where(
                col(MeetingSeries.audience).in_(audiences),
                MeetingSeries.municipality_id != municipality_id,
            )
            .order_by(col(MeetingSeries.id))
        )
    )


def get_invited_series(session: Session, *, member: Member, series_id: int) -> MeetingSeries | None:
    """Return a series by id if the member is invited to it (a peer meeting of any town)."""
    series = session.get(MeetingSeries, series_id)
    if series is None or not in_audience(session, series=series, member=member):
        return None
    return series


def series_occurrences(
    session: Session, *, series: MeetingSeries, start: date, until: date
) -> list[Occurrence]:
    """Return a series' occurrences from `start` to `until`, with its cancellations and moves."""
    assert series.id is not None
    changes = session.exec(select(MeetingException).where(MeetingException.series_id == series.id))
    return expand_series(series, list(changes), start=start, until=until)


def expand_series(
    series: MeetingSeries, changes: list[MeetingException], *, start: date, until: date
) -> list[Occurrence]:
    """Return a series' occurrences from `start` to `until`, given its cancellations and moves
    (the scheduler's plan reads every series' changes at once and passes them in)."""
    cancelled = {c.original for c in changes if c.cancelled}
    moved = {c.original: c.moved_to for c in changes if not c.cancelled and c.moved_to}
    last = min(until, series.until) if series.until else until
    if series.starts_on > last:
        return []
    # The rule is expanded from its own first date: 隔月 and 2週ごと keep their phase.
    found = occurrences(
        series.rrule,
        start=series.starts_on,
        until=last,
        time=series.time_of_day,
        policy=cast(Policy, series.holiday_policy),
        closed_year_end=series.closed_year_end,
        cancelled=cancelled,
        moved=moved,
    )
    return [o for o in found if o.at.date() >= start]


def _exception(session: Session, *, series_id: int, original: date) -> MeetingException:
    found = session.exec(
        select(MeetingException).where(
            MeetingException.series_id == series_id, MeetingException.original == original
        )
    ).first()
    return found or MeetingException(series_id=series_id, original=original)


def cancel_occurrence(session: Session, *, series_id: int, original: date) -> None:
    """Cancel the occurrence the rule puts on `original`."""
    change = _exception(session, series_id=series_id, original=original)
    change.cancelled, change.moved_to = True, None
    session.add(change)
    session.flush()


def move_occurrence(session: Session, *, series_id: int, original: date, to: datetime) -> None:
    """Move the occurrence the rule puts on `original` to another moment."""
    change = _exception(session, series_id=series_id, original=original)
    change.cancelled, change.moved_to = False, to
    session.add(change)
    session.flush()


def set_rsvp(
    session: Session,
    *,
    series_id: int,
    occurrence: date,
    member_id: int,
    answer: str,
    now: datetime,
) -> Rsvp:
    """Record (or change) a member's answer for one occurrence."""
    if answer not in ANSWERS:
        raise ValueError(f"unknown RSVP answer {answer!r}")
    rsvp = session.exec(
        select(Rsvp).where(
            Rsvp.series_id == series_id,
            Rsvp.occurrence == occurrence,
            Rsvp.member_id == member_id,
        )
    ).first() or Rsvp(
        series_id=series_id, occurrence=occurrence, member_id=member_id, answer=answer
    )
    rsvp.answer, rsvp.answered_at = answer, now
    session.add(rsvp)
    session.flush()
    return rsvp


def rsvp_answers(session: Session, *, series_id: int, occurrence: date) -> dict[int, str]:
    """Return the answers given for one occurrence, by member id."""
    rows = session.exec(
        select(Rsvp).where(Rsvp.series_id == series_id, Rsvp.occurrence == occurrence)
    )
    return {r.member_id: r.answer for r in rows}
