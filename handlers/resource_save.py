"""Saving a 資源 登録 draft, and its confirmation card: the resource, and 資源化 of its murmur."""

from __future__ import annotations

from typing import Any

from bot.context import Ctx
from bot.flows import Draft
from bot.messages import Card
from handlers.common import area_label
from handlers.murmur_common import category_label
from storage.connections import RESOURCE_MADE, TO_RESOURCE, add_connection, set_murmur_status
from storage.consent import link_consent, record_consent
from storage.models import Murmur
from storage.resources import add_resource

# The draft's keys stored as they are (area, categories and consents are set explicitly).
SAVED = ("kind", "main_activities", "schedule_text", "venue", "target", "fee", "operator", "contact")
CONTACT_CONSENT = "resource_contact"  # ConsentRecord.record_kind of a contact's consent
CONTACT_CONSENT_VERSION = "resource-contact-2026-11"


def card(ctx: Ctx, draft: Draft) -> Card:
    """Return the draft as a confirmation card."""
    none = ctx.t("common.none")
    contact = draft.get("contact") or none
    if draft.get("contact"):
        consent = "consent_yes" if draft.get("contact_consent") else "consent_no"
        contact += ctx.t(f"resources.contact.{consent}")
    categories = "、".join(category_label(ctx, c) for c in draft.get("categories", []))
    rows = [
        (ctx.t("resources.field.name"), draft["name"]),
        (ctx.t("resources.field.kind"), draft.get("kind") or none),
        (ctx.t("resources.field.main_activities"), draft.get("main_activities") or none),
        (ctx.t("resources.field.area"), area_label(ctx, draft.get("area_id"))),
        (ctx.t("resources.field.categories"), categories or none),
        *(
            (ctx.t(f"resources.field.{key}"), draft.get(key) or none)
            for key in ("schedule_text", "venue", "target", "fee", "operator")
        ),
        (ctx.t("resources.field.contact"), contact),
        (
            ctx.t("resources.field.publish_consent"),
            ctx.t("common.yes" if draft.get("publish_consent") else "common.no"),
        ),
    ]
    return Card(ctx.t("resources.card.title"), tuple(rows))



def save(ctx: Ctx, draft: Draft) -> str:
    """Save the draft as a resource (linked to its murmur, 資源化); return the reply text."""
    fields: dict[str, Any] = {key: draft.get(key) for key in SAVED}
    fields["area_id"] = draft.get("area_id")
    fields["categories"] = list(draft.get("categories") or [])
    fields["publish_consent"] = bool(draft.get("publish_consent"))
    fields["contact_consent"] = bool(draft.get("contact") and draft.get("contact_consent"))
    fields["status_as_of"] = ctx.today()
    consent = None
    if fields["contact_consent"]:  # who agreed to what, recorded before the contact is stored
        assert ctx.me.id is not None
        consent = record_consent(
            ctx.session,
            municipality_id=ctx.municipality_id,
            member_id=ctx.me.id,
            subject=ctx.t("resources.contact_consent.yes"),
            purpose=ctx.t("resources.ask.contact_consent"),
            wording_version=CONTACT_CONSENT_VERSION,
            wording=ctx.t("resources.ask.contact_consent"),
            record_kind=CONTACT_CONSENT,
            now=ctx.now(),
        )
    resource = add_resource(
        ctx.session,
        municipality_id=ctx.municipality_id,
        name=str(draft["name"]),
        now=ctx.now(),
        created_by=ctx.me.id,
        found_via="SC発掘",
        **fields,
    )
    if consent is not None and resource.id is not None:
        link_consent(ctx.session, consent=consent, record_id=resource.id)
    ctx.audit("resource.create", target=f"resource:#{resource.number}")
    text = ctx.t("resources.saved", number=resource.number, name=resource.name)
    murmur = ctx.session.get(Murmur, draft["murmur_id"]) if draft.get("murmur_id") else None
    if murmur is not None and murmur.municipality_id == ctx.municipality_id:
        assert ctx.me.id is not None
        connection = add_connection(
            ctx.session,
            municipality_id=ctx.municipality_id,
            created_by=ctx.me.id,
            target_kind=TO_RESOURCE,
            murmur_id=murmur.id,
            resource_id=resource.id,
            note=RESOURCE_MADE,
            now=ctx.now(),
        )
        set_murmur_status(ctx.session, murmur, status=RESOURCE_MADE, now=ctx.now())
        ctx.audit("connection.create", target=f"connection:#{connection.number}")
        text += "\n" + ctx.t(
            "resources.saved_from_murmur", murmur=murmur.number, connection=connection.number
        )
    return text
