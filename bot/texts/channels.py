"""User-facing texts of the channels themselves: LINE lifecycle and unsupported input."""

TEXTS: dict[str, tuple[str, str]] = {
    "line.welcome": (
        "友だち追加ありがとうございます。tsunagi（つなぎ）は生活支援コーディネーターの記録を手伝うボットです。\n"
        "ご利用には招待コードでの登録が必要です。担当者から受け取ったコードを「登録 コード」と送ってください"
        "（例: 登録 ABCD-EFGH）。登録前のメッセージは保存されません。",
        "Thanks for adding tsunagi, a bot that helps life-support coordinators keep their records.\n"
        "Please register with the invite code you were given: send “register CODE”. "
        "Messages sent before registering are not stored.",
    ),
    "line.welcome_back": (
        "おかえりなさい。登録はそのまま有効です。「ヘルプ」で使い方を表示します。",
        "Welcome back. Your registration still holds; send “help” for the commands.",
    ),
    "slack.private": (
        "この内容は共有チャンネルには表示しません。",
        "This content is not shown in shared channels.",
    ),
    "slack.cut": ("…（続きは省略）", "… (the rest is left out)"),
    "line.sticker": (
        "スタンプありがとうございます。記録するときは「訪問」「つぶやき」などと送ってください。",
        "Thanks for the sticker! To record something, send “visit” or “murmur”.",
    ),
    "line.media": (
        "写真は訪問記録の途中で送ると、了承を確認して記録に添付できます。ここでは保存しませんでした"
        "（動画・音声・ファイルは保存できません。内容は文字で送ってください）。",
        "Photos can be attached while recording a visit (after a consent question); this one was not "
        "kept. Videos, audio and files are never kept: please describe them in text.",
    ),
    "line.edited": (
        "メッセージの編集には対応していません。直した内容をもう一度送ってください。",
        "Edited messages aren't supported. Please send the corrected text again.",
    ),
    "line.location_untitled": (
        "位置情報を受け取りましたが、場所の名前がありませんでした。場所の名前を文字で送ってください"
        "（個人宅の住所は送らないでください）。",
        "The location had no place name. Please type the name of the place "
        "(never a private home's address).",
    ),
    "media.consent": (
        "写真を受け取りました。撮影・掲載の了承はどこまでありますか？",
        "Photo received. What did the people in it agree to?",
    ),
    "media.consent.なし": ("了承なし（保存しない）", "no consent (don't keep it)"),
    "media.consent.内部のみ": ("内部のみ", "internal use only"),
    "media.consent.公開可": ("公開可", "may be published"),
    "media.consent_again": (
        "先に写真の了承を選んでください（「キャンセル」で記録ごと取り消し）。",
        "First choose the consent for the photo (“cancel” discards the whole entry).",
    ),
    "media.attached_many": (
        "写真{count}枚を添付しました（了承: {consent}）。",
        "{count} photos attached (consent: {consent}).",
    ),
    "media.attached": (
        "写真を添付しました（了承: {consent}）。",
        "Photo attached (consent: {consent}).",
    ),
    "media.dropped": (
        "了承がないため、写真は保存しませんでした。",
        "Without consent the photo was not kept.",
    ),
    "media.not_here": (
        "写真は訪問記録の途中で送ると添付できます。ここでは保存しませんでした。",
        "Photos can be attached while recording a visit; this one was not kept.",
    ),
}
