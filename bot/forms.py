"""GET/POST /forms/<token>: the one-time form for sensitive details (要配慮個人情報).

The token in the path is the only secret (and so the CSRF defence): 30 minutes, one submission.
A submission with consent is encrypted (bot/crypto.py), stored as a SensitiveNote with its own
number after a ConsentRecord (who, when, wording version and hash, purpose; storage/consent.py),
audited without content,
and the member's chat is told the number only. Nothing typed here reaches a log, the chat or
the audit detail.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from typing import TYPE_CHECKING

from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from bot.crypto import Keyring
from bot.delivery import notify
from bot.form_pages import (
    DETAILS_LIMIT,
    FormView,
    form_page,
    gone_response,
    message_page,
    page_response,
    read_fields,
)
from bot.messages import Reply
from bot.texts import t
from storage.audit import add_audit
from storage.consent import SENSITIVE_NOTE, record_consent
from storage.db import session_scope
from storage.members import next_record_number
from storage.models import FormToken, Member, Municipality
from storage.murmurs import get_murmur
from storage.sensitive import (
    add_sensitive_note,
    claim_form_token,
    form_owner,
    get_form_token,
    is_form_token_open,
    murmur_number,
)

if TYPE_CHECKING:
    from bot.app import Runtime

CONSENT_VERSION = "2026-11 v1"
# The consent block as the form shows it; its SHA-256 goes into the ConsentRecord.
CONSENT_WORDING = ("forms.consent.body", "forms.purpose", "forms.consent.checkbox")
Owner = tuple[Member, Municipality]


def forms_routes(runtime: Runtime) -> list[Route]:
    """Return the form's routes."""
    settings = runtime.settings
    assert settings.public_url and settings.data_key, "the form needs a public URL and a data key"
    forms = Forms(runtime, Keyring.parse(settings.data_key))
    return [Route("/forms/{token}", forms.endpoint, methods=["GET", "POST"])]


class Forms:
    """The form's endpoint, over the runtime's store, clock and data keys."""

    def __init__(self, runtime: Runtime, keyring: Keyring) -> None:
        self.runtime = runtime
        self.keyring = keyring

    async def endpoint(self, request: Request) -> HTMLResponse:
        """Show the form (GET) or take its one submission (POST)."""
        token = str(request.path_params["token"])
        if request.method == "GET":
            return await run_in_threadpool(self.show, token)
        fields = await read_fields(request)
        if fields is None:
            too_large = message_page(
                "ja", "forms.title", "forms.error.too_long", limit=DETAILS_LIMIT
            )
            return page_response(too_large, 413)
        return await run_in_threadpool(self.submit, token, fields)

    def show(self, token: str) -> HTMLResponse:
        """Show the consent block and the empty form, or say the link cannot be used."""
        with session_scope(self.runtime.engine) as session:
            found = self._open_form(session, token)
            if isinstance(found, HTMLResponse):
                return found
            form, owner = found
            number = murmur_number(session, murmur_id=form.murmur_id)
            return page_response(
                form_page(replace(self._view(form, owner), murmur=str(number or "")))
            )

    def submit(self, token: str, fields: dict[str, str]) -> HTMLResponse:
        """Store the details once, with consent, and tell the chat the note's number."""
        with session_scope(self.runtime.engine) as session:
            found = self._open_form(session, token)
            if isinstance(found, HTMLResponse):
                return found
            form, (member, municipality) = found
            details = fields.get("details", "").strip()
            murmur_text = unicodedata.normalize("NFKC", fields.get("murmur", "")).strip()
            view = replace(
                self._view(form, (member, municipality)),
                details=details,
                murmur=murmur_text,
                consent=fields.get("consent") == "yes",
            )
            error, murmur_id = _problem(session, view, member)
            if error is not None:
                return page_response(form_page(replace(view, error=error)), 400)
            now = self.runtime.clock.now()
            if not claim_form_token(session, token_id=_id(form), now=now):
                return gone_response()
            number = self._store(session, form, member, details, murmur_id)
            notice = Reply(t("consult.saved", member.language, number=number))
            notify(
                session,
                channel=form.channel,
                recipient=form.chat_id,
                replies=[notice],
                key=f"form:{form.id}",
                now=now,
            )
            body = message_page(
                member.language, "forms.saved.title", "forms.saved.body", number=number
            )
            return page_response(body)

    def _open_form(self, session: Session, token: str) -> tuple[FormToken, Owner] | HTMLResponse:
        form = get_form_token(session, token=token)
        if form is None:
            return page_response(
                message_page("ja", "forms.unknown.title", "forms.unknown.body"), 404
            )
        owner = form_owner(session, form=form)
        if owner is None or not is_form_token_open(form, now=self.runtime.clock.now()):
            return gone_response()
        return form, owner

    def _view(self, form: FormToken, owner: Owner) -> FormView:
        member, municipality = owner
        expires = form.expires_at.astimezone(self.runtime.settings.tz).strftime("%m/%d %H:%M")
        return FormView(
            lang=member.language,
            municipality=municipality.name,
            member=member.name,
            purpose=t("forms.purpose", member.language),
            version=CONSENT_VERSION,
            expires=expires,
        )

    def _store(
        self, session: Session, form: FormToken, member: Member, details: str, murmur_id: int | None
    ) -> int:
        """Encrypt and store the note with its consent; audit it without content; return #N."""
        now = self.runtime.clock.now()
        lang = member.language
        consent = record_consent(
            session,
            municipality_id=form.municipality_id,
            member_id=_id(member),
            subject=t("forms.consent.checkbox", lang),
            purpose=t("forms.purpose", lang),
            wording_version=CONSENT_VERSION,
            wording="\n".join(t(key, lang) for key in CONSENT_WORDING),
            record_kind=SENSITIVE_NOTE,
            now=now,
        )
        number = next_record_number(session, municipality_id=form.municipality_id)
        key_id, ciphertext = self.keyring.encrypt(details)
        add_sensitive_note(
            session,
            municipality_id=form.municipality_id,
            number=number,
            recorded_by=_id(member),
            murmur_id=murmur_id,
            ciphertext=ciphertext,
            key_id=key_id,
            consent_id=consent.id,
            now=now,
        )
        add_audit(
            session,
            at=now,
            action="sensitive.create",
            municipality_id=form.municipality_id,
            member_id=member.id,
            actor=f"{form.channel}:{form.chat_id}",
            target=f"sensitive:{number}",
            detail={
                "via": "form",
                "form": form.id,
                "key_id": key_id,
                "consent_version": CONSENT_VERSION,
                "consent": consent.id,
            },
        )
        return number


def _problem(session: Session, view: FormView, member: Member) -> tuple[str | None, int | None]:
    """Return what is wrong with a submission (a text to show) and the linked murmur's id."""
    lang = view.lang
    if not view.consent:
        return t("forms.error.consent", lang), None
    if not view.details:
        return t("forms.error.details", lang), None
    if len(view.details) > DETAILS_LIMIT:
        return t("forms.error.too_long", lang, limit=DETAILS_LIMIT), None
    if not view.murmur:
        return None, None
    digits = view.murmur.lstrip("#")
    number = int(digits) if digits.isdecimal() and len(digits) <= 9 else 0
    murmur = get_murmur(session, municipality_id=member.municipality_id, number=number)
    if murmur is None or murmur.recorded_by != member.id:
        return t("forms.error.murmur", lang, number=digits), None
    return None, murmur.id


def _id(row: FormToken | Member) -> int:
    assert row.id is not None
    return row.id
