"""予定 追加: an organiser sets up a meeting step by step, and sees it in words before saving.

KIND → TITLE → WHEN (「毎月第2火曜 14:00」, echoed back in words) → PLACE → DURATION → POLICY
→ AUDIENCE → CONFIRM (with the next three dates) → 「予定 #N を登録しました」.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import cast

from bot.context import Ctx
from bot.dates import format_duration, parse_duration
from bot.flows import Again, Answer, Draft, Finish, Flow, Goto, Step, StepResult
from bot.messages import Card, Choice, Reply
from handlers.common import area_label
from schedules.occurrences import POLICIES, Policy, occurrences
from schedules.recurrence import Recurrence, parse_recurrence
from storage.meetings import KINDS, add_series
from storage.members import list_areas
from storage.models import MeetingSeries, Municipality, PeerGroup, Role
from storage.peer import groups_of_municipality

ADD_FLOW = "meetings.add"
SKIP = "skip"
SAVE = "save"
MAX_TITLE = 100
DURATIONS = (60, 90, 120)
_LEADING_DATE = re.compile(r"^(?:(\d{4})[-/年])?(\d{1,2})[-/月](\d{1,2})日?\s*")


class AddStep(StrEnum):
    KIND = "kind"
    TITLE = "title"
    WHEN = "when"
    PLACE = "place"
    DURATION = "duration"
    POLICY = "policy"
    AUDIENCE = "audience"
    CONFIRM = "confirm"


def build_add_flow() -> Flow:
    """Return the 予定 追加 flow."""
    steps: dict[StrEnum, Step] = {
        AddStep.KIND: Step(ask_kind, take_kind),
        AddStep.TITLE: Step(ask_title, take_title),
        AddStep.WHEN: Step(ask_when, take_when),
        AddStep.PLACE: Step(ask_place, take_place),
        AddStep.DURATION: Step(ask_duration, take_duration, numeric=True),
        AddStep.POLICY: Step(ask_policy, take_policy),
        AddStep.AUDIENCE: Step(ask_audience, take_audience),
        AddStep.CONFIRM: Step(ask_confirm, take_confirm),
    }
    return Flow(ADD_FLOW, steps, first=AddStep.KIND, help_key="meetings.add.help")


def ask_kind(ctx: Ctx, draft: Draft) -> Reply:
    """Ask which kind of meeting it is."""
    choices = tuple(Choice(ctx.t(f"meetings.kind.{i}"), kind) for i, kind in enumerate(KINDS))
    return Reply(ctx.t("meetings.add.kind"), choices=choices)


def take_kind(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
    """Keep the kind picked (or typed)."""
    kind = answer.value or (answer.text if answer.text in KINDS else None)
    if kind not in KINDS:
        return Again(ctx.t("meetings.add.kind_again"))
    draft["kind"] = kind
    return Goto(AddStep.TITLE)


def ask_title(ctx: Ctx, draft: Draft) -> Reply:
    """Ask for the meeting's title."""
    return Reply(ctx.t("meetings.add.title", kind=kind_label(ctx, draft["kind"])))


