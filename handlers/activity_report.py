"""活動報告 [今月|先月|YYYY-MM|前回から|編集|提出|エクセル|#N]: the monthly report, drafted from records.

A coordinator's report covers their own records; an officer's or an admin's covers the whole
municipality. Showing a period makes (or reopens) the member's draft #N; `編集` writes its own
sections (主なトピックス, 今後の課題や提案, 市への相談・依頼) in a short flow; `提出` marks it
submitted, keeps its text as sent and notifies the municipality's officers; `エクセル` sends it
as a workbook. Officers read a submitted report with `活動報告 #N`. Everything is audited.
"""

from __future__ import annotations

import re
from enum import StrEnum

from bot.activity_report_xlsx import activity_report_workbook
from bot.context import Ctx, UserError
from bot.delivery import notify
from bot.files import XLSX, attachment
from bot.flows import Again, Answer, Draft, Finish, Flow, Goto, StartFlow, Step, StepResult
from bot.messages import Choice, Reply
from bot.router import Router
from handlers.activity_report_render import period_text, render_report, who_text
from handlers.record_steps import checked_text
from handlers.summaries import parse_period
from storage.activity_reports import (
    SECTIONS,
    draft_report,
    get_report,
    latest_report,
    officer_accounts,
    set_section,
    submit_report,
)
from storage.members import get_member
from storage.models import ActivityReport, Role
from storage.records import category_labels
from storage.report_data import ReportData, build_report_data, last_regular_meeting
from storage.summaries import Period

FLOW = "report.edit"
DONE = "done"
EDIT_WORDS = {"編集", "edit"}
SUBMIT_WORDS = {"提出", "submit"}
EXCEL_WORDS = {"エクセル", "excel", "xlsx"}
SINCE_LAST = {"前回から", "since-last"}
CLEAR_WORDS = {"消す", "clear"}
NUMBER = re.compile(r"#?(\d+)")
READERS = (Role.OFFICER.value, Role.ADMIN.value)


class EditStep(StrEnum):
    PICK = "pick"
    TEXT = "text"


def register(router: Router) -> None:
    """Register 活動報告 and its editing flow."""
    router.add_command(["活動報告", "activity-report"], report_command)
    router.add_flow(
        Flow(
            FLOW,
            {EditStep.PICK: Step(ask_pick, take_pick), EditStep.TEXT: Step(ask_text, take_text)},
            first=EditStep.PICK,
            help_key="report.edit.help",
        )
    )


def report_command(ctx: Ctx, args: str) -> list[Reply] | StartFlow:
    """Show, edit, submit or export a 活動報告."""
    word = args.strip().lower()
    if word in EDIT_WORDS:
        return StartFlow(FLOW, {"number": _latest(ctx).number})
    if word in SUBMIT_WORDS:
        return submit(ctx, _latest(ctx))
    if word in EXCEL_WORDS:
        return excel(ctx, _latest(ctx))
    if found := NUMBER.fullmatch(word):
        return show_number(ctx, int(found[1]))
    period = _period(ctx, word)
    if period is None:
        return [Reply(ctx.t("report.usage"))]
    whole = ctx.me.role != Role.COORDINATOR.value
    report = draft_report(
        ctx.session,
        member=ctx.me,
        start=period.start,
        end=period.end,
        whole_municipality=whole,
        now=ctx.now(),
    )
    ctx.audit("activity_report.view", target=f"#{report.number}")
    text = render_report(
        report_data(ctx, report), report, lang=ctx.lang, categories=category_labels(ctx.session)
    )
    return [Reply(f"{text}\n\n{ctx.t('report.footer.draft')}")]


def _period(ctx: Ctx, word: str) -> Period | None:
    if word in SINCE_LAST:
        last = last_regular_meeting(ctx.session, member=ctx.me, now=ctx.now(), tz=ctx.tz)
        if last is None:
            raise UserError(ctx.t("report.no_regular_meeting"))
        return Period(last, max(last, ctx.today()))
    return parse_period(word or "今月", ctx.today())


def _latest(ctx: Ctx) -> ActivityReport:
    assert ctx.me.id is not None
    report = latest_report(ctx.session, member_id=ctx.me.id)
    if report is None:
        raise UserError(ctx.t("report.no_draft"))
    return report


def report_data(ctx: Ctx, report: ActivityReport) -> ReportData:
    """Return the numbers of a report from the records (its author's, or the municipality's)."""
    author = (
        None if report.whole_municipality else get_member(ctx.session, member_id=report.member_id)
    )
    return build_report_data(
        ctx.session,
        municipality_id=report.municipality_id,
        period=Period(report.period_start, report.period_end),
        tz=ctx.tz,
        member=author,
    )


