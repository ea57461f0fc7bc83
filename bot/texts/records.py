"""User-facing texts for records by number (#42, 修正, 削除) and search (Japanese, English)."""

TEXTS: dict[str, tuple[str, str]] = {
    # ── #42, 修正 #42, 削除 #42 ──
    "records.not_found": (
        "#{number} の記録は見つかりませんでした。番号をお確かめください。",
        "No record #{number} was found. Please check the number.",
    ),
    "records.edit.usage": (
        "「修正 #42」のように、直したい記録の番号を付けて送ってください。",
        "Send “edit #42” with the number of the record to change.",
    ),
    "records.delete.usage": (
        "「削除 #42」のように、消したい記録の番号を付けて送ってください。",
        "Send “delete #42” with the number of the record to delete.",
    ),
    "records.edit.not_own": (
        "#{number} はほかの人の記録のため修正できません。修正できるのは記録した本人だけです。",
        "#{number} was recorded by someone else. Only the person who recorded it can edit it.",
    ),
    "records.delete.not_own": (
        "#{number} はほかの人の記録のため削除できません。削除できるのは記録した本人と管理者だけです。",
        "#{number} was recorded by someone else. Only its author or an administrator can delete it.",
    ),
    "records.edit.unsupported": (
        "{title} はチャットからは修正できません。内容を変えたいときは管理者に相談してください。",
        "{title} cannot be edited in chat. Please ask an administrator.",
    ),
    "records.delete.resource": (
        "{title} は地域資源のため、チャットからは削除できません。活動の休止・廃止などは管理者に相談してください。",
        "{title} is a local resource and cannot be deleted in chat. Please ask an administrator.",
    ),
    "records.delete.confirm": (
        "{title} を削除しますか？削除すると元に戻せません。",
        "Delete {title}? This cannot be undone.",
    ),
    "records.delete.activity_note": (
        "この記録と一緒に記録したつぶやき・次の訪問先は残ります（結びつきだけが外れます）。",
        "The murmurs and leads recorded with it stay (only their link to it is removed).",
    ),
    "records.delete.done": ("{title} を削除しました。", "{title} deleted."),
    "records.delete.kept": (
        "削除を取りやめました。#{number} はそのままです。",
        "Not deleted. #{number} is unchanged.",
    ),
    "records.delete.answer": (
        "「はい」か「いいえ」で答えてください。",
        "Please answer yes or no.",
    ),
    "records.delete.help": (
        "記録を削除するかどうかの確認中です。「はい」で削除、「いいえ」で取りやめます。",
        "You are confirming a deletion: “yes” deletes the record, “no” keeps it.",
    ),
    "records.restricted_note": (
        "🔒 限定の記録です（記録した本人だけが見られます）。グループや他の人に転送しないでください。",
        "🔒 Restricted record (only its author can see it). Do not forward it to groups or others.",
    ),
    "records.title": ("{kind} #{number}", "{kind} #{number}"),
    "records.kind.activity": ("活動記録", "Activity"),
    "records.kind.visit": ("訪問記録", "Visit"),
    "records.kind.murmur": ("つぶやき", "Murmur"),
    "records.kind.lead": ("次の訪問先", "Lead"),
    "records.kind.resource": ("地域資源", "Resource"),
    "records.kind.sensitivenote": ("相談記録", "Consultation note"),
    "records.field.consent": ("同意", "Consent"),
    "records.field.content": ("内容", "Content"),
    "records.sensitive_hidden": (
        "チャットには表示しません（専用の画面でのみ扱います）",
        "never shown in chat (handled on the dedicated screen only)",
    ),
    "records.field.date": ("日付", "Date"),
    "records.field.type": ("活動種別", "Type"),
    "records.field.area": ("エリア", "Area"),
    "records.field.place": ("場所", "Place"),
    "records.field.purpose": ("目的", "Purpose"),
    "records.field.ordinal": ("訪問回数", "Visit no."),
    "records.field.duration": ("所要時間", "Duration"),
    "records.field.participants": ("参加者", "Participants"),
    "records.field.companions": ("同行者", "Accompanied by"),
    "records.field.counterpart": ("相手方", "Counterpart"),
    "records.field.treasures": ("宝物", "Treasures found"),
    "records.field.kubun": ("活動区分", "Activity category"),
    "records.field.outcome": ("成果", "Outcome"),
    "records.field.murmurs": ("つぶやき", "Murmurs"),
    "records.field.leads": ("次の訪問先", "Leads"),
    "records.field.recorder": ("記録者", "Recorded by"),
    "records.field.kind": ("種類", "Kind"),
    "records.field.categories": ("カテゴリ", "Categories"),
    "records.field.text": ("内容", "Text"),
    "records.field.status": ("状態", "Status"),
    "records.field.scope": ("共有範囲", "Shared with"),
    "records.field.activity": ("訪問・活動", "Visit / activity"),
    "records.field.name": ("名称", "Name"),
    "records.field.resource_kind": ("種類", "Kind"),
    "records.field.main_activities": ("主な活動", "Main activities"),
    "records.field.schedule": ("日時", "Schedule"),
    "records.field.venue": ("会場", "Venue"),
    "records.field.target": ("対象", "For whom"),
    "records.field.fee": ("参加費", "Fee"),
    "records.field.operator": ("運営", "Run by"),
    "records.field.created": ("登録日", "Registered on"),
    "records.minutes": ("{m}分", "{m} min"),
    "records.hours": ("{h}時間", "{h} h"),
    "records.hours_minutes": ("{h}時間{m}分", "{h} h {m} min"),
    "records.people": ("{n}人", "{n}"),
    "records.ordinal": ("{n}回目", "no. {n}"),
    "records.scope.team": ("チーム（市町村内）", "team (municipality)"),
    "records.scope.restricted_individual": ("🔒 限定（記録者のみ）", "🔒 restricted (author only)"),
    "records.scope.private": ("🔒 非公開（記録者のみ）", "🔒 private (author only)"),
    "records.scope.peer_anonymised": ("ピア共有（匿名化）", "peer groups (anonymised)"),
    "records.scope.public": ("公開", "public"),
    # ── 検索 / search ──
    "search.usage": (
        "「検索 買い物」のように探したい言葉を付けて送ってください。\n"
        "絞り込み: カテゴリ:買い物　エリア:中央圏域　期間:先週（今週・先月・今月・2026-11・2026-11-01..2026-11-15）　"
        "種類:願い（種類:訪問 で訪問記録だけ、種類:活動 で活動記録だけ）",
        "Send “search WORDS”, e.g. “search shopping”.\n"
        "Filters: category:shopping  area:AREA  period:last-week (this-week, last-month, this-month, "
        "2026-11, 2026-11-01..2026-11-15)  kind:願い (kind:visit for visits, kind:activity for activities)",
    ),
    "search.none": (
        "「{query}」に当てはまる記録はありませんでした。言葉を減らすか、期間を広げてみてください"
        "（例: 検索 買い物 期間:今月）。",
        "Nothing matched “{query}”. Try fewer words or a longer period (e.g. search 買い物 period:this-month).",
    ),
    "search.header": (
        "「{query}」の検索結果 {total}件（{first}〜{last}件目、新しい順）",
        "Results for “{query}”: {total} ({first}–{last}, newest first)",
    ),
    "search.more": (
        "「次へ」で続きを表示します。記録の詳細は「#番号」で見られます。",
        "“next” shows more. Send “#number” to see a record in full.",
    ),
    "search.detail": (
        "記録の詳細は「#番号」で見られます。",
        "Send “#number” to see a record in full.",
    ),
    "search.limit": (
        "表示できるのは最初の{n}件までです。言葉や期間で絞り込んでください。",
        "Only the first {n} results can be shown. Narrow the search with words or a period.",
    ),
    "search.next": ("次へ", "next"),
    "search.end": ("検索を終わる", "done"),
    "search.done": ("検索を終わりました。", "Search closed."),
    "search.help": (
        "検索結果を表示しています。「次へ」で続き、「戻る」で前のページ、「#番号」で記録の詳細、"
        "「キャンセル」で終了します。",
        "You are browsing search results: “next” for more, “back” for the previous page, "
        "“#number” for a record in full, “cancel” to stop.",
    ),
    "search.restricted_mark": ("🔒", "🔒"),
    "search.restricted_note": (
        "🔒 は限定のつぶやきです（あなただけが見られます）。",
        "🔒 marks restricted murmurs (only you can see them).",
    ),
    "search.bad_filter": (
        "「{name}:」という絞り込みはありません。使えるのは カテゴリ: エリア: 期間: 種類: です。",
        "There is no filter “{name}:”. Use category:, area:, period: or kind:.",
    ),
    "search.bad_category": (
        "カテゴリ「{value}」が見つかりません。例: {examples}",
        "No category “{value}”. For example: {examples}",
    ),
    "search.bad_area": (
        "エリア「{value}」が見つかりません。エリア: {areas}",
        "No area “{value}”. Areas: {areas}",
    ),
    "search.bad_period": (
        "期間「{value}」がわかりません。例: 今週 / 先週 / 今月 / 先月 / 2026-11 / 2026-11-01..2026-11-15",
        "Period “{value}” not understood. For example: this-week, last-week, this-month, last-month, "
        "2026-11, 2026-11-01..2026-11-15",
    ),
    "search.bad_kind": (
        "種類「{value}」がわかりません。使えるのは {kinds} / つぶやき / 訪問 / 活動 です。",
        "Kind “{value}” not understood. Use one of {kinds} / murmur / visit / activity.",
    ),
    "search.line": ("#{number} {date} {label} {text}", "#{number} {date} {label} {text}"),
}
