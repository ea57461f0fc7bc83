"""The fake LINE platform as the benchmarks need it: every reply token of the form
`<userId>:<anything>` is live (once), so a webhook body built offline can be answered by reply.

    python -m bench.fake_line --port 8100     (serves until stopped; GET /bench/stats counts)
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route

from bench.common import ACCESS_TOKEN
from bot.fakes.line_platform import create_fake_line_app
from bot.fakes.line_state import FakeLineState


@dataclass
class BenchLineState(FakeLineState):
    """A fake LINE whose reply tokens need not be issued first (each is still single-use)."""

    used_tokens: set[str] = field(default_factory=set)

    def redeem_reply_token(self, token: Any) -> str | None:
        if not isinstance(token, str) or ":" not in token or token in self.used_tokens:
            return None
        self.used_tokens.add(token)
        return token.split(":", 1)[0]


def create_app(state: BenchLineState) -> Starlette:
    """Return the fake with a /bench/stats route (deliveries and calls so far)."""

    async def stats(_request: Request) -> JSONResponse:
        with state.lock:
            return JSONResponse({"deliveries": len(state.deliveries), "calls": len(state.calls)})

    return Starlette(routes=[Route("/bench/stats", stats), Mount("/", create_fake_line_app(state))])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    state = BenchLineState(access_token=ACCESS_TOKEN)
    uvicorn.run(create_app(state), host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
