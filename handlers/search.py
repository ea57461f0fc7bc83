"""検索 WORDS / search WORDS: find murmurs and activities the user may see, five at a time.

Words are AND-matched; filters narrow the search: カテゴリ:買い物, エリア:中央圏域 (and every
area below it), 期間:先週, 種類:願い (種類:訪問 / 種類:活動 keep activity records only).
More than one page of results opens a small flow whose steps are the pages, so 「次へ」 moves on
and 「戻る」 goes back a page.
"""

from __future__ import annotations

import re
from dataclasses import replace
from enum import StrEnum

from bot.classify import MURMUR_KINDS
from bot.context import Ctx, UserError
from bot.flows import (
    Answer,
    Draft,
    Finish,
    Flow,
    Goto,
    Handle,
    Leave,
    Prompt,
    StartFlow,
    Step,
    StepResult,
)
from bot.messages import Choice, Reply
from bot.router import Router, normalize
from handlers.records import parse_number, show_record
from handlers.summaries import parse_period
from storage.members import area_and_descendant_ids, list_areas
from storage.records import category_labels
from storage.search import SearchHit, SearchQuery, search_records
from storage.summaries import Period

SEARCH_FLOW = "search"
SEARCH_WORDS = ("検索", "search", "さがす", "探す")
PAGE_SIZE = 5
MAX_PAGES = 10
EXCERPT = 30
VISIT = "訪問"
ACTIVITY_TYPES = ("訪問", "会議・集まり参加", "電話・調査", "来所相談", "研修", "事務")
FILTERS = {
    "カテゴリ": "category",
    "カテゴリー": "category",
    "category": "category",
    "エリア": "area",
    "地区": "area",
    "area": "area",
    "期間": "period",
    "period": "period",
    "種類": "kind",
    "kind": "kind",
}
ACTIVITY_WORDS = {"活動", "activity", "activities", "活動記録"}
VISIT_WORDS = {"訪問", "visit", "visits", "訪問記録"}
MURMUR_WORDS = {"つぶやき", "murmur", "murmurs"}

SearchPage = StrEnum(  # type: ignore[misc]
    "SearchPage", [(f"PAGE_{n}", f"page{n}") for n in range(1, MAX_PAGES + 1)]
)


def register(router: Router) -> None:
    """Register 検索 / search and the result pages."""
    router.add_command(SEARCH_WORDS, search)
    steps = {page: Step(_page_prompt(n), _page_handle(n)) for n, page in _pages()}
    router.add_flow(
        Flow(SEARCH_FLOW, steps, first=SearchPage("page1"), help_key="search.help", browsing=True)
    )


def _pages() -> list[tuple[int, StrEnum]]:
    return [(n, SearchPage(f"page{n}")) for n in range(1, MAX_PAGES + 1)]


def search(ctx: Ctx, args: str) -> list[Reply] | StartFlow:
    """Search and show the first page; more than one page opens the result flow."""
    if not args:
        return [Reply(ctx.t("search.usage"))]
    replies = run_search(ctx, args)
    if replies is not None:
        return replies
    return StartFlow(SEARCH_FLOW, draft={"query": args}, step=SearchPage("page1"))


def run_search(ctx: Ctx, args: str) -> list[Reply] | None:
    """Search (audited); return the replies if one page holds it all, None if it needs pages."""
    query = parse_query(ctx, args)
    hits, total = search_records(ctx.session, viewer=ctx.me, query=query, limit=PAGE_SIZE)
    ctx.audit("search", filters=_filter_names(args), results=total)
    if total == 0:
        return [Reply(ctx.t("search.none", query=args))]
    if total <= PAGE_SIZE:
        return [_results_reply(ctx, args, hits, total, page=1)]
    return None


def _page_prompt(page: int) -> Prompt:
    def prompt(ctx: Ctx, draft: Draft) -> Reply:
        """Show one page of results with 次へ while there are more."""
        query = parse_query(ctx, draft["query"])
        hits, total = search_records(
            ctx.session,
            viewer=ctx.me,
            query=query,
            offset=(page - 1) * PAGE_SIZE,
            limit=PAGE_SIZE,
        )
        return _results_reply(ctx, draft["query"], hits, total, page=page)

    return prompt


