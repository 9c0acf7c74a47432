"""The openai SDK's client and its errors, shared by the chat and speech backends: one
factory and one mapping of the SDK's exceptions to one-line errors."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from profai_cli.core.errors import ServiceError
from profai_cli.core.urls import parse_address

if TYPE_CHECKING:
    from openai import AsyncOpenAI

from profai_cli.core.config import OPENAI_DEFAULT_URL as OPENAI_DEFAULT_URL  # re-exported


def make_client(
    *,
    base_url: str,
    api_key: str | None,
    connect_timeout: float,
    idle_timeout: float,
    max_retries: int,
) -> AsyncOpenAI:
    """The SDK client with our connect and read limits. A user and password in the
    address go as basic auth (in place of the key, as curl and httpx send them), never
    in the address the SDK is given."""
    from openai import AsyncOpenAI, DefaultAsyncHttpxClient, Timeout

    address = parse_address(base_url, "--base-url")
    auth = address.basic_auth
    return AsyncOpenAI(
        base_url=address.url,
        # Local servers (Ollama, llama.cpp) need no key, but the SDK insists on one.
        api_key=api_key or "not-needed",
        timeout=Timeout(idle_timeout, connect=connect_timeout),
        max_retries=max_retries,
        default_headers={"Authorization": auth} if auth else None,
        # An API does not redirect: a redirect is a login page or a moved address, said
        # in one line (redirect_error), as the first request sent early says it.
        http_client=DefaultAsyncHttpxClient(follow_redirects=False),
    )


def redirect_error(base_url: str, status: int, location: str | None) -> ServiceError:
    """A chat or speech request redirected: no OpenAI-compatible API answers there."""
    from profai_cli.core.safe_text import mask_url, strip_controls

    where = f" to {mask_url(strip_controls(location))[:100]}" if location else ""
    return ServiceError(
        f"{base_url} redirects{where} (HTTP {status}): no chat API answers there; check "
        "--base-url (a login page, such as a hotel's Wi-Fi, or a moved address?)",
        status=status,
    )


def not_a_chat(base_url: str, content_type: str | None, head: bytes | str = b"") -> ServiceError:
    """A 200 that is not the JSON or server-sent events a chat asked for."""
    from profai_cli.core.safe_text import strip_controls

    text = head.decode("utf-8", "replace") if isinstance(head, bytes) else head
    seen = " ".join(strip_controls(text).split())[:60]
    kind = (content_type or "").split(";")[0].strip() or "something"
    return ServiceError(
        f"{base_url} answered with {kind}"
        + (f" ({seen!r})" if seen else "")
        + ", not a chat answer; check --base-url (a login page, or a web UI at that address?)"
    )


def not_chat_type(content_type: str | None, stream: bool) -> bool:
    """A content type no chat answer has: a page, text, XML (JSON for a stream is an error
    body, read as one)."""
    kind = (content_type or "").lower()
    if "html" in kind or "xml" in kind:
        return True
    return kind.startswith("text/") and not (stream and "event-stream" in kind)


def status_error(status: int, detail: str, base_url: str, model: str) -> ServiceError:
    """An HTTP error status as one line naming the server and the fix (never the key)."""
    if status == 401:
        return ServiceError(
            f"{base_url} rejected the API key (401); set a valid OPENAI_API_KEY or pass --api-key",
            status=401,
        )
    if status == 403:
        return ServiceError(
            f"{base_url} refused access (403); check the key's project and permissions", status=403
        )
    if status == 404:
        return ServiceError(
            f"{base_url} has no model '{model}' (404); pass --model with one it "
            f"serves (see {base_url}/models)",
            status=404,
        )
    if status == 429:
        return ServiceError(
            f"{base_url} is rate limiting requests (429) even after retries; "
            "wait a minute and try again",
            status=429,
            retryable=True,
        )
    return ServiceError(
        f"{base_url} answered HTTP {status}: {detail}; try again later or check the server's log",
        status=status,
        retryable=status >= 500,
    )


def broken_error(base_url: str, what: str) -> ServiceError:
    """A connection that broke off mid-response."""
    return ServiceError(
        f"connection to {base_url} broke mid-response ({what}); try again", retryable=True
    )


def map_openai_error(exc: BaseException, base_url: str, model: str) -> BaseException:
    """The SDK's exceptions as one line naming the server and the fix (never the key)."""
    if isinstance(exc, ServiceError) or isinstance(exc, asyncio.CancelledError):
        return exc
    import openai

    if isinstance(exc, openai.APITimeoutError):
        return ServiceError(
            f"{base_url} did not answer in time; check the server or try again",
            retryable=True,
            unreachable=True,
        )
    if isinstance(exc, openai.APIConnectionError) and _answered(exc):
        return ServiceError(
            f"{base_url} closed the connection before a whole answer "
            f"({type(exc.__cause__).__name__}); check the server, and try again",
            retryable=True,
        )
    if isinstance(exc, openai.APIConnectionError):
        return ServiceError(
            f"cannot connect to {base_url}; check --base-url and that the server is running",
            retryable=True,
            unreachable=True,
        )
    if isinstance(exc, openai.APIStatusError):
        if 300 <= exc.status_code < 400:
            return redirect_error(base_url, exc.status_code, exc.response.headers.get("location"))
        return status_error(exc.status_code, _short(exc), base_url, model)
    if isinstance(exc, openai.APIError):
        return ServiceError(
            f"{base_url} failed mid-response: {_short(exc)}; try again", retryable=True
        )
    if isinstance(exc, (ConnectionError, OSError)):
        return ServiceError(f"connection to {base_url} broke: {exc}; try again", retryable=True)
    if type(exc).__module__.split(".")[0] in ("httpx", "httpx2", "httpcore", "h11"):
        return broken_error(base_url, type(exc).__name__)
    if isinstance(exc, ValueError):  # junk in the stream: not JSON, not UTF-8
        return ServiceError(
            f"{base_url} sent something that is not a chat stream ({type(exc).__name__}); "
            "check that --base-url is an OpenAI-compatible API",
            retryable=True,
        )
    return exc


def _answered(exc: BaseException) -> bool:
    """The connection was made (a read broke, not the connect): not "cannot connect"."""
    cause = exc.__cause__
    name = type(cause).__name__ if cause is not None else ""
    return bool(name) and "Connect" not in name and not isinstance(cause, ConnectionRefusedError)


def _short(exc: Any) -> str:
    message = getattr(exc, "message", None) or str(exc)
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            message = str(inner["message"])
    message = " ".join(str(message).split())
    return message[:160]
