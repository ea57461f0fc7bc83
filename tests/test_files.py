"""Files to chat: まとめ グラフ / エクセル / csv through the terminal, LINE (an image at an
expiring link under TSUNAGI_PUBLIC_URL, served by /files/<token>) and Slack (files.uploadV2)."""

from __future__ import annotations

import asyncio
import dataclasses
import io
from datetime import date

import httpx
import pytest
from line_support import SATO, line_world
from openpyxl import load_workbook
from PIL import Image
from records_data import Records
from slack_support import SATO as SLACK_SATO
from slack_support import dm, slack_world

from bot.app import build_runtime, create_asgi_app
from bot.channels.console import ConsoleChannel
from storage.audit import list_audit
from storage.db import session_scope

PUBLIC = "https://tsunagi.example.jp"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _get(runtime, url: str) -> httpx.Response:
    async def fetch() -> httpx.Response:
        app = create_asgi_app(runtime, start_workers=False)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=PUBLIC) as client:
            return await client.get(url.removeprefix(PUBLIC))

    return asyncio.run(fetch())


def _public(lw) -> None:
    """Restart the LINE world's runtime with TSUNAGI_PUBLIC_URL set."""
    settings = dataclasses.replace(lw.runtime.settings, public_url=PUBLIC)
    lw.runtime.engine.dispose()
    lw.runtime = build_runtime(settings, clock=lw.clock)


def test_line_gets_the_charts_as_images_served_at_expiring_links(tmp_path, clock):
    with line_world(tmp_path, clock) as lw:
        _public(lw)
        lw.register(SATO, "佐藤 花子")
        Records(lw.runtime.engine, clock, "あおば市").murmur(
            "佐藤 花子", date(2026, 11, 20), "バスが減って通院が大変", categories=["mobility"]
        )
        before = len(lw.messages(SATO))
        lw.say(SATO, "まとめ グラフ")
        messages = lw.messages(SATO)[before:]
        assert [m["type"] for m in messages] == ["text", "image", "image", "image"]
        assert "つぶやきの分類" in messages[0]["text"]
        urls = [m["originalContentUrl"] for m in messages[1:]]
        assert all(u.startswith(PUBLIC + "/files/") for u in urls)
        assert [m["previewImageUrl"] for m in messages[1:]] == urls
        assert len(set(urls)) == 3

        served = _get(lw.runtime, urls[0])
        assert served.status_code == 200
        assert served.headers["content-type"] == "image/png"
        assert served.content.startswith(PNG_MAGIC)
        assert Image.open(io.BytesIO(served.content)).size[0] >= 600
        with session_scope(lw.runtime.engine) as s:
            downloads = list_audit(s, action="file.download")
            assert [d.detail["content_type"] for d in downloads] == ["image/png"]
            assert "バス" not in str(downloads[0].detail)

        forged = urls[0][:-4] + ("AAAA" if not urls[0].endswith("AAAA") else "BBBB")
        assert _get(lw.runtime, forged).status_code == 404
        clock.advance(days=8)  # images live 7 days
        assert _get(lw.runtime, urls[0]).status_code == 404


def test_line_gets_a_link_to_the_workbook(tmp_path, clock):
    with line_world(tmp_path, clock) as lw:
        _public(lw)
        lw.register(SATO, "佐藤 花子")
        Records(lw.runtime.engine, clock, "あおば市").visit(
            "佐藤 花子", date(2026, 11, 20), place="本町集会所サロン"
        )
        [text] = lw.say(SATO, "まとめ エクセル")
        assert "エクセル" in text and "期限つき" in text
        url = next(line for line in text.split("\n") if line.startswith(PUBLIC + "/files/"))
        served = _get(lw.runtime, url)
        assert served.status_code == 200
        assert "attachment" in served.headers["content-disposition"]
        book = load_workbook(io.BytesIO(served.content))
        assert book["訪問"]["E2"].value == "本町集会所サロン"
        clock.advance(days=1, seconds=1)  # workbooks live one day
        assert _get(lw.runtime, url).status_code == 404


def test_line_without_a_public_url_says_the_operator_must_set_it(tmp_path, clock):
    with line_world(tmp_path, clock) as lw:
        lw.register(SATO, "佐藤 花子")
        answer = lw.say(SATO, "まとめ グラフ")
        assert any("TSUNAGI_PUBLIC_URL" in text for text in answer)
        assert all(m["type"] == "text" for m in lw.messages(SATO))


def test_slack_uploads_the_workbook_to_the_dm(tmp_path, clock):
    with slack_world(tmp_path, clock) as sw:
        sw.register(SLACK_SATO, "Sato Hanako")
        answer = sw.say(SLACK_SATO, "まとめ エクセル 2026-11")
        assert any("エクセル" in text for text in answer)
        [shared] = sw.fake.files(dm(SLACK_SATO))
        assert shared.filename == "tsunagi-20261101-20261130.xlsx"
        assert shared.data is not None
        assert load_workbook(io.BytesIO(shared.data)).sheetnames[:3] == ["訪問", "活動", "つぶやき"]


def test_slack_uploads_three_chart_pngs(tmp_path, clock):
    with slack_world(tmp_path, clock) as sw:
        sw.register(SLACK_SATO, "Sato Hanako")
        sw.say(SLACK_SATO, "まとめ グラフ")
        files = sw.fake.files(dm(SLACK_SATO))
        assert [f.filename.rsplit("-", 1)[1] for f in files] == [
            "categories.png", "areas.png", "activity.png",
        ]  # fmt: skip
        assert all(f.data and f.data.startswith(PNG_MAGIC) for f in files)


def test_the_terminal_saves_the_file_and_prints_its_path(world, tmp_path):
    world.chat("sato", "あおば市", role="officer")
    console = ConsoleChannel(world.bot, "sato", files_dir=tmp_path / "files")
    [reply] = console.send("まとめ csv 2026-11")
    assert reply.attachment is not None and reply.attachment.path is not None
    saved = tmp_path / "files" / "tsunagi-20261101-20261130.csv"
    assert reply.attachment.path == str(saved)
    assert saved.read_bytes().startswith(b"\xef\xbb\xbf\xe7\x95\xaa\xe5\x8f\xb7")  # BOM + 番号


def test_files_are_refused_in_group_chats_and_bad_periods_get_an_example(tmp_path, clock):
    with line_world(tmp_path, clock) as lw:
        _public(lw)
        lw.register(SATO, "佐藤 花子")
        group = "C" + "f" * 32
        answer = lw.say(SATO, "まとめ エクセル", group=group)
        assert answer and "個別のトーク" in answer[0]
        assert not any(m["type"] == "image" for m in lw.messages(group))
        [usage] = lw.say(SATO, "まとめ エクセル 来年のどこか")
        assert "まとめ エクセル 2026-11" in usage


@pytest.mark.parametrize("word", ["グラフ", "エクセル", "csv"])
def test_every_file_request_is_audited_without_content(world, word):
    chat = world.chat("sato", "あおば市")
    chat.send(f"まとめ {word}")
    with session_scope(world.engine) as s:
        actions = [e.action for e in list_audit(s)]
    assert ("chart" if word == "グラフ" else "export") in actions
