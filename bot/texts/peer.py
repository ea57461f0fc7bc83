"""User-facing texts of the peer groups across municipalities (Japanese, English)."""

TEXTS: dict[str, tuple[str, str]] = {
    "peer.not_connected": (
        "このチャットはピアグループにつながっていません。"
        "管理者に「グループ 接続 グループ名」でつないでもらってください。",
        "This chat is not connected to a peer group. "
        "Ask an admin to connect it with “group connect GROUP NAME”.",
    ),
    "peer.not_connected.admin": (
        "このチャットはピアグループにつながっていません。"
        "つなぐには、このチャットで「グループ 接続 グループ名」と送ってください。"
        "（グループは tsunagi admin add-peer-group で作ります）",
        "This chat is not connected to a peer group. "
        "To connect it, send “group connect GROUP NAME” here. "
        "(Groups are created with tsunagi admin add-peer-group.)",
    ),
    "peer.not_in_group": (
        "あなたの自治体はピアグループ「{group}」に参加していないため、ここでは使えません。",
        "Your municipality is not part of the peer group “{group}”, so this is not available here.",
    ),
    "peer.none": ("なし", "none"),
    "peer.connect.usage": (
        "「グループ 接続 グループ名」と送ると、このチャットをピアグループにつなぎます。",
        "Send “group connect GROUP NAME” to connect this chat to a peer group.",
    ),
    "peer.connect.unknown": (
        "ピアグループ「{name}」が見つからないか、あなたの自治体が参加していません。"
        "参加しているグループ: {groups}",
        "No peer group “{name}” that your municipality belongs to. Your groups: {groups}",
    ),
    "peer.connect.done": (
        "このチャットをピアグループ「{group}」（{municipalities}）につなぎました。\n"
        "共有 #番号（自分の記録を伏せ字で共有）、傾向（4週間のつぶやきの傾向）、"
        "悩み／ヒント 本文（次の情報交換会へ）、悩み一覧、事例 ことば（共有事例をさがす）"
        "が使えます。ここには、共有したもの以外の記録は出ません。",
        "This chat is now connected to the peer group “{group}” ({municipalities}).\n"
        "Use: share #N (share your own record, masked), trends (murmurs over 4 weeks), "
        "worry / tip TEXT (for the next meeting), worries, cases WORDS (search shared cases). "
        "No record appears here unless someone shares it.",
    ),
    "peer.share.usage": (
        "「共有 #番号」で、自分の訪問・活動・つぶやきを伏せ字にして共有します。",
        "Send “share #N” to share one of your visits, activities or murmurs, masked.",
    ),
    "peer.share.not_found": (
        "#{number} は共有できる記録ではありません。共有できるのは、自分で記録した訪問・活動・"
        "つぶやきだけです。番号をお確かめください。",
        "#{number} cannot be shared. You can share only visits, activities and murmurs you "
        "recorded yourself. Please check the number.",
    ),
    "peer.share.refused.private": (
        "#{number} は非公開の記録のため共有できません。",
        "#{number} is private, so it cannot be shared.",
    ),
    "peer.share.refused.restricted_individual": (
        "#{number} は限定（個人が特定でき、配慮が必要な内容）の記録のため、"
        "ピアグループには共有できません。",
        "#{number} is restricted (a person can be identified and the topic is sensitive), "
        "so it cannot be shared with a peer group.",
    ),
    "peer.share.refused.individual": (
        "#{number} は「気になる人」の記録です。個別の支援の内容はピアグループには共有できません。",
        "#{number} is about a person of concern. Individual support is not shared with peer groups.",
    ),
    "peer.share.refused.sensitive": (
        "#{number} には、特定の人の健康・家族・お金などの配慮が必要な内容が含まれるため、"
        "共有できません。方法や工夫だけを「ヒント」で伝えてください。",
        "#{number} contains sensitive details about a particular person (health, family, money…), "
        "so it cannot be shared. Share the method as a “tip” instead.",
    ),
    "peer.share.done": (
        "{name} さんが事例を共有しました（名前・住所・細かい場所は伏せています）。",
        "{name} shared a case (names, addresses and exact places are masked).",
    ),
    "peer.share.updated": (
        "{name} さんが共有済みの事例を更新しました（名前・住所・細かい場所は伏せています）。",
        "{name} updated a shared case (names, addresses and exact places are masked).",
    ),
    "peer.case.title": ("共有事例", "Shared case"),
    "peer.field.where": ("地域", "Where"),
    "peer.field.kind": ("種類", "Kind"),
    "peer.field.categories": ("カテゴリ", "Categories"),
    "peer.field.text": ("内容", "Text"),
    "peer.trends.header": (
        "【傾向】ピアグループ「{group}」 {start}〜{end}（4週間）のつぶやき（カテゴリ別）",
        "[Trends] peer group “{group}”, murmurs by category {start} to {end} (4 weeks)",
    ),
    "peer.trends.row": ("{category}: {cells}／計 {total}", "{category}: {cells} / total {total}"),
    "peer.trends.note": (
        "3未満の件数は伏せています。伏せた件数を含む合計は「以上」で示します。",
        "Counts under 3 are hidden; a total that includes hidden counts is shown as a minimum.",
    ),
    "peer.trends.none": (
        "この4週間、グループの自治体で共有範囲のつぶやきはありません。",
        "No team-visible murmurs in the group's municipalities in these 4 weeks.",
    ),
    "peer.suppressed": ("3未満", "under 3"),
    "peer.at_least": ("{n}以上", "{n}+"),
    "peer.uncategorised": ("未分類", "Uncategorised"),
    "peer.kind.悩み": ("悩み", "Worry"),
    "peer.kind.ヒント": ("ヒント", "Tip"),
    "peer.note.usage": (
        "「{word} 本文」と送ると、次の情報交換会に向けて{kind}を集めます。",
        "Send “{word} TEXT” to add a {kind} for the next meeting.",
    ),
    "peer.note.sensitive": (
        "特定の人の健康・家族・お金などの配慮が必要な内容は、ピアグループには書けません。"
        "人が特定できない形で書き直してください。",
        "Sensitive details about a particular person (health, family, money…) cannot go to a "
        "peer group. Please rewrite it so that nobody can be identified.",
    ),
    "peer.note.saved": (
        "{kind}を受け付けました。次の情報交換会で取り上げます。\n「{text}」",
        "{kind} added for the next meeting.\n“{text}”",
    ),
    "peer.note.masked": (
        "\n（名前・電話番号・住所・細かい場所は伏せました）",
        "\n(Names, phone numbers, addresses and exact places were masked.)",
    ),
    "peer.notes.header": (
        "【次の情報交換会に向けて】ピアグループ「{group}」",
        "[For the next meeting] peer group “{group}”",
    ),
    "peer.notes.kind": ("{kind}（{n}件）", "{kind} ({n})"),
    "peer.notes.none": (
        "次の情報交換会に向けた悩み・ヒントはまだありません。「悩み 本文」「ヒント 本文」で送れます。",
        "No worries or tips yet for the next meeting. Send “worry TEXT” or “tip TEXT”.",
    ),
    "peer.cases.no_group": (
        "あなたの自治体はどのピアグループにも参加していません。",
        "Your municipality is not part of any peer group.",
    ),
    "peer.cases.none": (
        "「{words}」に合う共有事例はありません。",
        "No shared cases match “{words}”.",
    ),
    "peer.cases.header": ("共有事例 {n}件（新しい順）", "{n} shared cases (newest first)"),
    "peer.cases.line": (
        "・{where}〔{kind}／{categories}〕{month}\n  {text}",
        "- {where} [{kind} / {categories}] {month}\n  {text}",
    ),
    "peer.cases.more": (
        "ほかに{n}件あります。ことばを足して絞り込めます。",
        "{n} more; add words to narrow the search.",
    ),
}
