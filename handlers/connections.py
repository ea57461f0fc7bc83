"""つなぎ: connect a murmur to a resource, an organisation or the 包括; フォロー; 状態 #N.

    つなぎ [#N] ─► TARGET ─┬─ a suggested resource ───────────────► FOLLOW ─► saved
                           ├─ RESOURCE (資源 #番号) ─────────────────► FOLLOW
                           ├─ ORGANISATION (団体・機関, free text) ───► FOLLOW
                           └─ 地域包括支援センターへ引継ぎ ─────────────► FOLLOW

Without #N the member's last murmur is taken. Saving moves the murmur to つないだ (or to
個別対応へ引継ぎ for the 包括). `フォロー` lists my open follow-ups, `フォロー 完了 #N` closes the
follow-up of connection #N, `状態 #N 検討中` sets a murmur's status by hand.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum

from bot.context import Ctx
from bot.dates import parse_due_date
from bot.flows import Again, Answer, Draft, Finish, Flow, Goto, StartFlow, Step, StepResult
from bot.messages import Choice, Reply
from bot.router import Router
from handlers.common import WRITERS
from handlers.connection_view import target_label
from handlers.followups import follow_command, status_command
from handlers.resource_match import matching_resources
from handlers.visit_steps import is_none_word
from storage.connections import (
    CONNECTED,
    HANDED_OVER,
    TO_HOUKATSU,
    TO_ORGANISATION,
    TO_RESOURCE,
    add_connection,
    add_follow_up,
    last_murmur_of,
    set_murmur_status,
)
from storage.models import Murmur
from storage.murmurs import murmur_category_codes
from storage.records import find_visible_record
from storage.resources import CLOSED, get_resource

CONNECT_FLOW = "connection.add"
NUMBER = re.compile(r"(?:資源|resource)?\s*#?\s?(\d+)")
FOLLOW_CHOICES = (("follow.week", "+7"), ("follow.two_weeks", "+14"), ("follow.month", "1か月後"))
MAX_ORGANISATION = 100


class ConnectStep(StrEnum):
    TARGET = "target"
    RESOURCE = "resource"
    ORGANISATION = "organisation"
    FOLLOW = "follow"


def register(router: Router) -> None:
    """Register つなぎ, フォロー and 状態, and the つなぎ flow."""
    router.add_command(["つなぎ", "つなぐ", "connect"], connect_command, roles=WRITERS)
    router.add_command(["フォロー", "follow", "followups"], follow_command)
    router.add_command(["状態", "status"], status_command, roles=WRITERS)
    router.add_flow(
        Flow(
            CONNECT_FLOW,
            {
                ConnectStep.TARGET: Step(ask_target, take_target),
                ConnectStep.RESOURCE: Step(ask_resource, take_resource, numeric=True),
                ConnectStep.ORGANISATION: Step(ask_organisation, take_organisation),
                ConnectStep.FOLLOW: Step(ask_follow, take_follow),
            },
            ConnectStep.TARGET,
            help_key="connections.help",
        )
    )


def _murmur(ctx: Ctx, number: int) -> Murmur | None:
    record = find_visible_record(ctx.session, viewer=ctx.me, number=number)
    return record if isinstance(record, Murmur) else None


def connect_command(ctx: Ctx, args: str) -> list[Reply] | StartFlow:
    """Start つなぎ for murmur #N, or for the member's last murmur."""
    assert ctx.me.id is not None
    if args:
        found = re.fullmatch(r"#?\s?(\d+)", args.strip())
        murmur = _murmur(ctx, int(found[1])) if found else None
        if murmur is None:
            return [Reply(ctx.t("connections.no_murmur", text=args))]
    else:
        murmur = last_murmur_of(ctx.session, member_id=ctx.me.id)
        if murmur is None:
            return [Reply(ctx.t("connections.no_last"))]
    assert murmur.id is not None
    codes = murmur_category_codes(ctx.session, murmur_id=murmur.id)
    found_resources = matching_resources(ctx, categories=codes, area_id=murmur.area_id)
    draft = {"murmur": murmur.number, "suggested": [r.number for r in found_resources]}
    return StartFlow(CONNECT_FLOW, draft)


def ask_target(ctx: Ctx, draft: Draft) -> Reply:
    """Ask what to connect the murmur to: a suggested resource, another one, an organisation, the 包括."""
    choices = []
    for number in draft["suggested"]:
        resource = get_resource(ctx.session, municipality_id=ctx.municipality_id, number=number)
        if resource is not None:
            label = ctx.t("connections.choice.resource_n", number=number, name=resource.name)
            choices.append(Choice(label, f"res:{number}"))
    choices += [
        Choice(ctx.t("connections.choice.resource"), TO_RESOURCE),
        Choice(ctx.t("connections.choice.organisation"), TO_ORGANISATION),
        Choice(ctx.t("connections.choice.houkatsu"), TO_HOUKATSU),
    ]
    return Reply(ctx.t("connections.ask.target", number=draft["murmur"]), choices=tuple(choices))


