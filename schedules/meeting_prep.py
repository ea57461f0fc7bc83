"""What a meeting needs in its reminder (issue 5 item 4, PRACTICE.md Part 2(b)).

A 定例連絡会 reminder carries each member's draft 活動報告 (the nine sections of PRACTICE.md
Part 2(b), drawn from their records since the previous occurrence) and the draft agenda. A peer meeting (勉強会, 情報交換会, or any meeting
of a peer group) invites worries and tips a week and a day before; the morning reminder lists
the group's collected ones (already masked when posted) and marks them used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from sqlmodel import Session

from bot.texts import t
from handlers.activity_report_render import render_report
from schedules.occurrences import Occurrence
from storage.access import summary_scope_author
from storage.meetings import series_occurrences
from storage.models import ActivityReport, MeetingSeries, Member, PeerNote
from storage.peer import list_open_notes, mark_notes_used
from storage.records import category_labels
from storage.report_data import build_report_data
from storage.summaries import Period

REGULAR = "定例連絡会"
PEER_KINDS = ("勉強会", "情報交換会")
INVITE_OFFSETS = ("7d", "1d")
MORNING = "morning"
AGENDA_ITEMS = 5  # 前回確認事項 / 活動報告 / 課題・提案 / 相談・依頼 / 次回日程
LOOKBACK_DAYS = 400  # how far back the previous occurrence of a series is looked for
NOTES_LISTED = 10
NOTE_CHARS = 80


@dataclass
class Prep:
    """What the reminders of one occurrence carry beyond its time and place."""

    report_period: Period | None = None
    invite: bool = False
    notes: list[PeerNote] = field(default_factory=list)


def occurrence_prep(
    session: Session, *, series: MeetingSeries, occurrence: Occurrence, offset: str, tz: tzinfo
) -> Prep:
    """Return what this reminder of an occurrence should carry."""
    if series.kind == REGULAR:
        return Prep(
            report_period=report_period(session, series=series, occurrence=occurrence, tz=tz)
        )
    group_id = peer_group_id(series)
    if series.kind not in PEER_KINDS and group_id is None:
        return Prep()
    if offset in INVITE_OFFSETS:
        return Prep(invite=True)
    if offset == MORNING and group_id is not None:
        return Prep(notes=list_open_notes(session, group_id=group_id))
    return Prep()


def peer_group_id(series: MeetingSeries) -> int | None:
    """Return the peer group a meeting is for, or None."""
    kind, _, ref = series.audience.partition(":")
    return int(ref) if kind == "peer" and ref.isdigit() else None


def report_period(
    session: Session, *, series: MeetingSeries, occurrence: Occurrence, tz: tzinfo
) -> Period:
    """Return the days from the previous occurrence up to the day before this one."""
    this_day = occurrence.at.astimezone(tz).date()
    earlier = series_occurrences(
        session,
        series=series,
        start=this_day - timedelta(days=LOOKBACK_DAYS),
        until=this_day,
    )
    before = [o for o in earlier if o.at < occurrence.at]
    start = before[-1].at.astimezone(tz).date() if before else _month_before(this_day)
    return Period(start, max(start, this_day - timedelta(days=1)))


def _month_before(day: date) -> date:
    """Return the same day a month earlier (the last day of a shorter month)."""
    year, month = (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    return date(year, month, 28)


def prep_lines(session: Session, prep: Prep, member: Member, *, tz: tzinfo) -> list[str]:
    """Return the lines one member's reminder carries for this preparation."""
    lang = member.language
    if prep.report_period is not None:
        return [*_report_lines(session, prep.report_period, member, tz=tz), *_agenda(lang)]
    if prep.invite:
        return [t("meetings.prep.invite", lang)]
    if prep.notes:
        return _note_lines(prep.notes, lang)
    return []


def _report_lines(session: Session, period: Period, member: Member, *, tz: tzinfo) -> list[str]:
    """Return the member's 活動報告 for the period, drafted from the records (nine sections)."""
    lang = member.language
    whole = summary_scope_author(member) is None  # officers report on the whole municipality
    data = build_report_data(
        session,
        municipality_id=member.municipality_id,
        period=period,
        tz=tz,
        member=None if whole else member,
    )
    unsaved = ActivityReport(
        municipality_id=member.municipality_id,
        number=0,
        member_id=member.id or 0,
        whole_municipality=whole,
        period_start=period.start,
        period_end=period.end,
    )
    text = render_report(data, unsaved, lang=lang, categories=category_labels(session))
    return ["", t("meetings.prep.report", lang), text, t("meetings.prep.report_edit", lang)]


def _agenda(lang: str) -> list[str]:
    items = [t(f"meetings.prep.agenda.{i}", lang) for i in range(AGENDA_ITEMS)]
    return [
        "",
        t("meetings.prep.agenda", lang),
        *(f"{i}. {item}" for i, item in enumerate(items, 1)),
    ]


def _note_lines(notes: list[PeerNote], lang: str) -> list[str]:
    lines = ["", t("meetings.prep.notes", lang, n=len(notes))]
    for note in notes[:NOTES_LISTED]:
        text = note.text if len(note.text) <= NOTE_CHARS else note.text[: NOTE_CHARS - 1] + "…"
        lines.append(
            t("meetings.prep.note", lang, kind=t(f"peer.kind.{note.kind}", lang), text=text)
        )
    if len(notes) > NOTES_LISTED:
        lines.append(t("meetings.prep.more_notes", lang, n=len(notes) - NOTES_LISTED))
    return lines


def finish_prep(session: Session, prep: Prep, *, now: datetime) -> None:
    """Mark the listed worries and tips as taken up at this meeting."""
    ids = [n.id for n in prep.notes if n.id is not None]
    if ids:
        mark_notes_used(session, note_ids=ids, now=now)
