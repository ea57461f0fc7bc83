"""Import a resource register (地域資源) from Excel or CSV: validate every row, then all or nothing.

The columns (Japanese headers, see `COLUMNS` and docs/resources.md) follow the published resource
lists of PRACTICE.md Part 1 §2. A row whose name and area match an existing resource updates it
(recorded as a ResourceChange); any invalid row rejects the whole file, with a reason per row.
CSV may be UTF-8 with or without a BOM.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from sqlmodel import Session

from bot.classify import suggest_categories
from bot.progress import Progress, track
from storage.categories import TAXONOMY
from storage.members import list_areas
from storage.models import Resource
from storage.resources import STATUSES, find_resource_by_name_and_area

MAX_TEXT = 200
LEVELS = ("第1層", "第2層", "第3層")
YES = {"はい", "可", "○", "〇", "有", "あり", "yes", "y", "true", "1"}
NO = {"いいえ", "不可", "×", "無", "なし", "no", "n", "false", "0", ""}


@dataclass(frozen=True)
class Column:
    """One template column: the resource field, its header, what it takes, an example."""

    key: str
    header: str
    rule: str
    example: str


COLUMNS: tuple[Column, ...] = (
    Column("name", "名称", "必須。200文字以内", "ふれあいサロン「きらり」"),
    Column("kind", "種類", "例: サロン／通いの場／配食／移動販売・出張販売", "サロン"),
    Column("area", "地区", "登録済みの地区名（空欄 = 地区なし）", "本町自治会"),
    Column("categories", "カテゴリ", "つぶやきのカテゴリ名を「、」区切り（空欄 = 名称・活動から推定）", "居場所・つどい場・サロン、健康づくり・介護予防"),
    Column("main_activities", "主な活動", "例: 体操・茶話会", "健康体操・茶話会"),
    Column("level", "層", "第1層／第2層／第3層（空欄可）", "第2層"),
    Column("schedule_text", "開催日時", "例: 毎週水曜 13:00〜16:00／第2・第4金曜／随時", "毎週水曜 13:00〜16:00"),
    Column("venue", "場所", "施設名（個人宅は「個人宅」）", "茶屋町公民館"),
    Column("target", "対象", "例: どなたでも／高齢者／子ども", "どなたでも"),
    Column("fee", "参加費", "例: 1回100円／無料", "1回100円"),
    Column("participants", "参加者数", "おおよそ。例: 15〜20名", "15名"),
    Column("operator", "運営主体", "例: 住民団体／社協／NPO／事業者", "住民団体"),
    Column("contact", "代表者・問合せ", "問合せ掲載の同意が「はい」のときだけ表示", "代表 山田 090-0000-0000"),
    Column("contact_consent", "問合せ掲載の同意", "はい／いいえ（空欄 = いいえ）", "はい"),
    Column("pr_point", "PRポイント", "ひとこと", "男性の参加者多め"),
    Column("booking", "予約", "例: 予約不要／要予約／会員制", "予約不要"),
    Column("legal_position", "制度上の位置づけ", "例: 一般介護予防事業の通いの場／通所型サービスB／保険外", "一般介護予防事業の通いの場"),
    Column("found_via", "把握のきっかけ", "例: SC発掘／包括／社協／補助金台帳／口コミ", "SC発掘"),
    Column("publish_consent", "掲載の同意", "はい／いいえ（ガイドブック等への掲載。空欄 = いいえ）", "はい"),
    Column("status", "状態", "活動中／休止／再開／廃止（空欄 = 活動中）", "活動中"),
    Column("status_as_of", "状態の時点", "YYYY-MM-DD（空欄 = 取り込んだ日）", "2026-11-01"),
)
BY_HEADER = {c.header: c for c in COLUMNS}


class ImportFileError(ValueError):
    """The file cannot be read as a resource register at all (format, headers)."""


@dataclass
class Planned:
    """A valid row: its line number, the fields to store, and the resource it updates (if any)."""

    line: int
    fields: dict[str, Any]
    existing: Resource | None


@dataclass
class Checked:
    """What validation found: the planned rows and the reasons rows were rejected."""

    planned: list[Planned] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


def read_rows(path: Path) -> list[dict[str, Any]]:
    """Return the data rows of an .xlsx (first sheet) or .csv file, keyed by header."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        text = path.read_bytes().decode("utf-8-sig")  # with or without a BOM
        rows = list(csv.reader(io.StringIO(text)))
    elif suffix == ".xlsx":
        sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    else:
        raise ImportFileError(f"{path.name}: .xlsx か .csv のファイルを指定してください")
    if not rows:
        raise ImportFileError(f"{path.name}: 見出しの行がありません")
    headers = [str(h).strip() if h is not None else "" for h in rows[0]]
    unknown = [h for h in headers if h and h not in BY_HEADER]
    if unknown or "名称" not in headers:
        raise ImportFileError(
            f"{path.name}: 見出しが違います（不明: {'、'.join(unknown) or 'なし'}）。"
            f"使える見出し: {'、'.join(BY_HEADER)}（`tsunagi resources template` で雛形を出せます）"
        )
    data = []
    for values in rows[1:]:
        if all(v is None or str(v).strip() == "" for v in values):
            continue  # blank lines between blocks are common in hand-made sheets
        data.append({h: values[i] if i < len(values) else None for i, h in enumerate(headers) if h})
    return data


