"""User-facing texts of resources (地域資源), matching, つなぎ, follow-ups and 課題 (Japanese, English)."""

_FIELDS = {
    "name": ("名称", "Name"),
    "kind": ("種類", "Kind"),
    "area": ("地区", "Area"),
    "categories": ("カテゴリ", "Categories"),
    "main_activities": ("主な活動", "Main activities"),
    "level": ("層", "Level"),
    "schedule_text": ("開催日時", "When"),
    "venue": ("場所", "Venue"),
    "target": ("対象", "Who for"),
    "fee": ("参加費", "Fee"),
    "participants": ("参加者数", "Participants"),
    "operator": ("運営主体", "Run by"),
    "contact": ("代表者・問合せ", "Contact"),
    "pr_point": ("PRポイント", "PR point"),
    "booking": ("予約", "Booking"),
    "legal_position": ("制度上の位置づけ", "Programme status"),
    "found_via": ("把握のきっかけ", "How found"),
    "publish_consent": ("掲載の同意", "Consent to publish"),
    "status": ("状態", "Status"),
}
_CHANGES = {
    "name": ("名称を直す", "Change the name"),
    "kind": ("種類を変える", "Change the kind"),
    "main_activities": ("主な活動を直す", "Change the activities"),
    "area": ("地区を変える", "Change the area"),
    "categories": ("カテゴリを変える", "Change the categories"),
    "schedule_text": ("開催日時を直す", "Change when"),
    "venue": ("場所を直す", "Change the venue"),
    "target": ("対象を直す", "Change who for"),
    "fee": ("参加費を直す", "Change the fee"),
    "operator": ("運営主体を直す", "Change who runs it"),
    "contact": ("問合せ先を直す", "Change the contact"),
    "publish_consent": ("掲載の同意を変える", "Change the publish consent"),
}

