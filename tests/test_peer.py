"""Peer groups across municipalities: connect a chat, share masked, trends, worries, tips, cases.

Two municipalities (あおば市, さくら町) form the peer group 南部SC連絡会, connected to the Slack
channel C_PEER. A reply not marked restricted is posted to everyone in the channel, so the
tests look at what such replies say.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from records_data import Records
from sqlmodel import select

from bot.messages import Incoming, Reply
from storage.audit import list_audit
from storage.db import make_engine, migrate, session_scope
from storage.members import add_municipality, get_municipality
from storage.models import PeerNote, SharedCase
from storage.peer import add_peer_group

GROUP = "南部SC連絡会"
PEER_CHANNEL = "C_PEER"
TODAY = date(2026, 11, 23)  # the clock fixture's Monday
TODAY_UTC = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


class SlackUser:
    """A Slack user who registers in a DM and talks in channels."""

    def __init__(self, world, user_id: str, name: str) -> None:
        self.world, self.user_id, self.name = world, user_id, name
        self.replies: list[Reply] = []

    def dm(self, text: str) -> str:
        """Send a direct message; return the replies as plain text."""
        return self._send(text, f"D_{self.user_id}", is_group=False)

    def say(self, text: str, channel: str = PEER_CHANNEL) -> str:
        """Send a message in a channel; return what everyone there sees (unrestricted replies)."""
        self._send(text, channel, is_group=True)
        return public(self.replies)

    def _send(self, text: str, chat_id: str, *, is_group: bool) -> str:
        incoming = Incoming(
            channel="slack",
            chat_id=chat_id,
            user_id=self.user_id,
            text=text,
            display_name=self.name,
            is_group=is_group,
        )
        self.replies = self.world.bot.handle(incoming)
        return "\n".join(r.plain() for r in self.replies)

    @property
    def heard(self) -> str:
        """Return every reply to the last message, public or not."""
        return "\n".join(r.plain() for r in self.replies)

    @property
    def only_for_me(self) -> str:
        """Return the replies answered to this user alone (restricted: ephemeral in Slack)."""
        return "\n".join(r.plain() for r in self.replies if r.restricted)


def public(replies: list[Reply]) -> str:
    return "\n".join(r.plain() for r in replies if not r.restricted)


def join(world, user_id: str, name: str, municipality: str, role: str = "coordinator") -> SlackUser:
    user = SlackUser(world, user_id, name)
    assert "登録しました" in user.dm(f"登録 {world.invite(municipality, role=role)}")
    return user


def make_group(world, name: str, *municipalities: str) -> None:
    with session_scope(world.engine) as s:
        ids = [get_municipality(s, name=m).id for m in municipalities]
        add_peer_group(s, name=name, municipality_ids=[i for i in ids if i], now=world.clock.now())


@pytest.fixture
def peers(world):
    """The group of あおば市 and さくら町 connected to C_PEER by あおば市's admin."""
    world.municipality("さくら町")
    make_group(world, GROUP, "あおば市", "さくら町")
    admin = join(world, "U_ADMIN", "森", "あおば市", role="admin")
    assert GROUP in admin.say(f"グループ 接続 {GROUP}")
    return world


@pytest.fixture
def sato(peers) -> SlackUser:
    return join(peers, "U_SATO", "佐藤", "あおば市")


@pytest.fixture
def kato(peers) -> SlackUser:
    return join(peers, "U_KATO", "加藤", "さくら町")


@pytest.fixture
def aoba(peers, clock) -> Records:
    return Records(peers.engine, clock, "あおば市")


@pytest.fixture
def sakura(peers, clock) -> Records:
    return Records(peers.engine, clock, "さくら町")


def cases(world) -> list[SharedCase]:
    with session_scope(world.engine) as s:
        return list(s.exec(select(SharedCase)))


def audited(world, action: str) -> list:
    with session_scope(world.engine) as s:
        return [e for e in list_audit(s) if e.action == action]


# -- connecting a chat ------------------------------------------------------------------------


