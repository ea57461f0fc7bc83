"""Files handed to a chat: `/files/<token>` serves a stored chart or export until it expires.

A handler calls `attachment()` to turn bytes into a neutral `Attachment`: when TSUNAGI_PUBLIC_URL
is set the file is stored (storage/files.py) and the attachment carries its link (LINE shows an
image from it, or the link of a workbook); Slack uploads the bytes; the terminal saves them.
Each download is audited (file name and type, never the content). An unknown, forged or expired
token is a bare 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.context import Ctx
from bot.messages import Attachment
from storage.audit import add_audit
from storage.db import session_scope
from storage.files import DOCUMENT_TTL, IMAGE_TTL, add_shared_file, get_shared_file

if TYPE_CHECKING:
    from bot.app import Runtime

PNG = "image/png"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
PDF = "application/pdf"


def attachment(
    ctx: Ctx, *, filename: str, content_type: str, data: bytes, ttl: timedelta | None = None
) -> Attachment:
    """Return a file for the chat, stored behind an expiring link when a public URL is set."""
    if not ctx.public_url:
        return Attachment(filename, content_type, data)
    if ttl is None:
        ttl = IMAGE_TTL if content_type.startswith("image/") else DOCUMENT_TTL
    _row, token = add_shared_file(
        ctx.session,
        municipality_id=ctx.municipality_id,
        member_id=ctx.me.id,
        filename=filename,
        content_type=content_type,
        data=data,
        now=ctx.now(),
        ttl=ttl,
    )
    return Attachment(filename, content_type, data, url=f"{ctx.public_url}/files/{token}")


@dataclass(frozen=True)
class Served:
    filename: str
    content_type: str
    data: bytes


def files_routes(runtime: Runtime) -> list[Route]:
    """Return the route that serves stored files by their token."""

    async def serve(request: Request) -> Response:
        token = str(request.path_params["token"])
        found = await run_in_threadpool(fetch, runtime, token)
        if found is None:
            return PlainTextResponse("Not Found", status_code=404)
        inline = "inline" if found.content_type.startswith("image/") else "attachment"
        headers = {
            "Cache-Control": "private, max-age=300",
            "Content-Disposition": f"{inline}; filename*=UTF-8''{quote(found.filename)}",
            "X-Content-Type-Options": "nosniff",
        }
        return Response(found.data, media_type=found.content_type, headers=headers)

    return [Route("/files/{token}", serve, methods=["GET"])]


def fetch(runtime: Runtime, token: str) -> Served | None:
    """Return the file a token opens (auditing the download), or None if unknown or expired."""
    with session_scope(runtime.engine) as session:
        now = runtime.clock.now()
        row = get_shared_file(session, token=token, now=now)
        if row is None:
            return None
        add_audit(
            session,
            at=now,
            action="file.download",
            municipality_id=row.municipality_id,
            member_id=row.member_id,
            actor="http",
            target=f"file:{row.id}",
            detail={"filename": row.filename, "content_type": row.content_type},
        )
        return Served(row.filename, row.content_type, bytes(row.data))
