"""資源 登録: register a local resource (地域資源) step by step, then confirm it.

    NAME ─► KIND ─► ACTIVITIES ─► AREA ─► CATEGORY (─► CATEGORY_ALL) ─► SCHEDULE ─► VENUE
         ─► TARGET ─► FEE ─► OPERATOR ─► CONTACT (─► CONTACT_CONSENT) ─► PUBLISH ─► CONFIRM

Optional steps take 「なし」 (or the スキップ choice). From CONFIRM each change goes to its step and
comes straight back. `資源 登録 #N` starts from murmur #N: saving links the two (資源化).
"""

from __future__ import annotations

from enum import StrEnum

from bot.classify import suggest_categories
from bot.context import Ctx
from bot.flows import Again, Answer, Draft, Finish, Flow, Goto, Step, StepResult
from bot.messages import Choice, Reply
from handlers.common import area_choices, parse_area
from handlers.murmur_common import category_choices, category_label
from handlers.resource_save import card, save
from handlers.visit_steps import is_none_word
from storage.categories import TAXONOMY
from storage.resources import find_resource_by_name_and_area

RESOURCE_FLOW = "resource.add"
SKIP = "skip"
KEEP = "keep"
MORE = "more"
YES = "yes"
NO = "no"
MAX_TEXT = 200
# Resource types seen in practice (DOMAIN.md §5, "Resource type"); any other text is kept as typed.
KINDS: tuple[str, ...] = (
    "サロン",
    "通いの場",
    "つどい場・カフェ",
    "食事会・会食",
    "配食",
    "移動販売・出張販売",
    "住民型有償サービス",
    "体操・ウォーキング",
    "朝市・産直市",
    "見守りネットワーク",
    "送迎",
    "その他",
)


class ResourceStep(StrEnum):
    NAME = "name"
    KIND = "kind"
    ACTIVITIES = "activities"
    AREA = "area"
    CATEGORY = "category"
    CATEGORY_ALL = "category_all"
    SCHEDULE = "schedule"
    VENUE = "venue"
    TARGET = "target"
    FEE = "fee"
    OPERATOR = "operator"
    CONTACT = "contact"
    CONTACT_CONSENT = "contact_consent"
    PUBLISH = "publish"
    CONFIRM = "confirm"


S = ResourceStep
# Free-text steps: (draft key, step after it). The text keys are resources.ask.<key>.
TEXT_STEPS: dict[ResourceStep, tuple[str, ResourceStep]] = {
    S.ACTIVITIES: ("main_activities", S.AREA),
    S.SCHEDULE: ("schedule_text", S.VENUE),
    S.VENUE: ("venue", S.TARGET),
    S.TARGET: ("target", S.FEE),
    S.FEE: ("fee", S.OPERATOR),
    S.OPERATOR: ("operator", S.CONTACT),
}
# What CONFIRM offers to change (13 choices with 保存: LINE's quick-reply limit).
CHANGES: dict[str, ResourceStep] = {
    "name": S.NAME,
    "kind": S.KIND,
    "main_activities": S.ACTIVITIES,
    "area": S.AREA,
    "categories": S.CATEGORY,
    "schedule_text": S.SCHEDULE,
    "venue": S.VENUE,
    "target": S.TARGET,
    "fee": S.FEE,
    "operator": S.OPERATOR,
    "contact": S.CONTACT,
    "publish_consent": S.PUBLISH,
}


def _onward(draft: Draft, step: ResourceStep) -> Goto:
    """Go on, or back to CONFIRM while the user is changing one field."""
    return Goto(S.CONFIRM if draft.get("review") else step)


def _skip_choice(ctx: Ctx) -> tuple[Choice, ...]:
    return (Choice(ctx.t("common.none"), SKIP),)


def ask_name(ctx: Ctx, draft: Draft) -> Reply:
    """Ask the resource's name."""
    return Reply(ctx.t("resources.ask.name"))