def test_an_admin_connects_a_chat_to_a_group_of_their_municipality(peers):
    admin = join(peers, "U_ADMIN2", "林", "さくら町", role="admin")
    reply = admin.say(f"グループ 接続 {GROUP}", channel="C_NEW")
    assert f"ピアグループ「{GROUP}」（あおば市、さくら町）につなぎました" in reply
    assert audited(peers, "peer.connect")
    coordinator = join(peers, "U_C", "近藤", "さくら町")
    assert "役割では使えません" in coordinator.dm(f"グループ 接続 {GROUP}")


def test_a_group_the_admins_municipality_is_not_in_cannot_be_connected(peers):
    peers.municipality("もみじ村")
    outsider = join(peers, "U_MOMIJI", "松本", "もみじ村", role="admin")
    outsider.say(f"グループ 接続 {GROUP}", channel="C_MOMIJI")
    assert "見つからないか、あなたの自治体が参加していません" in outsider.heard
    outsider.say("グループ 接続 ないグループ", channel="C_MOMIJI")
    assert "参加しているグループ: なし" in outsider.heard


def test_in_a_chat_not_connected_the_commands_explain_how_to_connect(peers, sato, aoba):
    number = aoba.murmur("佐藤", TODAY, "バスが少なくて病院に行きにくい")
    for command in (f"共有 #{number}", "傾向", "悩み 会議の進め方", "悩み一覧"):
        sato.say(command, channel="C_OTHER")
        assert sato.heard == (
            "このチャットはピアグループにつながっていません。"
            "管理者に「グループ 接続 グループ名」でつないでもらってください。"
        )
    admin = join(peers, "U_ADMIN3", "原", "あおば市", role="admin")
    admin.say("傾向", channel="C_OTHER")
    assert "このチャットで「グループ 接続 グループ名」と送って" in admin.heard
    assert cases(peers) == []


# -- sharing ----------------------------------------------------------------------------------


def test_sharing_posts_a_masked_copy_of_ones_own_murmur(peers, sato, aoba):
    number = aoba.murmur(
        "佐藤",
        TODAY,
        "本町の田中さんが、移動販売が来たら助かると言っていた。電話 086-123-4567",
        kind="願い",
        categories=["shopping", "mobility"],
        area="本町自治会",
    )
    posted = sato.say(f"共有 #{number}")
    assert "佐藤 さんが事例を共有しました" in posted
    assert "地域: あおば市・中央圏域" in posted  # 本町自治会 coarsened to its 日常生活圏域
    assert "種類: 願い" in posted
    assert "カテゴリ: 買い物、移動・外出（交通）" in posted
    assert "内容: [地区]のAさんが、移動販売が来たら助かると言っていた。電話 [電話番号]" in posted
    for secret in ("田中", "本町", "086", f"#{number}"):
        assert secret not in posted
    (case,) = cases(peers)
    assert (case.record_kind, case.record_number, case.area_label) == ("murmur", number, "中央圏域")
    assert audited(peers, "peer.share")[0].target == f"murmur:#{number}"


def test_sharing_a_visit_leaves_out_its_place_counterpart_and_companions(peers, sato, aoba):
    number = aoba.visit(
        "佐藤",
        TODAY,
        area="北山自治会",
        place="山本さん宅の縁側サロン",
        counterpart="山本和子",
        companions=["民生委員の岡田"],
        treasures="縁側サロンのお茶会に近所の8人が毎週集まる",
        outcome="来月も訪ねる",
    )
    aoba.murmur("佐藤", TODAY, "集まる場所がもっとほしい", categories=["ibasho"], activity=number)
    aoba.resource("佐藤", "縁側サロン")  # in a private home: no consent to publish its name
    posted = sato.say(f"share #{number}")
    assert "宝物: [場所]のお茶会に近所の8人が毎週集まる" in posted
    assert "成果: 来月も訪ねる" in posted
    assert "地域: あおば市・北部圏域" in posted
    assert "種類: 訪問" in posted
    assert (
        "カテゴリ: 居場所・つどい場・サロン" in posted
    )  # from the murmur heard there, not its text
    for secret in ("山本", "岡田", "北山", "縁側サロン", "集まる場所がもっとほしい"):
        assert secret not in posted


