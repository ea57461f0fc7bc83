"""The steps both activity flows share (訪問 and 活動): fields, confirmation and fixing.

Every field step goes on to the next step, or back to the confirmation once the user has chosen
修正する there (the draft's "reviewed" flag). The confirmation shows the record as a card and
saves it, or lists the fields to fix.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum

from bot.context import Ctx, UserError
from bot.dates import format_duration, parse_date, parse_duration
from bot.flows import Again, Answer, Draft, Finish, Goto, Step, StepResult
from bot.messages import Card, Choice, Reply
from bot.privacy import find_pii

KUBUN = ("把握", "資源開発", "ネットワーク構築", "マッチング", "協議体運営")
# The municipal 活動区分 mapped onto the coordinate functions ①〜⑥ (DOMAIN.md §0).
KUBUN_FUNCTIONS = {
    "把握": "①",
    "資源開発": "⑤",
    "ネットワーク構築": "②③",
    "マッチング": "⑥",
    "協議体運営": "③④",
}
# The 活動区分 that usually fits a visit purpose or an activity type (offered first).
KUBUN_FIT = {
    "宝物さがし": "把握",
    "あいさつ": "ネットワーク構築",
    "同行訪問": "把握",
    "立ち上げ支援": "資源開発",
    "取材": "把握",
    "会議・集まり参加": "ネットワーク構築",
    "住民説明会": "協議体運営",
    "個別訪問・相談": "マッチング",
    "電話・調査": "把握",
    "来所相談": "マッチング",
    "研修": "資源開発",
    "事務": "把握",
}
DURATIONS = (30, 60, 90, 120, 180)
SKIP = "skip"
SAVE = "save"
FIX = "fix"
TEXT_LIMIT = 300


def advance(draft: Draft, then: StrEnum, confirm: StrEnum) -> Goto:
    """Go on to the next step, or back to the confirmation while fixing a field."""
    return Goto(confirm if draft.get("reviewed") else then)


def picked(ctx: Ctx, answer: Answer, choices: Sequence[Choice]) -> str | None:
    """Return the value of the choice picked; a number that names no choice is a user error."""
    if answer.value is not None:
        return answer.value
    if answer.text.isdecimal() and len(choices) == 1:
        raise UserError(ctx.t("activity.bad_number_one", label=choices[0].label))
    if answer.text.isdecimal() and choices:
        raise UserError(ctx.t("activity.bad_number", n=len(choices)))
    return None


def label(ctx: Ctx, group: str, value: str) -> str:
    """Return a stored vocabulary value (purpose, type, 区分…) in the user's language."""
    return ctx.t(f"{group}.{value}")


def checked_text(ctx: Ctx, text: str) -> str:
    """Return a free-text answer, refusing personal details and overly long text."""
    text = text.strip()
    if not text:
        raise UserError(ctx.t("activity.empty"))
    if find_pii(text):
        raise UserError(ctx.t("activity.no_personal_details"))
    if len(text) > TEXT_LIMIT:
        raise UserError(ctx.t("activity.too_long", limit=TEXT_LIMIT))
    return text


