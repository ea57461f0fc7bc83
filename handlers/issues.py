"""課題 [AREA]: an area's murmurs of the last 12 months grouped into a handful of 課題.

As practice does (長井: 「各分野ごとに大きく5つの課題」; 石川町 pairs each 課題 with the activity
that would answer it), murmurs are grouped by primary category, most murmurs first, at most
five, each with its counts by kind and a suggested activity. Restricted murmurs are counted,
and no murmur is ever quoted.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import timedelta

from bot.context import Ctx
from bot.messages import Reply
from bot.router import Router
from handlers.common import member_areas
from handlers.murmur_common import category_label
from storage.issues import murmur_facets
from storage.members import area_and_descendant_ids, list_areas
from storage.models import Area

MAX_ISSUES = 5
LOOKBACK = timedelta(days=365)
# The activity that would answer each category's 課題 (DOMAIN.md §5 and §8 examples).
SUGGESTED_ACTIVITY: dict[str, str] = {
    "shopping": "移動販売・買物代行・買い物ツアーの検討",
    "mobility": "移動支援の検討・乗り合い・送迎ボランティア",
    "garbage": "ゴミ出しボランティア・近所の助け合い",
    "watching": "見守りネットワーク・声かけ訪問",
    "ibasho": "サロン・通いの場・つどい場づくり",
    "meals": "会食・食事会・配食の場づくり",
    "yard": "草刈り・環境整備の助け合い（有償ボランティア）",
    "companionship": "話し相手ボランティア・サロンへのお誘い",
    "housework": "家事援助の住民型有償サービス",
    "repairs": "ちょっとした修理の助け合い（ちょい加勢型）",
    "housing": "住まいの相談窓口・居住支援との連携",
    "health": "体操・ウォーキングの自主グループ",
    "medical": "通院の付き添い・送迎の検討",
    "care_carers": "介護者のつどい・家族介護者支援",
    "dementia": "認知症カフェ・見守り隊・徘徊模擬訓練",
    "farming": "農作業の助け合い・産直市",
    "safety": "防災訓練・消費者被害の啓発",
    "roles_work": "出番づくり・就労的活動の場",
    "intergenerational": "多世代交流の場（子ども食堂・三世代サロン）",
    "hobbies_learning": "趣味・学びのサークルづくり",
    "money": "生活困窮の相談窓口へのつなぎ",
    "helpers_groups": "担い手養成講座・運営の支援",
    "info_consult": "相談先の周知（チラシ・ガイドブック）",
    "other": "協議体で話し合う",
}


def register(router: Router) -> None:
    """Register 課題."""
    router.add_command(["課題", "issues"], issues_command)


def issues_command(ctx: Ctx, args: str) -> list[Reply]:
    """Group an area's (default: the member's first area, else all) murmurs into 課題."""
    area = _area(ctx, args.strip())
    if args.strip() and area is None:
        names = "、".join(a.name for a in list_areas(ctx.session, municipality_id=ctx.municipality_id))
        return [Reply(ctx.t("issues.unknown_area", text=args.strip(), names=names))]
    area_ids = (
        area_and_descendant_ids(ctx.session, municipality_id=ctx.municipality_id, area_id=area.id)
        if area is not None and area.id is not None
        else None
    )
    since = ctx.today() - LOOKBACK
    facets = murmur_facets(
        ctx.session, municipality_id=ctx.municipality_id, area_ids=area_ids, since=since
    )
    ctx.audit("issues.view", target=f"area:{area.id}" if area else "municipality")
    scope = area.name if area is not None else ctx.t("issues.all_areas")
    if not facets:
        return [Reply(ctx.t("issues.none", area=scope))]
    by_category: dict[str, Counter[str]] = defaultdict(Counter)
    for kind, code in facets:
        by_category[code or "other"][kind] += 1
    ranked = sorted(by_category.items(), key=lambda item: (-sum(item[1].values()), item[0]))
    lines = [ctx.t("issues.title", area=scope, n=len(facets), since=f"{since:%Y-%m-%d}")]
    for i, (code, kinds) in enumerate(ranked[:MAX_ISSUES], start=1):
        counts = "・".join(f"{kind}{n}" for kind, n in kinds.most_common())
        lines.append(
            ctx.t(
                "issues.item",
                i=i,
                category=category_label(ctx, code),
                n=sum(kinds.values()),
                kinds=counts,
                activity=SUGGESTED_ACTIVITY.get(code, SUGGESTED_ACTIVITY["other"]),
            )
        )
    if len(ranked) > MAX_ISSUES:
        rest = sum(sum(k.values()) for _, k in ranked[MAX_ISSUES:])
        lines.append(ctx.t("issues.rest", n=rest))
    return [Reply("\n".join(lines))]


def _area(ctx: Ctx, name: str) -> Area | None:
    """Return the named area, or (no name) the member's first area."""
    if not name:
        mine = member_areas(ctx)
        all_areas = list_areas(ctx.session, municipality_id=ctx.municipality_id)
        return mine[0] if mine and len(mine) < len(all_areas) else None
    return next(
        (a for a in list_areas(ctx.session, municipality_id=ctx.municipality_id) if a.name == name),
        None,
    )
