"""The first requests of a lecture, sent before the openai SDK has loaded.

Importing the SDK takes 0.6 s on a two-core machine, longer than the model takes to
start answering; a lecture's first chat request, and its first sentences' speech,
should not wait for it. So they go out at once over the standard library's
http.client, each on a thread of its own, and the event loop reads what comes when
it is ready. Only the happy path is handled here: any answer but 200 (or a failure
to connect) is handed back to the SDK, which retries (one time fewer: this was the
first try) and maps errors as for every other request; an answer the SDK would not
try again (401, 404, 400...) is mapped here at once, to the same words.
"""

from __future__ import annotations

import asyncio
import collections
import http.client
import json
import os
import ssl
import threading
import urllib.parse
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, Generic, NamedTuple, TypeVar

T = TypeVar("T")

_PROXY_VARS = ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "https_proxy", "http_proxy", "all_proxy")


def usable(base_url: str) -> bool:
    """True when a plain request reaches the server as the SDK would (no proxy): else
    the SDK sends every request, as it knows how. ``base_url`` has no user info (it was
    taken out by core.urls, and goes as ``headers(auth=...)``)."""
    parts = urllib.parse.urlsplit(base_url)
    return (
        parts.scheme in ("http", "https")
        and "@" not in parts.netloc
        and not any(os.environ.get(v) for v in _PROXY_VARS)
    )


def headers(api_key: str | None, auth: str | None = None) -> dict[str, str]:
    """What the SDK would send that a server may need (``auth``: the address's basic
    auth, sent in place of the key as the SDK sends it)."""
    out = {
        "Authorization": auth or f"Bearer {api_key or 'not-needed'}",
        "Content-Type": "application/json",
        "User-Agent": "profai",
    }
    for env, name in (
        ("OPENAI_ORG_ID", "OpenAI-Organization"),
        ("OPENAI_PROJECT_ID", "OpenAI-Project"),
    ):
        if os.environ.get(env):
            out[name] = os.environ[env]
    return out


class Refused(Exception):
    """The server did not answer 200 (or could not be reached): the SDK takes over."""

    def __init__(
        self,
        status: int | None,
        body: bytes = b"",
        retry_after: str | None = None,
        location: str | None = None,
    ):
        super().__init__(f"HTTP {status}" if status else "no connection")
        self.status = status
        self.body = body
        self.retry_after = retry_after
        self.location = location  # where a redirect points

    @property
    def retryable(self) -> bool:
        """What the SDK would try again: no answer, 408, 409, 429 and 5xx."""
        return self.status is None or self.status in (408, 409, 429) or self.status >= 500

    def backoff(self) -> float:
        """Seconds to wait before the SDK asks again: as the SDK itself would wait after
        a first failure (Retry-After when the server says, else half a second)."""
        try:
            wanted = float(self.retry_after) if self.retry_after else 0.5
        except ValueError:
            wanted = 0.5
        return max(0.0, min(wanted, 60.0))

    def message(self) -> str:
        try:
            data = json.loads(self.body)
            error = data.get("error", data) if isinstance(data, dict) else {}
            text = error.get("message") if isinstance(error, dict) else None
        except ValueError:
            text = None
        return " ".join(str(text or self.body[:160].decode("utf-8", "replace")).split())[:160]


class NotAChat(Refused):
    """A 200 that is not the server-sent events asked for (a page, a line without end)."""

    def __init__(self, content_type: str | None, head: bytes) -> None:
        super().__init__(200, head)
        self.content_type = content_type


class Broken(Exception):
    """The answer broke off after it had begun (a dropped connection)."""

    def __init__(self, cause: BaseException) -> None:
        super().__init__(f"{type(cause).__name__}: {cause}")


