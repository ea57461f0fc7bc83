"""The murmur and resource taxonomy (DOMAIN.md §5), kept in the `category` table."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from storage.models import Category


@dataclass(frozen=True)
class CategoryDef:
    code: str
    label_ja: str
    label_en: str
    keywords: tuple[str, ...]


TAXONOMY: tuple[CategoryDef, ...] = (
    CategoryDef("shopping", "買い物", "Shopping", ("買い物", "買物", "スーパー")),
    CategoryDef("other", "その他", "Other", ()),
)


def sync_categories(session: Session) -> None:
    """Insert or update the category rows so they match TAXONOMY."""
    existing = {c.code: c for c in session.exec(select(Category))}
    for position, item in enumerate(TAXONOMY, start=1):
        row = existing.get(item.code) or Category(code=item.code, position=position, label_ja="", label_en="")
        row.position = position
        row.label_ja = item.label_ja
        row.label_en = item.label_en
        row.keywords = list(item.keywords)
        session.add(row)
    session.flush()


def list_categories(session: Session) -> list[Category]:
    return list(session.exec(select(Category).order_by(col(Category.position))))