def choice_step(
    field: str,
    group: str,
    choices: Callable[[Ctx, Draft], tuple[Choice, ...]],
    then: StrEnum,
    confirm: StrEnum,
    *,
    ask: str,
    bad: str,
) -> Step:
    """Return a step storing one value of a vocabulary `group`, picked or typed by name."""

    def prompt(ctx: Ctx, draft: Draft) -> Reply:
        """Ask the question with its choices."""
        return Reply(ctx.t(ask), choices=choices(ctx, draft))

    def handle(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
        """Store the value picked; anything not in the list is asked again."""
        offered = choices(ctx, draft)
        value = picked(ctx, answer, offered) or typed_value(ctx, group, offered, answer.text)
        if value is None:
            return Again(ctx.t(bad))
        draft[field] = value
        return advance(draft, then, confirm)

    return Step(prompt, handle)


def typed_value(ctx: Ctx, group: str, offered: Sequence[Choice], text: str) -> str | None:
    """Return the offered value a typed word names (its stored form or its name), if any."""
    folded = text.casefold()
    for choice in offered:
        if folded in (choice.value.casefold(), label(ctx, group, choice.value).casefold()):
            return choice.value
    return None


def date_step(prompt_key: str, then: StrEnum, confirm: StrEnum) -> Step:
    """Return the step asking the date (今日, 昨日 or typed like 11/20)."""

    def prompt(ctx: Ctx, draft: Draft) -> Reply:
        """Ask when it happened."""
        choices = (
            Choice(ctx.t("activity.today"), "today"),
            Choice(ctx.t("activity.yesterday"), "yesterday"),
        )
        return Reply(ctx.t(prompt_key), choices=choices)

    def handle(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
        """Store the date; a future, too old or unreadable date is asked again."""
        day = parse_date(answer.value or answer.text, ctx.today())
        if day is None:
            return Again(ctx.t("activity.bad_date"))
        draft["occurred_on"] = day.isoformat()
        return advance(draft, then, confirm)

    return Step(prompt, handle)


def duration_step(then: StrEnum, confirm: StrEnum) -> Step:
    """Return the step asking how long it took."""

    def prompt(ctx: Ctx, draft: Draft) -> Reply:
        """Ask the duration (choices, or typed like 45分 or 1時間半)."""
        choices = tuple(Choice(format_duration(m, ctx.lang), str(m)) for m in DURATIONS)
        return Reply(ctx.t("activity.ask_duration"), choices=choices)

    def handle(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
        """Store the duration in minutes; a bare small number is a wrong choice number."""
        if answer.value is None and answer.text.isdecimal() and int(answer.text) < 10:
            return Again(ctx.t("activity.bad_number", n=len(DURATIONS)))
        minutes = parse_duration(answer.value or answer.text)
        if minutes is None:
            return Again(ctx.t("activity.bad_duration"))
        draft["duration_min"] = minutes
        return advance(draft, then, confirm)

    return Step(prompt, handle)


def kubun_choices(ctx: Ctx, draft: Draft) -> tuple[Choice, ...]:
    """Return the 活動区分 as choices, the one fitting the purpose or type first and marked."""
    fit = KUBUN_FIT.get(draft.get("purpose") or draft.get("activity_type") or "", KUBUN[0])
    marked = Choice(ctx.t("activity.suggested", label=kubun_label(ctx, fit)), fit)
    return (marked, *(Choice(kubun_label(ctx, k), k) for k in KUBUN if k != fit))


def kubun_step(then: StrEnum, confirm: StrEnum) -> Step:
    """Return the step asking the municipal 活動区分 (the one fitting the purpose first)."""
    return choice_step(
        "kubun",
        "activity.kubun",
        kubun_choices,
        then,
        confirm,
        ask="activity.ask_kubun",
        bad="activity.bad_kubun",
    )


def note_step(
    field: str, prompt_key: str, then: StrEnum, confirm: StrEnum, *, skip_key: str = "common.skip"
) -> Step:
    """Return a step asking one line of free text (相手方, 宝物, 成果), which may be skipped."""

    def prompt(ctx: Ctx, draft: Draft) -> Reply:
        """Ask for the text, offering to skip it."""
        return Reply(ctx.t(prompt_key), choices=(Choice(ctx.t(skip_key), SKIP),))

    def handle(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
        """Store the text (no names, phone numbers or addresses), or nothing when skipped."""
        skipped = picked(ctx, answer, (Choice("", SKIP),)) == SKIP
        draft[field] = None if skipped else checked_text(ctx, answer.text)
        return advance(draft, then, confirm)

    return Step(prompt, handle)


def confirm_step(
    card: Callable[[Ctx, Draft], Card], save: Callable[[Ctx, Draft], list[Reply]], fix: StrEnum
) -> Step:
    """Return the confirmation step: a card of every field, then 保存 or 修正する."""

    def prompt(ctx: Ctx, draft: Draft) -> Reply:
        """Show the record as a card and ask to save it or fix a field."""
        choices = (Choice(ctx.t("activity.save"), SAVE), Choice(ctx.t("activity.fix"), FIX))
        return Reply(ctx.t("activity.ask_confirm"), choices=choices, card=card(ctx, draft))

    def handle(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
        """Save the record, or list the fields to fix."""
        value = picked(ctx, answer, (Choice("", SAVE), Choice("", FIX)))
        if value == SAVE:
            return Finish(save(ctx, draft))
        if value == FIX:
            draft["reviewed"] = True
            return Goto(fix)
        return Again(ctx.t("activity.bad_confirm"))

    return Step(prompt, handle)


def fix_step(fields: Sequence[tuple[str, StrEnum]]) -> Step:
    """Return the step listing the fields to fix (catalogue key, step); each leads to its step."""

    def choices(ctx: Ctx) -> tuple[Choice, ...]:
        return tuple(Choice(ctx.t(key), step.value) for key, step in fields)

    def prompt(ctx: Ctx, draft: Draft) -> Reply:
        """Ask which field to fix."""
        return Reply(ctx.t("activity.ask_fix"), choices=choices(ctx))

    def handle(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
        """Go to the chosen field's step."""
        value = picked(ctx, answer, choices(ctx))
        for _, step in fields:
            if step.value == value:
                return Goto(step)
        return Again(ctx.t("activity.bad_fix"))

    return Step(prompt, handle)


def optional(ctx: Ctx, value: object) -> str:
    """Return a value for a card row, or 「なし」."""
    return ctx.t("common.none") if value in (None, "", []) else str(value)


def kubun_label(ctx: Ctx, kubun: str | None) -> str:
    """Return a 活動区分 with the coordinate functions it maps to, e.g. 把握（①）."""
    if kubun not in KUBUN_FUNCTIONS:
        return optional(ctx, kubun)
    name = label(ctx, "activity.kubun", kubun)
    return ctx.t("activity.kubun_with_functions", kubun=name, functions=KUBUN_FUNCTIONS[kubun])
