"""活動報告 rows: one per member and period, holding the member's own sections and the submission.

The numbers are not stored: they are drawn from the records each time (storage.report_data).
A report is a record with a number (#N) of its municipality, taken when its draft is first made.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from sqlmodel import Session, col, select

from storage.members import next_record_number
from storage.models import ActivityReport, Identity, Member, Role

DRAFT = "draft"
SUBMITTED = "submitted"
SECTIONS = ("topics", "proposals", "requests")  # 主なトピックス, 今後の課題や提案, 市への相談・依頼


def draft_report(
    session: Session,
    *,
    member: Member,
    start: date,
    end: date,
    whole_municipality: bool,
    now: datetime,
) -> ActivityReport:
    """Return the member's report of a period, making its draft (#N) the first time."""
    assert member.id is not None
    found = session.exec(
        select(ActivityReport).where(
            ActivityReport.municipality_id == member.municipality_id,
            ActivityReport.member_id == member.id,
            ActivityReport.period_start == start,
            ActivityReport.period_end == end,
        )
    ).first()
    if found is not None:
        found.updated_at = now  # the report last looked at is the one edited and submitted
        session.add(found)
        session.flush()
        return found
    report = ActivityReport(
        municipality_id=member.municipality_id,
        number=next_record_number(session, municipality_id=member.municipality_id),
        member_id=member.id,
        whole_municipality=whole_municipality,
        period_start=start,
        period_end=end,
        created_at=now,
        updated_at=now,
    )
    session.add(report)
    session.flush()
    return report


def latest_report(session: Session, *, member_id: int) -> ActivityReport | None:
    """Return the report a member looked at or changed last, or None."""
    return session.exec(
        select(ActivityReport)
        .where(ActivityReport.member_id == member_id)
        .order_by(col(ActivityReport.updated_at).desc(), col(ActivityReport.id).desc())
    ).first()


def find_report(
    session: Session, *, member_id: int, start: date, end: date
) -> ActivityReport | None:
    """Return a member's report of exactly this period, or None."""
    return session.exec(
        select(ActivityReport).where(
            ActivityReport.member_id == member_id,
            ActivityReport.period_start == start,
            ActivityReport.period_end == end,
        )
    ).first()


def get_report(session: Session, *, municipality_id: int, number: int) -> ActivityReport | None:
    """Return the report #number of a municipality, or None."""
    return session.exec(
        select(ActivityReport).where(
            ActivityReport.municipality_id == municipality_id, ActivityReport.number == number
        )
    ).first()


def set_section(
    session: Session, report: ActivityReport, *, key: str, text: str, now: datetime
) -> None:
    """Replace one of the member's own sections (an empty text removes it); it is a draft again."""
    if key not in SECTIONS:
        raise ValueError(f"unknown report section {key!r}")
    sections = dict(report.sections)
    if text:
        sections[key] = text
    else:
        sections.pop(key, None)
    report.sections, report.updated_at = sections, now
    report.status = DRAFT  # changed after a submission: to be submitted again
    session.add(report)
    session.flush()


def submit_report(
    session: Session,
    report: ActivityReport,
    *,
    render: Callable[[ActivityReport], str],
    now: datetime,
) -> None:
    """Mark a report submitted and keep its text (`render` of the submitted report) as sent."""
    report.status, report.submitted_at, report.updated_at = SUBMITTED, now, now
    report.submitted_text = render(report)
    session.add(report)
    session.flush()


def officer_accounts(session: Session, *, municipality_id: int) -> list[tuple[Member, Identity]]:
    """Return the active chat accounts of a municipality's active officers."""
    rows = session.exec(
        select(Member, Identity)
        .join(Identity, col(Identity.member_id) == col(Member.id))
        .where(
            Member.municipality_id == municipality_id,
            Member.role == Role.OFFICER.value,
            col(Member.active).is_(True),
            col(Identity.active).is_(True),
        )
        .order_by(col(Member.id), col(Identity.id))
    )
    return [(member, identity) for member, identity in rows]