def take_name(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
    """Take the name (required, at most 200 characters)."""
    name = answer.text.strip()
    if not name or len(name) > MAX_TEXT:
        return Again(ctx.t("resources.invalid.name"))
    draft["name"] = name
    return _onward(draft, S.KIND)


def ask_kind(ctx: Ctx, draft: Draft) -> Reply:
    """Ask the kind of resource (a choice, or typed)."""
    return Reply(ctx.t("resources.ask.kind"), choices=tuple(Choice(k, k) for k in KINDS))


def take_kind(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
    """Take the kind."""
    kind = answer.value or answer.text.strip()
    if not kind or len(kind) > MAX_TEXT or kind.isdecimal():
        return Again(ctx.t("resources.invalid.kind"))
    draft["kind"] = kind
    return _onward(draft, S.ACTIVITIES)


def text_step(step: ResourceStep) -> Step:
    """Return an optional free-text step (なし skips it)."""
    key, then = TEXT_STEPS[step]

    def prompt(ctx: Ctx, draft: Draft) -> Reply:
        return Reply(ctx.t(f"resources.ask.{key}"), choices=_skip_choice(ctx))

    def handle(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
        text = answer.text.strip()
        if answer.value == SKIP or is_none_word(text):
            draft[key] = None
        elif len(text) > MAX_TEXT:
            return Again(ctx.t("resources.invalid.too_long", n=MAX_TEXT))
        else:
            draft[key] = text
        return _onward(draft, then)

    return Step(prompt, handle, numeric=True)


def ask_area(ctx: Ctx, draft: Draft) -> Reply:
    """Ask the area the resource is in."""
    return Reply(ctx.t("resources.ask.area"), choices=area_choices(ctx))


def take_area(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
    """Take an area (a choice or any area name of the municipality)."""
    understood, area_id = parse_area(ctx, answer.value, answer.text)
    if not understood:
        return Again(ctx.t("resources.invalid.area"))
    draft["area_id"] = area_id
    return _onward(draft, S.CATEGORY)


def suggested(draft: Draft) -> list[str]:
    """Return the categories suggested from the name, kind and activities."""
    text = " ".join(str(draft.get(k) or "") for k in ("name", "kind", "main_activities"))
    return [c for c in suggest_categories(text) if c != "other"]


def ask_category(ctx: Ctx, draft: Draft) -> Reply:
    """Offer the suggested categories (all of them, or one), then every category."""
    codes = suggested(draft)
    keep: tuple[Choice, ...] = ()
    if len(codes) > 1:
        labels = "、".join(category_label(ctx, c) for c in codes)
        keep = (Choice(ctx.t("resources.categories_keep", labels=labels), KEEP),)
    picks = category_choices(ctx, codes) if codes else ()
    more = Choice(ctx.t("murmur.more_categories"), MORE)
    return Reply(ctx.t("resources.ask.categories"), choices=(*keep, *picks, more))


def ask_category_all(ctx: Ctx, draft: Draft) -> Reply:
    """Offer every category of the taxonomy."""
    return Reply(ctx.t("resources.ask.categories_all"), choices=category_choices(ctx, []))


def take_category(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
    """Take the suggested categories, one picked, or labels typed with 、 between them."""
    if answer.value == MORE:
        return Goto(S.CATEGORY_ALL)
    if answer.value == KEEP:
        draft["categories"] = suggested(draft)
        return _onward(draft, S.SCHEDULE)
    codes = [answer.value] if answer.value else category_codes(ctx, answer.text)
    if not codes:
        return Again(ctx.t("resources.invalid.categories"))
    draft["categories"] = codes
    return _onward(draft, S.SCHEDULE)


def category_codes(ctx: Ctx, text: str) -> list[str]:
    """Return the category codes named by labels typed with 、 or , between them ([] if any is unknown)."""
    codes = []
    for part in (p.strip() for p in text.replace(",", "、").split("、")):
        code = next(
            (c.code for c in TAXONOMY if part in (c.code, c.label_ja, c.label_en)), None
        )
        if code is None:
            return []
        codes.append(code)
    return list(dict.fromkeys(codes))


def ask_contact(ctx: Ctx, draft: Draft) -> Reply:
    """Ask the representative or contact (shown only with its own consent)."""
    return Reply(ctx.t("resources.ask.contact"), choices=_skip_choice(ctx))


def take_contact(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
    """Take the contact; ask its consent only when one is given."""
    text = answer.text.strip()
    if answer.value == SKIP or is_none_word(text):
        draft["contact"], draft["contact_consent"] = None, False
        return _onward(draft, S.PUBLISH)
    if len(text) > MAX_TEXT:
        return Again(ctx.t("resources.invalid.too_long", n=MAX_TEXT))
    draft["contact"] = text
    return Goto(S.CONTACT_CONSENT)


def yes_no_step(key: str, then: ResourceStep) -> Step:
    """Return a yes/no consent step storing a boolean under `key`."""

    def prompt(ctx: Ctx, draft: Draft) -> Reply:
        choices = (
            Choice(ctx.t(f"resources.{key}.yes"), YES),
            Choice(ctx.t(f"resources.{key}.no"), NO),
        )
        return Reply(ctx.t(f"resources.ask.{key}"), choices=choices)

    def handle(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
        word = answer.value or answer.text.lower()
        if word not in (YES, NO, "はい", "いいえ"):
            return Again(ctx.t("resources.invalid.yes_no"))
        draft[key] = word in (YES, "はい")
        return _onward(draft, then)

    return Step(prompt, handle)


def ask_confirm(ctx: Ctx, draft: Draft) -> Reply:
    """Show the draft and offer 保存 or a change."""
    draft_choices = [Choice(ctx.t("resources.confirm.save"), "save")]
    draft_choices += [Choice(ctx.t(f"resources.change.{key}"), key) for key in CHANGES]
    return Reply(ctx.t("resources.ask.confirm"), choices=tuple(draft_choices), card=card(ctx, draft))


def take_confirm(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
    """Save the resource (refusing a second one of the same name in the area), or change a field."""
    if answer.value in CHANGES:
        draft["review"] = True
        return Goto(CHANGES[answer.value])
    if answer.value != "save":
        return Again(ctx.t("resources.invalid.confirm"))
    twin = find_resource_by_name_and_area(
        ctx.session,
        municipality_id=ctx.municipality_id,
        name=draft["name"],
        area_id=draft.get("area_id"),
    )
    if twin is not None:
        return Again(ctx.t("resources.duplicate", number=twin.number, name=twin.name))
    return Finish([Reply(save(ctx, draft))])


def build_resource_flow() -> Flow:
    """Return the 資源 登録 flow."""
    steps: dict[StrEnum, Step] = {
        S.NAME: Step(ask_name, take_name, numeric=True),
        S.KIND: Step(ask_kind, take_kind),
        S.AREA: Step(ask_area, take_area),
        S.CATEGORY: Step(ask_category, take_category),
        S.CATEGORY_ALL: Step(ask_category_all, take_category),
        S.CONTACT: Step(ask_contact, take_contact, numeric=True),
        S.CONTACT_CONSENT: yes_no_step("contact_consent", S.PUBLISH),
        S.PUBLISH: yes_no_step("publish_consent", S.CONFIRM),
        S.CONFIRM: Step(ask_confirm, take_confirm),
    }
    steps.update({step: text_step(step) for step in TEXT_STEPS})
    return Flow(RESOURCE_FLOW, steps, S.NAME, help_key="resources.help")

