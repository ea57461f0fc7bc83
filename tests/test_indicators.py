"""まとめ 指標: each 交付金 indicator with the records of the fiscal year that support it."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from records_data import Records

from storage.db import session_scope
from storage.meetings import add_series
from storage.members import get_municipality, next_record_number
from storage.minutes import add_record
from storage.models import Connection

TOKYO = ZoneInfo("Asia/Tokyo")


def test_indicators_count_and_number_the_records_of_the_fiscal_year(world, clock):
    sato = world.chat("sato", "あおば市")
    r = Records(world.engine, clock, "あおば市")
    a1 = r.activity("sato", date(2026, 5, 1), type="会議・集まり参加", kubun="資源開発")
    r.activity("sato", date(2026, 3, 31), kubun="資源開発")  # the previous fiscal year
    r.activity("sato", date(2026, 6, 1), kubun="マッチング")  # not 把握 or 資源開発
    m1 = r.murmur("sato", date(2026, 7, 1), "認知症カフェがほしい", categories=("dementia",))
    m2 = r.murmur("sato", date(2026, 7, 2), "家族の介護", scope="restricted_individual")
    res = r.resource("sato", "オレンジカフェ", categories=("dementia",), created=datetime(2026, 8, 1, tzinfo=TOKYO))
    kato = r.member_id("sato")
    with session_scope(world.engine) as s:
        m = get_municipality(s, name="あおば市").id
        care = add_series(s, municipality_id=m, kind="地域ケア会議", title="ケア会議", rrule="FREQ=MONTHLY;BYDAY=1WE", time_of_day=time(13), starts_on=date(2026, 4, 1), now=clock.now())
        records = [
            add_record(s, municipality_id=m, series_id=care.id, occurrence=date(2026, month, 3), recorded_by=kato, now=clock.now(), ordinal=i, attendees_total=6, attendees_present=5, agenda="個別事例", sc_attended=i != 2, issues_raised="移動手段" if i == 1 else None).number
            for i, month in enumerate((6, 7, 8, 9), start=1)
        ]
        connection = Connection(municipality_id=m, number=next_record_number(s, municipality_id=m), target_kind="organisation", organisation="みどりスーパー", created_by=kato, created_at=clock.now())
        s.add(connection)
        s.flush()
        c1 = connection.number

    reply = sato.send("まとめ 指標 令和8年度")
    assert "令和8年度＝2026年度 2026-04-01〜2027-03-31／あおば市" in reply
    assert f"把握・資源開発の活動 1件: #{a1}\n" in reply
    assert f"把握したつぶやき（限定のものは番号を出しません） 2件: #{m1}\n" in reply and f"#{m2}" not in reply
    assert f"会議記録での課題提起 1件: #{records[0]}" in reply
    assert f"新たに登録した地域資源 1件: #{res}" in reply
    assert f"認知症の分野の地域資源（新規） 1件: #{res}" in reply
    assert f"団体・企業などへのつなぎ 1件: #{c1}" in reply
    assert f"地域ケア会議（会議記録） 4回: #{records[0]} #{records[1]} #{records[2]} #{records[3]}" in reply
    assert "うちSCが参加 3回" in reply and "参加割合 75%" in reply
    assert "第2層SC 1人" in reply
    assert sato.send("まとめ 指標 2026") == reply
    assert "令和7年度" in sato.send("まとめ 指標 2025年度")
    assert "「まとめ 指標 令和8年度」" in sato.send("まとめ 指標 そのうち")
    assert "令和8年度" in sato.send("まとめ 指標")  # 2026-11-23 is in 令和8年度