def check_rows(
    session: Session,
    *,
    municipality_id: int,
    rows: list[dict[str, Any]],
    today: date,
    progress: Progress | None = None,
) -> Checked:
    """Validate every row; plan a create or an update (same name and area) for each valid one."""
    areas = {a.name: a.id for a in list_areas(session, municipality_id=municipality_id)}
    checked = Checked()
    seen: dict[tuple[str, int | None], int] = {}
    for line, row in track(list(enumerate(rows, start=2)), progress):
        fields, problems = _row_fields(row, areas, today)
        key = (fields.get("name", ""), fields.get("area_id"))
        if not problems and key in seen:
            problems.append(f"{seen[key]}行目と名称・地区が同じです（1行にまとめてください）")
        if problems:
            checked.errors.append((line, "；".join(problems)))
            continue
        seen[key] = line
        existing = find_resource_by_name_and_area(
            session, municipality_id=municipality_id, name=key[0], area_id=key[1]
        )
        if existing is not None:  # an update changes only the columns the file has
            present = {BY_HEADER[h].key for h in row} | {"area_id"}
            fields = {k: v for k, v in fields.items() if k in present}
        checked.planned.append(Planned(line, fields, existing))
    return checked


def _row_fields(
    row: dict[str, Any], areas: dict[str, int | None], today: date
) -> tuple[dict[str, Any], list[str]]:
    """Return a row's fields and what is wrong with it."""
    text = {BY_HEADER[h].key: _text(v) for h, v in row.items()}
    problems = [
        f"「{BY_HEADER[h].header}」が{MAX_TEXT}文字を超えています"
        for h in row
        if len(text[BY_HEADER[h].key]) > MAX_TEXT
    ]
    fields: dict[str, Any] = {
        k: v or None for k, v in text.items() if k not in ("area", "categories", "status_as_of")
    }
    if not text.get("name"):
        problems.append("名称が空です")
    area = text.get("area", "")
    if area and area not in areas:
        problems.append(f"地区「{area}」が登録されていません（{'、'.join(areas) or '地区なし'}）")
    fields["area_id"] = areas.get(area) if area else None
    fields["categories"], bad = _categories(text.get("categories", ""), text)
    if bad:
        problems.append(f"カテゴリ「{'、'.join(bad)}」がわかりません")
    if fields.get("level") and fields["level"] not in LEVELS:
        problems.append(f"層「{fields['level']}」は 第1層／第2層／第3層 のどれかにしてください")
    for key in ("contact_consent", "publish_consent"):
        value = text.get(key, "").lower()
        if value not in YES | NO:
            problems.append(f"「{_header(key)}」は はい／いいえ で書いてください（「{value}」）")
        fields[key] = value in YES
    fields["status"] = fields.get("status") or STATUSES[0]
    if fields["status"] not in STATUSES:
        problems.append(f"状態「{fields['status']}」は 活動中／休止／再開／廃止 のどれかにしてください")
    as_of = _date(row.get("状態の時点"), today)
    if as_of is None or as_of > today:
        problems.append(f"状態の時点「{text.get('status_as_of')}」は今日までの日付 YYYY-MM-DD にしてください")
    fields["status_as_of"] = as_of
    return fields, problems


def _text(value: Any) -> str:
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d}"
    return "" if value is None else str(value).strip()


def _header(key: str) -> str:
    return next(c.header for c in COLUMNS if c.key == key)


def _categories(value: str, text: dict[str, str]) -> tuple[list[str], list[str]]:
    """Return the category codes named (or suggested from the name and activities) and unknown labels."""
    if not value:
        basis = " ".join(text.get(k, "") for k in ("name", "kind", "main_activities"))
        return [c for c in suggest_categories(basis) if c != "other"], []
    labels = {c.label_ja: c.code for c in TAXONOMY} | {c.code: c.code for c in TAXONOMY}
    parts = [p.strip() for p in value.replace(",", "、").replace("，", "、").split("、") if p.strip()]
    return list(dict.fromkeys(labels[p] for p in parts if p in labels)), [
        p for p in parts if p not in labels
    ]


def _date(value: Any, today: date) -> date | None:
    """Return a date from a cell (an Excel date, 2026-11-01, 2026/11/01), or today for a blank."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value).replace("/", "-")
    if not text:
        return today
    try:
        return date.fromisoformat("-".join(f"{int(p):02d}" for p in text.split("-")))
    except ValueError:
        return None
