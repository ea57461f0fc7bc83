"""Search murmurs and activities a member may read: words AND-matched, filters, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, column, exists, func, or_, table
from sqlmodel import Session, col, select

from storage.access import is_author_only, visible_activities_clause, visible_murmurs_clause
from storage.models import Activity, Member, Murmur, MurmurCategory

ACTIVITY_TEXT_FIELDS = ("place_label", "treasures", "outcome", "counterpart", "purpose")
# Trigram indexes cannot look up words shorter than three characters: those are scanned (LIKE).
INDEXED_WORD_MIN = 3
# The SQLite FTS5 trigram index over murmur text (migration 0008; rowid = murmur.id).
MURMUR_FTS = table("murmur_fts", column("rowid"), column("murmur_fts"))


@dataclass(frozen=True)
class SearchQuery:
    """What to look for; empty fields do not filter."""

    words: tuple[str, ...] = ()
    # per word, the categories it names (a word matches a murmur's text or one of these)
    word_categories: tuple[tuple[str, ...], ...] = ()
    category_codes: tuple[str, ...] = ()
    area_ids: frozenset[int] | None = None
    date_from: date | None = None
    date_to: date | None = None
    murmur_kinds: tuple[str, ...] = ()
    activity_types: tuple[str, ...] = ()
    murmurs: bool = True
    activities: bool = True


@dataclass(frozen=True)
class SearchHit:
    """One found record, as a result line shows it."""

    kind: str  # "murmur" or "activity"
    number: int
    on: date
    label: str  # the murmur's kind or the activity's type
    text: str
    restricted: bool = False


def search_records(
    session: Session, *, viewer: Member, query: SearchQuery, offset: int = 0, limit: int = 5
) -> tuple[list[SearchHit], int]:
    """Return one page of hits (newest first) and the total number of hits."""
    hits: list[SearchHit] = []
    total = 0
    wanted = offset + limit
    if query.murmurs:
        dialect = session.get_bind().dialect.name
        where = _murmur_where(viewer, query, dialect)
        found, count = _newest(session, Murmur, "captured_on", where, wanted)
        hits += [_murmur_hit(m) for m in found]
        total += count
    if query.activities:
        where = _activity_where(viewer, query)
        found, count = _newest(session, Activity, "occurred_on", where, wanted)
        hits += [_activity_hit(a) for a in found]
        total += count
    hits.sort(key=lambda hit: (hit.on, hit.number), reverse=True)
    return hits[offset:wanted], total


def _newest(
    session: Session, table: Any, date_field: str, where: list[ColumnElement[bool]], limit: int
) -> tuple[list[Any], int]:
    """Return the newest `limit` matching rows and how many match, in one pass over the rows."""
    order = (col(getattr(table, date_field)).desc(), col(table.number).desc())
    total = func.count().over().label("total")
    rows = list(session.exec(select(table, total).where(*where).order_by(*order).limit(limit)))
    return [row[0] for row in rows], (rows[0][1] if rows else 0)


def _contains(field: Any, word: str) -> ColumnElement[bool]:
    return col(field).icontains(word, autoescape=True)


def _murmur_text_contains(word: str, dialect: str) -> ColumnElement[bool]:
    """Match a word in murmur text, through the trigram index when the word is long enough.

    The LIKE comparison always stays, so both paths find exactly the same murmurs; on SQLite
    the FTS5 phrase only narrows the rows it looks at. PostgreSQL's GIN index is over
    `lower(text)`, the expression the LIKE compares, and needs no extra clause.
    """
    like = _contains(Murmur.text, word)
    if dialect != "sqlite" or len(word) < INDEXED_WORD_MIN:
        return like
    phrase = '"' + word.replace('"', '""') + '"'
    indexed = select(MURMUR_FTS.c.rowid).where(MURMUR_FTS.c.murmur_fts.match(phrase))
    return and_(col(Murmur.id).in_(indexed), like)


def _murmur_where(viewer: Member, query: SearchQuery, dialect: str) -> list[ColumnElement[bool]]:
    where = [visible_murmurs_clause(viewer)]
    for word, codes in zip(query.words, _padded(query), strict=True):
        text = _murmur_text_contains(word, dialect)
        where.append(or_(text, _has_category(codes)) if codes else text)
    if query.category_codes:
        where.append(_has_category(query.category_codes))
    if query.murmur_kinds:
        where.append(col(Murmur.kind).in_(query.murmur_kinds))
    where += _common_where(Murmur, "captured_on", query)
    return where


def _padded(query: SearchQuery) -> list[tuple[str, ...]]:
    named = list(query.word_categories)[: len(query.words)]
    return named + [()] * (len(query.words) - len(named))


def _has_category(codes: tuple[str, ...]) -> ColumnElement[bool]:
    return exists().where(
        col(MurmurCategory.murmur_id) == col(Murmur.id),
        col(MurmurCategory.category_code).in_(codes),
    )


def _activity_where(viewer: Member, query: SearchQuery) -> list[ColumnElement[bool]]:
    where = [visible_activities_clause(viewer)]
    for word in query.words:
        where.append(or_(*(_contains(getattr(Activity, f), word) for f in ACTIVITY_TEXT_FIELDS)))
    if query.activity_types:
        where.append(col(Activity.activity_type).in_(query.activity_types))
    where += _common_where(Activity, "occurred_on", query)
    return where


def _common_where(table: Any, date_field: str, query: SearchQuery) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    on = col(getattr(table, date_field))
    if query.area_ids is not None:
        where.append(col(table.area_id).in_(sorted(query.area_ids)))
    if query.date_from is not None:
        where.append(on >= query.date_from)
    if query.date_to is not None:
        where.append(on <= query.date_to)
    return [and_(*where)] if where else []


def _murmur_hit(murmur: Murmur) -> SearchHit:
    return SearchHit(
        kind="murmur",
        number=murmur.number,
        on=murmur.captured_on,
        label=murmur.kind,
        text=murmur.text,
        restricted=is_author_only(murmur),
    )


def _activity_hit(activity: Activity) -> SearchHit:
    parts = [activity.place_label, activity.treasures or activity.outcome or activity.counterpart]
    return SearchHit(
        kind="activity",
        number=activity.number,
        on=activity.occurred_on,
        label=activity.activity_type,
        text="：".join(p for p in parts if p) or (activity.purpose or ""),
    )
