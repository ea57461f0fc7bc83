"""The murmur draft shared by the murmur flow and the visit flow: build, mask, label and save.

A murmur draft is a JSON-able dict:
{"text", "kind", "categories" (codes, primary first), "area_id", "flags" (sensitive topics),
 "restricted", "pii" (finding kinds), "pii_masked"} and, when editing, "record_id".
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.classify import MURMUR_KINDS, suggest_categories, suggest_kind
from bot.context import Ctx
from bot.messages import Choice
from bot.privacy import find_pii, mask_pii, needs_restriction, sensitive_flags
from handlers.common import area_label
from storage.categories import TAXONOMY
from storage.models import Murmur, SharingScope
from storage.murmurs import add_murmur, update_murmur

MurmurDraft = dict[str, Any]

PII_MASK = "mask"
PII_KEEP = "keep"
PII_REWRITE = "rewrite"


def new_murmur_draft(ctx: Ctx, text: str, *, area_id: int | None = None) -> MurmurDraft:
    """Return a murmur draft for a text, with suggested kind and categories and privacy checks."""
    text = text.strip()
    kind = suggest_kind(text)
    return {
        "text": text,
        "kind": kind,
        "categories": suggest_categories(text),
        "area_id": area_id,
        "flags": sensitive_flags(text),
        "restricted": needs_restriction(text, kind),
        "pii": sorted({f.kind for f in find_pii(text)}),
        "pii_masked": False,
    }


def set_murmur_text(mdraft: MurmurDraft, text: str) -> None:
    """Replace a draft's text, re-suggest what the user did not choose, redo privacy checks."""
    text = text.strip()
    if mdraft["kind"] == suggest_kind(mdraft["text"]):
        mdraft["kind"] = suggest_kind(text)
    if mdraft["categories"] == suggest_categories(mdraft["text"]):
        mdraft["categories"] = suggest_categories(text)
    mdraft["text"] = text
    mdraft["pii"] = sorted({f.kind for f in find_pii(text)})
    mdraft["pii_masked"] = False
    refresh_privacy(mdraft)


def set_murmur_kind(mdraft: MurmurDraft, kind: str) -> None:
    """Set a draft's kind and redo the restriction check (気になる人 may restrict it)."""
    mdraft["kind"] = kind
    refresh_privacy(mdraft)


def refresh_privacy(mdraft: MurmurDraft) -> None:
    """Recompute the sensitive flags and the restriction of a draft from its text and kind."""
    mdraft["flags"] = sensitive_flags(mdraft["text"])
    mdraft["restricted"] = needs_restriction(mdraft["text"], mdraft["kind"])


def pii_choices(ctx: Ctx) -> tuple[Choice, ...]:
    """Return the choices offered when a murmur seems to contain personal information."""
    return (
        Choice(ctx.t("murmur.pii.mask"), PII_MASK),
        Choice(ctx.t("murmur.pii.keep"), PII_KEEP),
        Choice(ctx.t("murmur.pii.rewrite"), PII_REWRITE),
    )


def masked_text(mdraft: MurmurDraft) -> str:
    """Return the draft's text with personal information masked."""
    return mask_pii(mdraft["text"])


def pii_prompt(ctx: Ctx, mdraft: MurmurDraft) -> str:
    """Return the question shown when a draft seems to contain personal information."""
    return ctx.t("murmur.ask.pii", masked=masked_text(mdraft))


def apply_pii_choice(mdraft: MurmurDraft, value: str) -> bool:
    """Apply a PII choice to a draft; return False when the user wants to retype the text."""
    if value == PII_REWRITE:
        return False
    if value == PII_MASK:
        mdraft["text"] = mask_pii(mdraft["text"])
        mdraft["pii_masked"] = True
        refresh_privacy(mdraft)
    mdraft["pii"] = []
    return True


def kind_label(ctx: Ctx, kind: str) -> str:
    """Return a murmur kind in the user's language."""
    return ctx.t(f"murmur.kind.{kind}") if kind in MURMUR_KINDS else kind


