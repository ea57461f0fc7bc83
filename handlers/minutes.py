"""会議記録 #N: the organiser records the most recent meeting of series #N, step by step.

DATE (the last occurrence) → ORDINAL (第n回) → ATTENDANCE (「12人中9名」) → BREAKDOWN (by
organisation type, optional) → AGENDA → ISSUES → RAISED_BY → DECISIONS → FOLLOW_UP → NEXT
→ CONFIRM → 「会議記録 #M を記録しました」. Free text refuses names like every other record.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta
from enum import StrEnum

from bot.context import Ctx, UserError
from bot.dates import parse_date
from bot.flows import Again, Answer, Draft, Finish, Flow, Goto, StartFlow, Step, StepResult
from bot.messages import Choice, Reply
from bot.router import Router
from handlers.common import WRITERS
from handlers.meeting_flow import kind_label
from handlers.minutes_card import day_label, record_card
from handlers.minutes_view import is_list_request, list_minutes
from handlers.record_steps import checked_text
from storage.meetings import get_series, series_occurrences
from storage.minutes import (
    FOLLOW_UPS,
    ORGANISATION_TYPES,
    RAISERS,
    add_record,
    count_records_before,
)
from storage.models import MeetingSeries, Role

FLOW = "minutes.record"
SKIP = "skip"
SAVE = "save"
LOOK_BACK = timedelta(days=400)
_SERIES = re.compile(r"#?(\d+)")
_OUT_OF = re.compile(r"(\d+)\s*人?\s*中\s*(\d+)\s*[名人]?")
_TWO_NUMBERS = re.compile(r"(\d+)\s*[\s/／,、]\s*(\d+)")
_TYPE_COUNT = re.compile("(" + "|".join(ORGANISATION_TYPES) + r")\s*(\d+)\s*[名人]?")


class MinutesStep(StrEnum):
    DATE = "date"
    ORDINAL = "ordinal"
    ATTENDANCE = "attendance"
    BREAKDOWN = "breakdown"
    AGENDA = "agenda"
    ISSUES = "issues"
    RAISED_BY = "raised_by"
    DECISIONS = "decisions"
    FOLLOW_UP = "follow_up"
    NEXT = "next"
    CONFIRM = "confirm"


def register(router: Router) -> None:
    """Register 会議記録 (list, 一覧 #N, or #N to record) and its flow."""
    router.add_command(["会議記録", "minutes"], minutes_command)
    router.add_flow(build_flow())


def build_flow() -> Flow:
    """Return the 会議記録 flow."""
    steps: dict[StrEnum, Step] = {
        MinutesStep.DATE: Step(ask_date, take_date),
        MinutesStep.ORDINAL: Step(ask_ordinal, take_ordinal, numeric=True),
        MinutesStep.ATTENDANCE: Step(ask_attendance, take_attendance, numeric=True),
        MinutesStep.BREAKDOWN: Step(ask_breakdown, take_breakdown),
        MinutesStep.AGENDA: text_step("agenda", MinutesStep.ISSUES, skippable=False),
        MinutesStep.ISSUES: text_step("issues_raised", MinutesStep.RAISED_BY, skippable=True),
        MinutesStep.RAISED_BY: Step(ask_raised_by, take_raised_by),
        MinutesStep.DECISIONS: text_step("decisions", MinutesStep.FOLLOW_UP, skippable=True),
        MinutesStep.FOLLOW_UP: Step(ask_follow_up, take_follow_up),
        MinutesStep.NEXT: text_step("next_meeting", MinutesStep.CONFIRM, skippable=True),
        MinutesStep.CONFIRM: Step(ask_confirm, take_confirm),
    }
    return Flow(FLOW, steps, first=MinutesStep.DATE, help_key="minutes.help")


def minutes_command(ctx: Ctx, args: str) -> list[Reply] | StartFlow:
    """List records (会議記録, 会議記録 一覧 [#N]) or record the last meeting of series #N."""
    if is_list_request(args):
        return list_minutes(ctx, args)
    if ctx.me.role not in WRITERS:
        return [Reply(ctx.t("error.not_allowed"))]
    found = _SERIES.fullmatch(args.strip())
    if found is None:
        return [Reply(ctx.t("minutes.usage"))]
    number = int(found[1])
    series = get_series(ctx.session, municipality_id=ctx.municipality_id, number=number)
    if series is None:
        raise UserError(ctx.t("meetings.not_found", number=number))
    last = last_occurrence(ctx, series)
    if last is None:
        return [Reply(ctx.t("minutes.no_past", number=number))]
    draft: Draft = {"series": number, "last": last.isoformat(), "last_label": _label(ctx, series)}
    return StartFlow(FLOW, draft)


def last_occurrence(ctx: Ctx, series: MeetingSeries) -> date | None:
    """Return the day of the series' most recent occurrence already begun, or None."""
    today, now = ctx.today(), ctx.now()
    held = series_occurrences(ctx.session, series=series, start=today - LOOK_BACK, until=today)
    past = [o for o in held if o.at <= now]
    return ctx.local(past[-1].at).date() if past else None


def _label(ctx: Ctx, series: MeetingSeries) -> str:
    return f"#{series.number} {series.title}（{kind_label(ctx, series.kind)}）"


def _series(ctx: Ctx, draft: Draft) -> MeetingSeries:
    series = get_series(ctx.session, municipality_id=ctx.municipality_id, number=draft["series"])
    if series is None:
        raise UserError(ctx.t("meetings.not_found", number=draft["series"]))
    return series


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def ask_date(ctx: Ctx, draft: Draft) -> Reply:
    """Ask which day the meeting was held, the last occurrence offered first."""
    choice = Choice(day_label(draft["last"]), draft["last"])
    return Reply(ctx.t("minutes.ask_date", meeting=draft["last_label"]), choices=(choice,))


def take_date(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
    """Keep the day picked or typed (not in the future)."""
    day = date.fromisoformat(answer.value) if answer.value else parse_date(answer.text, ctx.today())
    if day is None:
        return Again(ctx.t("minutes.bad_date"))
    draft["occurrence"] = day.isoformat()
    series = _series(ctx, draft)
    assert series.id is not None
    before = count_records_before(ctx.session, series_id=series.id, occurrence=day)
    draft["default_ordinal"] = before + 1
    return Goto(MinutesStep.ORDINAL)


def ask_ordinal(ctx: Ctx, draft: Draft) -> Reply:
    """Ask the 回次, offering the count of earlier records plus one."""
    n = draft["default_ordinal"]
    return Reply(ctx.t("minutes.ask_ordinal"), choices=(Choice(ctx.t("minutes.nth", n=n), str(n)),))


def take_ordinal(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
    """Keep the 回次 (第3回, 3)."""
    digits = re.fullmatch(r"第?\s*(\d{1,3})\s*回?", _fold(answer.value or answer.text))
    if digits is None or int(digits[1]) < 1:
        return Again(ctx.t("minutes.bad_ordinal"))
    draft["ordinal"] = int(digits[1])
    return Goto(MinutesStep.ATTENDANCE)


def ask_attendance(ctx: Ctx, draft: Draft) -> Reply:
    """Ask how many were expected and how many came."""
    return Reply(ctx.t("minutes.ask_attendance"))


def take_attendance(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
    """Keep 「12人中9名」 or two numbers (12 9); those present cannot outnumber those expected."""
    text = _fold(answer.text)
    found = _OUT_OF.fullmatch(text) or _TWO_NUMBERS.fullmatch(text)
    if found is None:
        return Again(ctx.t("minutes.bad_attendance"))
    total, present = int(found[1]), int(found[2])
    if total < 1 or present > total:
        return Again(ctx.t("minutes.bad_attendance"))
    draft["attendees_total"], draft["attendees_present"] = total, present
    return Goto(MinutesStep.BREAKDOWN)


def ask_breakdown(ctx: Ctx, draft: Draft) -> Reply:
    """Ask who came by organisation type, which may be skipped."""
    return Reply(ctx.t("minutes.ask_breakdown"), choices=(Choice(ctx.t("common.skip"), SKIP),))


def take_breakdown(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
    """Keep 「地縁組織4 関係機関3 多様な主体2」; the counts cannot exceed those present."""
    if answer.value == SKIP:
        draft["attendance_by_type"] = {}
        return Goto(MinutesStep.AGENDA)
    breakdown = parse_breakdown(answer.text)
    if not breakdown or sum(breakdown.values()) > draft["attendees_present"]:
        return Again(ctx.t("minutes.bad_breakdown", present=draft["attendees_present"]))
    draft["attendance_by_type"] = breakdown
    return Goto(MinutesStep.AGENDA)


def parse_breakdown(text: str) -> dict[str, int] | None:
    """Return the counts by organisation type, or None if anything else is in the text."""
    folded = _fold(text)
    counts = {name: int(n) for name, n in _TYPE_COUNT.findall(folded)}
    rest = _TYPE_COUNT.sub("", folded)
    return counts if counts and not re.sub(r"[\s、,・/]", "", rest) else None


def text_step(field: str, then: MinutesStep, *, skippable: bool) -> Step:
    """Return a step asking one line of free text (no names), optionally skipped."""

    def prompt(ctx: Ctx, draft: Draft) -> Reply:
        """Ask for the text."""
        choices = (Choice(ctx.t("common.skip"), SKIP),) if skippable else ()
        return Reply(ctx.t(f"minutes.ask_{field}"), choices=choices)

    def handle(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
        """Keep the text (names, phone numbers and addresses refused), or none when skipped."""
        skipped = skippable and answer.value == SKIP
        draft[field] = None if skipped else checked_text(ctx, answer.text)
        if field == "issues_raised" and skipped:
            draft["issues_raised_by"] = None
            return Goto(MinutesStep.DECISIONS)
        return Goto(then)

    return Step(prompt, handle)


def _vocabulary_choices(ctx: Ctx, group: str, values: tuple[str, ...]) -> tuple[Choice, ...]:
    return tuple(Choice(ctx.t(f"minutes.{group}.{i}"), v) for i, v in enumerate(values))


def _typed(ctx: Ctx, answer: Answer, group: str, values: tuple[str, ...]) -> str | None:
    if answer.value in values:
        return answer.value
    for choice in _vocabulary_choices(ctx, group, values):
        if _fold(answer.text) in (choice.value, choice.label):
            return choice.value
    return None


def ask_raised_by(ctx: Ctx, draft: Draft) -> Reply:
    """Ask who raised the issue (a role, never a name)."""
    return Reply(
        ctx.t("minutes.ask_raised_by"), choices=_vocabulary_choices(ctx, "raiser", RAISERS)
    )


def take_raised_by(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
    """Keep who raised it."""
    value = _typed(ctx, answer, "raiser", RAISERS)
    if value is None:
        return Again(ctx.t("minutes.pick"))
    draft["issues_raised_by"] = value
    return Goto(MinutesStep.DECISIONS)


def ask_follow_up(ctx: Ctx, draft: Draft) -> Reply:
    """Ask what happens next with what was raised and decided (今後の扱い)."""
    choices = (
        *_vocabulary_choices(ctx, "follow_up", FOLLOW_UPS),
        Choice(ctx.t("common.skip"), SKIP),
    )
    return Reply(ctx.t("minutes.ask_follow_up"), choices=choices)


def take_follow_up(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
    """Keep 今後の扱い, or none on スキップ."""
    if answer.value == SKIP:
        draft["follow_up"] = None
        return Goto(MinutesStep.NEXT)
    value = _typed(ctx, answer, "follow_up", FOLLOW_UPS)
    if value is None:
        return Again(ctx.t("minutes.pick"))
    draft["follow_up"] = value
    return Goto(MinutesStep.NEXT)


def ask_confirm(ctx: Ctx, draft: Draft) -> Reply:
    """Show the record as a card and ask to save it."""
    return Reply(
        ctx.t("minutes.ask_confirm"),
        card=record_card(ctx, draft),
        choices=(Choice(ctx.t("minutes.save"), SAVE),),
    )


def take_confirm(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
    """Save the record on 保存 and give its number."""
    if answer.value != SAVE and _fold(answer.text) not in ("保存", "save"):
        return Again(ctx.t("minutes.save_again"))
    series = _series(ctx, draft)
    assert series.id is not None and ctx.me.id is not None
    breakdown: dict[str, int] = draft["attendance_by_type"]
    saved = add_record(
        ctx.session,
        municipality_id=ctx.municipality_id,
        series_id=series.id,
        occurrence=date.fromisoformat(draft["occurrence"]),
        recorded_by=ctx.me.id,
        now=ctx.now(),
        ordinal=draft["ordinal"],
        attendees_total=draft["attendees_total"],
        attendees_present=draft["attendees_present"],
        attendance_by_type=breakdown,
        agenda=draft["agenda"],
        issues_raised=draft["issues_raised"],
        issues_raised_by=draft["issues_raised_by"],
        decisions=draft["decisions"],
        follow_up=draft["follow_up"],
        next_meeting=draft["next_meeting"],
        sc_attended=breakdown.get("SC", 0) > 0 or ctx.me.role == Role.COORDINATOR.value,
    )
    ctx.audit(
        "meeting.record.create", target=f"meeting_record:#{saved.number}", series=series.number
    )
    return Finish([Reply(ctx.t("minutes.saved", number=saved.number))])
