"""`tsunagi demo`: a fictional municipality, あおば市 (岡山県), to try everything at once.

Areas, resources and members are invented; the resources follow the field examples of
DOMAIN.md §8 (茶屋町の宝物マップ, ちょい加勢, いきいき百歳体操 in a shop, a salon in a home).
Running the demo again changes nothing and prints fresh one-time invite codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.app import Runtime
from storage.db import session_scope
from storage.invites import add_invite
from storage.members import (
    NotFound,
    add_area,
    add_member,
    add_municipality,
    get_municipality,
    list_areas,
)
from storage.models import AreaKind, Role
from storage.resources import add_resource

MUNICIPALITY = "あおば市"
PREFECTURE = "岡山県"


@dataclass(frozen=True)
class DemoArea:
    name: str
    kind: AreaKind
    parent: str | None = None


@dataclass(frozen=True)
class DemoResource:
    name: str
    kind: str
    area: str
    categories: tuple[str, ...]
    main_activities: str
    schedule_text: str
    venue: str
    target: str
    fee: str
    operator: str
    publish_consent: bool = True


@dataclass(frozen=True)
class DemoMember:
    name: str
    role: Role
    layer: int | None = None
    area: str | None = None


@dataclass(frozen=True)
class DemoInvite:
    role: Role
    layer: int | None = None
    area: str | None = None


AREAS = (
    DemoArea("中央圏域", AreaKind.DAILY_LIFE),
    DemoArea("茶屋町小学校区", AreaKind.ELEMENTARY, "中央圏域"),
    DemoArea("本町自治会", AreaKind.NEIGHBOURHOOD, "茶屋町小学校区"),
    DemoArea("栄町自治会", AreaKind.NEIGHBOURHOOD, "茶屋町小学校区"),
    DemoArea("北部圏域", AreaKind.DAILY_LIFE),
    DemoArea("北山小学校区", AreaKind.ELEMENTARY, "北部圏域"),
    DemoArea("北山自治会", AreaKind.NEIGHBOURHOOD, "北山小学校区"),
    DemoArea("緑が丘自治会", AreaKind.NEIGHBOURHOOD, "北山小学校区"),
)

RESOURCES = (
    DemoResource(
        name="地域ふれあいサロン「きらり」",
        kind="サロン",
        area="本町自治会",
        categories=("ibasho", "health"),
        main_activities="健康体操、ゲスト講師の勉強会（毎回15人ほど）",
        schedule_text="毎週水曜 10:00〜12:00",
        venue="本町集会所",
        target="どなたでも",
        fee="100円（お茶代）",
        operator="本町自治会のボランティア",
    ),
    DemoResource(
        name="ラジオ体操を楽しむ会",
        kind="体操・ウォーキング等の自主グループ",
        area="栄町自治会",
        categories=("health", "watching", "intergenerational"),
        main_activities="ラジオ体操。休んだ人には電話で声かけ。夏休みは子どもも加わり80人ほど",
        schedule_text="毎朝 6:30〜",
        venue="あおば第一公園",
        target="どなたでも",
        fee="無料",
        operator="参加者の有志",
    ),
    DemoResource(
        name="心優しい男のサロン",
        kind="サロン",
        area="栄町自治会",
        categories=("ibasho", "farming", "meals"),
        main_activities="枝豆・里芋づくり（介護施設に届ける）、食事会、年1回のレンゲ祭り（4月下旬）",
        schedule_text="毎月第2・第4土曜 9:00〜",
        venue="栄町の畑と集会所",
        target="男性",
        fee="材料費のみ",
        operator="栄町の男性有志",
    ),
    DemoResource(
        name="移動販売（火曜13:30）",
        kind="移動販売・出張販売",
        area="北山自治会",
        categories=("shopping", "companionship"),
        main_activities="食料品・日用品の販売。待ち時間のお茶飲みが井戸端会議の場に",
        schedule_text="毎週火曜 13:30〜14:00",
        venue="北山集会所前",
        target="どなたでも",
        fee="商品代のみ",
        operator="地元スーパー（協力事業者）",
    ),
    DemoResource(
        name="ちょい加勢",
        kind="有償ボランティア（住民型有償サービス）",
        area="北部圏域",
        categories=("yard", "shopping", "companionship", "repairs", "garbage", "farming"),
        main_activities=(
            "①草取り・草刈り ②買物代行 ③話し相手・見守り "
            "④簡単な修理（電球・パッキンの交換等） ⑤ゴミ出し・野菜の支柱立て・畑のビニール張り等"
        ),
        schedule_text="1回1時間以内・要予約",
        venue="利用者の自宅",
        target="どなたでも",
        fee="30分以内300円・60分以内600円（草刈りは別途30分100円・60分200円）",
        operator="北部圏域 ちょい加勢の会",
    ),
    DemoResource(
        name="いきいき百歳体操（緑が丘商店）",
        kind="通いの場",
        area="緑が丘自治会",
        categories=("health", "ibasho"),
        main_activities="公民館まで歩けない人のための百歳体操。終わったら店で買い物",
        schedule_text="毎週金曜 10:00〜11:00",
        venue="緑が丘商店の店内スペース",
        target="高齢者",
        fee="無料",
        operator="緑が丘商店と自治会",
    ),
    DemoResource(
        name="ひまわりサロン",
        kind="自宅開放型",
        area="北山自治会",
        categories=("ibasho", "hobbies_learning"),
        main_activities="お茶飲み、毎月の漢字の「宿題」、ときどき三世代交流サロンへ",
        schedule_text="月1回",
        venue="運営者の自宅（場所は公開しない）",
        target="近所の人",
        fee="無料",
        operator="個人（家族が手伝う）",
        publish_consent=False,
    ),
)

MEMBERS = (
    DemoMember("山本 美咲", Role.COORDINATOR, 2, "中央圏域"),
    DemoMember("石井 亮太", Role.COORDINATOR, 2, "北部圏域"),
    DemoMember("小川 健一", Role.COORDINATOR, 1),
    DemoMember("森田 直子", Role.OFFICER),
    DemoMember("高橋 誠", Role.ADMIN),
)

INVITES = (
    DemoInvite(Role.COORDINATOR, 2, "中央圏域"),
    DemoInvite(Role.COORDINATOR, 2, "北部圏域"),
    DemoInvite(Role.COORDINATOR, 1),
    DemoInvite(Role.OFFICER),
    DemoInvite(Role.ADMIN),
)


def load_demo(runtime: Runtime) -> str:
    """Create the demo municipality unless it exists; return a report with fresh invite codes."""
    now = runtime.clock.now()
    tz = runtime.settings.tz
    with session_scope(runtime.engine) as session:
        try:
            municipality_id = _municipality_id(session)
            lines = [f"{MUNICIPALITY}のデモデータはすでにあります（変更していません）。"]
        except NotFound:
            municipality_id, lines = _create(session, now, now.astimezone(tz).date())
        lines += _issue_invites(session, municipality_id, now, tz)
    return "\n".join(lines)


def _municipality_id(session: Session) -> int:
    municipality = get_municipality(session, name=MUNICIPALITY)
    assert municipality.id is not None
    return municipality.id


def _create(session: Session, now: datetime, today: date) -> tuple[int, list[str]]:
    """Create the municipality, its areas, members and resources; return its id and a report."""
    municipality = add_municipality(session, name=MUNICIPALITY, prefecture=PREFECTURE, now=now)
    assert municipality.id is not None
    area_ids = _create_areas(session, municipality.id)
    member_ids = _create_members(session, municipality.id, area_ids, now)
    resources = _create_resources(session, municipality.id, area_ids, member_ids, now, today)
    lines = [f"デモ自治体「{MUNICIPALITY}」（{PREFECTURE}・架空）を作成しました。", ""]
    lines += ["エリア（日常生活圏域 > 小学校区 > 自治会）:", *_area_tree()]
    lines += ["", f"地域資源 {len(resources)}件:", *resources]
    lines += ["", "メンバー（架空）:", *(_member_line(m) for m in MEMBERS)]
    return municipality.id, lines


def _create_areas(session: Session, municipality_id: int) -> dict[str, int]:
    ids: dict[str, int] = {}
    for area in AREAS:
        parent_id = ids[area.parent] if area.parent else None
        row = add_area(
            session,
            municipality_id=municipality_id,
            name=area.name,
            kind=area.kind.value,
            parent_id=parent_id,
        )
        assert row.id is not None
        ids[area.name] = row.id
    return ids


def _create_members(
    session: Session, municipality_id: int, area_ids: dict[str, int], now: datetime
) -> dict[str, int]:
    ids: dict[str, int] = {}
    for member in MEMBERS:
        row = add_member(
            session,
            municipality_id=municipality_id,
            name=member.name,
            role=member.role.value,
            layer=member.layer,
            area_ids=[area_ids[member.area]] if member.area else [],
            now=now,
        )
        assert row.id is not None
        if member.area:
            ids.setdefault(member.area, row.id)
    return ids


def _create_resources(
    session: Session,
    municipality_id: int,
    area_ids: dict[str, int],
    member_ids: dict[str, int],
    now: datetime,
    today: date,
) -> list[str]:
    """Add the demo resources, each recorded by the coordinator of its 日常生活圏域."""
    lines = []
    for resource in RESOURCES:
        row = add_resource(
            session,
            municipality_id=municipality_id,
            name=resource.name,
            kind=resource.kind,
            area_id=area_ids[resource.area],
            categories=list(resource.categories),
            main_activities=resource.main_activities,
            schedule_text=resource.schedule_text,
            venue=resource.venue,
            target=resource.target,
            fee=resource.fee,
            operator=resource.operator,
            publish_consent=resource.publish_consent,
            status_as_of=today,
            created_by=member_ids.get(_daily_life_area(resource.area)),
            now=now,
        )
        consent = "" if resource.publish_consent else "　※個人宅のため公開しない"
        lines.append(
            f"  #{row.number} {resource.name}（{resource.area}）{resource.schedule_text}{consent}"
        )
    return lines


def _daily_life_area(name: str) -> str:
    """Return the 日常生活圏域 an area belongs to."""
    parents = {area.name: area.parent for area in AREAS}
    while parents.get(name):
        name = parents[name] or name
    return name


def _area_tree() -> list[str]:
    depth: dict[str, int] = {}
    lines = []
    for area in AREAS:
        depth[area.name] = depth[area.parent] + 1 if area.parent else 0
        lines.append(f"{'  ' * (depth[area.name] + 1)}{area.name}（{area.kind.value}）")
    return lines


def _member_line(member: DemoMember) -> str:
    return f"  {member.name}　{_role_label(member.role, member.layer, member.area)}"


def _role_label(role: Role, layer: int | None, area: str | None) -> str:
    label = role.value
    if layer:
        label += f" 第{layer}層"
    if role is Role.COORDINATOR:
        label += f" ({area or '市全域'})"
    return label


def _issue_invites(
    session: Session, municipality_id: int, now: datetime, tz: ZoneInfo
) -> list[str]:
    """Issue one fresh invite per demo role and return the lines that show the codes."""
    area_ids = {a.name: a.id for a in list_areas(session, municipality_id=municipality_id)}
    lines, codes = [], []
    for spec in INVITES:
        area_id = area_ids.get(spec.area) if spec.area else None
        invite, code = add_invite(
            session,
            municipality_id=municipality_id,
            role=spec.role.value,
            layer=spec.layer,
            area_id=area_id,
            now=now,
        )
        label = _role_label(spec.role, spec.layer, spec.area if area_id else None)
        lines.append(f"  {label}: {code}")
        codes.append(code)
    expires = invite.expires_at.astimezone(tz)
    return [
        "",
        f"招待コード（1回限り・{expires:%Y-%m-%d %H:%M} まで有効）:",
        *lines,
        "",
        "試してみる / Try it:",
        "  tsunagi chat --user sato　　（venv を有効にしていなければ .venv/bin/tsunagi）",
        f"  > 登録 {codes[0]}",
        "  > 訪問",
        "  > つぶやき スーパーが遠くて買い物が大変",
        "  > 検索 買い物",
        "  > まとめ",
    ]
