"""User-facing texts for summaries (まとめ) and reports (Japanese, English)."""

TEXTS: dict[str, tuple[str, str]] = {
    "summary.usage": (
        "「まとめ」（今週）、「まとめ 先週」、「まとめ 今月」、「まとめ 2026-11」のように送ってください。"
        "エリアごとは「まとめ エリア 本町自治会 先週」、市町村全体は「まとめ 全体」です。",
        "Send “summary” (this week), “summary last-week”, “summary this-month” or “summary 2026-11”."
        " For one area: “summary area 本町自治会 last-week”; for the whole municipality: “summary all”.",
    ),
    "summary.unknown_area": (
        "「{name}」というエリアが見つかりません。例:「まとめ エリア {example}」",
        "There is no area called “{name}”. Example: “summary area {example}”.",
    ),
    "summary.scope.area": ("エリア {area}", "area {area}"),
    "summary.suppressed": ("3未満", "fewer than 3"),
    "summary.change": ("（前の期間 {before}）", " (previous period {before})"),
    "summary.title": ("まとめ {start}〜{end}／{scope}", "Summary {start} – {end} / {scope}"),
    "summary.scope.mine": ("あなたの記録", "your records"),
    "summary.scope.all": ("{municipality}全体", "all of {municipality}"),
    "summary.date": ("{date}（{weekday}）", "{weekday} {date}"),
    "summary.weekdays": ("月火水木金土日", "Mon Tue Wed Thu Fri Sat Sun"),
    "summary.hours": ("{h}時間", "{h} h"),
    "summary.count": ("{n}件", "{n}"),
    "summary.times": ("{n}回", "{n}"),
    "summary.item": ("{label} {n}", "{label} {n}"),
    "summary.item_hours": ("{label} {n}（{hours}）", "{label} {n} ({hours})"),
    "summary.activities": (
        "■活動 {n}・{hours}（訪問 {visit_hours}／訪問以外 {other_hours}）",
        "■Activities: {n}, {hours} (visits {visit_hours} / other work {other_hours})",
    ),
    "summary.untimed": ("  時間の記入がない活動 {n}", "  without a duration: {n}"),
    "summary.by_kubun": ("  活動区分: {items}", "  By activity category: {items}"),
    "summary.by_type": ("  種別: {items}", "  By type: {items}"),
    "summary.visits": (
        "■訪問 {n}（初回 {first}・2回目以降 {repeat}）",
        "■Visits: {n} (first visits {first}, repeat visits {repeat})",
    ),
    "summary.visits_by_purpose": ("  目的: {items}", "  By purpose: {items}"),
    "summary.visits_by_area": ("  エリア: {items}", "  By area: {items}"),
    "summary.murmurs": ("■つぶやき {n}{change}", "■Murmurs: {n}{change}"),
    "summary.murmurs_restricted": (
        "  うち限定 {n}（件数のみ。内容は表示しません）",
        "  of which restricted: {n} (counted only, never shown)",
    ),
    "summary.murmur_row": (
        "  {category} {n}（{kinds}）{change}",
        "  {category}: {n} ({kinds}){change}",
    ),
    "summary.resources": ("■新しい地域資源 {n}", "■New local resources: {n}"),
    "summary.resource_row": ("  #{number} {name}（{detail}）", "  #{number} {name} ({detail})"),
    "summary.leads": ("■次の訪問先（芋づる・未訪問）{n}", "■New leads to visit: {n}"),
    "summary.lead_row": ("  #{number} {label}（{area}）", "  #{number} {label} ({area})"),
    "summary.none": ("  なし", "  none"),
    "summary.more": (
        "  ほか {n}件（「検索」や「#番号」で見られます）",
        "  and {n} more (see them with search or #number)",
    ),
    "summary.no_area": ("エリアなし", "no area"),
    "summary.no_kubun": ("区分なし", "no category"),
    "summary.no_purpose": ("目的なし", "no purpose"),
    "summary.uncategorized": ("未分類", "uncategorised"),
    "summary.separator": ("、", ", "),
    "summary.by_area_head": ("■分野×地区（多い順）", "■By category × area (largest first)"),
    "summary.by_area_row": (
        "  {category}×{area} {n}（{kinds}）",
        "  {category} × {area}: {n} ({kinds})",
    ),
    "summary.gaps": (
        "■資源が見当たらない分野（つぶやきはあるが活動中の資源がない）{n}",
        "■Gaps (murmurs but no active resource): {n}",
    ),
    "summary.gap_row": (
        "  {category}×{area}（つぶやき {n}）",
        "  {category} × {area} (murmurs: {n})",
    ),
    "summary.connections": (
        "■つなぎ {n}（地域資源 {resource}・団体や企業 {organisation}・包括 {houkatsu}）",
        "■Connections: {n} (resources {resource}, organisations {organisation}, 包括 {houkatsu})",
    ),
    "summary.connection_numbers": ("  つなぎ {numbers}", "  connections {numbers}"),
    "summary.follow_ups": (
        "■フォローアップ 新規 {opened}・完了 {closed}・期限切れ {overdue}",
        "■Follow-ups: opened {opened}, closed {closed}, overdue {overdue}",
    ),
    "summary.overdue_numbers": ("  期限切れ: つなぎ {numbers}", "  overdue: connections {numbers}"),
    "summary.attendance": (
        "■SCの会議参加（会議記録から）",
        "■SC attendance (from meeting records)",
    ),
    "summary.attendance_row": (
        "  {kind} 開催 {held}・うちSC参加 {attended}",
        "  {kind}: held {held}, attended by an SC {attended}",
    ),
    "summary.upcoming": ("■これからの予定（{days}日間）", "■Meetings ahead (next {days} days)"),
    "summary.upcoming_row": (
        "  {when} #{number} {title}（{kind}）",
        "  {when} #{number} {title} ({kind})",
    ),
    "summary.upcoming_when": ("{month}/{day}（{weekday}）{time}", "{weekday} {month}/{day} {time}"),
    "summary.quiet": (
        "■{weeks}週間以上訪問のないエリア {n}（次に行く候補です）",
        "■Areas with no visit for {weeks} weeks or more: {n} (places to go next)",
    ),
    "summary.quiet_row": ("  {area}（最終訪問 {last}）", "  {area} (last visit {last})"),
    "summary.never_visited": ("記録なし", "none recorded"),
}
