"""What the property tests share: a second municipality full of marked records (みどり町, whose
texts must never reach あおば市), and hypothesis strategies — arbitrary JSON, platform-shaped
bodies whose fields may hold anything, and chat text close to tsunagi's own words."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from conftest import World
from hypothesis import strategies as st
from records_data import Records
from sqlmodel import select

from bot.texts import t
from storage.db import session_scope
from storage.meetings import add_series
from storage.models import Area, Resource

DAY = date(2026, 11, 20)
OURS, THEIRS = "あおば市", "みどり町"
MARK = "みどり印"  # in every text field of the other municipality's records
INTERNAL_ERROR = (t("error.internal", "ja"), t("error.internal", "en"))


def fill_theirs(world: World) -> list[str]:
    """Give みどり町 members and marked records of every kind; return forged postback values."""
    world.municipality(THEIRS)
    world.chat("midori-sc", THEIRS)
    records = Records(world.engine, world.clock, THEIRS)
    visit = records.visit("midori-sc", DAY, area="本町自治会", place=f"{MARK}の集会所")
    records.murmur("midori-sc", DAY, f"{MARK}の買い物が大変", categories=["ibasho"])
    records.murmur("midori-sc", DAY, f"{MARK}の限定の話", scope="restricted_individual")
    records.lead("midori-sc", f"{MARK}の候補", activity=visit)
    records.resource("midori-sc", f"{MARK}サロン", kind="サロン")
    with session_scope(world.engine) as s:
        series = add_series(
            s,
            municipality_id=records.municipality_id,
            kind="定例連絡会",
            title=f"{MARK}の定例会",
            rrule="FREQ=WEEKLY;BYDAY=TU",
            time_of_day=time(14, 0),
            starts_on=DAY,
            now=world.clock.now(),
        )
        town = records.municipality_id
        areas = list(s.exec(select(Area.id).where(Area.municipality_id == town)))
        resources = list(s.exec(select(Resource.id).where(Resource.municipality_id == town)))
        forged = [str(a) for a in areas] + [f"area:{a}" for a in areas]
        forged += [f"r{r}" for r in resources]
        forged += [f"rsvp:p{series.id}:2026-11-24:参加", f"rsvp:{series.number}:2026-11-24:参加"]
    return forged


WORDS = (
    "登録", "訪問", "活動", "つぶやき", "保存", "検索", "まとめ", "予定", "出欠", "修正", "削除",
    "共有", "傾向", "悩み", "ヒント", "事例", "相談記録", "連携", "続き", "会議記録", "資源",
    "ヘルプ", "戻る", "キャンセル", "はい", "いいえ", "1", "2", "99", "register", "search",
    "summary", "visit", "murmur", "help", "予定 追加", "予定 中止", "予定 変更", "予定 カレンダー",
)  # fmt: skip
FILTERS = ("期間:", "種類:", "カテゴリ:", "エリア:", "period:", "kind:", "area:", "category:")
ARGS = (
    "今週", "先週", "今月", "先月", "2026-11", "2026-W47", "2026-11-01..2026-11-15", "9999-99",
    "0000-00-00", "#1", "#2", "#0", "#-1", "#99999999999999999999", "＃１", "買い物", "サロン",
    "本町自治会", "北部圏域", "気になる人", "願い", "訪問", "限定", "エリア", "毎月第2火曜 14:00",
    "毎週月・水 10:00", "隔月 第5金曜", "2026-12-24 25:00", "rsvp:1:2026-11-24:参加",
    "rsvp:p1:2026-12-01:欠席", "rsvp:9:9999-99-99:x", "ABCD-EFGH", "'; DROP TABLE member; --",
    "<script>", "\u0000", "\u200b", "🙂", "ｱｲｳ", "١٢٣",
)  # fmt: skip

# Plain text of every kind, and words tsunagi knows followed by arguments it may or may not.
any_text = st.text(max_size=40)
chat_text = st.one_of(
    any_text,
    st.sampled_from(WORDS),
    st.builds(
        lambda w, f, a: f"{w} {f}{a}",
        st.sampled_from(WORDS),
        st.sampled_from(("", "", *FILTERS)),
        st.one_of(st.sampled_from(ARGS), any_text),
    ),
    st.builds(lambda n: f"#{n}", st.integers(min_value=-5, max_value=10**22)),
)

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def shaped(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A dict with any subset of `fields` (each mostly right-looking, else any JSON), or any JSON."""
    optional = {name: st.one_of(value, value, value, json_values) for name, value in fields.items()}
    right = st.fixed_dictionaries({}, optional=optional)
    return st.one_of(right, right, right, json_values)


ids = st.one_of(st.sampled_from(("U1", "Uattacker", "C1", "D1", "")), st.text(max_size=10))
line_events = shaped(
    type=st.sampled_from(("message", "postback", "follow", "unfollow", "messageEdited", "join")),
    mode=st.sampled_from(("active", "standby")),
    webhookEventId=st.text(max_size=12),
    replyToken=st.text(max_size=8),
    timestamp=st.integers(),
    deliveryContext=shaped(isRedelivery=st.booleans()),
    source=shaped(
        type=st.sampled_from(("user", "group", "room")), userId=ids, groupId=ids, roomId=ids
    ),
    message=shaped(
        type=st.sampled_from(("text", "image", "sticker", "location", "video", "file")),
        id=st.text(max_size=6),
        text=chat_text,
        title=st.text(max_size=8),
        address=st.text(max_size=8),
        latitude=st.floats(allow_nan=False),
    ),
    postback=shaped(
        data=st.one_of(chat_text, st.sampled_from(("tsunagi:more:2", "tsunagi:more:0"))),
        params=shaped(date=st.text(max_size=10), datetime=st.text(max_size=16)),
    ),
)
slack_bodies = st.one_of(
    shaped(
        type=st.just("event_callback"),
        event_id=st.text(max_size=10),
        authorizations=st.lists(shaped(user_id=ids, is_bot=st.booleans()), max_size=2),
        event=shaped(
            type=st.sampled_from(("message", "app_mention", "reaction_added")),
            channel_type=st.sampled_from(("im", "channel")),
            user=ids,
            channel=ids,
            text=chat_text,
            subtype=st.sampled_from(("message_changed", "bot_message")),
            bot_id=ids,
        ),
    ),
    shaped(
        command=st.just("/tsunagi"),
        text=chat_text,
        user_id=ids,
        channel_id=ids,
        trigger_id=st.text(max_size=6),
        response_url=st.sampled_from(("http://127.0.0.1:9/r", "javascript:x", "")),
    ),
    shaped(
        type=st.just("block_actions"),
        user=shaped(id=ids),
        channel=shaped(id=ids),
        container=shaped(channel_id=ids),
        trigger_id=st.text(max_size=6),
        actions=st.lists(
            shaped(action_id=st.sampled_from(("tsunagi_choice_0", "tsunagi_choice_1", "x")), value=chat_text),
            max_size=2,
        ),
    ),
    shaped(
        type=st.just("view_submission"),
        user=shaped(id=ids),
        trigger_id=st.text(max_size=6),
        view=shaped(
            callback_id=st.just("tsunagi_visit"),
            private_metadata=st.text(max_size=20),
            state=shaped(values=json_values),
        ),
    ),
)