def test_sharing_again_updates_the_shared_copy(peers, sato, aoba):
    number = aoba.murmur("佐藤", TODAY, "バスが少ない", categories=["mobility"])
    sato.say(f"共有 #{number}")
    assert "共有済みの事例を更新しました" in sato.say(f"共有 #{number}")
    assert len(cases(peers)) == 1


@pytest.mark.parametrize(
    ("scope", "kind", "text", "reason"),
    [
        ("restricted_individual", "困りごと", "買い物に困っている", "限定"),
        ("private", "困りごと", "自分用のメモ", "非公開"),
        ("team", "気になる人", "雨戸が閉まったまま", "個別の支援の内容"),
        ("team", "困りごと", "向かいの一人暮らしの人が入院したらしい", "配慮が必要な内容"),
    ],
)
def test_records_that_must_stay_home_are_refused_with_a_reason(
    peers, sato, aoba, scope, kind, text, reason
):
    number = aoba.murmur("佐藤", TODAY, text, kind=kind, scope=scope)
    assert sato.say(f"共有 #{number}") == ""
    assert reason in sato.only_for_me
    assert cases(peers) == []
    assert audited(peers, "peer.share.refused")


def test_another_persons_or_municipalitys_record_is_simply_not_found(peers, sato, kato, aoba):
    suzuki = join(peers, "U_SUZUKI", "鈴木", "あおば市")
    own = aoba.murmur("佐藤", TODAY, "バスが少ない")
    theirs = aoba.murmur("鈴木", TODAY, "坂がきつい")
    lead = aoba.lead("佐藤", "公民館の体操")
    assert suzuki.say(f"共有 #{own}") == ""
    not_yours = suzuki.only_for_me
    kato.say(f"共有 #{theirs}")  # さくら町 has no #theirs of its own
    elsewhere = kato.only_for_me
    sato.say(f"共有 #{lead}")
    assert "#" in not_yours
    for reply, number in ((not_yours, own), (elsewhere, theirs), (sato.only_for_me, lead)):
        assert reply == f"#{number} は共有できる記録ではありません。" + not_yours.split("。", 1)[1]
    assert cases(peers) == []


def test_a_member_of_a_municipality_outside_the_group_cannot_use_its_chat(peers):
    peers.municipality("もみじ村")
    outsider = join(peers, "U_MOMIJI", "松本", "もみじ村")
    outsider.say("傾向")
    assert f"ピアグループ「{GROUP}」に参加していないため" in outsider.heard


# -- trends -----------------------------------------------------------------------------------


def test_trends_count_team_murmurs_of_four_weeks_with_small_counts_suppressed(
    peers, sato, aoba, sakura, kato
):
    for day in range(5):
        aoba.murmur("佐藤", TODAY - timedelta(days=day), "店が遠い", categories=["shopping"])
    aoba.murmur("佐藤", TODAY, "バスが少ない", categories=["mobility", "shopping"])
    for _ in range(4):  # restricted murmurs are not counted
        aoba.murmur("佐藤", TODAY, "限定", categories=["shopping"], scope="restricted_individual")
    for _ in range(3):  # older than 4 weeks
        aoba.murmur("佐藤", TODAY - timedelta(days=28), "古い", categories=["shopping"])
    for _ in range(2):
        sakura.murmur("加藤", TODAY - timedelta(days=27), "買い物", categories=["shopping"])
    for _ in range(3):
        sakura.murmur("加藤", TODAY, "バス", categories=["mobility"])
    peers.municipality("もみじ村")  # not in the group: its murmurs never count
    join(peers, "U_MOMIJI", "松本", "もみじ村")
    momiji = Records(peers.engine, peers.clock, "もみじ村")
    for _ in range(9):
        momiji.murmur("松本", TODAY, "店がない", categories=["shopping"])

    reply = kato.say("傾向")

    assert f"ピアグループ「{GROUP}」 2026-10-27〜2026-11-23" in reply
    assert "買い物: あおば市 5／さくら町 3未満／計 5以上" in reply
    assert "移動・外出（交通）: あおば市 3未満／さくら町 3／計 3以上" in reply
    assert "3未満の件数は伏せています" in reply
    assert "店が遠い" not in reply
    assert audited(peers, "peer.trends")