def show_number(ctx: Ctx, number: int) -> list[Reply]:
    """Show report #N: its author sees it any time, officers and admins once submitted."""
    report = get_report(ctx.session, municipality_id=ctx.municipality_id, number=number)
    if report is None:
        return [Reply(ctx.t("report.not_found", number=number))]
    if report.member_id != ctx.me.id:
        if ctx.me.role not in READERS or report.submitted_text is None:
            return [Reply(ctx.t("report.not_yours", number=number))]
        ctx.audit("activity_report.view", target=f"#{number}")
        return [Reply(report.submitted_text)]
    ctx.audit("activity_report.view", target=f"#{number}")
    labels = category_labels(ctx.session)
    return [
        Reply(render_report(report_data(ctx, report), report, lang=ctx.lang, categories=labels))
    ]


def submit(ctx: Ctx, report: ActivityReport) -> list[Reply]:
    """Submit a report as it reads now and tell the municipality's officers."""
    data = report_data(ctx, report)
    labels = category_labels(ctx.session)
    submit_report(
        ctx.session,
        report,
        render=lambda r: render_report(data, r, lang="ja", categories=labels),
        now=ctx.now(),
    )
    period = period_text(report.period_start, report.period_end, "ja")
    told = 0
    for officer, account in officer_accounts(ctx.session, municipality_id=report.municipality_id):
        if officer.id == ctx.me.id:
            continue
        lang = officer.language
        message = ctx.t(
            "report.notify", who=who_text(data, lang), number=report.number, period=period
        )
        key = f"activity-report:{report.id}:{report.submitted_at:%Y%m%d%H%M%S}:{officer.id}"
        told += notify(
            ctx.session,
            channel=account.channel,
            recipient=account.external_id,
            replies=[Reply(message)],
            key=key,
            now=ctx.now(),
        )
    ctx.audit("activity_report.submit", target=f"#{report.number}", notified=told)
    return [Reply(ctx.t("report.submitted", number=report.number, n=told))]


def excel(ctx: Ctx, report: ActivityReport) -> list[Reply]:
    """Send a report as an Excel workbook (a link under TSUNAGI_PUBLIC_URL, or a saved file)."""
    data = report_data(ctx, report)
    workbook = activity_report_workbook(data, report, categories=category_labels(ctx.session))
    filename = f"katsudo-hokoku-{report.number}-{report.period_start:%Y%m}.xlsx"
    file = attachment(ctx, filename=filename, content_type=XLSX, data=workbook)
    ctx.audit("export", format="xlsx", target=f"#{report.number}", what="activity_report")
    if file.url:
        return [
            Reply(ctx.t("report.excel_link", number=report.number, url=file.url), attachment=file)
        ]
    return [Reply(ctx.t("report.excel", number=report.number, filename=filename), attachment=file)]


def _own_report(ctx: Ctx, draft: Draft) -> ActivityReport:
    report = get_report(ctx.session, municipality_id=ctx.municipality_id, number=draft["number"])
    if report is None or report.member_id != ctx.me.id:
        raise UserError(ctx.t("report.not_found", number=draft["number"]))
    return report


def ask_pick(ctx: Ctx, draft: Draft) -> Reply:
    """Ask which of the member's own sections to write."""
    lines = []
    if saved := draft.get("saved"):
        lines.append(ctx.t("report.edit.saved", section=ctx.t(f"report.section.{saved}")))
    lines.append(ctx.t("report.edit.pick", number=draft["number"]))
    choices = [Choice(ctx.t(f"report.section.{key}"), key) for key in SECTIONS]
    choices.append(Choice(ctx.t("report.edit.finish"), DONE))
    return Reply("\n".join(lines), choices=tuple(choices))


def take_pick(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
    """Go on to the section picked, or finish."""
    draft.pop("saved", None)
    if answer.value == DONE:
        return Finish([Reply(ctx.t("report.edit.done", number=draft["number"]))])
    if answer.value not in SECTIONS:
        return Again(ctx.t("report.edit.bad_pick"))
    draft["section"] = answer.value
    return Goto(EditStep.TEXT)


def ask_text(ctx: Ctx, draft: Draft) -> Reply:
    """Ask for the section's text, showing what it holds now."""
    current = (
        _own_report(ctx, draft).sections.get(draft["section"]) or ctx.t("report.unwritten").strip()
    )
    section = ctx.t(f"report.section.{draft['section']}")
    return Reply(ctx.t("report.edit.ask", section=section, current=current))


def take_text(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
    """Save the section (no personal details), then offer the sections again."""
    report = _own_report(ctx, draft)
    if answer.text.strip().lower() in CLEAR_WORDS:
        text = ""
    else:
        try:
            text = checked_text(ctx, answer.text)
        except UserError as exc:
            return Again(str(exc))
    set_section(ctx.session, report, key=draft["section"], text=text, now=ctx.now())
    ctx.audit("activity_report.edit", target=f"#{report.number}", section=draft["section"])
    draft["saved"] = draft.pop("section")
    return Goto(EditStep.PICK)