def kind_choices(ctx: Ctx, suggested: str) -> tuple[Choice, ...]:
    """Return the murmur kinds as choices, the suggested one first and marked."""
    ordered = [suggested, *(k for k in MURMUR_KINDS if k != suggested)]
    return tuple(
        Choice(
            ctx.t("murmur.suggested", label=kind_label(ctx, k))
            if k == suggested
            else kind_label(ctx, k),
            k,
        )
        for k in ordered
    )


def category_label(ctx: Ctx, code: str) -> str:
    """Return a category's label in the user's language."""
    for item in TAXONOMY:
        if item.code == code:
            return item.label_en if ctx.lang == "en" else item.label_ja
    return code


def category_choices(ctx: Ctx, suggested: list[str]) -> tuple[Choice, ...]:
    """Return categories as choices: the suggested ones, or every category when none is given."""
    codes = suggested or [item.code for item in TAXONOMY]
    return tuple(Choice(category_label(ctx, code), code) for code in codes)


def murmur_rows(ctx: Ctx, mdraft: MurmurDraft) -> list[tuple[str, str]]:
    """Return the rows of a confirmation card for a murmur draft."""
    categories = "、" if ctx.lang == "ja" else ", "
    rows = [
        (ctx.t("murmur.row.text"), mdraft["text"]),
        (ctx.t("murmur.row.kind"), kind_label(ctx, mdraft["kind"])),
        (
            ctx.t("murmur.row.categories"),
            categories.join(category_label(ctx, c) for c in mdraft["categories"]),
        ),
        (ctx.t("murmur.row.area"), area_label(ctx, mdraft.get("area_id"))),
    ]
    if mdraft.get("restricted"):
        rows.append((ctx.t("murmur.row.sharing"), ctx.t("murmur.sharing.restricted")))
    return rows


def sharing_scope(mdraft: MurmurDraft) -> str:
    """Return the sharing scope a draft is saved with."""
    return SharingScope.RESTRICTED.value if mdraft.get("restricted") else SharingScope.TEAM.value


def save_murmur(
    ctx: Ctx,
    mdraft: MurmurDraft,
    *,
    activity_id: int | None = None,
    captured_on: date | None = None,
) -> Murmur:
    """Save a murmur draft as a new record, or update the record it was drafted from."""
    categories = list(mdraft["categories"]) or ["other"]
    record_id = mdraft.get("record_id")
    if record_id is not None:
        murmur = ctx.session.get(Murmur, record_id)
        if murmur is None or murmur.municipality_id != ctx.municipality_id:
            raise LookupError(f"murmur {record_id} not found")
        update_murmur(
            ctx.session,
            murmur,
            text=mdraft["text"],
            kind=mdraft["kind"],
            categories=categories,
            area_id=mdraft.get("area_id"),
            sharing_scope=sharing_scope(mdraft),
            sensitive_flags=list(mdraft.get("flags", [])),
            pii_masked=bool(mdraft.get("pii_masked")) or murmur.pii_masked,
            now=ctx.now(),
        )
        ctx.audit("murmur.edit", target=f"murmur:{murmur.number}", scope=murmur.sharing_scope)
        return murmur
    assert ctx.me.id is not None
    murmur = add_murmur(
        ctx.session,
        municipality_id=ctx.municipality_id,
        recorded_by=ctx.me.id,
        channel=ctx.incoming.channel,
        text=mdraft["text"],
        kind=mdraft["kind"],
        categories=categories,
        area_id=mdraft.get("area_id"),
        activity_id=activity_id,
        sharing_scope=sharing_scope(mdraft),
        sensitive_flags=list(mdraft.get("flags", [])),
        pii_masked=bool(mdraft.get("pii_masked")),
        captured_on=captured_on or ctx.today(),
        now=ctx.now(),
    )
    ctx.audit(
        "murmur.create",
        target=f"murmur:{murmur.number}",
        kind=murmur.kind,
        scope=murmur.sharing_scope,
    )
    return murmur
