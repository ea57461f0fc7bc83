"""User-facing texts for visits (訪問) and other activities (活動) (Japanese, English)."""

_PURPOSES = {
    "宝物さがし": "Treasure hunt (finding local resources)",
    "あいさつ": "Courtesy visit",
    "同行訪問": "Accompanied visit",
    "立ち上げ支援": "Start-up support",
    "取材": "Interview (guidebook, newsletter)",
    "会議・集まり参加": "Meeting or gathering",
    "住民説明会": "Residents' briefing",
    "個別訪問・相談": "Individual visit or consultation",
    "その他": "Other",
}
_COMPANIONS = {
    "社協地区担当": "Shakyo district worker",
    "自治会長": "Neighbourhood association head",
    "民生委員": "Welfare commissioner",
    "包括職員": "Community general support centre staff",
    "市町村職員": "Municipal staff",
    "協議体メンバー": "Council (協議体) member",
    "他のSC": "Another coordinator",
}
_KUBUN = {
    "把握": "Assessment",
    "資源開発": "Resource development",
    "ネットワーク構築": "Networking",
    "マッチング": "Matching",
    "協議体運営": "Running the council",
}
_TYPES = {
    "訪問": "Visit",
    "会議・集まり参加": "Meeting or gathering",
    "電話・調査": "Phone calls, survey",
    "来所相談": "Walk-in consultation",
    "研修": "Training",
    "事務": "Desk work",
}

