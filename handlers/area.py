"""エリア NAME [エクセル] / area NAME [excel]: one area's sheet (わがまちこんなとこシート).

Resources, murmurs by category and kind, visits, connections and open follow-ups, good points
and worries side by side (bot/area_sheet.py). Every member of the municipality may ask; murmurs
they may not read are counted, never quoted. Audited without content.
"""

from __future__ import annotations

from bot.area_sheet import build_sheet, render_text, sheet_workbook
from bot.context import Ctx
from bot.files import XLSX, attachment
from bot.messages import Reply
from bot.router import Router
from storage.area_records import area_records
from storage.members import NotFound, get_area, list_areas

WORKBOOK_WORDS = ("エクセル", "excel", "xlsx")
SHOWN_AREAS = 12


def register(router: Router) -> None:
    """Register エリア / area."""
    router.add_command(["エリア", "area"], area_sheet)


def area_sheet(ctx: Ctx, args: str) -> list[Reply]:
    """Answer with one area's sheet as text, or as a workbook when エクセル follows the name."""
    areas = list_areas(ctx.session, municipality_id=ctx.municipality_id)
    example = areas[0].name if areas else "本町自治会"
    name, as_workbook = args.strip(), False
    for word in WORKBOOK_WORDS:
        if name.lower().endswith(" " + word):
            name, as_workbook = name[: -len(word) - 1].strip(), True
    if not name:
        return [Reply(ctx.t("area.usage", example=example))]
    try:
        area = get_area(ctx.session, municipality_id=ctx.municipality_id, name=name)
    except NotFound:
        names = "、".join(a.name for a in areas[:SHOWN_AREAS])
        return [Reply(ctx.t("area.unknown", name=name, areas=names or "-"))]
    assert area.id is not None
    records = area_records(ctx.session, municipality_id=ctx.municipality_id, area_id=area.id)
    sheet = build_sheet(
        ctx.session, viewer=ctx.me, area=area.name, today=ctx.today(), records=records
    )
    ctx.audit("area_sheet", target=f"area:{area.id}", format="xlsx" if as_workbook else "text")
    text = render_text(sheet, ctx.t)
    if not as_workbook:
        return [Reply(text)]
    if ctx.incoming.is_group:
        return [Reply(ctx.t("files.group_only"), restricted=True)]
    data = sheet_workbook(sheet)
    file = attachment(
        ctx, filename=f"area-{area.id}-{ctx.today():%Y%m%d}.xlsx", content_type=XLSX, data=data
    )
    return [Reply(ctx.t("area.workbook", area=area.name), attachment=file)]
