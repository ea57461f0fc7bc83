"""User-facing texts of the engine, registration and help (Japanese, English)."""

TEXTS: dict[str, tuple[str, str]] = {
    "error.internal": (
        "申し訳ありません。処理中に問題が起きました。入力内容は保存されていません。少し待ってからもう一度お試しください。",
        "Sorry, something went wrong on our side. Nothing was saved. Please try again in a moment.",
    ),
    "error.not_allowed": (
        "この操作はあなたの役割では使えません。",
        "Your role does not allow this.",
    ),
    "register.required": (
        "tsunagi（つなぎ）へようこそ。ご利用には招待コードでの登録が必要です。\n"
        "担当者から受け取ったコードを「登録 コード」と送ってください（例: 登録 ABCD-EFGH）。\n"
        "登録前のメッセージは保存されません。",
        "Welcome to tsunagi. Please register with the invite code you were given:\n"
        "send “register CODE” (e.g. register ABCD-EFGH).\n"
        "Messages sent before registering are not stored.",
    ),
    "register.usage": (
        "「登録 コード」の形で送ってください（例: 登録 ABCD-EFGH）。",
        "Send “register CODE” (e.g. register ABCD-EFGH).",
    ),
    "register.invalid": (
        "この招待コードは見つかりません。入力ミスがないか確認し、担当者にお問い合わせください。",
        "This invite code was not found. Check it for typos, or ask whoever invited you.",
    ),
    "register.used": (
        "この招待コードはすでに使われています。新しいコードを担当者に発行してもらってください。",
        "This invite code has already been used. Ask for a new one.",
    ),
    "register.expired": (
        "この招待コードは有効期限が切れています。新しいコードを担当者に発行してもらってください。",
        "This invite code has expired. Ask for a new one.",
    ),
    "register.already": (
        "{name}さんとしてすでに登録済みです（{municipality}）。",
        "You are already registered as {name} ({municipality}).",
    ),
    "register.done": (
        "登録しました。{municipality}の{role}として利用できます。\n"
        "「訪問」で訪問記録、「つぶやき」でつぶやきの記録、「ヘルプ」で使い方を表示します。",
        "Registered: you are a {role} of {municipality}.\n"
        "Send “visit” to record a visit, “murmur” to record a murmur, “help” for more.",
    ),
    "common.no_area": ("エリアなし・不明", "no area / unknown"),
    "common.skip": ("スキップ", "skip"),
    "common.none": ("なし", "none"),
    "common.yes": ("はい", "yes"),
    "common.no": ("いいえ", "no"),
    "register.done_officer": (
        "登録しました。{municipality}の{role}として利用できます。\n"
        "「まとめ」で活動のまとめ、「検索 言葉」で記録の検索、「ヘルプ」で使い方を表示します。",
        "Registered: you are a {role} of {municipality}.\n"
        "Send “summary” for a summary, “search WORDS” to find records, “help” for more.",
    ),
    "link.code": (
        "連携コード: {code}（{minutes}分間・1回限り）\n"
        "もう一方のチャット（LINE または Slack）で「連携 {code}」と送ると、同じメンバーとして使えます。",
        "Link code: {code} (valid {minutes} minutes, once).\n"
        "Send “link {code}” from your other chat (LINE or Slack) to use it as the same member.",
    ),
    "link.not_in_group": (
        "連携コードは個別のトークで受け取ってください。",
        "Ask for a link code in a 1:1 chat, not in a group.",
    ),
    "link.done": (
        "連携しました。このチャットでも{name}さんとして使えます。途中の入力は「続き」で引き継げます。",
        "Linked: this chat now acts as {name}. Send “resume” to continue an unfinished entry here.",
    ),
    "resume.nothing": (
        "ほかのチャットに途中の入力はありません。",
        "There is no unfinished entry in your other chats.",
    ),
    "resume.done": (
        "ほかのチャットで途中だった入力を、ここで続けます。",
        "Continuing here the entry you started in your other chat.",
    ),
    "role.coordinator": ("生活支援コーディネーター", "coordinator"),
    "role.officer": ("市町村担当", "municipal officer"),
    "role.admin": ("管理者", "administrator"),
    "flow.expired": (
        "前回の入力は30分間操作がなかったため破棄しました。",
        "Your previous entry was discarded after 30 minutes without activity.",
    ),
    "flow.cancelled": (
        "入力を取り消しました。何も保存していません。",
        "Cancelled. Nothing was saved.",
    ),
    "flow.menu_word": (
        "入力の途中です。「{word}」を使うには、先に「キャンセル」で今の入力を取り消してください。",
        "You are in the middle of an entry. To use “{word}”, first send “cancel” to discard it.",
    ),
    "flow.stale_choice": (
        "このボタンの入力はもう終わっているか、時間切れです。もう一度はじめから送ってください。",
        "That button belongs to an entry that has ended or expired. Please start again.",
    ),
    "flow.cannot_go_back": (
        "これより前には戻れません。",
        "You are at the first step; there is nothing to go back to.",
    ),
    "flow.help": (
        "入力の途中です。番号か言葉で答えてください。「戻る」で一つ前へ、「キャンセル」で取り消し。",
        "You are in the middle of an entry. Answer with a number or words; “back” goes one step back, “cancel” discards it.",
    ),
    "unknown.suggest": (
        "すみません、わかりませんでした。もしかして: {words}\n「ヘルプ」で使い方を表示します。",
        "Sorry, I didn't understand. Did you mean: {words}?\nSend “help” for the list of commands.",
    ),
    "unknown.help": (
        "すみません、わかりませんでした。「ヘルプ」で使い方を表示します。",
        "Sorry, I didn't understand. Send “help” for the list of commands.",
    ),
    "help.text": (
        "tsunagi の使い方\n"
        "・訪問 … 訪問記録（日付・地区・場所・目的・宝物・つぶやき・次の訪問先）\n"
        "・活動 … 会議・電話・来所相談・研修・事務の記録（所要時間つき）\n"
        "・つぶやき 内容 … つぶやきを1通で記録（「つぶやき」だけで順に入力）\n"
        "・検索 言葉 … 記録を探す（カテゴリ:買い物 エリア:〇〇 期間:先週 種類:願い）\n"
        "・まとめ [今週|先週|2026-11] … 活動のまとめ\n"
        "・予定 … これからの会議と出欠（予定 追加 で登録、出欠 #N で出欠の一覧）\n"
        "・相談記録 … 健康・家族などの詳しい事情を専用フォームに入力（チャットには書かない）\n"
        "・（ピアグループのチャンネルで）共有 #42 / 傾向 / 悩み 内容 / ヒント 内容 / 悩み一覧 / 事例 言葉\n"
        "・#42 … 記録を表示　修正 #42 … 自分の記録を修正　削除 #42 … 削除（本人・管理者）\n"
        "入力の途中では「戻る」「キャンセル」「ヘルプ」がいつでも使えます。",
        "How to use tsunagi\n"
        "- visit … record a visit (date, area, place, purpose, treasures, murmurs, leads)\n"
        "- activity … record other work (meeting, phone, consultation, training, desk work) with its duration\n"
        "- murmur TEXT … record a murmur in one message (“murmur” alone asks step by step)\n"
        "- search WORDS … find records (カテゴリ:買い物 エリア:… 期間:先週 種類:願い)\n"
        "- summary [今週|先週|2026-11] … a summary of activity\n"
        "- meetings … upcoming meetings and your RSVP (予定 追加 adds one, 出欠 #N shows who comes)\n"
        "- consult … a one-time link to a private form for health or family details (never typed into chat)\n"
        "- (in a peer-group channel) share #42 / trends / 悩み TEXT / ヒント TEXT / 悩み一覧 / cases WORDS\n"
        "- #42 shows a record, 修正 #42 edits your own, 削除 #42 deletes it (the author or an admin)\n"
        "Inside an entry, “back”, “cancel” and “help” always work.",
    ),
}
