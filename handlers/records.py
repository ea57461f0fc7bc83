"""#42 shows a record, 修正 #42 reopens one's own record, 削除 #42 deletes it after a yes/no.

Who may do what is decided in `storage.access`. A number that does not exist and a number the
user may not see get the same answer, so nobody learns that another person's record exists.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum

from bot.context import Ctx
from bot.flows import Again, Answer, Draft, Finish, Flow, StartFlow, Step, StepResult
from bot.messages import Card, Choice, Reply
from bot.router import Router
from handlers.common import area_label
from handlers.connection_view import connection_summary, show_connection
from handlers.minutes_view import show_meeting_record
from handlers.murmurs import edit_murmur
from handlers.visits import edit_activity
from storage.access import Record, can_delete, can_edit, is_author_only
from storage.activities import get_activity_by_id
from storage.members import get_member
from storage.models import Activity, Lead, Murmur, Resource, SensitiveNote
from storage.records import (
    category_labels,
    delete_record,
    find_visible_record,
    linked_leads,
    linked_murmurs,
    murmur_category_codes,
    record_kind,
)

DELETE_FLOW = "record.delete"
VISIT = "訪問"
NUMBER = re.compile(r"#?\s*(\d+)")
YES_WORDS = {"はい", "yes", "y", "削除", "delete"}
NO_WORDS = {"いいえ", "no", "n", "やめる"}


class DeleteStep(StrEnum):
    CONFIRM = "confirm"


def register(router: Router) -> None:
    """Register #N, 修正 #N and 削除 #N, and the deletion confirmation flow."""
    router.add_pattern(r"#\s?(\d+)", show_record)
    router.add_command(["修正", "edit"], edit_record)
    router.add_command(["削除", "delete"], delete_record_command)
    router.add_flow(
        Flow(
            name=DELETE_FLOW,
            steps={DeleteStep.CONFIRM: Step(prompt_delete, handle_delete)},
            first=DeleteStep.CONFIRM,
            help_key="records.delete.help",
        )
    )


def parse_number(args: str) -> int | None:
    """Return the record number in '#42', '42' or '＃４２', or None."""
    found = NUMBER.fullmatch(args.strip())
    return int(found.group(1)) if found else None


def show_record(ctx: Ctx, args: str) -> list[Reply]:
    """Show a record the user may see, in full, with its number."""
    number = int(args)
    record = find_visible_record(ctx.session, viewer=ctx.me, number=number)
    meeting_record = show_meeting_record(ctx, number) if record is None else None
    if meeting_record is not None:
        return meeting_record
    if record is None and (connection := show_connection(ctx, number)) is not None:
        return connection
    if record is None:
        ctx.audit("record.view", target=f"#{number}", found=False)
        return [Reply(ctx.t("records.not_found", number=number))]
    ctx.audit("record.view", target=record_target(record), found=True)
    return [record_reply(ctx, record)]


def edit_record(ctx: Ctx, args: str) -> list[Reply] | StartFlow:
    """Reopen the user's own activity or murmur in its flow, at the confirmation step."""
    number = parse_number(args)
    if number is None:
        return [Reply(ctx.t("records.edit.usage"))]
    record = find_visible_record(ctx.session, viewer=ctx.me, number=number)
    if record is None:
        return [Reply(ctx.t("records.not_found", number=number))]
    if isinstance(record, Lead | Resource | SensitiveNote):
        return [Reply(ctx.t("records.edit.unsupported", title=record_title(ctx, record)))]
    if not can_edit(ctx.me, record):
        return [Reply(ctx.t("records.edit.not_own", number=number))]
    start = edit_activity(ctx, record) if isinstance(record, Activity) else edit_murmur(ctx, record)
    ctx.audit("record.edit.start", target=record_target(record))
    return start


def delete_record_command(ctx: Ctx, args: str) -> list[Reply] | StartFlow:
    """Ask to confirm the deletion of a record the user may delete."""
    number = parse_number(args)
    if number is None:
        return [Reply(ctx.t("records.delete.usage"))]
    record = find_visible_record(ctx.session, viewer=ctx.me, number=number)
    if record is None:
        return [Reply(ctx.t("records.not_found", number=number))]
    if isinstance(record, Resource):
        return [Reply(ctx.t("records.delete.resource", title=record_title(ctx, record)))]
    if not can_delete(ctx.me, record):
        return [Reply(ctx.t("records.delete.not_own", number=number))]
    return StartFlow(DELETE_FLOW, draft={"number": number})