def take_title(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
    """Keep a title of one to 100 characters."""
    if not answer.text or len(answer.text) > MAX_TITLE:
        return Again(ctx.t("meetings.add.title_again", max=MAX_TITLE))
    draft["title"] = answer.text
    return Goto(AddStep.WHEN)


def ask_when(ctx: Ctx, draft: Draft) -> Reply:
    """Ask when it meets, as people say it."""
    return Reply(ctx.t("meetings.add.when"))


def take_when(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
    """Read the recurrence (and an optional first date); unreadable text gets the examples."""
    starts, rule_text = split_when(answer.text, today=ctx.today())
    rule = parse_recurrence(rule_text, start=starts)
    if not isinstance(rule, Recurrence):
        return Again(rule.describe(ctx.lang))
    if rule.time is None:
        return Again(ctx.t("meetings.add.when_no_time"))
    draft["rule_text"], draft["starts_on"] = rule_text, starts.isoformat()
    return Goto(AddStep.PLACE)


def split_when(text: str, *, today: date) -> tuple[date, str]:
    """Return the first date (a leading 12/10 or 2026-12-10, else today) and the rule's text."""
    folded = unicodedata.normalize("NFKC", text).strip()
    found = _LEADING_DATE.match(folded)
    if found is None:
        return today, folded
    try:
        starts = date(int(found[1] or today.year), int(found[2]), int(found[3]))
    except ValueError:
        return today, folded
    if not found[1] and starts < today:
        starts = starts.replace(year=today.year + 1)
    rest = folded[found.end() :]
    if re.fullmatch(r"[\d:時分半午前後]+", rest):
        rest = f"一回だけ {rest}"  # a date and a time: a one-off meeting
    return starts, rest


def ask_place(ctx: Ctx, draft: Draft) -> Reply:
    """Echo the schedule in words and ask where it is held."""
    rule = draft_rule(draft)
    return Reply(
        ctx.t("meetings.add.place", words=rule.describe(ctx.lang)),
        choices=(Choice(ctx.t("common.skip"), SKIP),),
    )


def take_place(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
    """Keep the place, or none on スキップ."""
    draft["place"] = None if answer.value == SKIP else answer.text[:MAX_TITLE] or None
    return Goto(AddStep.DURATION)


def ask_duration(ctx: Ctx, draft: Draft) -> Reply:
    """Ask how long it lasts."""
    choices = [Choice(format_duration(m, ctx.lang), str(m)) for m in DURATIONS]
    choices.append(Choice(ctx.t("common.skip"), SKIP))
    return Reply(ctx.t("meetings.add.duration"), choices=tuple(choices))


def take_duration(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
    """Keep the duration in minutes (90, 1時間半, 2時間), or none on スキップ."""
    if answer.value == SKIP:
        draft["duration_min"] = None
        return Goto(AddStep.POLICY)
    minutes = int(answer.value) if answer.value else parse_duration(answer.text)
    if minutes is None:
        return Again(ctx.t("meetings.add.duration_again"))
    draft["duration_min"] = minutes
    return Goto(AddStep.POLICY)


def ask_policy(ctx: Ctx, draft: Draft) -> Reply:
    """Ask what happens when it falls on a public holiday."""
    choices = tuple(Choice(ctx.t(f"meetings.policy.{p}"), p) for p in POLICIES)
    return Reply(ctx.t("meetings.add.policy"), choices=choices)


def take_policy(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
    """Keep the holiday policy."""
    if answer.value not in POLICIES:
        return Again(ctx.t("meetings.add.pick"))
    draft["policy"] = answer.value
    return Goto(AddStep.AUDIENCE)


def ask_audience(ctx: Ctx, draft: Draft) -> Reply:
    """Ask who is invited: everyone, the members of an area, or a role."""
    return Reply(ctx.t("meetings.add.audience"), choices=audience_choices(ctx))


def audience_choices(ctx: Ctx) -> tuple[Choice, ...]:
    """Return the audiences an organiser can pick, their municipality's peer groups included."""
    values = ["municipality"]
    values += [f"area:{a.id}" for a in list_areas(ctx.session, municipality_id=ctx.municipality_id)]
    values += [f"role:{role.value}" for role in Role]
    groups = groups_of_municipality(ctx.session, municipality_id=ctx.municipality_id)
    values += [f"peer:{group.id}" for group in groups]
    return tuple(Choice(audience_label(ctx, value), value) for value in values)


def take_audience(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
    """Keep the audience picked."""
    if answer.value is None:
        return Again(ctx.t("meetings.add.pick"))
    draft["audience"] = answer.value
    return Goto(AddStep.CONFIRM)


def ask_confirm(ctx: Ctx, draft: Draft) -> Reply:
    """Show the meeting with its next three dates and ask to save it."""
    return Reply(
        ctx.t("meetings.add.confirm"),
        card=series_card(ctx, draft_series(ctx, draft), words=draft_rule(draft).describe(ctx.lang)),
        choices=(Choice(ctx.t("meetings.add.save"), SAVE),),
    )


def take_confirm(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
    """Save the series on 保存 and give its number."""
    if answer.value != SAVE and answer.text not in ("保存", "save"):
        return Again(ctx.t("meetings.add.save_again"))
    fields = draft_series(ctx, draft).model_dump(exclude={"id", "number", "created_at"})
    saved = add_series(ctx.session, **fields, now=ctx.now())
    ctx.audit("meeting.create", target=f"meeting:#{saved.number}", kind=saved.kind)
    return Finish([Reply(ctx.t("meetings.add.saved", number=saved.number))])


def draft_rule(draft: Draft) -> Recurrence:
    """Return the recurrence of the draft (it was read successfully at its step)."""
    rule = parse_recurrence(draft["rule_text"], start=date.fromisoformat(draft["starts_on"]))
    assert isinstance(rule, Recurrence)
    return rule


def draft_series(ctx: Ctx, draft: Draft) -> MeetingSeries:
    """Return the (unsaved) series the draft describes."""
    rule = draft_rule(draft)
    assert rule.time is not None
    return MeetingSeries(
        municipality_id=ctx.municipality_id,
        number=0,
        kind=draft["kind"],
        title=draft["title"],
        place=draft.get("place"),
        duration_min=draft.get("duration_min"),
        rrule=rule.rrule,
        time_of_day=rule.time,
        starts_on=date.fromisoformat(draft["starts_on"]),
        holiday_policy=draft["policy"],
        closed_year_end=True,
        audience=draft["audience"],
        organiser_id=ctx.me.id,
    )


def series_card(ctx: Ctx, series: MeetingSeries, *, words: str) -> Card:
    """Return a series as a card, with its next three dates."""
    upcoming = occurrences(
        series.rrule,
        start=series.starts_on,
        until=series.starts_on + timedelta(days=800),
        time=series.time_of_day,
        policy=cast(Policy, series.holiday_policy),
        closed_year_end=series.closed_year_end,
    )
    nexts = [o.at for o in upcoming if o.at >= ctx.now()][:3]
    rows = [
        (ctx.t("meetings.field.kind"), kind_label(ctx, series.kind)),
        (ctx.t("meetings.field.title"), series.title),
        (ctx.t("meetings.field.when"), words),
        (ctx.t("meetings.field.place"), series.place or "—"),
        (ctx.t("meetings.field.duration"), _minutes(ctx, series.duration_min)),
        (ctx.t("meetings.field.policy"), ctx.t(f"meetings.policy.{series.holiday_policy}")),
        (ctx.t("meetings.field.year_end"), ctx.t("meetings.year_end_closed")),
        (ctx.t("meetings.field.audience"), audience_label(ctx, series.audience)),
        (ctx.t("meetings.field.next"), "、".join(when_label(ctx, at) for at in nexts) or "—"),
    ]
    return Card(ctx.t("meetings.add.card_title"), tuple(rows))


def _minutes(ctx: Ctx, minutes: int | None) -> str:
    return format_duration(minutes, ctx.lang) if minutes else "—"


def kind_label(ctx: Ctx, kind: str) -> str:
    """Return a meeting kind in the user's language."""
    return ctx.t(f"meetings.kind.{KINDS.index(kind)}") if kind in KINDS else kind


def audience_label(ctx: Ctx, audience: str) -> str:
    """Return who a series is for, in words."""
    kind, _, ref = audience.partition(":")
    if kind == "area":
        return ctx.t("meetings.audience.area", area=area_label(ctx, int(ref)))
    if kind == "role":
        return ctx.t("meetings.audience.role", role=ctx.t(f"role.{ref}"))
    if kind == "peer":
        group = ctx.session.get(PeerGroup, int(ref))
        return ctx.t("meetings.audience.peer", group=group.name if group else "?")
    municipality = ctx.session.get(Municipality, ctx.municipality_id)
    return ctx.t("meetings.audience.municipality", name=municipality.name if municipality else "")


def when_label(ctx: Ctx, at: datetime) -> str:
    """Return a meeting time as 12/8(火) 14:00 in the configured time zone."""
    local = ctx.local(at)
    weekday = ctx.t("meetings.weekday_short").split()[local.weekday()]
    return ctx.t(
        "meetings.when", month=local.month, day=local.day, weekday=weekday, time=f"{local:%H:%M}"
    )