TEXTS: dict[str, tuple[str, str]] = {
    **{f"resources.field.{k}": v for k, v in _FIELDS.items()},
    **{f"resources.change.{k}": v for k, v in _CHANGES.items()},
    "resources.usage": (
        "地域資源の使い方:\n"
        "・資源 買い物　… ことば・カテゴリ・地区名で探す（例: 資源 サロン 中央圏域、資源 休止）\n"
        "・資源 #3　… 1件を詳しく見る\n"
        "・資源 登録　… 新しい資源を登録する（つぶやきから: 資源 登録 #12）\n"
        "・資源 #3 休止　… 状態を変える（活動中／休止／再開／廃止）",
        "Local resources:\n"
        "• resources shopping — search by words, category or area (e.g. resources salon 中央圏域)\n"
        "• resources #3 — show one\n"
        "• resources add — register a new one (from a murmur: resources add #12)\n"
        "• resources #3 休止 — change its status (活動中/休止/再開/廃止)",
    ),
    "resources.help": (
        "地域資源を登録しています。「なし」で飛ばせる質問もあります。「戻る」で前の質問へ、「キャンセル」で登録をやめます。",
        "You are registering a local resource. Some questions can be skipped with “none”. "
        "Send “back” for the previous question, “cancel” to stop.",
    ),
    "resources.ask.name": (
        "資源の名称を送ってください（例: ふれあいサロン「きらり」）。",
        "Send the resource's name (e.g. Salon Kirari).",
    ),
    "resources.ask.kind": (
        "どんな種類の資源ですか？（番号で選ぶか、ことばで送ってください）",
        "What kind of resource is it? (pick a number or type it)",
    ),
    "resources.ask.main_activities": (
        "主な活動を送ってください（例: 体操・茶話会）。なければ「なし」。",
        "What happens there? (e.g. exercises, tea and chat). Or “none”.",
    ),
    "resources.ask.area": ("どの地区の資源ですか？", "Which area is it in?"),
    "resources.ask.categories": (
        "どんな困りごと・願いに応える資源ですか？カテゴリを選んでください（「買い物、見守り・安否確認」のように続けて送ることもできます）。",
        "Which needs does it answer? Pick a category (or type several labels separated by commas).",
    ),
    "resources.ask.categories_all": ("カテゴリを選んでください。", "Pick a category."),
    "resources.categories_keep": ("おすすめのまま（{labels}）", "As suggested ({labels})"),
    "resources.ask.schedule_text": (
        "開催日時を送ってください（例: 毎週水曜 13:00〜16:00、第2・第4金曜、随時）。なければ「なし」。",
        "When does it take place? (e.g. every Wednesday 13:00–16:00). Or “none”.",
    ),
    "resources.ask.venue": (
        "場所を送ってください（例: 茶屋町公民館）。個人宅なら「個人宅」とだけ。なければ「なし」。",
        "Where? (e.g. the community hall; for a private home just “個人宅”). Or “none”.",
    ),
    "resources.ask.target": (
        "対象を送ってください（例: どなたでも、高齢者、子ども）。なければ「なし」。",
        "Who is it for? (e.g. anyone, older people, children). Or “none”.",
    ),
    "resources.ask.fee": (
        "参加費を送ってください（例: 1回100円、無料）。なければ「なし」。",
        "The fee (e.g. ¥100 a session, free). Or “none”.",
    ),
    "resources.ask.operator": (
        "運営主体を送ってください（例: 住民団体、社協、NPO）。なければ「なし」。",
        "Who runs it? (e.g. residents' group, 社協, NPO). Or “none”.",
    ),
    "resources.ask.contact": (
        "代表者・問合せ先を送ってください（例: 代表 山田 090-0000-0000）。なければ「なし」。",
        "The representative or contact (e.g. Yamada 090-0000-0000). Or “none”.",
    ),
    "resources.ask.contact_consent": (
        "この問合せ先を、ほかの人に見せる同意をもらっていますか？（同意がなければ表示しません）",
        "Has the contact agreed to be shown to others? (Without consent it is never shown.)",
    ),
    "resources.contact_consent.yes": ("同意あり（表示してよい）", "Yes, it may be shown"),
    "resources.contact_consent.no": ("同意なし（表示しない）", "No, keep it hidden"),
    "resources.ask.publish_consent": (
        "ガイドブックやマップへの掲載を希望していますか？",
        "Does the group want to be listed in guidebooks and maps?",
    ),
    "resources.publish_consent.yes": ("掲載してよい", "Yes, list it"),
    "resources.publish_consent.no": ("掲載しない", "No, do not list it"),
    "resources.ask.confirm": (
        "この内容で登録しますか？直したいところがあれば選んでください。",
        "Save this resource? Or pick what to change.",
    ),
    "resources.confirm.save": ("保存", "Save"),
    "resources.card.title": ("地域資源", "Local resource"),
    "resources.contact.consent_yes": ("（表示の同意あり）", " (may be shown)"),
    "resources.contact.consent_no": ("（同意なし・表示しない）", " (no consent: hidden)"),
    "resources.contact.hidden": ("登録あり（表示の同意なし）", "on file (no consent to show it)"),
    "resources.invalid.name": (
        "名称を200文字以内で送ってください（例: ふれあいサロン「きらり」）。",
        "Send a name of at most 200 characters (e.g. Salon Kirari).",
    ),
    "resources.invalid.kind": (
        "種類を番号で選ぶか、ことばで送ってください（例: サロン）。",
        "Pick a kind by its number or type it (e.g. salon).",
    ),
    "resources.invalid.area": (
        "地区を番号で選ぶか、地区名をそのまま送ってください（例: 本町自治会）。",
        "Pick an area by its number or send its exact name.",
    ),
    "resources.invalid.categories": (
        "カテゴリがわかりませんでした。番号で選ぶか、「買い物、見守り・安否確認」のように一覧の名前で送ってください。",
        "Unknown category. Pick a number, or type labels from the list separated by commas.",
    ),
    "resources.invalid.too_long": (
        "{n}文字以内で送ってください。",
        "Please keep it to {n} characters.",
    ),
    "resources.invalid.yes_no": ("番号で選んでください（1 または 2）。", "Please pick 1 or 2."),
    "resources.invalid.confirm": (
        "「保存」か、直したい項目を番号で選んでください。",
        "Pick “Save” or the field to change, by its number.",
    ),
    "resources.duplicate": (
        "同じ地区に同じ名称の資源 #{number}（{name}）がすでにあります。名称を直すか、「資源 #{number}」で確かめてください。",
        "Resource #{number} ({name}) already has this name in this area. Change the name, or look at “resources #{number}”.",
    ),
    "resources.saved": ("資源 #{number}（{name}）を登録しました。", "Saved resource #{number} ({name})."),
    "resources.saved_from_murmur": (
        "つぶやき #{murmur} を「資源化」にし、つなぎ #{connection} として記録しました。",
        "Murmur #{murmur} is now “資源化” (became a resource), recorded as connection #{connection}.",
    ),
    "resources.from_murmur.start": (
        "つぶやき #{number} から資源を登録します（保存するとつぶやきは「資源化」になります）。",
        "Registering a resource from murmur #{number} (saving marks the murmur “資源化”).",
    ),
    "resources.from_murmur.not_found": (
        "つぶやき「{text}」が見つかりません。「資源 登録 #12」のように、つぶやきの番号を送ってください。",
        "No murmur “{text}”. Send its number, e.g. “resources add #12”.",
    ),
    "resources.title": ("資源 #{number} {name}", "Resource #{number} {name}"),
    "resources.not_found": (
        "資源 #{number} は見つかりません。「資源 ことば」で探せます（例: 資源 サロン）。",
        "No resource #{number}. Search with “resources WORDS” (e.g. resources salon).",
    ),
    "resources.as_of": ("（{date}現在）", " (as of {date})"),
    "resources.status.usage": (
        "「{status}」は状態として使えません。活動中／休止／再開／廃止 のどれかを送ってください（例: 資源 #{number} 休止）。",
        "“{status}” is not a status. Use 活動中, 休止, 再開 or 廃止 (e.g. resources #{number} 休止).",
    ),
    "resources.status.same": (
        "資源 #{number} はすでに「{status}」です。",
        "Resource #{number} is already “{status}”.",
    ),
    "resources.status.done": (
        "資源 #{number}（{name}）を「{status}」にしました（{date}現在）。",
        "Resource #{number} ({name}) is now “{status}” (as of {date}).",
    ),
    "resources.line": ("・資源 #{number} {name}{tags}{schedule}", "• resource #{number} {name}{tags}{schedule}"),
    "resources.search.title": ("地域資源 {n}件:", "{n} local resources:"),
    "resources.search.more": (
        "ほか{n}件。ことばを足して絞り込めます（例: 資源 サロン 本町自治会）。",
        "{n} more. Add words to narrow it (e.g. resources salon 本町自治会).",
    ),
    "resources.search.hint": ("詳しくは「資源 #番号」。", "For details send “resources #number”."),
    "resources.search.none": (
        "「{words}」に合う地域資源はありません。別のことば・カテゴリ・地区名で探してください（例: 資源 買い物）。",
        "No resources match “{words}”. Try other words, a category or an area (e.g. resources shopping).",
    ),
    "resources.match.title": ("近くで使えそうな地域資源:", "Local resources that may help:"),
    "resources.match.offer": (
        "つなぐときは「つなぎ #{number}」と送ってください（資源・団体・包括へ）。",
        "To connect it, send “connect #{number}” (to a resource, an organisation or the 包括).",
    ),
    "resources.match.register": (
        "地域の宝物ですね。資源として登録するときは「資源 登録 #{number}」と送ってください。",
        "A local treasure. To register it as a resource, send “resources add #{number}”.",
    ),
    "resources.match.for": ("つぶやき #{number}:", "Murmur #{number}:"),
    "records.field.connections": ("つなぎ", "Connections"),
    "connections.help": (
        "つぶやきを資源・団体・地域包括支援センターにつないだことを記録しています。「戻る」で前の質問へ、「キャンセル」でやめます。",
        "You are recording a connection of a murmur. Send “back” for the previous question, “cancel” to stop.",
    ),
    "connections.no_last": (
        "つなぐつぶやきがまだありません。先に「つぶやき 内容」で記録するか、「つなぎ #12」のように番号を送ってください。",
        "No murmur to connect yet. Record one with “murmur TEXT”, or send “connect #12”.",
    ),
    "connections.no_murmur": (
        "つぶやき「{text}」が見つかりません。「つなぎ #12」のように、見られるつぶやきの番号を送ってください。",
        "No murmur “{text}”. Send the number of a murmur you can see, e.g. “connect #12”.",
    ),
    "connections.ask.target": (
        "つぶやき #{number} をどこにつなぎますか？",
        "Where do you connect murmur #{number}?",
    ),
    "connections.choice.resource_n": ("資源 #{number} {name}", "Resource #{number} {name}"),
    "connections.choice.resource": ("ほかの地域資源（番号で）", "Another resource (by number)"),
    "connections.choice.organisation": ("団体・機関", "An organisation"),
    "connections.choice.houkatsu": ("地域包括支援センターへ引継ぎ", "Refer to the 包括"),
    "connections.invalid.target": (
        "番号で選んでください。資源の番号（例: #3）をそのまま送ることもできます。",
        "Pick one by its number, or send a resource number such as #3.",
    ),
    "connections.ask.resource": (
        "つなぐ資源の番号を送ってください（例: #3）。番号は「資源 ことば」で探せます。",
        "Send the resource's number (e.g. #3). Find numbers with “resources WORDS”.",
    ),
    "connections.invalid.resource": (
        "資源「{text}」が見つかりません。#3 のように資源の番号を送ってください。",
        "No resource “{text}”. Send a resource number such as #3.",
    ),
    "connections.invalid.closed": (
        "資源 #{number} は廃止されています。ほかの資源の番号を送ってください。",
        "Resource #{number} is closed. Send another resource number.",
    ),
    "connections.ask.organisation": (
        "つないだ団体・機関の名前を送ってください（例: シルバー人材センター）。個人名は書かないでください。",
        "Send the organisation's name (e.g. シルバー人材センター). No personal names, please.",
    ),
    "connections.invalid.organisation": (
        "団体・機関の名前を100文字以内で送ってください（例: シルバー人材センター）。",
        "Send the organisation's name in at most 100 characters.",
    ),
    "connections.ask.follow": (
        "あとで様子を確かめる日（フォロー）を決めますか？日付でも送れます（例: 12/1、+7、2週間後）。",
        "Set a follow-up date? You can also type one (e.g. 12/1, +7, 2週間後).",
    ),
    "connections.follow.week": ("1週間後", "In a week"),
    "connections.follow.two_weeks": ("2週間後", "In two weeks"),
    "connections.follow.month": ("1か月後", "In a month"),
    "connections.invalid.follow": (
        "「{text}」を今日以降の日付として読めませんでした。12/1、2026-12-01、+7、2週間後、1か月後 のように送るか、「なし」を選んでください。",
        "Could not read “{text}” as a date from today on. Send e.g. 12/1, 2026-12-01, +7, 2週間後, or pick “none”.",
    ),
    "connections.saved": (
        "つなぎ #{number} を記録しました（つぶやき #{murmur} → {target}）。つぶやきの状態: {status}",
        "Saved connection #{number} (murmur #{murmur} → {target}). Murmur status: {status}",
    ),
    "connections.follow_set": (
        "フォロー: {date}（当日の朝にお知らせします。「フォロー」で一覧）",
        "Follow-up: {date} (you will be reminded that morning; “follow” lists them)",
    ),
    "connections.target.houkatsu": ("地域包括支援センター（引継ぎ）", "地域包括支援センター (referral)"),
    "connections.target.resource": ("資源 #{number} {name}", "resource #{number} {name}"),
    "connections.target.resource_gone": ("（資源なし）", "(resource gone)"),
    "connections.follow_due": ("（フォロー {date}）", " (follow-up {date})"),
    "connections.follow_done": ("（フォロー {date} 完了）", " (follow-up {date} done)"),
    "connections.title": ("つなぎ #{number}", "Connection #{number}"),
    "connections.field.date": ("日付", "Date"),
    "connections.field.murmur": ("つぶやき", "Murmur"),
    "connections.field.target": ("つなぎ先", "Connected to"),
    "connections.field.follow": ("フォロー", "Follow-up"),
    "connections.follow_state.open": ("未完了", "open"),
    "connections.follow_state.done": ("完了", "done"),
    "connections.follow.title": ("あなたのフォロー {n}件:", "Your {n} open follow-ups:"),
    "connections.follow.item": (
        "・{date}{overdue} つなぎ #{number}（つぶやき {murmur} → {target}）",
        "• {date}{overdue} connection #{number} (murmur {murmur} → {target})",
    ),
    "connections.overdue": ("（期限切れ）", " (overdue)"),
    "connections.follow.hint": (
        "様子を確かめたら「フォロー 完了 #番号」と送ってください。",
        "Once checked, send “follow done #number”.",
    ),
    "connections.follow.none": ("未完了のフォローはありません。", "You have no open follow-ups."),
    "connections.follow.usage": (
        "「フォロー」で一覧、「フォロー 完了 #15」でつなぎ #15 のフォローを完了にします。",
        "“follow” lists them; “follow done #15” closes the follow-up of connection #15.",
    ),
    "connections.follow.not_found": (
        "つなぎ #{number} に、あなたのフォローはありません。「フォロー」で一覧を見られます。",
        "Connection #{number} has no follow-up of yours. “follow” lists them.",
    ),
    "connections.follow.already": (
        "つなぎ #{number} のフォローはすでに完了しています。",
        "The follow-up of connection #{number} is already done.",
    ),
    "connections.follow.closed": (
        "つなぎ #{number} のフォローを完了にしました。",
        "Closed the follow-up of connection #{number}.",
    ),
    "connections.reminder.title": (
        "今日確かめるフォローが {n}件あります:",
        "{n} follow-ups are due today:",
    ),
    "connections.status.usage": (
        "「状態 #12 検討中」のように、つぶやきの番号と状態を送ってください。状態: {statuses}",
        "Send a murmur number and a status, e.g. “status #12 検討中”. Statuses: {statuses}",
    ),
    "connections.status.done": (
        "つぶやき #{number} の状態を「{status}」にしました。",
        "Murmur #{number} is now “{status}”.",
    ),
    "issues.title": (
        "{area}の課題（{since}以降のつぶやき {n}件から。件数は限定共有を含みます）:",
        "Issues in {area} (from {n} murmurs since {since}, restricted ones counted):",
    ),
    "issues.item": (
        "{i}. {category} {n}件（{kinds}）\n　→ 応える活動の例: {activity}",
        "{i}. {category}: {n} ({kinds})\n   → an activity that would answer it: {activity}",
    ),
    "issues.rest": ("ほかの分野 {n}件", "{n} in other categories"),
    "issues.all_areas": ("市全体", "the whole municipality"),
    "issues.none": (
        "{area}では、この1年のつぶやきがまだありません。",
        "No murmurs in {area} in the last 12 months.",
    ),
    "issues.unknown_area": (
        "地区「{text}」が見つかりません。地区名をそのまま送ってください（例: 課題 中央圏域）。地区: {names}",
        "No area “{text}”. Send an exact area name (e.g. issues 中央圏域). Areas: {names}",
    ),
}
