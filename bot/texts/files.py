"""User-facing texts for charts, exports and the area sheet (Japanese, English)."""

TEXTS: dict[str, tuple[str, str]] = {
    "files.link": (
        "📎 {name}\n{url}\n（このリンクは期限つきです。ほかの人に転送しないでください）",
        "📎 {name}\n{url}\n(This link expires. Please do not forward it.)",
    ),
    "files.no_public_url": (
        "ファイルを送るには、運用担当者が TSUNAGI_PUBLIC_URL（https で始まる公開URL）を設定する必要があります。"
        "設定されるまでは、運用担当者に「tsunagi summary」「tsunagi export」で作ってもらってください。",
        "To send files here, the operator must set TSUNAGI_PUBLIC_URL (the bot's public https URL)."
        " Until then, ask the operator to make them with “tsunagi summary” or “tsunagi export”.",
    ),
    "files.group_only": (
        "グラフやエクセルは個別のトークでお送りします。ボットとの1対1のトークで送ってください。",
        "Charts and workbooks are sent in a private chat only: ask the bot 1:1.",
    ),
    "files.usage": (
        "「まとめ グラフ」（直近12週のグラフ）、「まとめ エクセル」（今月の記録）、「まとめ csv」のように送ってください。"
        "期間もつけられます。例:「まとめ エクセル 2026-11」「まとめ csv 先週」",
        "Send “summary chart” (the last 12 weeks), “summary excel” (this month's records) or"
        " “summary csv”, optionally with a period, e.g. “summary excel 2026-11”, “summary csv last-week”.",
    ),
    "files.charts": (
        "グラフ（{scope}、{start}〜{end}）です。①つぶやきの分類（12週） ②分類×地区 ③活動（12週）",
        "Charts ({scope}, {start} – {end}): 1 murmur categories (12 weeks), 2 category × area,"
        " 3 activity (12 weeks).",
    ),
    "files.workbook": (
        "エクセル（{scope}、{start}〜{end}）です。シート: 訪問・活動・つぶやき・地域資源・つなぎ・次の訪問先・分類×地区。"
        "限定のつぶやきの本文は「（限定）」になっています。",
        "Workbook ({scope}, {start} – {end}). Sheets: visits, activities, murmurs, resources,"
        " connections, leads, category × area. Restricted murmurs' text reads 「（限定）」.",
    ),
    "files.csv": (
        "CSV（{scope}、{start}〜{end}）です。訪問・活動・つぶやきを番号順に1表にしました（UTF-8、Excel で開けます）。",
        "CSV ({scope}, {start} – {end}): visits, activities and murmurs in one table by number"
        " (UTF-8, opens in Excel).",
    ),
    "area.usage": (
        "「エリア 地区名」のように送ってください。例:「エリア {example}」\nエクセルで受け取るには「エリア {example} エクセル」。",
        "Send “area NAME”, e.g. “area {example}”. For a workbook: “area {example} excel”.",
    ),
    "area.unknown": (
        "「{name}」というエリアが見つかりません。登録されているエリア: {areas}",
        "There is no area called “{name}”. Areas: {areas}",
    ),
    "area.title": (
        "【{area}のわがまちシート】（{today}時点）",
        "【Area sheet: {area}】 (as of {today})",
    ),
    "area.resources": ("■地域資源 {n}件", "■Resources: {n}"),
    "area.resource_row": ("・#{number} {name}（{detail}）", "- #{number} {name} ({detail})"),
    "area.murmurs": ("■つぶやき {n}件（分類別）", "■Murmurs: {n} (by category)"),
    "area.murmur_row": ("・{category} {n}（{kinds}）", "- {category} {n} ({kinds})"),
    "area.restricted": (
        "（うち限定 {n}件は本文を表示しません）",
        "({n} restricted, text not shown)",
    ),
    "area.good": ("■ええとこ（宝物・願い・担い手）", "■Good points (treasures, wishes, helpers)"),
    "area.worries": ("■困りごと", "■Worries"),
    "area.quote": ("・#{number} {text}", "- #{number} {text}"),
    "area.visits": (
        "■訪問 {n}回（直近 {last}）",
        "■Visits: {n} (latest {last})",
    ),
    "area.visit_row": ("・#{number} {date} {place}", "- #{number} {date} {place}"),
    "area.connections": (
        "■つなぎ {n}件／未完了のフォローアップ {open}件",
        "■Connections: {n} / open follow-ups: {open}",
    ),
    "area.follow_up_row": (
        "・つなぎ #{number} → {target}（期日 {due}）",
        "- connection #{number} → {target} (due {due})",
    ),
    "area.none": ("・なし", "- none"),
    "area.more": ("・ほか {n}件", "- {n} more"),
    "area.never": ("なし", "none"),
    "area.workbook": (
        "{area}のわがまちシートをエクセルにしました。",
        "The area sheet of {area} as a workbook.",
    ),
}