class EarlyRequest(Generic[T]):
    """One POST on a thread of its own; its answer read as items on the event loop."""

    def __init__(
        self,
        url: str,
        body: dict[str, Any],
        head: dict[str, str],
        parse: Callable[[http.client.HTTPResponse], Iterator[T]],
        *,
        connect_timeout: float = 10.0,
    ) -> None:
        self.url = url
        self._body = json.dumps(body).encode()
        self._head = head
        self._parse = parse
        self._connect_timeout = connect_timeout
        self._items: collections.deque[T] = collections.deque()
        self._done = False
        self._error: BaseException | None = None
        self._lock = threading.Lock()
        self._wake: Callable[[], None] | None = None
        self._conn: http.client.HTTPConnection | None = None
        self._started = False  # an item came: a failure now is a broken answer
        self._thread = threading.Thread(target=self._run, name="early-request", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        parts = urllib.parse.urlsplit(self.url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        conn: http.client.HTTPConnection | None = None
        try:
            if parts.scheme == "https":
                conn = http.client.HTTPSConnection(
                    parts.hostname or "",
                    parts.port,
                    timeout=self._connect_timeout,
                    context=ssl.create_default_context(),
                )
            else:
                conn = http.client.HTTPConnection(
                    parts.hostname or "", parts.port, timeout=self._connect_timeout
                )
            # Never opened again behind close()'s back: a request on a closed connection
            # would open a new socket that nothing then closes.
            conn.auto_open = 0
            self._conn = conn
            conn.connect()
            if conn.sock is not None:
                conn.sock.settimeout(None)  # connected: the caller's own limits apply now
            conn.request("POST", path, body=self._body, headers=self._head)
            response = conn.getresponse()
            if response.status != 200:
                raise Refused(
                    response.status,
                    response.read(4096),
                    response.getheader("retry-after"),
                    response.getheader("location"),
                )
            for item in self._parse(response):
                self._put(item)
        except Exception as exc:  # handed to the event loop, raised there
            with self._lock:
                started = self._started
            if started:  # words came first: the answer broke (continued, not asked again)
                self._error = Broken(exc)
            elif isinstance(exc, Refused):
                self._error = exc
            else:
                self._error = Refused(None, str(exc).encode())
        finally:
            with self._lock:
                self._done = True
                wake = self._wake
            _call(wake)
            self.close()
            if conn is not None:
                conn.close()  # close() closed it, unless close() ran before it was set

    def _put(self, item: T) -> None:
        with self._lock:
            self._items.append(item)
            self._started = True
            wake = self._wake
        _call(wake)

    async def items(self) -> AsyncIterator[T]:
        """The answer's items as they come; Refused before the first one if it failed."""
        loop = asyncio.get_running_loop()
        event = asyncio.Event()

        def wake() -> None:
            loop.call_soon_threadsafe(event.set)

        with self._lock:
            self._wake = wake
        try:
            while True:
                with self._lock:
                    batch = list(self._items)
                    self._items.clear()
                    done, error = self._done, self._error
                    if not batch and not done:
                        event.clear()
                for item in batch:
                    yield item
                if not batch:
                    if done:
                        if error is not None:
                            raise error
                        return
                    await event.wait()
        finally:
            with self._lock:
                self._wake = None
            self.close()

    def close(self) -> None:
        """Stop reading: the thread's read fails at once, and it ends."""
        with self._lock:
            conn, self._conn = self._conn, None
        if conn is not None:
            sock = conn.sock
            try:
                if sock is not None:
                    import socket

                    sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            conn.close()


def _call(wake: Callable[[], None] | None) -> None:
    try:
        if wake is not None:
            wake()
    except RuntimeError:  # the event loop has closed: nobody is reading any more
        pass


MAX_LINE = 1 << 20  # an event's line: a delta is a few words, a 50 MB line is not one


def sse_events(response: http.client.HTTPResponse) -> Iterator[dict[str, Any]]:
    """The JSON events of a server-sent event stream, up to [DONE]; NotAChat for a page
    or anything else that is not one."""
    kind = response.getheader("content-type")
    if not kind or "event-stream" not in kind.lower():
        raise NotAChat(kind, response.read(256))
    data: list[bytes] = []
    while True:
        line = response.readline(MAX_LINE + 1)
        if not line:
            return
        if len(line) > MAX_LINE:
            raise NotAChat(kind, b"a line of over 1 MB")
        line = line.rstrip(b"\r\n")
        if line.startswith(b"data:"):
            data.append(line[5:].lstrip())
        elif not line and data:
            payload = b"\n".join(data)
            data = []
            if payload.startswith(b"[DONE]"):
                return
            try:
                event = json.loads(payload)
            except ValueError:  # a junk line, or bytes that are not UTF-8
                raise Refused(502, b"a line of the stream that is not JSON") from None
            if isinstance(event, dict):
                if event.get("error"):
                    raise Refused(500, payload)
                yield event


class Head(NamedTuple):
    """A speech answer's headers, handed on before its bytes (to be checked there)."""

    content_type: str | None
    content_length: str | None


def audio_chunks(response: http.client.HTTPResponse) -> Iterator[bytes | Head]:
    """A speech answer's headers, then its bytes (service/speech_answer.py checks both)."""
    yield Head(response.getheader("content-type"), response.getheader("content-length"))
    yield from byte_chunks(response)


def byte_chunks(response: http.client.HTTPResponse) -> Iterator[bytes]:
    """The body as it comes, in pieces of a few kilobytes."""
    while True:
        data = response.read1(8192)
        if not data:
            return
        yield data