TEXTS: dict[str, tuple[str, str]] = {
    **{f"visit.purpose.{ja}": (ja, en) for ja, en in _PURPOSES.items()},
    **{f"visit.companion.{ja}": (ja, en) for ja, en in _COMPANIONS.items()},
    **{f"activity.kubun.{ja}": (ja, en) for ja, en in _KUBUN.items()},
    **{f"activity.type.{ja}": (ja, en) for ja, en in _TYPES.items()},
    # Shared by every activity record
    "activity.today": ("今日", "Today"),
    "activity.yesterday": ("昨日", "Yesterday"),
    "activity.weekdays": ("月 火 水 木 金 土 日", "Mon Tue Wed Thu Fri Sat Sun"),
    "activity.date": ("{y}年{m}月{d}日（{w}）", "{w} {y}/{m}/{d}"),
    "activity.list_separator": ("、", ", "),
    "activity.suggested": ("{label}（おすすめ）", "{label} (suggested)"),
    "activity.kubun_with_functions": ("{kubun}（{functions}）", "{kubun} ({functions})"),
    "activity.bad_number": (
        "その番号の選択肢はありません。1〜{n}の番号で選んでください。",
        "There is no choice with that number. Pick a number from 1 to {n}.",
    ),
    "activity.bad_number_one": (
        "その番号の選択肢はありません。「{label}」なら 1、ほかは言葉で送ってください。",
        "There is no choice with that number. Send 1 for “{label}”, or answer in words.",
    ),
    "activity.bad_date": (
        "日付がわかりませんでした。「今日」「昨日」か、11/20 のように送ってください"
        "（未来の日付や1年以上前の日付は記録できません）。",
        "I couldn't read that date. Send “today”, “yesterday” or a date like 11/20"
        " (future dates and dates over a year back can't be recorded).",
    ),
    "activity.ask_duration": (
        "かかった時間は？（例: 45分、1時間半）",
        "How long did it take? (e.g. 45 min, 1.5 h)",
    ),
    "activity.bad_duration": (
        "時間がわかりませんでした。選ぶか、「45分」「1時間30分」「1.5時間」のように送ってください。",
        "I couldn't read that duration. Pick one, or send something like “45分”, “1時間30分” or “1.5時間”.",
    ),
    "activity.ask_kubun": (
        "活動区分はどれですか？（カッコ内は生活支援コーディネーターの機能①〜⑥）",
        "Which activity category (活動区分) is it? (coordinator functions ①–⑥ in brackets)",
    ),
    "activity.bad_kubun": (
        "活動区分は一覧から番号で選んでください。",
        "Pick the activity category from the list by its number.",
    ),
    "activity.ask_counterpart": (
        "相手方（団体名・役職。例: 本町自治会 会長）は？ なければ「スキップ」。",
        "Who was the counterpart (organisation and role, e.g. head of 本町自治会)? Or “skip”.",
    ),
    "activity.ask_outcome": (
        "成果を一行で（例: 次回の集まりで協議体の説明をすることになった）。なければ「スキップ」。",
        "The outcome in one line (what changed). Or “skip”.",
    ),
    "activity.no_personal_details": (
        "個人の名前・電話番号・住所は記録しません。「近所の80代女性」「個人宅」のように書き直してください。",
        "Personal names, phone numbers and addresses are not recorded. Please rewrite it"
        " (e.g. “a woman in her 80s nearby”, “a private home”).",
    ),
    "activity.empty": (
        "文字で答えてください。",
        "Please answer in words.",
    ),
    "activity.too_long": (
        "長すぎます。{limit}文字以内で送ってください。",
        "That is too long. Please keep it within {limit} characters.",
    ),
    "activity.ask_confirm": (
        "この内容で保存しますか？",
        "Save this record?",
    ),
    "activity.save": ("保存", "Save"),
    "activity.fix": ("修正する", "Fix a field"),
    "activity.bad_confirm": (
        "「保存」か「修正する」を選んでください。",
        "Choose “Save” or “Fix a field”.",
    ),
    "activity.ask_fix": ("どこを直しますか？", "Which field do you want to fix?"),
    "activity.bad_fix": (
        "直す項目を一覧から番号で選んでください。",
        "Pick the field to fix from the list by its number.",
    ),
    "activity.not_yours": (
        "この記録はあなたが記録したものではないため修正できません。",
        "You can only edit records you made yourself.",
    ),
    "activity.editing_title": ("{title} #{number}（修正）", "{title} #{number} (editing)"),
    "activity.field.type": ("種別", "Type"),
    "activity.field.date": ("日付", "Date"),
    "activity.field.duration": ("時間", "Duration"),
    "activity.field.kubun": ("活動区分", "Activity category"),
    "activity.field.counterpart": ("相手方", "Counterpart"),
    "activity.field.outcome": ("成果", "Outcome"),
    # 活動: the quick record of non-visit work
    "activity.ask_type": (
        "どんな活動の記録ですか？（訪問は「訪問」で記録します）",
        "What kind of work was it? (Record visits with “visit”.)",
    ),
    "activity.bad_type": (
        "活動の種別を一覧から番号で選んでください。",
        "Pick the kind of work from the list by its number.",
    ),
    "activity.ask_date": (
        "いつの活動ですか？（例: 11/20）",
        "When was it? (e.g. 11/20)",
    ),
    "activity.card_title": ("活動記録", "Activity record"),
    "activity.saved": ("活動記録 #{number} を記録しました。", "Activity record #{number} saved."),
    "activity.edited": (
        "活動記録 #{number} を修正しました。",
        "Activity record #{number} updated.",
    ),
    "activity.help": (
        "活動記録の入力中です（会議・電話・来所相談・研修・事務など、訪問以外の仕事）。\n"
        "番号か言葉で答えてください。最後に内容を確認してから保存します。\n"
        "「戻る」で一つ前へ、「キャンセル」で取り消し（何も保存しません）。",
        "You are recording an activity (a meeting, phone work, a consultation, training, desk work).\n"
        "Answer with a number or words; you confirm everything before it is saved.\n"
        "“back” goes one step back, “cancel” discards the record.",
    ),
    # 訪問: the guided visit record
    "visit.ask_date": (
        "訪問記録をつけます。いつの訪問ですか？（例: 11/20）",
        "Let's record a visit. When was it? (e.g. 11/20)",
    ),
    "visit.ask_area": ("どのエリアですか？", "Which area was it in?"),
    "visit.bad_area": (
        "エリアがわかりませんでした。一覧から番号で選んでください。",
        "I don't know that area. Pick one from the list by its number.",
    ),
    "visit.ask_place_known": (
        "訪問先は？ 一覧にあれば番号で、なければ場所の名前を送ってください（例: 本町集会所、個人宅）。",
        "Where did you go? Pick a known place by its number, or send the place's name"
        " (e.g. a community hall, a private home).",
    ),
    "visit.ask_place": (
        "訪問先の名前を送ってください（例: 本町集会所、個人宅）。",
        "Send the name of the place you visited (e.g. a community hall, a private home).",
    ),
    "visit.place_with_ordinal": ("{place}（{n}回目の訪問）", "{place} (visit no. {n})"),
    "visit.ask_purpose": ("訪問の目的は？", "What was the purpose of the visit?"),
    "visit.bad_purpose": (
        "目的を一覧から番号で選んでください（あてはまらなければ「その他」）。",
        "Pick the purpose from the list by its number (or “Other”).",
    ),
    "visit.ask_participants": (
        "参加者は何人くらいでしたか？ 数字で送ってください（例: 15）。わからなければ「スキップ」。",
        "About how many people took part? Send a number (e.g. 15), or “skip”.",
    ),
    "visit.bad_participants": (
        "人数は数字で送ってください（例: 15、約15人）。わからなければ「スキップ」。",
        "Send the number of people as digits (e.g. 15), or “skip”.",
    ),
    "visit.participants_value": ("約{n}人", "about {n}"),
    "visit.ask_companions": (
        "同行者は？ 一人ずつ番号で選び、終わったら「完了」。まとめて「2,4」のようにも送れます。",
        "Who came along? Pick them one by one, then “done”; or send several at once like “2,4”.",
    ),
    "visit.companions_done": ("完了", "Done"),
    "visit.companions_so_far": ("選択中: {names}", "Chosen so far: {names}"),
    "visit.companions_added": (
        "同行者: {names}。ほかにいれば選び、終わったら「完了」。",
        "Companions: {names}. Pick more, or “done”.",
    ),
    "visit.ask_counterpart": (
        "相手方（団体名・役職。例: ひまわりサロン 世話役）は？ なければ「スキップ」。",
        "Who did you meet (organisation and role, e.g. the salon's organiser)? Or “skip”.",
    ),
    "visit.ask_treasures": (
        "見つけた宝物（地域の人・モノ・場所・活動）は？ なければ「なし」。",
        "What treasures did you find (local people's skills, places, activities)? Or “none”.",
    ),
    "visit.ask_murmur": (
        "聞いたつぶやきを1つずつ送ってください。なければ「なし」。\n"
        "個人の名前は書かず、「近所の80代女性」のように書いてください。",
        "Send the murmurs you heard, one per message, or “none”.\n"
        "Write no personal names; describe people instead (e.g. “a woman in her 80s nearby”).",
    ),
    "visit.ask_next_murmur": (
        "つぶやき{n}件を記録中です。次のつぶやきを送ってください。終わったら「おわり」。",
        "{n} murmur(s) so far. Send the next one, or “done”.",
    ),
    "visit.saved_murmurs_kept": (
        "保存済みのつぶやき{n}件はそのまま残ります。ここでは新しいつぶやきを追加できます。",
        "The {n} murmur(s) already saved stay as they are; you can add new ones here.",
    ),
    "visit.murmurs_done": ("おわり", "Done"),
    "visit.murmur_undo": ("最後のつぶやきを取り消す", "Remove the last murmur"),
    "visit.murmur_removed": ("最後のつぶやきを取り消しました。", "Removed the last murmur."),
    "visit.ask_murmur_pii": (
        "名前・電話番号・住所のようなものが含まれています。伏せた版:「{masked}」\nどう記録しますか？",
        "This seems to contain a name, phone number or address. Masked version: “{masked}”\n"
        "How should it be recorded?",
    ),
    "visit.bad_murmur_pii": (
        "1〜3の番号で選んでください。",
        "Pick 1, 2 or 3.",
    ),
    "visit.ask_murmur_kind": (
        "「{text}」はどんな種類のつぶやきですか？",
        "What kind of murmur is “{text}”?",
    ),
    "visit.bad_murmur_kind": (
        "種類を一覧から番号で選んでください。",
        "Pick the kind from the list by its number.",
    ),
    "visit.ask_murmur_category": (
        "いちばん近いカテゴリは？",
        "Which category fits best?",
    ),
    "visit.more_categories": ("ほかのカテゴリ", "Other categories"),
    "visit.all_categories": ("カテゴリの一覧です。", "Here are all the categories."),
    "visit.bad_murmur_category": (
        "カテゴリを一覧から番号で選んでください。",
        "Pick the category from the list by its number.",
    ),
    "visit.murmur_line": ("{text}〔{tags}〕", "{text} [{tags}]"),
    "visit.murmur_restricted_mark": ("〔限定〕", " [restricted]"),
    "visit.ask_leads": (
        "次に訪ねたい所（芋づる）は？ 複数なら「、」か改行で区切ってください。なければ「なし」。",
        "Any places to visit next (leads)? Separate several with “、” or new lines, or send “none”.",
    ),
    "visit.card_title": ("訪問記録", "Visit record"),
    "visit.field.area": ("エリア", "Area"),
    "visit.field.place": ("場所", "Place"),
    "visit.field.purpose": ("目的", "Purpose"),
    "visit.field.participants": ("参加者", "Participants"),
    "visit.field.companions": ("同行者", "Companions"),
    "visit.field.treasures": ("宝物", "Treasures"),
    "visit.field.photos": ("写真", "Photos"),
    "visit.photos": ("{count}枚（{detail}）", "{count} ({detail})"),
    "visit.field.murmurs": ("つぶやき", "Murmurs"),
    "visit.field.murmur_n": ("つぶやき{n}", "Murmur {n}"),
    "visit.field.saved_murmur": ("つぶやき（保存済み）", "Murmur (saved)"),
    "visit.field.leads": ("次の訪問先", "Leads"),
    "visit.saved": (
        "訪問記録 #{number} を記録しました{details}",
        "Visit record #{number} saved{details}",
    ),
    "visit.edited": (
        "訪問記録 #{number} を修正しました{details}",
        "Visit record #{number} updated{details}",
    ),
    "visit.saved_details": ("（{parts}）", " ({parts})"),
    "visit.saved_murmurs": ("つぶやき {numbers}", "murmurs {numbers}"),
    "visit.saved_leads": ("次の訪問先 {numbers}", "leads {numbers}"),
    "visit.restricted_note": (
        "つぶやき {numbers} は本人や家族の事情にふれるため「限定」（記録した本人のみ閲覧）にしました。"
        "支援が必要そうなら地域包括支援センターへつなぐことを検討してください。"
        "健康・認知症・家族の詳しい事情はチャットに書かないでください。",
        "Murmur(s) {numbers} touch on someone's personal situation, so they are restricted"
        " (only you can see them). Consider a referral to the community general support centre."
        " Please don't type health, dementia or family details into chat.",
    ),
    # 訪問 as one form (the Slack modal)
    "visit.form.invalid": (
        "訪問記録の内容を読み取れませんでした。もう一度「訪問」から記録してください。",
        "I couldn't read that visit record. Please record it again with “visit”.",
    ),
    "visit.modal.close": ("キャンセル", "Cancel"),
    "visit.modal.pick": ("選んでください", "Choose"),
    "visit.modal.hint.place": (
        "個人のお宅は「個人宅」と書き、名前や住所は書かないでください。",
        "For a private home write “private home”, without names or addresses.",
    ),
    "visit.modal.hint.participants": (
        "おおよその人数。わからなければ空欄のままで。",
        "Roughly how many; leave it empty if you don't know.",
    ),
    "visit.modal.hint.murmurs": (
        "1行に1つ。種類とカテゴリは自動で提案されます。名前・電話番号・住所のようなものは"
        "自動で伏せて記録します（「近所の80代女性」のように書いてください）。",
        "One per line. Kind and category are suggested automatically. Anything like a name,"
        " phone number or address is masked automatically (write “a woman in her 80s nearby”).",
    ),
    "visit.modal.hint.leads": (
        "次に訪ねたい所（芋づる）を1行に1か所。",
        "Places to visit next (leads), one per line.",
    ),
    "visit.modal.hint.kubun": (
        "カッコ内は生活支援コーディネーターの機能①〜⑥",
        "Coordinator functions ①–⑥ in brackets",
    ),
    "visit.modal.required": ("入力してください。", "Please fill this in."),
    "visit.modal.bad_date": (
        "未来の日付や1年以上前の日付は記録できません。",
        "Future dates and dates over a year back can't be recorded.",
    ),
    "visit.modal.bad_participants": (
        "人数は0〜{max}の整数で入力してください。",
        "Enter the number of people as a whole number from 0 to {max}.",
    ),
    "visit.modal.personal": (
        "個人の名前・電話番号・住所は書かず、「近所の80代女性」「個人宅」のように書いてください。",
        "No personal names, phone numbers or addresses: write “a woman in her 80s nearby”,"
        " “a private home”.",
    ),
    "visit.modal.too_long": (
        "長すぎます。{limit}文字以内（複数行の欄は1行ずつ）で入力してください。",
        "Too long: at most {limit} characters (per line in the multi-line fields).",
    ),
    "visit.modal.unknown_choice": ("一覧から選んでください。", "Choose from the list."),
    "visit.help": (
        "訪問記録の入力中です。日付→エリア→場所→目的→時間→参加者→同行者→相手方→宝物→つぶやき→次の訪問先→活動区分→成果"
        "の順に聞き、最後に確認してから保存します。\n"
        "番号か言葉で答えてください。「戻る」で一つ前へ、「キャンセル」で取り消し（何も保存しません）。",
        "You are recording a visit: date, area, place, purpose, duration, participants, companions,"
        " counterpart, treasures, murmurs, leads, activity category, outcome; then you confirm"
        " before it is saved.\n"
        "Answer with a number or words; “back” goes one step back, “cancel” discards the record.",
    ),
}
