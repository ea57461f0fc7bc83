"""The Messaging API calls tsunagi makes, through line-bot-sdk v3, each with a timeout.

Outcomes come back as a small `Sent` value (status, Retry-After, body), never as an SDK
exception, so the outbox logic can decide what to do without knowing the SDK.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the SDK (pydantic models) costs ~1 s to import: loaded at the first call
    from linebot.v3.messaging import MessagingApi, MessagingApiBlob

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 10.0
MAX_CONTENT_BYTES = 10 * 1024 * 1024  # the SDK has no default timeout of its own for sync calls


@dataclass(frozen=True)
class Sent:
    """What the platform answered to one call (status 0: no answer, e.g. a timeout)."""

    status: int
    retry_after: float | None = None
    body: str = ""

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


class LineApi:
    """A thin client for reply, push and profile calls."""

    def __init__(
        self,
        *,
        base_url: str,
        access_token: str,
        data_base_url: str | None = None,
        timeout: float = TIMEOUT_SECONDS,
    ) -> None:
        self._hosts = (base_url.rstrip("/"), (data_base_url or base_url).rstrip("/"))
        self._access_token = access_token
        self._timeout = timeout
        self._clients: tuple[MessagingApi, MessagingApiBlob] | None = None
        self._clients_lock = threading.Lock()

    @property
    def _api(self) -> MessagingApi:
        return self._sdk()[0]

    @property
    def _blob(self) -> MessagingApiBlob:
        return self._sdk()[1]  # content lives on the api-data host

    def warm_up(self) -> None:
        """Import the SDK and build its clients now (in the background after start-up), so the
        first answer does not wait for the import."""
        self._sdk()

    def _sdk(self) -> tuple[MessagingApi, MessagingApiBlob]:
        """Return the SDK clients, importing and building them on first use."""
        with self._clients_lock:
            if self._clients is None:
                from linebot.v3.messaging import (
                    ApiClient,
                    Configuration,
                    MessagingApi,
                    MessagingApiBlob,
                )

                api, data = (
                    Configuration(host=host, access_token=self._access_token)
                    for host in self._hosts
                )
                self._clients = (MessagingApi(ApiClient(api)), MessagingApiBlob(ApiClient(data)))
            return self._clients

    def reply(self, reply_token: str, messages: list[dict[str, Any]]) -> Sent:
        """Answer with a reply token (single use, valid for a short time)."""
        from linebot.v3.messaging import ReplyMessageRequest

        request = ReplyMessageRequest.from_dict({"replyToken": reply_token, "messages": messages})
        return self._call(
            lambda: self._api.reply_message_with_http_info(
                request, _request_timeout=self._timeout, _preload_content=False
            )
        )

    def push(self, to: str, messages: list[dict[str, Any]], *, retry_key: str) -> Sent:
        """Push messages; a repeat with the same retry key is never shown twice (409)."""
        from linebot.v3.messaging import PushMessageRequest

        request = PushMessageRequest.from_dict({"to": to, "messages": messages})
        return self._call(
            lambda: self._api.push_message_with_http_info(
                request,
                x_line_retry_key=retry_key,
                _request_timeout=self._timeout,
                _preload_content=False,  # the answer's body is not used: no model built for it
            )
        )

    def content(self, message_id: str) -> tuple[bytes, str] | None:
        """Download a photo's bytes and content type, or None when it can't be had or is too big."""
        try:
            response = self._blob.get_message_content_with_http_info(
                message_id, _request_timeout=self._timeout
            )
        except Exception:
            log.warning("LINE content download failed", exc_info=True)
            return None
        data = bytes(response.data)
        if len(data) > MAX_CONTENT_BYTES:
            return None
        content_type = (response.headers or {}).get("Content-Type", "application/octet-stream")
        return data, str(content_type)

    def display_name(self, user_id: str) -> str | None:
        """Return a user's LINE display name, or None when it can't be had."""
        try:
            profile = self._api.get_profile(user_id, _request_timeout=self._timeout)
        except Exception:  # the name is a courtesy: registration must not fail for it
            log.warning("LINE profile lookup failed", exc_info=True)
            return None
        return str(profile.display_name) if profile.display_name else None

    def _call(self, call: Any) -> Sent:
        from linebot.v3.messaging import ApiException

        try:
            response = call()
        except ApiException as exc:
            headers = exc.headers or {}
            retry_after = _seconds(headers.get("Retry-After") or headers.get("retry-after"))
            return Sent(int(exc.status or 0), retry_after, str(exc.body or "")[:500])
        except Exception as exc:  # network errors and timeouts: retried by the outbox
            log.warning("LINE API call failed: %s", type(exc).__name__)
            return Sent(0, None, type(exc).__name__)
        return Sent(int(response.status_code))


def _seconds(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None
