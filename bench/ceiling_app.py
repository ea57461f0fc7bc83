"""The ceiling: a bare ASGI callable that reads the body, verifies X-Line-Signature and answers
200 — nothing a webhook can do costs less. Served by uvicorn like `tsunagi serve`.

    python -m bench.ceiling_app --port 8200
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
from typing import Any

import uvicorn

from bench.common import SECRET

KEY = SECRET.encode()


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Verify the signature of a POST body; 200 when it matches, else 400."""
    if scope["type"] != "http":
        return
    body, more = b"", True
    while more:
        message = await receive()
        body += message.get("body", b"")
        more = message.get("more_body", False)
    signature = dict(scope["headers"]).get(b"x-line-signature", b"").decode()
    expected = base64.b64encode(hmac.new(KEY, body, hashlib.sha256).digest()).decode()
    status = 200 if scope["method"] == "GET" or hmac.compare_digest(expected, signature) else 400
    await send({"type": "http.response.start", "status": status, "headers": []})
    await send({"type": "http.response.body", "body": b"{}"})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