def _page_handle(page: int) -> Handle:
    def handle(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
        """Go to the next page, show #N, run a new search, or close the results."""
        if answer.value == "next" and page < MAX_PAGES:
            return Goto(SearchPage(f"page{page + 1}"))
        if answer.value == "end":
            return Finish([Reply(ctx.t("search.done"))])
        number = parse_number(answer.text) if answer.text.startswith("#") else None
        if number is not None:
            return Finish(show_record(ctx, str(number)))
        head, _, rest = answer.text.partition(" ")
        if head.lower() in SEARCH_WORDS and rest:
            replies = run_search(ctx, rest)  # a bad filter is a UserError: re-asked here
            if replies is not None:
                return Finish(replies)
            draft["query"] = rest
            return Goto(SearchPage("page1"))
        return Leave()

    return handle


def _results_reply(ctx: Ctx, query: str, hits: list[SearchHit], total: int, *, page: int) -> Reply:
    first = (page - 1) * PAGE_SIZE + 1
    lines = [
        ctx.t("search.header", query=query, total=total, first=first, last=first + len(hits) - 1)
    ]
    lines += [_hit_line(ctx, hit) for hit in hits]
    restricted = any(hit.restricted for hit in hits)
    if restricted:
        lines.append(ctx.t("search.restricted_note"))
    more = total > page * PAGE_SIZE
    choices: tuple[Choice, ...] = ()
    if more and page < MAX_PAGES:
        lines.append(ctx.t("search.more"))
        choices = (Choice(ctx.t("search.next"), "next"), Choice(ctx.t("search.end"), "end"))
    elif more:
        lines.append(ctx.t("search.limit", n=MAX_PAGES * PAGE_SIZE))
    else:
        lines.append(ctx.t("search.detail"))
    if total > PAGE_SIZE and not choices:
        choices = (Choice(ctx.t("search.end"), "end"),)
    return Reply("\n".join(lines), choices=choices, restricted=restricted)


def _hit_line(ctx: Ctx, hit: SearchHit) -> str:
    today = ctx.today()
    day = f"{hit.on:%m/%d}" if hit.on.year == today.year else f"{hit.on:%Y/%m/%d}"
    murmur = ctx.t("records.kind.murmur")
    label = f"{murmur}・{hit.label}" if hit.kind == "murmur" else hit.label
    text = hit.text if len(hit.text) <= EXCERPT else hit.text[:EXCERPT] + "…"
    if hit.restricted:
        text = f"{ctx.t('search.restricted_mark')} {text}"
    return ctx.t("search.line", number=hit.number, date=day, label=label, text=text)


def _filter_names(args: str) -> list[str]:
    """Return the names of the filters used (for the audit log; never the words)."""
    names = {
        FILTERS[token.partition(":")[0].lower()] for token in args.split() if _is_filter(token)
    }
    return sorted(names)


def _is_filter(token: str) -> bool:
    return ":" in token and token.partition(":")[0].lower() in FILTERS


def parse_query(ctx: Ctx, args: str) -> SearchQuery:
    """Turn '買い物 期間:先週 種類:願い' into a SearchQuery; a bad filter is a UserError."""
    words: list[str] = []
    categories: list[str] = []
    area_ids: set[int] | None = None
    kinds: list[str] = []
    period: Period | None = None
    for token in normalize(args).split():
        name, colon, value = token.partition(":")
        if not colon or re.fullmatch(r"[\d./-]*", name):
            words.append(token)
            continue
        which = FILTERS.get(name.lower())
        if which is None:
            raise UserError(ctx.t("search.bad_filter", name=name))
        if which == "category":
            categories += match_categories(ctx, value)
        elif which == "area":
            area_ids = (area_ids or set()) | match_area(ctx, value)
        elif which == "period":
            period = parse_period(value, ctx.today())
            if period is None:
                raise UserError(ctx.t("search.bad_period", value=value))
        else:
            kinds.append(match_kind(ctx, value))
    query = _build_query(words, categories, area_ids, kinds, period)
    labels = category_labels(ctx.session)
    named = tuple(tuple(categories_named(labels, word)) for word in words)
    return replace(query, word_categories=named)


def _build_query(
    words: list[str],
    categories: list[str],
    area_ids: set[int] | None,
    kinds: list[str],
    period: Period | None,
) -> SearchQuery:
    murmur_kinds = tuple(k for k in kinds if k in MURMUR_KINDS)
    activity_kinds = [k for k in kinds if k not in MURMUR_KINDS and k != "つぶやき"]
    activity_types = () if "活動" in activity_kinds else tuple(activity_kinds)
    wants_murmurs = not kinds or "つぶやき" in kinds or bool(murmur_kinds)
    return SearchQuery(
        words=tuple(words),
        category_codes=tuple(categories),
        area_ids=frozenset(area_ids) if area_ids is not None else None,
        date_from=period.start if period else None,
        date_to=period.end if period else None,
        murmur_kinds=murmur_kinds,
        activity_types=activity_types,
        murmurs=wants_murmurs,
        activities=(not kinds or bool(activity_kinds)) and not categories,
    )


def categories_named(labels: dict[str, tuple[str, str]], value: str) -> list[str]:
    """Return the category codes a word names exactly: a code, a label or a part of a label."""
    wanted = value.lower()
    return [
        code
        for code, (ja, en) in labels.items()
        if wanted in {code.lower(), ja, en.lower()} or wanted in _label_parts(ja)
    ]


def match_categories(ctx: Ctx, value: str) -> list[str]:
    """Return the category codes a filter value names (also a label that contains it)."""
    labels = category_labels(ctx.session)
    exact = categories_named(labels, value)
    found = exact or [code for code, (ja, _) in labels.items() if value and value in ja]
    if not found:
        examples = "、".join(ja for ja, _ in list(labels.values())[:6])
        raise UserError(ctx.t("search.bad_category", value=value, examples=examples))
    return found


def _label_parts(label: str) -> set[str]:
    return {part for part in re.split(r"[・（）()、]", label) if part}


def match_area(ctx: Ctx, value: str) -> set[int]:
    """Return the ids of the named area and every area below it."""
    areas = list_areas(ctx.session, municipality_id=ctx.municipality_id)
    named = [a for a in areas if a.name == value] or [a for a in areas if value and value in a.name]
    if len(named) != 1:
        names = "、".join(a.name for a in areas)
        raise UserError(ctx.t("search.bad_area", value=value, areas=names))
    assert named[0].id is not None
    return area_and_descendant_ids(
        ctx.session, municipality_id=ctx.municipality_id, area_id=named[0].id
    )


def match_kind(ctx: Ctx, value: str) -> str:
    """Return the murmur kind, activity type, 活動 (all activities) or つぶやき a value names."""
    lowered = value.lower()
    if lowered in VISIT_WORDS:
        return VISIT
    if lowered in ACTIVITY_WORDS:
        return "活動"
    if lowered in MURMUR_WORDS:
        return "つぶやき"
    for kind in (*MURMUR_KINDS, *ACTIVITY_TYPES):
        if value and (kind == value or kind.startswith(value)):
            return kind
    raise UserError(ctx.t("search.bad_kind", value=value, kinds=" / ".join(MURMUR_KINDS)))
