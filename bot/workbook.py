"""Tables to files: CSV in UTF-8 with a BOM (Excel opens it) and Excel workbooks (openpyxl).

A workbook is one an officer can open and pass on: Japanese headers in bold, the header row
frozen, an autofilter on, column widths fitted to the content (full-width characters count
double) and dates as real date cells shown as yyyy-mm-dd.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from bot.progress import Progress

Cell = str | int | date | None
Table = tuple[tuple[str, ...], list[list[Cell]]]
MAX_WIDTH = 60


def csv_bytes(headers: Sequence[str], rows: list[list[Cell]]) -> bytes:
    """Return one table as CSV in UTF-8 with a BOM, dates as YYYY-MM-DD."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if value is None else str(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def write_csv(path: Path, headers: Sequence[str], rows: list[list[Cell]]) -> None:
    """Write one table as CSV in UTF-8 with a BOM."""
    path.write_bytes(csv_bytes(headers, rows))


def xlsx_bytes(sheets: dict[str, Table], progress: Progress | None = None) -> bytes:
    """Return tables as an Excel workbook: one sheet each, dates as dates, widths and filters.

    `progress` is told (rows written, rows in all) as the sheets fill (a CLI progress bar).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    total, done = sum(len(rows) for _, rows in sheets.values()), 0
    for title, (headers, rows) in sheets.items():
        sheet = workbook.create_sheet(title)
        sheet.append(list(headers))
        for row in rows:
            sheet.append(row)
            done += 1
            if progress is not None:
                progress(done, total)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for column, header in enumerate(headers, start=1):
            values = [header, *(row[column - 1] for row in rows)]
            width = max(display_width(v) for v in values)
            sheet.column_dimensions[get_column_letter(column)].width = min(width + 2, MAX_WIDTH)
            for cell in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
                if isinstance(cell[0].value, date | datetime):
                    cell[0].number_format = "yyyy-mm-dd"
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_xlsx(path: Path, sheets: dict[str, Table], progress: Progress | None = None) -> None:
    """Write tables as an Excel workbook."""
    path.write_bytes(xlsx_bytes(sheets, progress))


def display_width(value: Cell) -> int:
    """Return how many half-width columns a value takes (full-width characters count two)."""
    text = "" if value is None else f"{value:%Y-%m-%d}" if isinstance(value, date) else str(value)
    longest = max(text.split("\n"), key=len) if text else ""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in longest)
