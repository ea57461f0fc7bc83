"""The monthly 活動報告 as an Excel workbook an officer can open, file and pass on.

Sheet 「活動報告」 holds the report in the PRACTICE.md Part 2(b) layout (the same sections as
the chat text: headings in bold, one line per row); 「区分別」 the counts and hours by 活動区分;
「地域の声」 the murmurs by 分野 × 地区 × 種類. Headers are Japanese and column widths are set.
Murmur texts are never in it: only counts.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from handlers.activity_report_render import period_text, report_sections, status_text, who_text
from storage.models import ActivityReport
from storage.report_data import ReportData

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

KINDS = ("困りごと", "願い", "宝物", "担い手の申し出", "気になる人", "意見")
Categories = dict[str, tuple[str, str]]


def activity_report_workbook(
    data: ReportData, report: ActivityReport, *, categories: Categories
) -> bytes:
    """Return a report (its numbers from the records and the member's sections) as .xlsx bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "活動報告"
    bold = Font(bold=True)
    title = f"生活支援コーディネーター活動報告書（{period_text(data.period.start, data.period.end, 'ja')}）"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([status_text(report, "ja")])
    sheet.append(["提出先", data.municipality, "担当", who_text(data, "ja")])
    sheet.append(["期間", data.period.start, "〜", data.period.end])
    for cell in ("B4", "D4"):
        sheet[cell].number_format = "yyyy-mm-dd"
    for heading, lines in report_sections(data, report, lang="ja", categories=categories):
        sheet.append([])
        sheet.append([heading])
        sheet.cell(row=sheet.max_row, column=1).font = bold
        for line in lines:
            sheet.append([line.strip()])
            sheet.cell(row=sheet.max_row, column=1).alignment = Alignment(wrap_text=True)
    sheet.column_dimensions["A"].width = 100
    for column in "BCD":
        sheet.column_dimensions[column].width = 16

    kubun = book.create_sheet("区分別")
    kubun.append(["活動区分", "件数", "時間"])
    for label, count, minutes in data.summary.activities.by_kubun:
        kubun.append([label or "区分なし", count, round(minutes / 60, 1)])
    _header(kubun, widths=(24, 10, 10))

    voices = book.create_sheet("地域の声")
    voices.append(["分野", "地区", "件数", *KINDS])
    for found in data.summary.breakdown.cells:
        label = categories[found.code][0] if found.code in categories else "未分類"
        row: list[str | int] = [label, found.area or "エリアなし", found.total]
        voices.append(row + [found.kinds.get(kind, 0) for kind in KINDS])
    _header(voices, widths=(28, 20, 8, *(12 for _ in KINDS)))

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _header(sheet: Worksheet, *, widths: tuple[int, ...]) -> None:
    """Make the first row a bold, frozen header with a filter, and set the column widths."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
