"""The tables of tsunagi's shared store (DESIGN.md §3, DOMAIN.md §3.6–3.7, PRACTICE.md Part 2).

Every record belongs to one municipality (the tenancy and privacy boundary). Records that users
refer to by number (`#42`) carry a `number` unique within their municipality.
"""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


def _ts(nullable: bool = False) -> Any:
    return Field(default=None, sa_column=Column(UTCDateTime(), nullable=nullable))


def _json(default: Any) -> Any:
    return Field(default_factory=default, sa_column=Column(JSON, nullable=False))


class Role(StrEnum):
    COORDINATOR = "coordinator"
    OFFICER = "officer"
    ADMIN = "admin"


class AreaKind(StrEnum):
    """Normalised area levels; each municipality keeps its own local names (DOMAIN.md §2.2)."""

    DAILY_LIFE = "日常生活圏域"
    JUNIOR_HIGH = "中学校区"
    ELEMENTARY = "小学校区"
    NEIGHBOURHOOD = "自治会"
    ADMIN_DISTRICT = "行政区"


class SharingScope(StrEnum):
    PRIVATE = "private"
    RESTRICTED = "restricted_individual"
    TEAM = "team"
    PEER = "peer_anonymised"
    PUBLIC = "public"


class Municipality(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True)
    prefecture: str | None = None
    next_record_no: int = 1
    created_at: datetime = _ts()
    # When its officers get the weekly summary push: Monday (0) … Sunday (6), at local time.
    summary_weekday: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    summary_time: time = Field(default=time(8, 30), sa_column_kwargs={"server_default": "08:30:00"})