def test_trends_with_every_cell_shown_give_the_exact_total(peers, sato, kato, aoba, sakura):
    for _ in range(3):
        aoba.murmur("佐藤", TODAY, "a", categories=["meals"])
    for _ in range(4):
        sakura.murmur("加藤", TODAY, "b", categories=["meals"])
    assert "あおば市 3／さくら町 4／計 7" in sato.say("trends")


def test_trends_with_no_murmurs_say_so(peers, sato):
    assert "この4週間、グループの自治体で共有範囲のつぶやきはありません" in sato.say("傾向")


# -- worries and tips -------------------------------------------------------------------------


def test_worries_and_tips_are_masked_and_listed_for_the_next_meeting(peers, sato, kato):
    saved = sato.say("悩み 本町の鈴木さんに協議体への参加を頼んだが、なかなか返事がない")
    assert "悩みを受け付けました" in saved
    assert "「[地区]のAさんに協議体への参加を頼んだが、なかなか返事がない」" in saved
    assert "伏せました" in saved
    assert "ヒントを受け付けました" in kato.say("ヒント 住民アンケートは回覧板で配ると集まりやすい")

    listed = kato.say("悩み一覧")
    assert "悩み（1件）\n・あおば市: [地区]のAさんに" in listed
    assert "ヒント（1件）\n・さくら町: 住民アンケートは回覧板で" in listed
    assert "鈴木" not in listed
    with session_scope(peers.engine) as s:
        assert [n.kind for n in s.exec(select(PeerNote))] == ["悩み", "ヒント"]


def test_a_worry_about_a_persons_health_is_not_collected(peers, sato):
    assert sato.say("悩み 向かいの一人暮らしの人が認知症かもしれない") == ""
    assert "配慮が必要な内容は、ピアグループには書けません" in sato.only_for_me
    assert "まだありません" in sato.say("悩み一覧")


# -- the case library -------------------------------------------------------------------------


def test_cases_search_everything_shared_to_the_members_groups_newest_first(
    peers, sato, kato, aoba, sakura, clock
):
    bus = aoba.murmur("佐藤", TODAY, "移動販売の車が来てほしい", categories=["shopping"])
    sato.say(f"共有 #{bus}")
    clock.advance(minutes=5)
    salon = sakura.murmur("加藤", TODAY, "サロンの帰りに買い物できたら", categories=["ibasho"])
    kato.say(f"共有 #{salon}")
    aoba.murmur("佐藤", TODAY, "移動販売 まだ共有していない", categories=["shopping"])

    found = sato.say("事例 買い物")  # a word in one text, a category label of the other
    assert found.index("・さくら町〔困りごと／居場所・つどい場・サロン〕2026-11") < found.index(
        "・あおば市〔困りごと／買い物〕2026-11"
    )
    assert "共有事例 2件" in found
    assert "まだ共有していない" not in found
    assert "共有事例 1件" in kato.say("cases 移動販売 車")
    kato.say("事例 ない言葉")
    assert "「ない言葉」に合う共有事例はありません" in kato.only_for_me
    assert audited(peers, "peer.cases")


def test_cases_of_another_group_are_answered_to_the_asker_alone(peers, sato, kato, aoba):
    peers.municipality("もみじ村")
    make_group(peers, "北部勉強会", "あおば市", "もみじ村")
    admin = join(peers, "U_ADMIN4", "原", "あおば市", role="admin")
    admin.say("グループ 接続 北部勉強会", channel="C_NORTH")
    number = aoba.murmur("佐藤", TODAY, "ラジオ体操の輪が広がった", kind="宝物")
    sato.say(f"共有 #{number}", channel="C_NORTH")

    assert sato.say("事例 ラジオ体操") == ""  # in 南部SC連絡会's channel: for 佐藤 only
    assert "ラジオ体操の輪が広がった" in sato.only_for_me
    assert "ラジオ体操" in sato.say("事例 ラジオ体操", channel="C_NORTH")
    kato.say("事例 ラジオ体操")
    assert "合う共有事例はありません" in kato.only_for_me  # さくら町 is not in 北部勉強会
    sato.dm("事例 ラジオ体操")
    assert "ラジオ体操の輪が広がった" in sato.only_for_me  # a DM: the library, privately


