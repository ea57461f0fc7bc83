"""tsunagi guidebook: publishable resources only, grouped by area and kind, as Excel or a PDF
whose text (in the embedded Japanese font) can be read back."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from bot.cli import main as cli_main
from storage.audit import list_audit
from storage.db import session_scope
from storage.members import get_area, get_municipality, next_record_number
from storage.models import Resource


def add(
    world, name: str, area: str | None, *, consent: bool = True, status: str = "活動中", **fields
) -> None:
    with session_scope(world.engine) as s:
        muni = get_municipality(s, name="あおば市").id
        assert muni is not None
        area_id = get_area(s, municipality_id=muni, name=area).id if area else None
        s.add(Resource(
            municipality_id=muni, number=next_record_number(s, municipality_id=muni), name=name,
            area_id=area_id, publish_consent=consent, status=status, status_as_of=date(2026, 11, 1), created_at=world.clock.now(), **fields,
        ))  # fmt: skip


@pytest.fixture
def resources(world):
    add(
        world,
        "ひまわりサロン",
        "栄町自治会",
        kind="サロン",
        schedule_text="毎週水曜日 13:00〜16:00",
        venue="栄町集会所",
        fee="1回100円",
        main_activities="健康体操・茶話会",
        contact="山田 090-1111-2222",
        contact_consent=True,
        pr_point="男性の参加者多め",
    )
    add(
        world,
        "きらり",
        "栄町自治会",
        kind="サロン",
        schedule_text="第2・4金曜日",
        contact="鈴木 090-3333-4444",
        contact_consent=False,
    )
    add(world, "ラジオ体操を楽しむ会", "北山自治会", kind="体操", schedule_text="毎朝6時30分から")
    add(world, "非公開の会", "本町自治会", kind="サロン", consent=False)
    add(world, "お休み中の会", "本町自治会", kind="サロン", status="休止")
    add(world, "閉じた会", "本町自治会", kind="サロン", status="廃止")


@pytest.fixture
def cli(world, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(
        "TSUNAGI_DATABASE_URL", world.engine.url.render_as_string(hide_password=False)
    )
    return lambda *argv: cli_main(list(argv))


def test_the_workbook_holds_publishable_running_resources_by_area_and_kind(
    resources, cli, tmp_path, capsys
):
    assert cli("guidebook", "あおば市", "--out", "guide.xlsx") == 0
    assert "3 resources written to guide.xlsx" in capsys.readouterr().out
    sheet = load_workbook(tmp_path / "guide.xlsx")["ガイドブック"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("栄町自治会", "サロン", "きらり"),
        ("栄町自治会", "サロン", "ひまわりサロン"),
        ("北山自治会", "体操", "ラジオ体操を楽しむ会"),
    ]
    contact = {r[2]: r[12] for r in rows}
    assert contact["ひまわりサロン"] == "山田 090-1111-2222"
    assert contact["きらり"] is None  # its contact may not be published


def test_the_pdf_embeds_the_font_and_reads_back_in_japanese(world, resources, cli, tmp_path):
    assert cli("guidebook", "あおば市", "--out", "guide.pdf") == 0
    reader = PdfReader(tmp_path / "guide.pdf")
    text = "".join(page.extract_text() for page in reader.pages)
    for expected in (
        "あおば市 通いの場・地域資源ガイドブック",
        "■ 栄町自治会",
        "〔サロン〕",
        "ひまわりサロン",
        "開催日時：毎週水曜日 13:00〜16:00",
        "問合せ：山田 090-1111-2222",
        "ラジオ体操を楽しむ会",
    ):
        assert expected in text, expected
    for hidden in ("非公開の会", "お休み中の会", "閉じた会", "090-3333-4444"):
        assert hidden not in text
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("NotoSansCJK" in name for name in fonts), fonts
    with session_scope(world.engine) as s:
        [entry] = list_audit(s, action="export")
        assert entry.detail == {"format": "pdf", "table": "guidebook", "rows": 3}


def test_many_resources_flow_onto_more_pages(world, cli, tmp_path):
    for i in range(40):
        add(
            world,
            f"サロン{i:02d}",
            "本町自治会",
            kind="サロン",
            schedule_text="毎週月曜日",
            venue="本町集会所",
            fee="無料",
        )
    assert cli("guidebook", "あおば市", "--out", "guide.pdf") == 0
    reader = PdfReader(tmp_path / "guide.pdf")
    assert len(reader.pages) > 2
    assert "サロン39" in reader.pages[-1].extract_text()


def test_a_wrong_file_type_is_refused_with_an_example(world, cli, capsys, tmp_path):
    assert cli("guidebook", "あおば市", "--out", "guide.docx") == 1
    assert "--out guidebook.pdf" in capsys.readouterr().err
    assert not (tmp_path / "guide.docx").exists()