def prompt_delete(ctx: Ctx, draft: Draft) -> Reply:
    """Show the record and ask whether to delete it."""
    number = int(draft["number"])
    record = find_visible_record(ctx.session, viewer=ctx.me, number=number)
    choices = (Choice(ctx.t("common.yes"), "yes"), Choice(ctx.t("common.no"), "no"))
    if record is None:
        return Reply(ctx.t("records.not_found", number=number), choices=choices)
    lines = [ctx.t("records.delete.confirm", title=record_title(ctx, record))]
    if isinstance(record, Activity):
        lines.append(ctx.t("records.delete.activity_note"))
    return Reply(
        "\n".join(lines),
        choices=choices,
        card=record_card(ctx, record),
        restricted=_restricted(record),
    )


def handle_delete(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
    """Delete on yes (checking again that the user still may), keep on no."""
    number = int(draft["number"])
    word = answer.value or answer.text.lower()
    if word in NO_WORDS:
        return Finish([Reply(ctx.t("records.delete.kept", number=number))])
    if word not in YES_WORDS:
        return Again(ctx.t("records.delete.answer"))
    record = find_visible_record(ctx.session, viewer=ctx.me, number=number)
    if record is None or not can_delete(ctx.me, record) or isinstance(record, Resource):
        return Finish([Reply(ctx.t("records.not_found", number=number))])
    title = record_title(ctx, record)
    target = record_target(record)
    delete_record(ctx.session, record)
    ctx.audit("record.delete", target=target)
    return Finish([Reply(ctx.t("records.delete.done", title=title))])


def record_target(record: Record) -> str:
    """Return how the audit log names a record (kind and number, never its content)."""
    return f"{record_kind(record)}:#{record.number}"


def record_title(ctx: Ctx, record: Record) -> str:
    """Return a record's title, e.g. 'つぶやき #42'."""
    kind = record_kind(record)
    if isinstance(record, Activity) and record.activity_type == VISIT:
        kind = "visit"
    return ctx.t("records.title", kind=ctx.t(f"records.kind.{kind}"), number=record.number)


def record_reply(ctx: Ctx, record: Record) -> Reply:
    """Return the reply showing a record in full."""
    restricted = _restricted(record)
    note = ctx.t("records.restricted_note") if restricted else ""
    return Reply(note, card=record_card(ctx, record), restricted=restricted)


def _restricted(record: Record) -> bool:
    return isinstance(record, SensitiveNote) or (
        isinstance(record, Murmur) and is_author_only(record)
    )


def record_card(ctx: Ctx, record: Record) -> Card:
    """Return a record as a card: its title and every field that has a value."""
    if isinstance(record, Activity):
        rows = activity_rows(ctx, record)
    elif isinstance(record, Murmur):
        rows = murmur_rows(ctx, record)
    elif isinstance(record, Lead):
        rows = lead_rows(ctx, record)
    elif isinstance(record, SensitiveNote):
        rows = sensitive_rows(ctx, record)
    else:
        rows = resource_rows(ctx, record)
    labelled = tuple((ctx.t(f"records.field.{key}"), value) for key, value in rows if value)
    return Card(record_title(ctx, record), labelled)


Rows = list[tuple[str, str | None]]


def activity_rows(ctx: Ctx, activity: Activity) -> Rows:
    """Return the fields of an activity or visit."""
    assert activity.id is not None
    murmurs = linked_murmurs(ctx.session, viewer=ctx.me, activity_id=activity.id)
    leads = linked_leads(ctx.session, viewer=ctx.me, activity_id=activity.id)
    return [
        ("date", _date(activity.occurred_on)),
        ("type", activity.activity_type),
        ("area", area_label(ctx, activity.area_id) if activity.area_id else None),
        ("place", activity.place_label),
        ("purpose", activity.purpose),
        ("ordinal", _ordinal(ctx, activity.visit_ordinal)),
        ("duration", format_minutes(ctx, activity.duration_min)),
        ("participants", _people(ctx, activity.participants_count)),
        ("companions", "、".join(activity.companions)),
        ("counterpart", activity.counterpart),
        ("treasures", activity.treasures),
        ("kubun", activity.kubun),
        ("outcome", activity.outcome),
        ("murmurs", ", ".join(f"#{m.number}" for m in murmurs)),
        ("leads", "、".join(f"#{lead.number} {lead.label}" for lead in leads)),
        ("recorder", _member_name(ctx, activity.recorded_by)),
    ]


def murmur_rows(ctx: Ctx, murmur: Murmur) -> Rows:
    """Return the fields of a murmur."""
    assert murmur.id is not None
    codes = murmur_category_codes(ctx.session, murmur_id=murmur.id)
    return [
        ("date", _date(murmur.captured_on)),
        ("kind", murmur.kind),
        ("categories", _category_names(ctx, codes)),
        ("area", area_label(ctx, murmur.area_id) if murmur.area_id else None),
        ("text", murmur.text),
        ("status", murmur.status),
        ("scope", ctx.t(f"records.scope.{murmur.sharing_scope}")),
        ("connections", connection_summary(ctx, murmur)),
        ("activity", _activity_ref(ctx, murmur.activity_id)),
        ("recorder", _member_name(ctx, murmur.recorded_by)),
    ]


def lead_rows(ctx: Ctx, lead: Lead) -> Rows:
    """Return the fields of a lead (芋づる)."""
    return [
        ("name", lead.label),
        ("area", area_label(ctx, lead.area_id) if lead.area_id else None),
        ("status", lead.status),
        ("activity", _activity_ref(ctx, lead.activity_id)),
        ("recorder", _member_name(ctx, lead.created_by)),
        ("created", _date(ctx.local(lead.created_at).date())),
    ]


def sensitive_rows(ctx: Ctx, note: SensitiveNote) -> Rows:
    """Return what chat may show of a sensitive note: when, linked murmur, consent; never the content."""
    linked = None
    if note.murmur_id is not None:
        murmur = ctx.session.get(Murmur, note.murmur_id)
        linked = f"#{murmur.number}" if murmur else None
    return [
        ("date", _date(ctx.local(note.created_at).date())),
        ("murmurs", linked),
        ("consent", f"{note.consent_version}（{note.consent_purpose}）"),
        ("content", ctx.t("records.sensitive_hidden")),
    ]


def resource_rows(ctx: Ctx, resource: Resource) -> Rows:
    """Return the fields of a local resource."""
    return [
        ("name", resource.name),
        ("resource_kind", resource.kind),
        ("area", area_label(ctx, resource.area_id) if resource.area_id else None),
        ("categories", _category_names(ctx, resource.categories)),
        ("main_activities", resource.main_activities),
        ("schedule", resource.schedule_text),
        ("venue", resource.venue),
        ("target", resource.target),
        ("fee", resource.fee),
        ("operator", resource.operator),
        ("status", resource.status),
        ("created", _date(ctx.local(resource.created_at).date())),
    ]


def format_minutes(ctx: Ctx, minutes: int | None) -> str | None:
    """Return a duration as '1時間30分' (or None when unknown)."""
    if minutes is None:
        return None
    hours, rest = divmod(minutes, 60)
    if not hours:
        return ctx.t("records.minutes", m=rest)
    if not rest:
        return ctx.t("records.hours", h=hours)
    return ctx.t("records.hours_minutes", h=hours, m=rest)


def _date(day: date) -> str:
    return f"{day:%Y-%m-%d}"


def _ordinal(ctx: Ctx, ordinal: int | None) -> str | None:
    return ctx.t("records.ordinal", n=ordinal) if ordinal else None


def _people(ctx: Ctx, count: int | None) -> str | None:
    return ctx.t("records.people", n=count) if count is not None else None


def _member_name(ctx: Ctx, member_id: int | None) -> str | None:
    member = get_member(ctx.session, member_id=member_id) if member_id else None
    return member.name if member else None


def _category_names(ctx: Ctx, codes: list[str]) -> str:
    labels = category_labels(ctx.session)
    index = 1 if ctx.lang == "en" else 0
    return "、".join(labels[code][index] if code in labels else code for code in codes)


def _activity_ref(ctx: Ctx, activity_id: int | None) -> str | None:
    if activity_id is None:
        return None
    activity = get_activity_by_id(
        ctx.session, municipality_id=ctx.municipality_id, activity_id=activity_id
    )
    return record_title(ctx, activity) if activity is not None else None
