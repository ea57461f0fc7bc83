"""User-facing texts for the murmurs features (Japanese, English)."""

TEXTS: dict[str, tuple[str, str]] = {
    "murmur.kind.困りごと": ("困りごと", "a difficulty"),
    "murmur.kind.願い": ("願い", "a wish"),
    "murmur.kind.宝物": ("宝物", "a treasure"),
    "murmur.kind.担い手の申し出": ("担い手の申し出", "an offer to help"),
    "murmur.kind.気になる人": ("気になる人", "a person of concern"),
    "murmur.kind.意見": ("意見", "an opinion"),
    "murmur.suggested": ("{label}（おすすめ）", "{label} (suggested)"),
    "murmur.pii.mask": ("伏せた版で記録", "Record the masked version"),
    "murmur.pii.keep": ("そのまま記録", "Record as typed"),
    "murmur.pii.rewrite": ("書き直す", "Retype it"),
    "murmur.row.text": ("内容", "Text"),
    "murmur.row.kind": ("種類", "Kind"),
    "murmur.row.categories": ("カテゴリ", "Categories"),
    "murmur.row.area": ("エリア", "Area"),
    "murmur.row.sharing": ("共有", "Sharing"),
    "murmur.sharing.restricted": (
        "限定（記録した本人のみ）",
        "restricted (only you can see it)",
    ),
    "murmur.card.title": ("つぶやき", "Murmur"),
    "murmur.ask.text": (
        "つぶやきの内容を送ってください。\n"
        "個人の名前は書かず、「近所の80代女性」のように書いてください。",
        "Send the murmur's text.\n"
        "Please write no personal names; use a description such as “a woman in her 80s nearby”.",
    ),
    "murmur.ask.pii": (
        "名前・電話番号・住所のようなものが含まれています。伏せた版:「{masked}」\n"
        "どう記録しますか？",
        "This looks like it contains a name, phone number or address. Masked version: “{masked}”\n"
        "How should it be recorded?",
    ),
    "murmur.ask.kind": ("どんな種類のつぶやきですか？", "What kind of murmur is this?"),
    "murmur.ask.category": (
        "カテゴリを選んでください（選んだものが主なカテゴリになります）。",
        "Choose a category (it becomes the main one).",
    ),
    "murmur.ask.category_all": (
        "すべてのカテゴリです。番号か名前で選んでください。",
        "All categories. Choose one by number or name.",
    ),
    "murmur.ask.area": ("どのエリアのつぶやきですか？", "Which area is this murmur from?"),
    "murmur.ask.confirm": (
        "この内容で保存しますか？直したい項目があれば選んでください。",
        "Save this murmur? Or choose what to change.",
    ),
    "murmur.more_categories": ("ほかのカテゴリ", "Other categories"),
    "murmur.confirm.save": ("保存", "Save"),
    "murmur.confirm.kind": ("種類を変える", "Change the kind"),
    "murmur.confirm.category": ("カテゴリを変える", "Change the category"),
    "murmur.confirm.area": ("エリアを変える", "Change the area"),
    "murmur.confirm.text": ("本文を直す", "Edit the text"),
    "murmur.invalid.text": (
        "内容が空です。つぶやきの内容を文章で送ってください。",
        "The text is empty. Please send the murmur as a sentence.",
    ),
    "murmur.invalid.choice": (
        "一覧から番号で選んでください。",
        "Please pick one of the options by its number.",
    ),
    "murmur.invalid.kind": (
        "種類は一覧の番号か名前（困りごと・願い など）で答えてください。",
        "Please answer with the number or the name of a kind from the list.",
    ),
    "murmur.invalid.category": (
        "そのカテゴリは見つかりません。番号か、一覧にあるカテゴリ名で答えてください。",
        "That category was not found. Answer with a number or a category name from the list.",
    ),
    "murmur.invalid.area": (
        "そのエリアは見つかりません。一覧の番号かエリア名で答えてください。",
        "That area was not found. Answer with a number or an area name from the list.",
    ),
    "murmur.saved": ("つぶやき #{number} を記録しました。", "Murmur #{number} recorded."),
    "murmur.updated": ("つぶやき #{number} を修正しました。", "Murmur #{number} updated."),
    "murmur.restricted": (
        "第三者の健康・認知症・介護・家族などに関わる内容のため、「限定」として記録しました。"
        "見られるのは記録したあなただけで、グループや他の市町村との共有には出しません。\n"
        "必要に応じて、地域包括支援センターへのつなぎ（相談）をご検討ください。\n"
        "健康・認知症・家族の事情などの詳しい内容は、チャットには書かないでください。\n"
        "詳しい事情は「相談記録」で専用フォームに入力できます。",
        "Because it concerns another person's health, dementia, care or family, it was recorded as "
        "restricted: only you can see it, and it is never shared to group chats or peer channels.\n"
        "Consider a referral to the community general support centre (地域包括支援センター).\n"
        "Please do not type health, dementia or family details into the chat.\n"
        "Send “consult” to enter the details in a dedicated form instead.",
    ),
}