# -- nothing else reaches a peer chat ---------------------------------------------------------

SECRETS = (
    "スーパーまで歩くのがしんどい",
    "縁側のお茶会",
    "裏山の畑",
    "坂の上の一人暮らし",
    "公民館の体操",
)


@pytest.fixture
def records_everywhere(peers, aoba, sakura, sato, kato) -> dict[str, int]:
    """Records of both municipalities whose text must never appear in the peer channel."""
    return {
        "murmur": aoba.murmur(
            "佐藤", TODAY, SECRETS[0], categories=["shopping"], area="本町自治会"
        ),
        "visit": aoba.visit("佐藤", TODAY, treasures=SECRETS[1], area="中央圏域"),
        "sakura": sakura.murmur("加藤", TODAY, SECRETS[2], categories=["ibasho"]),
        "restricted": aoba.murmur(
            "佐藤", TODAY, SECRETS[3], scope="restricted_individual", categories=["mobility"]
        ),
        "lead": aoba.lead("佐藤", SECRETS[4]),
    }


COMMANDS = [
    "検索 スーパー",
    "検索 お茶会",
    "#{murmur}",
    "#{visit}",
    "#{restricted}",
    "#{lead}",
    "まとめ",
    "まとめ 今週",
    "エリア 中央圏域",
    "資源 サロン",
    "修正 #{murmur}",
    "削除 #{visit}",
    "つなぎ",
    "事例",
    "傾向",
    "悩み一覧",
    "共有 #{restricted}",
    "共有 #{lead}",
    "ヘルプ",
]


@pytest.mark.parametrize("command", COMMANDS)
def test_nothing_but_what_was_shared_reaches_the_peer_chat(records_everywhere, sato, kato, command):
    text = command.format(**records_everywhere)
    seen = sato.say(text) + kato.say(text)
    seen += sato.say(f"検索 {SECRETS[2]}") if command.startswith("検索") else ""
    for secret in SECRETS:
        assert secret not in seen


def test_a_shared_record_appears_masked_and_nothing_beside_it(records_everywhere, sato, kato):
    posted = sato.say(f"共有 #{records_everywhere['murmur']}")
    assert SECRETS[0] in posted  # shared explicitly: its text, masked
    assert "本町" not in posted
    for secret in SECRETS[1:]:
        assert secret not in posted + kato.say("事例") + kato.say("傾向")


# -- the command line -------------------------------------------------------------------------


def tsunagi(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TSUNAGI_", "LINE_", "SLACK_"))}
    env.update(TSUNAGI_DATABASE_URL=f"sqlite:///{tmp_path / 't.db'}", PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        encoding="utf-8",
        timeout=120,
    )


def test_admin_add_peer_group_prints_the_group_and_refuses_unknown_municipalities(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 't.db'}")
    migrate(engine)
    with session_scope(engine) as s:
        for name in ("あおば市", "さくら町"):
            add_municipality(s, name=name, prefecture="岡山県", now=TODAY_UTC)
    engine.dispose()

    made = tsunagi(tmp_path, "admin", "add-peer-group", GROUP, "--municipality", "あおば市",
                   "--municipality", "さくら町")  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert f"peer group #1: {GROUP} (あおば市, さくら町)" in made.stdout
    assert f"グループ 接続 {GROUP}" in made.stdout

    unknown = tsunagi(tmp_path, "admin", "add-peer-group", "別の会", "--municipality", "あおば市",
                      "--municipality", "ない町")  # fmt: skip
    assert unknown.returncode == 1
    assert "municipality not found: ない町" in unknown.stderr
    again = tsunagi(tmp_path, "admin", "add-peer-group", GROUP, "--municipality", "あおば市",
                    "--municipality", "さくら町")  # fmt: skip
    assert again.returncode == 1 and "already exists" in again.stderr
    alone = tsunagi(tmp_path, "admin", "add-peer-group", "一人の会", "--municipality", "あおば市")
    assert alone.returncode == 1 and "at least two" in alone.stderr
