"""The HTML of the sensitive-input form (inline CSS, no scripts, no external assets) and its responses.

Every value is escaped; the page never echoes anything but what the user typed into it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from html import escape
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import HTMLResponse

from bot.texts import t

DETAILS_LIMIT = 4000
MAX_BODY = 64 * 1024
HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Robots-Tag": "noindex",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
}

FORM_PATH = re.compile(r"(/forms/|/ical/|/files/)[^/?#\s\"]+")  # form, calendar, file tokens

_CSS = """
*{box-sizing:border-box}
body{margin:0;background:#f4f1ea;color:#222;font:16px/1.7 system-ui,-apple-system,
"Hiragino Sans","Noto Sans CJK JP","Noto Sans JP",sans-serif}
main{max-width:36rem;margin:0 auto;padding:1rem}
h1{font-size:1.35rem;margin:.5rem 0 1rem;color:#2d5a3d}
.card{background:#fff;border-radius:12px;padding:1rem;margin:0 0 1rem;
box-shadow:0 1px 3px rgba(0,0,0,.12)}
.consent{border-left:6px solid #2d5a3d}
.consent h2{font-size:1.05rem;margin:0 0 .5rem}
.consent p{margin:.25rem 0;font-size:.95rem}
.meta{color:#555;font-size:.85rem}
.error{background:#fdecea;color:#8a1c10;border-left:6px solid #c0392b}
label.check{display:flex;gap:.6rem;align-items:flex-start;margin-top:.75rem;font-weight:bold}
label.check input{width:1.5rem;height:1.5rem;flex:none;margin-top:.15rem}
label.field{display:block;font-weight:bold;margin-bottom:.35rem}
textarea,input[type=text]{width:100%;font:inherit;padding:.6rem;border:1px solid #999;
border-radius:8px;background:#fff}
textarea{min-height:12rem;resize:vertical}
.hint{color:#555;font-size:.85rem;margin:.25rem 0 0}
button{width:100%;font:inherit;font-weight:bold;padding:.9rem;border:0;border-radius:10px;
background:#2d5a3d;color:#fff}
"""


@dataclass(frozen=True)
class FormView:
    """What the form page shows: who collects, for what, until when, and what was typed."""

    lang: str
    municipality: str
    member: str
    purpose: str
    version: str
    expires: str
    details: str = ""
    murmur: str = ""
    consent: bool = False
    error: str | None = None


def form_page(view: FormView) -> str:
    """Return the form: the consent block first, then the details and an optional murmur."""
    lang = view.lang

    def text(key: str, **values: object) -> str:
        return escape(t(key, lang, **values))

    error = f'<p class="card error" role="alert">{escape(view.error)}</p>' if view.error else ""
    checked = " checked" if view.consent else ""
    body = f"""
<h1>{text("forms.title")}</h1>
{error}
<p class="meta">{text("forms.intro")}</p>
<form method="post" accept-charset="UTF-8">
<section class="card consent">
<h2>{text("forms.consent.heading")}</h2>
<p>{text("forms.consent.collector", municipality=view.municipality, member=view.member)}</p>
<p>{text("forms.consent.purpose", purpose=view.purpose)}</p>
<p>{text("forms.consent.body")}</p>
<p class="meta">{text("forms.consent.version", version=view.version)}</p>
<label class="check"><input type="checkbox" name="consent" value="yes" required{checked}>
<span>{text("forms.consent.checkbox")}</span></label>
</section>
<section class="card">
<label class="field" for="details">{text("forms.details.label")}</label>
<textarea id="details" name="details" maxlength="{DETAILS_LIMIT}" required>{escape(view.details)}</textarea>
<p class="hint">{text("forms.details.hint", limit=DETAILS_LIMIT)}</p>
</section>
<section class="card">
<label class="field" for="murmur">{text("forms.murmur.label")}</label>
<input type="text" id="murmur" name="murmur" inputmode="numeric" autocomplete="off"
 value="{escape(view.murmur)}" placeholder="#42">
</section>
<button type="submit">{text("forms.submit")}</button>
<p class="meta">{text("forms.expires", time=view.expires)}</p>
</form>"""
    return _document(lang, t("forms.title", lang), body)


def message_page(lang: str, title_key: str, body_key: str, **values: object) -> str:
    """Return a page that only says one thing (saved, expired, not found)."""
    title = t(title_key, lang)
    body = f"""
<h1>{escape(title)}</h1>
<p class="card">{escape(t(body_key, lang, **values))}</p>"""
    return _document(lang, title, body)


def _document(lang: str, title: str, body: str) -> str:
    return f"""<!doctype html>
<html lang="{escape(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>{escape(title)} — tsunagi</title>
<style>{_CSS}</style>
</head>
<body><main>{body}
</main></body>
</html>
"""


async def read_fields(request: Request) -> dict[str, str] | None:
    """Return the urlencoded fields of a POST (first value each), or None when too large."""
    declared = request.headers.get("content-length")
    if declared and declared.isdecimal() and int(declared) > MAX_BODY:
        return None
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            return None
    parsed = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
    return {name: values[0] for name, values in parsed.items()}


def gone_response() -> HTMLResponse:
    """Return the page for an expired or used link (410, nothing else revealed)."""
    return page_response(message_page("ja", "forms.gone.title", "forms.gone.body"), 410)


def page_response(html: str, status: int = 200) -> HTMLResponse:
    """Return a form page with headers that keep it out of caches, frames and referrers."""
    return HTMLResponse(html, status_code=status, headers=HEADERS)


class HideFormTokens(logging.Filter):
    """Blank out one-time form tokens in log records (uvicorn's access log names the path)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = FORM_PATH.sub(r"\1…", record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(
                FORM_PATH.sub(r"\1…", arg) if isinstance(arg, str) else arg for arg in record.args
            )
        return True
