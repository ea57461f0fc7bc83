"""Texts of 相談記録: the one-time link in chat and the sensitive-input form page."""

TEXTS: dict[str, tuple[str, str]] = {
    "consult.link": (
        "相談記録の専用フォームです（{minutes}分間・1回だけ有効）。\n{url}\n"
        "健康・認知症・家族の事情などは、チャットではなくこのフォームに入力してください。"
        "内容は暗号化して保存され、チャットには残りません。",
        "Here is the consultation form (valid for {minutes} minutes, once).\n{url}\n"
        "Enter health, dementia or family details there, not in the chat. "
        "They are stored encrypted and never appear in the chat.",
    ),
    "consult.link_for_murmur": (
        "つぶやき #{number} に関連づけます。",
        "It will be linked to murmur #{number}.",
    ),
    "consult.not_configured": (
        "相談記録のフォームは、このサーバーではまだ使えません"
        "（公開URL TSUNAGI_PUBLIC_URL とデータ鍵 TSUNAGI_DATA_KEY の設定が必要です）。"
        "管理者にお問い合わせください。詳しい事情はチャットには書かないでください。",
        "The consultation form is not available on this server yet (it needs the public URL "
        "TSUNAGI_PUBLIC_URL and the data key TSUNAGI_DATA_KEY). Please ask your administrator, "
        "and do not type the details into the chat meanwhile.",
    ),
    "consult.not_in_group": (
        "相談記録のリンクは、ボットとの1対1のトークでだけお送りします。",
        "The consultation form link is only sent in a one-to-one chat with the bot.",
    ),
    "consult.unknown_murmur": (
        "つぶやき #{number} は見つかりません（ご自分のつぶやきの番号を指定してください）。"
        "「相談記録」だけ送ると、つぶやきに関連づけずにフォームを開けます。",
        "Murmur #{number} was not found (give the number of one of your own murmurs). "
        "Send “consult” alone to open the form without linking a murmur.",
    ),
    "consult.saved": (
        "相談記録 #{number} を保存しました（内容はチャットには表示しません）",
        "Consultation record #{number} saved (its content is never shown in the chat)",
    ),
    "forms.purpose": (
        "生活支援の相談と、関係機関（地域包括支援センター等）へのつなぎのため（支援に必要な範囲で）",
        "For life-support consultation and referral to the relevant services "
        "(such as the community general support centre), only as far as support needs",
    ),
    "forms.title": ("相談記録", "Consultation record"),
    "forms.intro": (
        "ここに入力した内容は、つなぎのデータベースに暗号化して保存されます。"
        "チャット（LINE など）には送られません。",
        "What you enter here is stored encrypted in tsunagi's own database. "
        "It is never sent to the chat (LINE or elsewhere).",
    ),
    "forms.consent.heading": ("同意の確認", "Consent"),
    "forms.consent.collector": (
        "記録する者: {municipality} 生活支援コーディネーター {member}",
        "Recorded by: {member}, life-support coordinator, {municipality}",
    ),
    "forms.consent.purpose": ("利用目的: {purpose}", "Purpose: {purpose}"),
    "forms.consent.version": ("同意文の版: {version}", "Consent wording version: {version}"),
    "forms.consent.body": (
        "健康状態・病歴・障害・認知症・家族の状況などは「要配慮個人情報」です。"
        "本人（または家族）の同意を得たうえで、上記の目的の範囲でのみ記録し、"
        "権限のある担当者以外には見せません。閲覧はすべて記録されます。",
        "Health, medical history, disability, dementia and family circumstances are sensitive "
        "personal information. They are recorded only with the person's (or family's) consent, "
        "only for the purpose above, and shown only to authorised staff; every read is logged.",
    ),
    "forms.consent.checkbox": (
        "本人（または家族）の同意を得ています",
        "I have the consent of the person (or their family)",
    ),
    "forms.details.label": ("詳しい内容", "Details"),
    "forms.details.hint": (
        "支援に必要なことだけを書いてください（{limit}文字まで）。",
        "Write only what support needs (up to {limit} characters).",
    ),
    "forms.murmur.label": ("関連するつぶやきの番号（任意）", "Related murmur number (optional)"),
    "forms.submit": ("保存する", "Save"),
    "forms.expires": (
        "このページは {time} まで、1回だけ使えます。",
        "This page can be used once, until {time}.",
    ),
    "forms.error.consent": (
        "同意の確認にチェックを入れてください。まだ何も保存していません。",
        "Please tick the consent box. Nothing has been saved yet.",
    ),
    "forms.error.details": (
        "内容を入力してください。まだ何も保存していません。",
        "Please enter the details. Nothing has been saved yet.",
    ),
    "forms.error.too_long": (
        "内容が長すぎます（{limit}文字まで）。まだ何も保存していません。",
        "The details are too long (up to {limit} characters). Nothing has been saved yet.",
    ),
    "forms.error.murmur": (
        "つぶやき #{number} は見つかりません（ご自分のつぶやきの番号を入力してください）。",
        "Murmur #{number} was not found (enter the number of one of your own murmurs).",
    ),
    "forms.saved.title": ("保存しました", "Saved"),
    "forms.saved.body": (
        "相談記録 #{number} として保存しました。このページは閉じてかまいません。"
        "内容はチャットには表示されません。",
        "Saved as consultation record #{number}. You can close this page. "
        "Its content is never shown in the chat.",
    ),
    "forms.gone.title": ("このリンクは使えません", "This link can no longer be used"),
    "forms.gone.body": (
        "このリンクは有効期限が切れたか、すでに使われています。"
        "必要なら、チャットでもう一度「相談記録」と送ってください。",
        "This link has expired or has already been used. "
        "If you need to, send “consult” in the chat again.",
    ),
    "forms.unknown.title": ("ページが見つかりません", "Page not found"),
    "forms.unknown.body": (
        "このリンクは無効です。チャットで「相談記録」と送ると、新しいリンクをお送りします。",
        "This link is not valid. Send “consult” in the chat to get a new one.",
    ),
}