def take_target(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
    """Take the kind of target (or a resource named by its number)."""
    value = answer.value
    if value is None and NUMBER.fullmatch(answer.text):
        return take_resource(ctx, draft, answer)
    if value and value.startswith("res:"):
        return take_resource(ctx, draft, Answer(value.removeprefix("res:")))
    if value == TO_RESOURCE:
        return Goto(ConnectStep.RESOURCE)
    if value == TO_ORGANISATION:
        return Goto(ConnectStep.ORGANISATION)
    if value == TO_HOUKATSU:
        draft["target"] = TO_HOUKATSU
        return Goto(ConnectStep.FOLLOW)
    return Again(ctx.t("connections.invalid.target"))


def ask_resource(ctx: Ctx, draft: Draft) -> Reply:
    """Ask the resource's number."""
    return Reply(ctx.t("connections.ask.resource"))


def take_resource(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
    """Take a resource by its number; a closed (廃止) one is refused."""
    found = NUMBER.fullmatch(answer.text.strip())
    resource = (
        get_resource(ctx.session, municipality_id=ctx.municipality_id, number=int(found[1]))
        if found
        else None
    )
    if resource is None:
        return Again(ctx.t("connections.invalid.resource", text=answer.text))
    if resource.status == CLOSED:
        return Again(ctx.t("connections.invalid.closed", number=resource.number))
    draft["target"], draft["resource"] = TO_RESOURCE, resource.number
    return Goto(ConnectStep.FOLLOW)


def ask_organisation(ctx: Ctx, draft: Draft) -> Reply:
    """Ask the organisation's name."""
    return Reply(ctx.t("connections.ask.organisation"))


def take_organisation(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
    """Take the organisation (free text, no personal names expected)."""
    name = answer.text.strip()
    if not name or len(name) > MAX_ORGANISATION or name.isdecimal():
        return Again(ctx.t("connections.invalid.organisation"))
    draft["target"], draft["organisation"] = TO_ORGANISATION, name
    return Goto(ConnectStep.FOLLOW)


def ask_follow(ctx: Ctx, draft: Draft) -> Reply:
    """Ask for an optional follow-up date."""
    choices = [Choice(ctx.t(f"connections.{key}"), value) for key, value in FOLLOW_CHOICES]
    choices.append(Choice(ctx.t("common.none"), "none"))
    return Reply(ctx.t("connections.ask.follow"), choices=tuple(choices))


def take_follow(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
    """Take the follow-up date (or none) and save the connection."""
    if answer.value == "none" or is_none_word(answer.text):
        return Finish([Reply(save(ctx, draft, None))])
    due = parse_due_date(answer.value or answer.text, ctx.today())
    if due is None:
        return Again(ctx.t("connections.invalid.follow", text=answer.text))
    return Finish([Reply(save(ctx, draft, due.isoformat()))])


def save(ctx: Ctx, draft: Draft, due: str | None) -> str:
    """Save the connection (and its follow-up), move the murmur's status; return the reply."""
    assert ctx.me.id is not None
    murmur = _murmur(ctx, draft["murmur"])
    if murmur is None:
        return ctx.t("connections.no_murmur", text=f"#{draft['murmur']}")
    resource = (
        get_resource(ctx.session, municipality_id=ctx.municipality_id, number=draft["resource"])
        if draft.get("resource")
        else None
    )
    connection = add_connection(
        ctx.session,
        municipality_id=ctx.municipality_id,
        created_by=ctx.me.id,
        target_kind=draft["target"],
        murmur_id=murmur.id,
        resource_id=resource.id if resource else None,
        organisation=draft.get("organisation"),
        now=ctx.now(),
    )
    status = HANDED_OVER if draft["target"] == TO_HOUKATSU else CONNECTED
    set_murmur_status(ctx.session, murmur, status=status, now=ctx.now())
    ctx.audit("connection.create", target=f"connection:#{connection.number}")
    lines = [
        ctx.t(
            "connections.saved",
            number=connection.number,
            murmur=murmur.number,
            target=target_label(ctx, connection),
            status=status,
        )
    ]
    if due is not None:
        day = date.fromisoformat(due)
        add_follow_up(ctx.session, connection=connection, owner_id=ctx.me.id, due_on=day, now=ctx.now())
        lines.append(ctx.t("connections.follow_set", date=f"{day:%Y-%m-%d}"))
    return "\n".join(lines)


