"""User-facing texts for the monthly 活動報告 and the 指標 evidence (Japanese, English)."""

TEXTS: dict[str, tuple[str, str]] = {
    "report.usage": (
        "「活動報告」（今月）、「活動報告 先月」、「活動報告 2026-11」、「活動報告 前回から」"
        "（前回の定例連絡会から）のように送ってください。"
        "「活動報告 編集」「活動報告 提出」「活動報告 エクセル」「活動報告 #番号」も使えます。",
        "Send “activity-report” (this month), “activity-report last-month”, “activity-report 2026-11”"
        " or “activity-report since-last” (since the last 定例連絡会). Also: “activity-report edit”,"
        " “activity-report submit”, “activity-report excel”, “activity-report #N”.",
    ),
    "report.no_regular_meeting": (
        "前回の定例連絡会が見つかりません（予定に「定例連絡会」がありません）。"
        "「活動報告 2026-11」のように月で指定してください。",
        "No earlier 定例連絡会 was found among the meetings. Name a month instead,"
        " e.g. “activity-report 2026-11”.",
    ),
    "report.no_draft": (
        "まだ活動報告の下書きがありません。まず「活動報告」か「活動報告 2026-11」を送ってください。",
        "There is no draft report yet. Send “activity-report” or “activity-report 2026-11” first.",
    ),
    "report.not_found": (
        "活動報告 #{number} は見つかりません。",
        "Activity report #{number} was not found.",
    ),
    "report.title": (
        "生活支援コーディネーター活動報告書（{period}）",
        "Life-support coordinator activity report ({period})",
    ),
    "report.month": ("{year}年{month}月分", "{month}/{year}"),
    "report.range": ("{start}〜{end}", "{start} – {end}"),
    "report.status.draft": ("活動報告 #{number}（下書き）", "Activity report #{number} (draft)"),
    "report.status.submitted": (
        "活動報告 #{number}（{at} 提出済み）",
        "Activity report #{number} (submitted {at})",
    ),
    "report.status.unsaved": ("記録からの下書き", "draft from the records"),
    "report.header": ("提出先: {municipality}／担当: {who}", "To: {municipality} / By: {who}"),
    "report.who.member": ("{layer}SC {name}", "{layer}SC {name}"),
    "report.who.all": ("{municipality}全体", "all of {municipality}"),
    "report.layer": ("第{layer}層 ", "layer {layer} "),
    "report.s1": ("1. 活動実績", "1. Work done"),
    "report.s1.days": (
        "  活動日数 {days}日／活動時間 {hours}（うち地域での活動 {field}、事務 {desk}）",
        "  {days} days / {hours} (in the area {field}, desk work {desk})",
    ),
    "report.s1.kubun": ("  区分別: {items}", "  By activity category: {items}"),
    "report.s1.visits": (
        "  訪問 {visits}件（うち新規 {first}）／会議・集まり参加 {meetings}回（地域ケア会議へのSC参加 {care}回）",
        "  Visits {visits} (first visits {first}) / meetings {meetings}"
        " (地域ケア会議 attended by an SC: {care})",
    ),
    "report.s1.other": (
        "  電話・調査 {phone}件／研修 {training}回",
        "  Calls and surveys {phone} / training {training}",
    ),
    "report.s2": ("2. 協議体", "2. 協議体 (councils)"),
    "report.s2.row": (
        "  {day} {kind} 第{ordinal}回 出席 {total}人中{present}名（会議記録 #{number}）",
        "  {day} {kind} no. {ordinal}: {present} of {total} present (meeting record #{number})",
    ),
    "report.s2.agenda": ("    協議事項: {text}", "    Agenda: {text}"),
    "report.s2.decisions": ("    決まったこと: {text}", "    Decided: {text}"),
    "report.s2.follow_up": ("    今後の扱い: {text}", "    Next: {text}"),
    "report.s3": ("3. 主な活動（トピックス）", "3. Main activities (topics)"),
    "report.s4": ("4. 把握した地域の声・ニーズ", "4. Voices and needs heard"),
    "report.s4.count": (
        "  つぶやき {n}件（前の期間 {before}件）",
        "  Murmurs: {n} (previous period {before})",
    ),
    "report.s4.top": ("  主な課題: {items}", "  Main issues: {items}"),
    "report.s4.cell": (
        "  {category}×{area} {n}件（{kinds}）",
        "  {category} × {area}: {n} ({kinds})",
    ),
    "report.s5": ("5. 地域資源", "5. Local resources"),
    "report.s5.row": (
        "  新規把握 {new}件／情報更新 {updated}件／休止 {paused}・再開 {resumed}・廃止 {closed}件",
        "  New {new} / updated {updated} / paused {paused}, resumed {resumed}, closed {closed}",
    ),
    "report.s6": (
        "6. つなぎ・マッチング {n}件（地域資源 {resource}・団体や企業 {organisation}・包括 {houkatsu}）",
        "6. Connections: {n} (resources {resource}, organisations {organisation}, 包括 {houkatsu})",
    ),
    "report.s7": ("7. 今後の課題や提案", "7. Issues ahead and proposals"),
    "report.s8": ("8. 市への相談・依頼事項", "8. Requests to the municipality"),
    "report.s9": ("9. 翌月の予定", "9. Next month"),
    "report.s9.row": (
        "  {when} #{number} {title}（{kind}）",
        "  {when} #{number} {title} ({kind})",
    ),
    "report.empty": ("  なし", "  none"),
    "report.unwritten": ("  （未記入）", "  (not written yet)"),
    "report.footer.draft": (
        "3・7・8は「活動報告 編集」で書けます。「活動報告 提出」で市町村担当に提出、"
        "「活動報告 エクセル」でExcelにします。",
        "Write sections 3, 7 and 8 with “activity-report edit”; “activity-report submit” sends it"
        " to the municipality's officers; “activity-report excel” makes a workbook.",
    ),
    "report.edit.pick": (
        "活動報告 #{number} のどこを書きますか？",
        "Which part of activity report #{number}?",
    ),
    "report.edit.saved": ("「{section}」を保存しました。", "Saved “{section}”."),
    "report.edit.ask": (
        "「{section}」を入力してください（今の内容は置き換わります。「消す」で空にします）。\n今の内容: {current}",
        "Type “{section}” (it replaces what is there; “clear” empties it).\nNow: {current}",
    ),
    "report.edit.bad_pick": ("番号で選んでください（例: 1）。", "Pick one by its number (e.g. 1)."),
    "report.edit.done": (
        "活動報告 #{number} を保存しました（下書き）。「活動報告 提出」で提出できます。",
        "Activity report #{number} saved (draft). Send “activity-report submit” to submit it.",
    ),
    "report.edit.finish": ("おわり", "done"),
    "report.edit.help": (
        "書きたい項目を選び、内容を送ってください。終わったら「おわり」を選びます。",
        "Pick a part, then type its text. Pick “done” when finished.",
    ),
    "report.section.topics": ("主なトピックス", "main topics"),
    "report.section.proposals": ("今後の課題や提案", "issues and proposals"),
    "report.section.requests": ("市への相談・依頼", "requests to the municipality"),
    "report.submitted": (
        "活動報告 #{number} を提出しました。市町村担当 {n}人に知らせました。",
        "Activity report #{number} submitted; {n} officer(s) notified.",
    ),
    "report.notify": (
        "【活動報告】{who}の活動報告 #{number}（{period}）が提出されました。「活動報告 #{number}」で見られます。",
        "[Activity report] {who} submitted activity report #{number} ({period})."
        " Send “activity-report #{number}” to read it.",
    ),
    "report.excel": (
        "活動報告 #{number} のExcelファイルです: {filename}",
        "Activity report #{number} as Excel: {filename}",
    ),
    "report.excel_link": (
        "活動報告 #{number} のExcelファイルです（リンクの有効期限があります）: {url}",
        "Activity report #{number} as Excel (the link expires): {url}",
    ),
    "report.not_yours": (
        "活動報告 #{number} は提出されたあとに市町村担当が見られます。",
        "Activity report #{number} can be read by officers once it is submitted.",
    ),
    "indicators.usage": (
        "「まとめ 指標」（今年度）、「まとめ 指標 2026」、「まとめ 指標 令和8年度」のように送ってください。",
        "Send “summary indicators” (this fiscal year), “summary indicators 2026” or “summary indicators 令和8年度”.",
    ),
    "indicators.title": (
        "■交付金の指標と根拠になる記録（令和{reiwa}年度＝{year}年度 {start}〜{end}／{municipality}）",
        "■Grant indicators and the records behind them (FY{year} = 令和{reiwa} {start} – {end} / {municipality})",
    ),
    "indicators.grasp": (
        "1. SCが地域資源の開発に向けた具体的取組（地域ニーズ、地域資源の把握、問題提起等）を行っているか",
        "1. Does the SC work concretely towards developing resources (grasping needs and resources, raising issues)?",
    ),
    "indicators.develop": (
        "2. SC、協議体の活動を通じて高齢者のニーズに対応した具体的な資源の開発（既存の活動やサービスの強化を含む。）が行われているか",
        "2. Are concrete resources meeting older people's needs developed through the SC and 協議体 (incl. strengthening existing ones)?",
    ),
    "indicators.dementia": (
        "3. 認知症支援に関する介護保険外サービスの整備を行っているか",
        "3. Are services outside long-term care insurance for dementia support being set up?",
    ),
    "indicators.partners": (
        "4. 住民参画・官民連携: SCが地域住民の活動とそれ以外の多様な主体の活動とをつなげているか",
        "4. Resident participation and public-private partnership: does the SC connect residents' activities with other actors?",
    ),
    "indicators.care_meeting": (
        "5. 生活支援コーディネーターの地域ケア会議への参加割合",
        "5. Share of 地域ケア会議 attended by a coordinator",
    ),
    "indicators.councils": (
        "6. 介護予防・生活支援の体制整備（協議体の開催）",
        "6. Prevention and life-support set-up (協議体 held)",
    ),
    "indicators.coordinators": ("7. 生活支援コーディネーター数", "7. Number of coordinators"),
    "indicators.grasp.activities": ("把握・資源開発の活動", "activities of 把握 or 資源開発"),
    "indicators.grasp.murmurs": (
        "把握したつぶやき（限定のものは番号を出しません）",
        "murmurs heard (restricted ones not numbered)",
    ),
    "indicators.grasp.raised": ("会議記録での課題提起", "issues raised in meeting records"),
    "indicators.develop.resources": ("新たに登録した地域資源", "resources registered"),
    "indicators.develop.resourced": ("資源化したつぶやき", "murmurs that became a resource"),
    "indicators.dementia.resources": (
        "認知症の分野の地域資源（新規）",
        "new resources for dementia",
    ),
    "indicators.partners.connections": (
        "団体・企業などへのつなぎ",
        "connections to organisations and companies",
    ),
    "indicators.care_meeting.held": ("地域ケア会議（会議記録）", "地域ケア会議 recorded"),
    "indicators.care_meeting.attended": ("うちSCが参加", "attended by an SC"),
    "indicators.councils.1": ("協議体（第1層）", "協議体 (layer 1)"),
    "indicators.councils.2": ("協議体（第2層）", "協議体 (layer 2)"),
    "indicators.coordinators.1": ("第1層SC", "layer-1 SCs"),
    "indicators.coordinators.2": ("第2層SC", "layer-2 SCs"),
    "indicators.coordinators.0": ("層の記録なし", "layer not recorded"),
    "indicators.row": ("  {label} {n}{numbers}", "  {label}: {n}{numbers}"),
    "indicators.persons": ("{n}人", "{n}"),
    "indicators.numbers": (": {numbers}", ": {numbers}"),
    "indicators.share": ("  参加割合 {share}%", "  share attended {share}%"),
    "indicators.note": (
        "番号は「#番号」で確認できます。指標の得点は市町村の回答によるもので、ここでは根拠になる記録を示します。",
        "Look records up with “#number”. The score comes from the municipality's answers; these are the records behind them.",
    ),
}
