"""User-facing texts of meetings and their recurrence (Japanese, English)."""

TEXTS: dict[str, tuple[str, str]] = {
    "meetings.once": ("一回だけ", "Once only"),
    "meetings.every_day": ("毎日", "Every day"),
    "meetings.weekdays": ("平日（月〜金）", "Weekdays (Mon–Fri)"),
    "meetings.every_week": ("毎週 {days}", "Every week on {days}"),
    "meetings.every_n_weeks": ("{n}週ごと {days}", "Every {n} weeks on {days}"),
    "meetings.every_month": ("毎月 {days}", "Every month on {days}"),
    "meetings.every_n_months": ("{n}か月ごと {days}", "Every {n} months on {days}"),
    "meetings.odd_months": ("奇数月 {days}", "Odd-numbered months on {days}"),
    "meetings.even_months": ("偶数月 {days}", "Even-numbered months on {days}"),
    "meetings.at_time": ("{words} {time}", "{words} at {time}"),
    "meetings.month_day": ("{day}日", "day {day}"),
    "meetings.nth_weekday": ("{ordinals}{weekday}", "the {ordinals} {weekday}"),
    "meetings.joiner": ("・", " and "),
    "meetings.ordinal.1": ("第1", "1st"),
    "meetings.ordinal.2": ("第2", "2nd"),
    "meetings.ordinal.3": ("第3", "3rd"),
    "meetings.ordinal.4": ("第4", "4th"),
    "meetings.ordinal.5": ("第5", "5th"),
    "meetings.ordinal.-1": ("最終", "last"),
    "meetings.weekday.0": ("月曜日", "Monday"),
    "meetings.weekday.1": ("火曜日", "Tuesday"),
    "meetings.weekday.2": ("水曜日", "Wednesday"),
    "meetings.weekday.3": ("木曜日", "Thursday"),
    "meetings.weekday.4": ("金曜日", "Friday"),
    "meetings.weekday.5": ("土曜日", "Saturday"),
    "meetings.weekday.6": ("日曜日", "Sunday"),
    "meetings.parse_error": (
        "「{text}」を繰り返しの予定として読み取れませんでした。次のように書いてください。\n{examples}",
        "Could not read “{text}” as a repeating schedule. Write it like one of these:\n{examples}",
    ),
    "meetings.policy.skip": ("祝日は休み", "Skip public holidays"),
    "meetings.policy.next_weekday": ("祝日は翌平日に移動", "Move to the next weekday"),
    "meetings.policy.keep": ("祝日も開催", "Hold it on public holidays too"),
    "meetings.year_end_closed": (
        "年末年始（12/29〜1/3）は休み",
        "Closed over the New Year holidays (29 Dec – 3 Jan)",
    ),
    "meetings.year_end": ("年末年始", "New Year holidays"),
    "meetings.kind.0": ("定例連絡会", "Regular liaison meeting (定例連絡会)"),
    "meetings.kind.1": ("協議体（第1層）", "Council, 1st layer (協議体)"),
    "meetings.kind.2": ("協議体（第2層）", "Council, 2nd layer (協議体)"),
    "meetings.kind.3": ("勉強会", "Study session"),
    "meetings.kind.4": ("情報交換会", "Information exchange"),
    "meetings.kind.5": ("研修", "Training"),
    "meetings.kind.6": ("地域ケア会議", "Community care meeting (地域ケア会議)"),
    "meetings.kind.7": ("その他", "Other"),
    "meetings.add.help": (
        "予定（会議）を登録しています。「戻る」で前の質問へ、「キャンセル」で登録をやめます。",
        "You are adding a meeting. Send “back” for the previous question, “cancel” to stop.",
    ),
    "meetings.add.kind": ("どの会議ですか？", "What kind of meeting is it?"),
    "meetings.add.kind_again": ("番号で選んでください。", "Please pick one by its number."),
    "meetings.add.title": (
        "{kind}の名前を入力してください（例: 中央圏域 定例連絡会）。",
        "Name this {kind} (e.g. Central area liaison meeting).",
    ),
    "meetings.add.title_again": (
        "名前を1〜{max}文字で入力してください。",
        "Please enter a name of 1 to {max} characters.",
    ),
    "meetings.add.when": (
        "いつ開きますか？ ふだんの言い方で書いてください。\n"
        "例: 毎月第2火曜 14:00 / 毎週水曜 10:00 / 隔月 第3木曜 13:30 / 12/10 14:00（1回だけ）",
        "When does it meet? Write it as you would say it (in Japanese), e.g.\n"
        "毎月第2火曜 14:00 / 毎週水曜 10:00 / 隔月 第3木曜 13:30 / 12/10 14:00 (once)",
    ),
    "meetings.add.when_no_time": (
        "開始時刻も書いてください（例: 毎月第2火曜 14:00）。",
        "Please add the start time too (e.g. 毎月第2火曜 14:00).",
    ),
    "meetings.add.place": (
        "「{words}」ですね。\n場所はどこですか？（なければ「スキップ」）",
        "“{words}”.\nWhere is it held? (or “skip”)",
    ),
    "meetings.add.duration": (
        "何分くらいですか？（例: 90、1時間半）",
        "How long is it? (e.g. 90, 1時間半)",
    ),
    "meetings.add.duration_again": (
        "時間が読み取れませんでした。分で入力してください（例: 90）。",
        "Could not read the duration. Please give it in minutes (e.g. 90).",
    ),
    "meetings.add.policy": (
        "祝日に当たったときはどうしますか？（年末年始 12/29〜1/3 は休みにします）",
        "What happens on a public holiday? (29 Dec – 3 Jan is closed)",
    ),
    "meetings.add.pick": ("選択肢から選んでください。", "Please pick one of the choices."),
    "meetings.add.audience": ("誰に案内しますか？", "Who is invited?"),
    "meetings.add.confirm": (
        "この内容で登録しますか？「保存」で登録、「戻る」で直せます。",
        "Save this meeting? Send “save”, or “back” to change something.",
    ),
    "meetings.add.save": ("保存", "save"),
    "meetings.add.save_again": (
        "「保存」で登録します（やめるときは「キャンセル」）。",
        "Send “save” to save it (or “cancel”).",
    ),
    "meetings.add.saved": ("予定 #{number} を登録しました。", "Meeting #{number} saved."),
    "meetings.add.card_title": ("予定の登録", "New meeting"),
    "meetings.field.kind": ("種別", "Kind"),
    "meetings.field.title": ("名前", "Name"),
    "meetings.field.when": ("日時", "When"),
    "meetings.field.place": ("場所", "Place"),
    "meetings.field.duration": ("時間", "Duration"),
    "meetings.field.policy": ("祝日", "Holidays"),
    "meetings.field.year_end": ("年末年始", "New Year"),
    "meetings.field.audience": ("案内先", "Invited"),
    "meetings.field.next": ("次の開催", "Next dates"),
    "meetings.audience.municipality": ("{name}の全員", "everyone in {name}"),
    "meetings.audience.area": ("{area}の担当者", "members working in {area}"),
    "meetings.audience.role": ("{role}の全員", "every {role}"),
    "meetings.audience.peer": (
        "ピアグループ「{group}」の全員（各市町村）",
        "everyone in the peer group {group} (all its municipalities)",
    ),
    "meetings.weekday_short": ("月 火 水 木 金 土 日", "Mon Tue Wed Thu Fri Sat Sun"),
    "meetings.when": ("{month}/{day}({weekday}) {time}", "{weekday} {day}/{month} {time}"),
    "meetings.list.empty": (
        "これからの予定はありません。",
        "You have no upcoming meetings.",
    ),
    "meetings.list.title": ("これからの予定", "Upcoming meetings"),
    "meetings.list.item": (
        "・{when} {ref} {title}（{kind}）{place} — 出欠: {answer}",
        "• {when} {ref} {title} ({kind}){place} — RSVP: {answer}",
    ),
    "meetings.list.moved": ("（日程変更）", " (rescheduled)"),
    "meetings.list.own_peer": ("#{number}［{group}］", "#{number} [{group}]"),
    "meetings.list.other_peer": ("［{group}・{town}主催］", "[{group}, hosted by {town}]"),
    "meetings.list.ask": (
        "{meeting} の次回の出欠を選んでください。",
        "Your answer for the next {meeting}:",
    ),
    "meetings.answer.参加": ("参加", "attending"),
    "meetings.answer.欠席": ("欠席", "not attending"),
    "meetings.answer.未定": ("未定", "undecided"),
    "meetings.answer.none": ("未回答", "no answer"),
    "meetings.rsvp.refused": (
        "この出欠は受け付けられませんでした。「予定」から選び直してください。",
        "This answer could not be accepted. Please pick it again from “meetings”.",
    ),
    "meetings.rsvp.saved": (
        "{when} {title} に「{answer}」と回答しました。",
        "You answered “{answer}” for {title} on {when}.",
    ),
    "meetings.cancel.usage": (
        "使い方: 予定 中止 #番号 日付（例: 予定 中止 #12 2026-12-08）",
        "Usage: meetings cancel #N DATE (e.g. meetings cancel #12 2026-12-08)",
    ),
    "meetings.move.usage": (
        "使い方: 予定 変更 #番号 日付 新しい日付 [時刻]（例: 予定 変更 #12 2026-12-08 2026-12-09 14:00）",
        "Usage: meetings move #N DATE NEW-DATE [HH:MM] (e.g. meetings move #12 2026-12-08 2026-12-09 14:00)",
    ),
    "meetings.change.no_such_date": (
        "予定 #{number} は {date} に開催がありません。",
        "Meeting #{number} does not meet on {date}.",
    ),
    "meetings.cancel.done": (
        "予定 #{number} の {date} を中止にしました。",
        "Meeting #{number} on {date} is cancelled.",
    ),
    "meetings.move.done": (
        "予定 #{number} の {date} の回を {when} に変更しました。",
        "Meeting #{number} of {date} moved to {when}.",
    ),
    "meetings.not_found": ("予定 #{number} は見つかりません。", "Meeting #{number} was not found."),
    "meetings.not_organiser": (
        "予定 #{number} の変更や出欠の確認は、主催者と管理者だけができます。",
        "Only the organiser or an administrator can manage meeting #{number}.",
    ),
    "meetings.bad_date": (
        "「{text}」は日付として読めません（例: 2026-12-08）。",
        "“{text}” is not a date (e.g. 2026-12-08).",
    ),
    "meetings.attendance.usage": ("使い方: 出欠 #番号", "Usage: attendance #N"),
    "meetings.attendance.none": (
        "予定 #{number} にこれからの開催はありません。",
        "Meeting #{number} has no upcoming date.",
    ),
    "meetings.attendance.title": ("{when} {title} の出欠", "Attendance for {title} on {when}"),
    "meetings.attendance.row": ("{answer} {n}名: {names}", "{answer} {n}: {names}"),
    "meetings.attendance.town": ("{town} {n}名", "{town}: {n}"),
    "meetings.ical.name": ("つなぎ 予定", "tsunagi meetings"),
    "meetings.ical.group_name": ("つなぎ {group}", "tsunagi {group}"),
    "meetings.ical.url": (
        "あなた専用のカレンダーURLです（カレンダーアプリで「URLで追加」してください）:\n{url}\n"
        "このURLは他の人に教えないでください。表示は今回だけです。"
        "もう一度「予定 カレンダー」と送ると新しいURLになり、前のURLは使えなくなります。",
        "Your private calendar URL (add it to your calendar app as a subscription by URL):\n"
        '{url}\nDo not share it. It is shown only now; sending "meetings calendar" again '
        "gives a new URL and stops the old one.",
    ),
    "meetings.ical.group_url": (
        "ピアグループ「{group}」のカレンダーURLです（カレンダーアプリで「URLで追加」してください）:\n"
        "{url}\nグループの外には教えないでください。表示は今回だけです。"
        "もう一度「予定 カレンダー」と送ると新しいURLになり、前のURLは使えなくなります。",
        "The calendar URL of the peer group {group} (add it to your calendar app by URL):\n"
        "{url}\nDo not share it outside the group. It is shown only now; sending "
        '"meetings calendar" again gives a new URL and stops the old one.',
    ),
    "meetings.ical.off": (
        "カレンダー配信は設定されていません（管理者が公開URLを設定すると使えます）。",
        "Calendar feeds are not set up (an administrator needs to set the public URL).",
    ),
    "meetings.reminder.7d": ("【1週間後の予定】{title}", "[In one week] {title}"),
    "meetings.reminder.1d": ("【明日の予定】{title}", "[Tomorrow] {title}"),
    "meetings.reminder.morning": ("【本日の予定】{title}", "[Today] {title}"),
    "meetings.reminder.other": ("【予定のお知らせ】{title}", "[Upcoming] {title}"),
    "meetings.reminder.when": ("日時: {when}", "When: {when}"),
    "meetings.reminder.place": ("場所: {place}", "Where: {place}"),
    "meetings.reminder.late": (
        "（システム停止のため、このお知らせは遅れて届きました）",
        "(This reminder is late: the bot was down.)",
    ),
    "meetings.reminder.ask": ("出欠を選んでください。", "Will you attend?"),
    "meetings.reminder.nudge": (
        "まだ出欠の回答がありません。下のボタンから選んでください。",
        "You have not answered yet: please pick one below.",
    ),
    "meetings.prep.report": (
        "【活動報告（下書き）】前回からの記録です。",
        "[Activity report (draft)] Your records since the last meeting.",
    ),
    "meetings.prep.report_edit": (
        "トピックスや課題・提案を書き足して提出するには「活動報告 前回から」、エクセルは「活動報告 エクセル」。",
        "To add topics and proposals and submit it, send “activity-report since-last”; for Excel, “activity-report excel”.",
    ),
    "meetings.prep.agenda": ("【議題（案）】", "[Draft agenda]"),
    "meetings.prep.agenda.0": ("前回確認事項", "Follow-ups from last time"),
    "meetings.prep.agenda.1": ("活動報告", "Activity reports"),
    "meetings.prep.agenda.2": ("課題・提案", "Issues and proposals"),
    "meetings.prep.agenda.3": ("相談・依頼", "Consultations and requests"),
    "meetings.prep.agenda.4": ("次回日程", "Next meeting date"),
    "meetings.prep.invite": (
        "話し合いたい悩みや、役に立ったヒントを送ってください（グループのチャンネルで"
        "「悩み 内容」「ヒント 内容」）。当日の朝にまとめてお知らせします。",
        "Send a worry to discuss or a tip that helped (in the group's channel: "
        "「悩み 内容」 or 「ヒント 内容」). They are listed on the morning of the meeting.",
    ),
    "meetings.prep.notes": (
        "【集まった悩み・ヒント】{n}件",
        "[Worries and tips collected] {n}",
    ),
    "meetings.prep.note": ("・{kind}: {text}", "• {kind}: {text}"),
    "meetings.prep.more_notes": ("ほか{n}件", "and {n} more"),
    "meetings.summary_push.intro": (
        "【週のまとめ】先週の記録をお届けします。",
        "[Weekly summary] Here is last week's summary.",
    ),
    "minutes.help": (
        "会議記録を入力しています。「戻る」で前の質問へ、「キャンセル」で記録をやめます。",
        "You are recording a meeting. Send “back” for the previous question, “cancel” to stop.",
    ),
    "minutes.usage": (
        "「会議記録 #番号」と送ってください（番号は「予定」で表示される会議の番号）。",
        "Send “minutes #number” (the meeting's number shown by “meetings”).",
    ),
    "minutes.no_past": (
        "予定 #{number} はまだ開催されていません。",
        "Meeting #{number} has not been held yet.",
    ),
    "minutes.ask_date": (
        "{meeting} の会議記録をつけます。開催日はいつですか？（例: 11/10）",
        "Recording {meeting}. On which day was it held? (e.g. 11/10)",
    ),
    "minutes.bad_date": (
        "日付が読み取れません。11/10 のように、今日までの日付を入力してください。",
        "Cannot read the date. Type a day up to today, like 11/10.",
    ),
    "minutes.ask_ordinal": (
        "第何回の会議ですか？（数字で入力できます）",
        "Which meeting of the series was it (its number)?",
    ),
    "minutes.nth": ("第{n}回", "No. {n}"),
    "minutes.bad_ordinal": (
        "回次は 3 や 第3回 のように入力してください。",
        "Type the meeting's number, like 3.",
    ),
    "minutes.ask_attendance": (
        "出席は何人中何名でしたか？（例: 12人中9名、または 12 9）",
        "How many were expected and how many came? (e.g. 12 9)",
    ),
    "minutes.bad_attendance": (
        "「12人中9名」または「12 9」のように、予定人数と出席者数を入力してください"
        "（出席者数は予定人数以下）。",
        "Type the number expected and the number present, like “12 9” "
        "(no more present than expected).",
    ),
    "minutes.out_of": ("{total}人中{present}名", "{present} of {total}"),
    "minutes.ask_breakdown": (
        "出席者の内訳を入力してください（例: 地縁組織4 関係機関3 多様な主体2 行政1 SC1）。",
        "Who came, by organisation type? (e.g. 地縁組織4 関係機関3 多様な主体2 行政1 SC1)",
    ),
    "minutes.bad_breakdown": (
        "「地縁組織4 関係機関3」のように、種別と人数を入力してください（合計{present}名まで）。"
        "種別: 地縁組織・関係機関・多様な主体・行政・SC",
        "Type each type with its count, like “地縁組織4 関係機関3” (at most {present} in all). "
        "Types: 地縁組織, 関係機関, 多様な主体, 行政, SC",
    ),
    "minutes.ask_agenda": ("議題は何でしたか？", "What was on the agenda?"),
    "minutes.ask_issues_raised": (
        "出された課題（課題提起）を入力してください。",
        "Which issues were raised?",
    ),
    "minutes.ask_raised_by": (
        "課題を提起したのは誰ですか？（名前ではなく立場で）",
        "Who raised them? (their role, not their name)",
    ),
    "minutes.raiser.0": ("第2層協議体", "2nd-layer council"),
    "minutes.raiser.1": ("SC", "Coordinator (SC)"),
    "minutes.raiser.2": ("住民", "Residents"),
    "minutes.raiser.3": ("行政", "Municipality"),
    "minutes.raiser.4": ("包括", "Community general support centre"),
    "minutes.raiser.5": ("その他", "Other"),
    "minutes.ask_decisions": ("決まったこと（決定事項）を入力してください。", "What was decided?"),
    "minutes.ask_follow_up": ("今後の扱いはどうなりますか？", "What happens next with it?"),
    "minutes.follow_up.0": ("行政各課で共有", "Shared with the municipality's sections"),
    "minutes.follow_up.1": ("第2層へ返す", "Returned to the 2nd layer"),
    "minutes.follow_up.2": ("次回継続", "Continued next time"),
    "minutes.follow_up.3": ("その他", "Other"),
    "minutes.ask_next_meeting": (
        "次回の予定を入力してください（例: 1月12日 14:00）。",
        "When is the next meeting? (e.g. 12 Jan 14:00)",
    ),
    "minutes.pick": ("番号で選んでください。", "Please pick one by its number."),
    "minutes.ask_confirm": (
        "この内容で記録しますか？",
        "Save this record?",
    ),
    "minutes.save": ("保存", "Save"),
    "minutes.save_again": (
        "「保存」で記録します。やめるときは「キャンセル」、直すときは「戻る」。",
        "Send “save” to save it, “cancel” to stop, or “back” to change an answer.",
    ),
    "minutes.saved": ("会議記録 #{number} を記録しました。", "Meeting record #{number} saved."),
    "minutes.card_title": ("会議記録", "Meeting record"),
    "minutes.prompt": (
        "会議記録を残しましょう：{command}\n（{when} {title}）",
        "Please record the minutes: {command}\n({when} {title})",
    ),
    "minutes.prompt.command": ("会議記録 #{number}", "minutes #{number}"),
    "minutes.list.title": ("最近の会議記録", "Latest meeting records"),
    "minutes.list.of_series": ("{meeting} の会議記録", "Records of {meeting}"),
    "minutes.list.item": (
        "・#{number} {date} {nth} {title}（{kind}） 出席 {attendance}",
        "• #{number} {date} {nth} {title} ({kind}) attendance {attendance}",
    ),
    "minutes.list.empty": (
        "会議記録はまだありません。会議のあとに「会議記録 #予定の番号」で記録できます。",
        "No meeting records yet. After a meeting, send “minutes #meeting number” to record it.",
    ),
    "minutes.list.hint": (
        "番号を送ると全文を表示します（例: #{example}）。",
        "Send a number to see a record in full (e.g. #{example}).",
    ),
    "minutes.list.usage": (
        "使い方: 会議記録（最近の記録）／会議記録 一覧 #予定の番号／会議記録 #予定の番号（記録する）",
        "Usage: minutes (the latest) / minutes list #meeting / minutes #meeting (record one)",
    ),
    "minutes.view.title": ("会議記録 #{number}", "Meeting record #{number}"),
    "minutes.field.meeting": ("会議", "Meeting"),
    "minutes.field.date": ("開催日", "Held on"),
    "minutes.field.ordinal": ("回次", "No."),
    "minutes.field.attendance": ("出席", "Attendance"),
    "minutes.field.breakdown": ("内訳", "By type"),
    "minutes.field.agenda": ("議題", "Agenda"),
    "minutes.field.issues": ("課題提起", "Issues raised"),
    "minutes.field.raised_by": ("提起者", "Raised by"),
    "minutes.field.decisions": ("決定事項", "Decisions"),
    "minutes.field.follow_up": ("今後の扱い", "Follow-up"),
    "minutes.field.next": ("次回", "Next meeting"),
}