class Area(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("municipality_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    municipality_id: int = Field(foreign_key="municipality.id", index=True)
    name: str
    kind: str = AreaKind.NEIGHBOURHOOD.value
    parent_id: int | None = Field(default=None, foreign_key="area.id")


class Member(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    municipality_id: int = Field(foreign_key="municipality.id", index=True)
    name: str
    role: str = Role.COORDINATOR.value
    layer: int | None = None
    language: str = "ja"
    active: bool = True
    created_at: datetime = _ts()
    revoked_at: datetime | None = _ts(nullable=True)


class MemberArea(SQLModel, table=True):
    member_id: int = Field(foreign_key="member.id", primary_key=True)
    area_id: int = Field(foreign_key="area.id", primary_key=True)


class Identity(SQLModel, table=True):
    """A chat account (channel + the platform's user id) linked to a member."""

    __table_args__ = (UniqueConstraint("channel", "external_id"),)
    id: int | None = Field(default=None, primary_key=True)
    channel: str
    external_id: str
    member_id: int = Field(foreign_key="member.id", index=True)
    display_name: str | None = None
    active: bool = True
    created_at: datetime = _ts()


class Invite(SQLModel, table=True):
    """A one-time, expiring invite; only the SHA-256 of the code is stored."""

    id: int | None = Field(default=None, primary_key=True)
    municipality_id: int = Field(foreign_key="municipality.id", index=True)
    role: str
    layer: int | None = None
    area_id: int | None = Field(default=None, foreign_key="area.id")
    code_hash: str = Field(unique=True)
    created_at: datetime = _ts()
    expires_at: datetime = _ts()
    used_at: datetime | None = _ts(nullable=True)
    used_by_member_id: int | None = Field(default=None, foreign_key="member.id")
    link_member_id: int | None = Field(default=None, foreign_key="member.id")  # 連携: same member


class Category(SQLModel, table=True):
    """One entry of the murmur and resource taxonomy (DOMAIN.md §5)."""

    code: str = Field(primary_key=True)
    position: int
    label_ja: str
    label_en: str
    keywords: list[str] = _json(list)


class Resource(SQLModel, table=True):
    """A local resource (地域資源): a salon, a walking group, a mobile shop, a helper service."""

    __table_args__ = (UniqueConstraint("municipality_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    municipality_id: int = Field(foreign_key="municipality.id", index=True)
    number: int
    name: str
    kind: str | None = None
    area_id: int | None = Field(default=None, foreign_key="area.id")
    categories: list[str] = _json(list)
    main_activities: str | None = None
    schedule_text: str | None = None
    venue: str | None = None
    target: str | None = None
    fee: str | None = None
    operator: str | None = None
    status: str = "活動中"
    status_as_of: date | None = None
    publish_consent: bool = False
    found_via: str | None = None
    created_by: int | None = Field(default=None, foreign_key="member.id")
    created_at: datetime = _ts()
    level: str | None = None  # 第1層 | 第2層 | 第3層
    participants: str | None = None  # approximate, e.g. 15〜20名
    contact: str | None = None  # 代表者・問合せ先, shown only with contact_consent
    contact_consent: bool = False
    pr_point: str | None = None
    booking: str | None = None  # 予約不要 | 要予約 | 会員制
    legal_position: str | None = None  # 制度上の位置づけ
    updated_at: datetime | None = _ts(nullable=True)


class Activity(SQLModel, table=True):
    """An activity record (活動記録); a visit (訪問) is the activity type 訪問 (PRACTICE.md Part 2)."""

    __table_args__ = (
        UniqueConstraint("municipality_id", "number"),
        Index("ix_activity_muni_date", "municipality_id", "occurred_on"),
    )
    id: int | None = Field(default=None, primary_key=True)
    municipality_id: int = Field(foreign_key="municipality.id", index=True)
    number: int
    recorded_by: int = Field(foreign_key="member.id", index=True)
    channel: str = "console"
    activity_type: str = "訪問"
    occurred_on: date
    duration_min: int | None = None
    area_id: int | None = Field(default=None, foreign_key="area.id")
    place_label: str | None = None
    resource_id: int | None = Field(default=None, foreign_key="resource.id")
    purpose: str | None = None
    visit_ordinal: int | None = None
    participants_count: int | None = None
    companions: list[str] = _json(list)
    counterpart: str | None = None
    treasures: str | None = None
    kubun: str | None = None
    outcome: str | None = None
    created_at: datetime = _ts()
    updated_at: datetime = _ts()


class Murmur(SQLModel, table=True):
    """A resident's murmur (つぶやき): no personal names; categories in `MurmurCategory`."""

    __table_args__ = (
        UniqueConstraint("municipality_id", "number"),
        Index("ix_murmur_muni_date", "municipality_id", "captured_on"),
    )
    id: int | None = Field(default=None, primary_key=True)
    municipality_id: int = Field(foreign_key="municipality.id", index=True)
    number: int
    recorded_by: int = Field(foreign_key="member.id", index=True)
    channel: str = "console"
    activity_id: int | None = Field(default=None, foreign_key="activity.id")
    text: str
    kind: str
    area_id: int | None = Field(default=None, foreign_key="area.id")
    status: str = "新規"
    sharing_scope: str = SharingScope.TEAM.value
    sensitive_flags: list[str] = _json(list)
    pii_masked: bool = False
    source: str | None = None
    captured_on: date
    created_at: datetime = _ts()
    updated_at: datetime = _ts()


class MurmurCategory(SQLModel, table=True):
    """A murmur's categories; position 0 is the primary one."""

    murmur_id: int = Field(foreign_key="murmur.id", primary_key=True)
    category_code: str = Field(foreign_key="category.code", primary_key=True, index=True)
    position: int = 0


class Lead(SQLModel, table=True):
    """A lead (芋づる): a place or group heard of during a visit, to visit next."""

    __table_args__ = (UniqueConstraint("municipality_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    municipality_id: int = Field(foreign_key="municipality.id", index=True)
    number: int
    activity_id: int | None = Field(default=None, foreign_key="activity.id")
    label: str
    area_id: int | None = Field(default=None, foreign_key="area.id")
    status: str = "未訪問"
    created_by: int = Field(foreign_key="member.id")
    created_at: datetime = _ts()


class ConversationState(SQLModel, table=True):
    """The half-finished flow of one user in one chat, saved on every step."""

    __table_args__ = (UniqueConstraint("channel", "chat_id", "user_id"),)
    id: int | None = Field(default=None, primary_key=True)
    channel: str
    chat_id: str
    user_id: str
    member_id: int | None = Field(default=None, foreign_key="member.id")
    flow: str
    step: str
    draft: dict[str, Any] = _json(dict)
    history: list[str] = _json(list)
    choices: list[list[str]] = _json(list)
    updated_at: datetime = _ts()


class AuditLog(SQLModel, table=True):
    """Who did what to which record; never message text, tokens or secrets."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _ts()
    municipality_id: int | None = Field(default=None, index=True)
    member_id: int | None = None
    actor: str | None = None
    action: str = Field(index=True)
    target: str | None = None
    detail: dict[str, Any] = _json(dict)


class InboundEvent(SQLModel, table=True):
    """A platform event, committed before the webhook is acknowledged (the durable inbox)."""

    __table_args__ = (
        UniqueConstraint("channel", "event_id"),
        Index("ix_inboundevent_status_id", "status", "id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    channel: str
    event_id: str
    received_at: datetime = _ts()
    payload: dict[str, Any] = _json(dict)
    redelivery: bool = False
    status: str = "pending"  # pending → done | ignored | failed
    attempts: int = 0
    processed_at: datetime | None = _ts(nullable=True)
    error: str | None = None
    # The worker processing it, until when (a replica that dies leaves it to another after that).
    claimed_by: str | None = None
    claimed_until: datetime | None = _ts(nullable=True)


class OutboundMessage(SQLModel, table=True):
    """A reply or push waiting to be delivered (the outbox), unique by its idempotency key."""

    __table_args__ = (
        UniqueConstraint("channel", "idempotency_key"),
        Index("ix_outboundmessage_status_due", "status", "next_attempt_at"),
        Index("ix_outboundmessage_recipient", "channel", "recipient", "status"),
    )
    id: int | None = Field(default=None, primary_key=True)
    channel: str
    idempotency_key: str
    recipient: str
    messages: list[dict[str, Any]] = _json(list)
    reply_token: str | None = None
    received_at: datetime | None = _ts(nullable=True)
    retry_key: str
    status: str = "pending"  # pending → sent | failed | quota_exhausted
    attempts: int = 0
    next_attempt_at: datetime = _ts()
    created_at: datetime = _ts()
    sent_at: datetime | None = _ts(nullable=True)
    via: str | None = None  # reply | push
    last_status: int | None = None
    error: str | None = None


class MediaBlob(SQLModel, table=True):
    """A photo or file sent from the field, with the consent given for it (撮影・掲載の了承)."""

    id: int | None = Field(default=None, primary_key=True)
    municipality_id: int = Field(foreign_key="municipality.id", index=True)
    member_id: int = Field(foreign_key="member.id")
    activity_id: int | None = Field(default=None, foreign_key="activity.id", index=True)
    channel: str
    source_id: str
    content_type: str
    size: int
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    consent: str | None = None  # なし | 内部のみ | 公開可
    created_at: datetime = _ts()


class FormToken(SQLModel, table=True):
    """A one-time link to tsunagi's own form for sensitive details (never typed into LINE)."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True)
    municipality_id: int = Field(foreign_key="municipality.id", index=True)
    member_id: int = Field(foreign_key="member.id")
    channel: str
    chat_id: str
    purpose: str = "consult"
    murmur_id: int | None = Field(default=None, foreign_key="murmur.id")
    created_at: datetime = _ts()
    expires_at: datetime = _ts()
    used_at: datetime | None = _ts(nullable=True)


class SensitiveNote(SQLModel, table=True):
    """Sensitive details (要配慮個人情報) entered on the form, encrypted at the application layer."""

    __table_args__ = (UniqueConstraint("municipality_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    municipality_id: int = Field(foreign_key="municipality.id", index=True)
    number: int
    recorded_by: int = Field(foreign_key="member.id")
    murmur_id: int | None = Field(default=None, foreign_key="murmur.id")
    ciphertext: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    key_id: str
    consent_version: str
    consent_purpose: str
    consent_at: datetime = _ts()
    created_at: datetime = _ts()


class PeerGroup(SQLModel, table=True):
    """SCs of several municipalities meeting as peers (情報交換会), linked to one group chat."""

    __table_args__ = (UniqueConstraint("channel", "chat_id"),)
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    channel: str | None = None  # the chat it is connected to, e.g. slack + a channel id
    chat_id: str | None = None
    created_at: datetime = _ts()


class PeerGroupMunicipality(SQLModel, table=True):
    group_id: int = Field(foreign_key="peergroup.id", primary_key=True)
    municipality_id: int = Field(foreign_key="municipality.id", primary_key=True, index=True)


class SharedCase(SQLModel, table=True):
    """A masked copy of a record shared to a peer group: the group's growing case library."""

    __table_args__ = (
        UniqueConstraint("group_id", "municipality_id", "record_kind", "record_number"),
    )
    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="peergroup.id", index=True)
    municipality_id: int = Field(foreign_key="municipality.id")
    record_kind: str  # activity | murmur
    record_number: int
    text: str  # masked: no names, phone numbers, addresses or fine-grained places
    categories: list[str] = _json(list)
    area_label: str  # a 日常生活圏域 or the municipality's name
    kind: str  # the murmur's kind or the activity's type
    shared_by: int = Field(foreign_key="member.id")
    shared_at: datetime = _ts()


class PeerNote(SQLModel, table=True):
    """A worry (悩み) or a tip (ヒント) collected for a peer group's next meeting (masked)."""

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="peergroup.id", index=True)
    kind: str  # 悩み | ヒント
    text: str
    member_id: int = Field(foreign_key="member.id")
    municipality_id: int = Field(foreign_key="municipality.id")
    created_at: datetime = _ts()
    used_at: datetime | None = _ts(nullable=True)


class MeetingSeries(SQLModel, table=True):
    """A meeting, one-off or recurring (DOMAIN.md §4): its kind, rule, place and audience."""

    __table_args__ = (UniqueConstraint("municipality_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    municipality_id: int = Field(foreign_key="municipality.id", index=True)
    number: int
    kind: str  # 定例連絡会 | 協議体（第1層） | 協議体（第2層） | 勉強会 | 情報交換会 | 研修 | 地域ケア会議 | その他
    title: str
    place: str | None = None
    duration_min: int | None = None
    rrule: str  # RFC 5545 RRULE value, without the "RRULE:" prefix
    time_of_day: time
    starts_on: date
    until: date | None = None
    holiday_policy: str = "skip"  # skip | next_weekday | keep
    closed_year_end: bool = True
    audience: str = "municipality"  # municipality | area:<id> | role:<role> | peer:<group id>
    reminder_offsets: list[str] = _json(lambda: ["7d", "1d", "morning"])
    organiser_id: int | None = Field(default=None, foreign_key="member.id")
    created_at: datetime = _ts()


class MeetingException(SQLModel, table=True):
    """One occurrence of a series cancelled or moved, keyed by the date the rule gave it."""

    __table_args__ = (UniqueConstraint("series_id", "original"),)
    id: int | None = Field(default=None, primary_key=True)
    series_id: int = Field(foreign_key="meetingseries.id", index=True)
    original: date
    cancelled: bool = False
    moved_to: datetime | None = _ts(nullable=True)


class Rsvp(SQLModel, table=True):
    """A member's answer (参加 | 欠席 | 未定) for one occurrence, keyed by its original date."""

    __table_args__ = (UniqueConstraint("series_id", "occurrence", "member_id"),)
    id: int | None = Field(default=None, primary_key=True)
    series_id: int = Field(foreign_key="meetingseries.id", index=True)
    occurrence: date
    member_id: int = Field(foreign_key="member.id")
    answer: str
    answered_at: datetime = _ts()


class CalendarToken(SQLModel, table=True):
    """A private iCal feed's secret (stored hashed): a member's or a peer group's calendar."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True)  # sha256 hex of the token in the feed URL
    member_id: int | None = Field(default=None, foreign_key="member.id", index=True)
    peer_group_id: int | None = Field(default=None, foreign_key="peergroup.id", index=True)
    created_at: datetime = _ts()
    revoked_at: datetime | None = _ts(nullable=True)


class ReminderSend(SQLModel, table=True):
    """One reminder of one occurrence for one member, sent or missed: the send's idempotency key."""

    __table_args__ = (UniqueConstraint("series_id", "occurrence", "offset", "member_id"),)
    id: int | None = Field(default=None, primary_key=True)
    series_id: int = Field(foreign_key="meetingseries.id", index=True)
    occurrence: date  # the date the rule gives the occurrence (its `original`)
    offset: str  # 7d | 1d | morning | ...
    member_id: int = Field(foreign_key="member.id")
    status: str  # sent | missed
    due_at: datetime = _ts()
    sent_at: datetime | None = _ts(nullable=True)


class MeetingRecord(SQLModel, table=True):
    """A light 会議記録 of one occurrence of a series (PRACTICE.md Part 2): who came, what was decided."""

    __table_args__ = (UniqueConstraint("municipality_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    municipality_id: int = Field(foreign_key="municipality.id", index=True)
    number: int
    series_id: int = Field(foreign_key="meetingseries.id", index=True)
    occurrence: date  # the day it was held
    ordinal: int  # 第n回
    attendees_total: int  # n人中…
    attendees_present: int  # …m名
    # by organisation type: {"地縁組織": n, "関係機関": n, "多様な主体": n, "行政": n, "SC": n}
    attendance_by_type: dict[str, int] = _json(dict)
    agenda: str
    issues_raised: str | None = None
    issues_raised_by: str | None = None  # 第2層協議体 | SC | 住民 | 行政 | 包括 | その他
    decisions: str | None = None
    follow_up: str | None = None  # 行政各課で共有 | 第2層へ返す | 次回継続 | その他
    next_meeting: str | None = None
    sc_attended: bool = False
    recorded_by: int = Field(foreign_key="member.id")
    created_at: datetime = _ts()


class ResourceChange(SQLModel, table=True):
    """One change of a resource (created, updated, or its status), for 地域資源 counts by period."""

    __table_args__ = (Index("ix_resourcechange_muni_at", "municipality_id", "at"),)
    id: int | None = Field(default=None, primary_key=True)
    municipality_id: int = Field(foreign_key="municipality.id")
    resource_id: int = Field(foreign_key="resource.id", index=True)
    change: str  # created | updated | status
    status_before: str | None = None
    status_after: str | None = None
    at: datetime = _ts()
    member_id: int | None = Field(default=None, foreign_key="member.id")
    source: str = "chat"  # chat | import


class Connection(SQLModel, table=True):
    """A つなぎ: a murmur connected to a resource, an organisation, or referred to the 包括."""

    __table_args__ = (
        UniqueConstraint("municipality_id", "number"),
        Index("ix_connection_muni_created", "municipality_id", "created_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    municipality_id: int = Field(foreign_key="municipality.id")
    number: int
    murmur_id: int | None = Field(
        default=None, foreign_key="murmur.id", index=True, ondelete="SET NULL"
    )
    target_kind: str  # resource | organisation | houkatsu
    resource_id: int | None = Field(default=None, foreign_key="resource.id")
    organisation: str | None = None
    note: str | None = None
    created_by: int = Field(foreign_key="member.id")
    created_at: datetime = _ts()


class FollowUp(SQLModel, table=True):
    """A follow-up of a connection: who checks back, by when, and when it was done."""

    __table_args__ = (Index("ix_followup_muni_due", "municipality_id", "due_on"),)
    id: int | None = Field(default=None, primary_key=True)
    municipality_id: int = Field(foreign_key="municipality.id")
    connection_id: int = Field(foreign_key="connection.id", unique=True)
    owner_id: int = Field(foreign_key="member.id", index=True)
    due_on: date
    created_at: datetime = _ts()
    done_at: datetime | None = _ts(nullable=True)


class FollowUpReminder(SQLModel, table=True):
    """The day's reminder of due follow-ups to one member: the send's exactly-once key."""

    __table_args__ = (UniqueConstraint("member_id", "day"),)
    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id")
    day: date
    count: int
    sent_at: datetime = _ts()


class ActivityReport(SQLModel, table=True):
    """A monthly 活動報告 (PRACTICE.md Part 2(b)): the member's edits, its status, what was sent.

    The numbers are drawn from the records whenever it is shown; `sections` keeps only what the
    member wrote (主なトピックス, 今後の課題や提案, 市への相談・依頼) and `submitted_text` the
    report exactly as it was submitted.
    """

    __table_args__ = (
        UniqueConstraint("municipality_id", "number"),
        UniqueConstraint("municipality_id", "member_id", "period_start", "period_end"),
    )
    id: int | None = Field(default=None, primary_key=True)
    municipality_id: int = Field(foreign_key="municipality.id", index=True)
    number: int
    member_id: int = Field(foreign_key="member.id", index=True)
    whole_municipality: bool = False  # an officer's report covers the municipality
    period_start: date
    period_end: date
    sections: dict[str, Any] = _json(dict)
    status: str = "draft"  # draft | submitted
    submitted_at: datetime | None = _ts(nullable=True)
    submitted_text: str | None = None
    created_at: datetime = _ts()
    updated_at: datetime = _ts()


class SummarySetting(SQLModel, table=True):
    """A municipality's summary settings: after how many weeks without a visit an area is quiet."""

    municipality_id: int = Field(foreign_key="municipality.id", primary_key=True)
    quiet_weeks: int = 6
    updated_at: datetime = _ts()


class SharedFile(SQLModel, table=True):
    """A chart or an export handed to a chat as a link (`/files/<token>`), until it expires.

    Only the SHA-256 of the link's token is stored, so the table does not reveal live links.
    """

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True)
    municipality_id: int = Field(foreign_key="municipality.id", index=True)
    member_id: int | None = Field(default=None, foreign_key="member.id")
    filename: str
    content_type: str
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = _ts()
    expires_at: datetime = _ts()


class InviteAttempt(SQLModel, table=True):
    """A failed attempt to use a code: an invite code in chat, a link token over HTTP.

    `subject_hash` is the SHA-256 of who tried (a chat identity, a chat, an IP address), so the
    table lists no identities; rows older than the counting window are deleted as new ones come.
    """

    __table_args__ = (Index("ix_inviteattempt_scope_subject_at", "scope", "subject_hash", "at"),)
    id: int | None = Field(default=None, primary_key=True)
    scope: str  # identity | chat | ip
    subject_hash: str
    at: datetime = Field(default=None, sa_column=Column(UTCDateTime(), nullable=False, index=True))


class ConsentRecord(SQLModel, table=True):
    """A consent given before sensitive data was stored: who confirmed it, for what, under which
    wording (version and SHA-256 of its text), when, for which record, and when it was withdrawn."""

    __table_args__ = (Index("ix_consentrecord_record", "record_kind", "record_id"),)
    id: int | None = Field(default=None, primary_key=True)
    municipality_id: int = Field(foreign_key="municipality.id", index=True)
    member_id: int = Field(foreign_key="member.id")  # who obtained and confirmed it
    subject: str  # whose consent: the consulting person (or family), the person photographed
    purpose: str
    wording_version: str
    wording_hash: str
    given_at: datetime = _ts()
    record_kind: str  # sensitive_note | media | resource_contact
    record_id: int | None = None  # set once the record it covers is stored
    withdrawn_at: datetime | None = _ts(nullable=True)
