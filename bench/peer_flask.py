"""The peer: an echo bot written the way line-bot-sdk's README shows it (Flask, WebhookHandler,
reply_message inside the request), served by gunicorn; its replies go to the fake LINE API.

    BENCH_LINE_API=http://127.0.0.1:8100 gunicorn -w 5 -b 127.0.0.1:8300 bench.peer_flask:app
"""

from __future__ import annotations

import os

from flask import Flask, abort, request
from linebot.v3 import WebhookHandler
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.messaging import (
    ApiClient,
    Configuration,
    MessagingApi,
    ReplyMessageRequest,
    TextMessage,
)
from linebot.v3.webhooks import MessageEvent, TextMessageContent

from bench.common import ACCESS_TOKEN, SECRET

app = Flask(__name__)
configuration = Configuration(
    access_token=ACCESS_TOKEN, host=os.environ.get("BENCH_LINE_API", "https://api.line.me")
)
handler = WebhookHandler(SECRET)


@app.route("/healthz", methods=["GET"])
def healthz() -> str:
    return "OK"


@app.route("/callback", methods=["POST"])
def callback() -> str:
    signature = request.headers["X-Line-Signature"]
    body = request.get_data(as_text=True)
    try:
        handler.handle(body, signature)
    except InvalidSignatureError:
        abort(400)
    return "OK"


@handler.add(MessageEvent, message=TextMessageContent)
def handle_message(event: MessageEvent) -> None:
    with ApiClient(configuration) as api_client:
        line_bot_api = MessagingApi(api_client)
        line_bot_api.reply_message_with_http_info(
            ReplyMessageRequest(
                reply_token=event.reply_token,
                messages=[TextMessage(text=event.message.text)],
            )
        )
