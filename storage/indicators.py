"""Evidence for the 保険者機能強化推進交付金 indicators (DOMAIN.md §6.1, PRACTICE.md Part 1 §5.2–5.3).

For a fiscal year (年度: April to March) each indicator gets the records that support it, with
counts and the record numbers to look up. What counts as evidence:

- 資源開発に向けた具体的取組（把握・問題提起）: activities of 活動区分 把握 or 資源開発, murmurs
  heard (counted; restricted ones are never listed by number), and 課題提起 in 会議記録.
- ニーズに対応した資源の開発: resources registered in the year, and murmurs that became a
  resource (状態 資源化).
- 認知症支援の介護保険外サービス: active resources of the 認知症 category registered in the year.
- 住民参画・官民連携（多様な主体とのつなぎ）: connections to organisations (companies, shops…).
- SCの地域ケア会議への参加: 地域ケア会議 recorded, and those an SC attended.
- 協議体の開催（層ごと）: 協議体 meetings recorded per layer.
- 生活支援コーディネーター数: active coordinators per layer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo

from sqlmodel import Session, col, select

from storage.access import TEAM_SCOPES
from storage.models import (
    Activity,
    Connection,
    MeetingRecord,
    MeetingSeries,
    Member,
    Murmur,
    Resource,
    Role,
)

Numbered = Activity | Murmur | Resource | MeetingRecord | Connection
DEVELOPMENT_KUBUN = ("把握", "資源開発")
RESOURCED = "資源化"
DEMENTIA = "dementia"
ORGANISATION = "organisation"
CARE_MEETING = "地域ケア会議"
COUNCILS = ("協議体（第1層）", "協議体（第2層）")


@dataclass(frozen=True)
class FiscalYear:
    """A 年度: April 1 of `year` to March 31 of the next year."""

    year: int

    @property
    def start(self) -> date:
        return date(self.year, 4, 1)

    @property
    def end(self) -> date:
        return date(self.year + 1, 3, 31)

    @property
    def reiwa(self) -> int:
        return self.year - 2018


def fiscal_year_of(day: date) -> FiscalYear:
    """Return the 年度 a day falls in."""
    return FiscalYear(day.year if day.month >= 4 else day.year - 1)


@dataclass
class Evidence:
    """One line of evidence: what was counted, how many, and the numbers to look up."""

    key: str
    count: int
    numbers: list[int] = field(default_factory=list)


@dataclass
class Indicator:
    """One indicator with its evidence lines."""

    key: str
    evidence: list[Evidence]


def indicator_evidence(
    session: Session, *, municipality_id: int, year: FiscalYear, tz: tzinfo
) -> list[Indicator]:
    """Return, for each indicator, the records of the municipality's fiscal year that support it."""
    first = datetime.combine(year.start, time(), tzinfo=tz)
    after = datetime.combine(date(year.year + 1, 4, 1), time(), tzinfo=tz)
    m = municipality_id
    activities = list(
        session.exec(
            select(Activity)
            .where(
                Activity.municipality_id == m,
                col(Activity.occurred_on) >= year.start,
                col(Activity.occurred_on) <= year.end,
                col(Activity.kubun).in_(DEVELOPMENT_KUBUN),
            )
            .order_by(col(Activity.number))
        )
    )
    murmurs = list(
        session.exec(
            select(Murmur)
            .where(
                Murmur.municipality_id == m,
                col(Murmur.captured_on) >= year.start,
                col(Murmur.captured_on) <= year.end,
            )
            .order_by(col(Murmur.number))
        )
    )
    resources = list(
        session.exec(
            select(Resource)
            .where(
                Resource.municipality_id == m,
                col(Resource.created_at) >= first,
                col(Resource.created_at) < after,
            )
            .order_by(col(Resource.number))
        )
    )
    meetings = list(
        session.exec(
            select(MeetingRecord, MeetingSeries.kind)
            .join(MeetingSeries, col(MeetingSeries.id) == col(MeetingRecord.series_id))
            .where(
                MeetingRecord.municipality_id == m,
                col(MeetingRecord.occurrence) >= year.start,
                col(MeetingRecord.occurrence) <= year.end,
            )
            .order_by(col(MeetingRecord.number))
        )
    )
    connections = list(
        session.exec(
            select(Connection)
            .where(
                Connection.municipality_id == m,
                Connection.target_kind == ORGANISATION,
                col(Connection.created_at) >= first,
                col(Connection.created_at) < after,
            )
            .order_by(col(Connection.number))
        )
    )
    shared = [x for x in murmurs if x.sharing_scope in TEAM_SCOPES]
    raised = [r for r, _ in meetings if r.issues_raised]
    care = [r for r, kind in meetings if kind == CARE_MEETING]
    dementia = [r for r in resources if DEMENTIA in r.categories]
    resourced = [x for x in shared if x.status == RESOURCED]

    def ev(key: str, rows: Sequence[Numbered], numbered: bool = True) -> Evidence:
        return Evidence(key, len(rows), [r.number for r in rows] if numbered else [])

    return [
        Indicator(
            "grasp",
            [
                ev("grasp.activities", activities),
                Evidence("grasp.murmurs", len(murmurs), [x.number for x in shared]),
                ev("grasp.raised", raised),
            ],
        ),
        Indicator(
            "develop", [ev("develop.resources", resources), ev("develop.resourced", resourced)]
        ),
        Indicator("dementia", [ev("dementia.resources", dementia)]),
        Indicator("partners", [ev("partners.connections", connections)]),
        Indicator(
            "care_meeting",
            [
                ev("care_meeting.held", care),
                ev("care_meeting.attended", [r for r in care if r.sc_attended]),
            ],
        ),
        Indicator(
            "councils",
            [
                ev(f"councils.{i}", [r for r, kind in meetings if kind == c])
                for i, c in enumerate(COUNCILS, 1)
            ],
        ),
        Indicator("coordinators", _coordinators(session, m)),
    ]


def _coordinators(session: Session, municipality_id: int) -> list[Evidence]:
    members = session.exec(
        select(Member).where(
            Member.municipality_id == municipality_id,
            Member.role == Role.COORDINATOR.value,
            col(Member.active).is_(True),
        )
    ).all()
    return [
        Evidence(f"coordinators.{layer or 0}", sum((m.layer or 0) == (layer or 0) for m in members))
        for layer in (1, 2, None)
    ]
