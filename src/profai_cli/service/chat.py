"""Any OpenAI-compatible chat service: OpenAI, Ollama, llama.cpp server, vLLM, LM Studio."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable
from typing import TYPE_CHECKING, Any, TypeVar

from profai_cli.core.errors import ServiceError, StreamCut
from profai_cli.core.prompts import STEER_RULE, STEERS, LectureRequest, build_messages
from profai_cli.core.urls import parse_address
from profai_cli.llm.answer import answer_messages
from profai_cli.llm.base import Report
from profai_cli.llm.continuation import stitch
from profai_cli.service.client import (
    OPENAI_DEFAULT_URL,
    broken_error,
    make_client,
    map_openai_error,
    not_a_chat,
    not_chat_type,
    redirect_error,
    status_error,
)

if TYPE_CHECKING:
    from profai_cli.service.early import EarlyRequest

T = TypeVar("T")


DEFAULT_MODEL = "gpt-4o-mini"


class OpenAIChat:
    def __init__(
        self,
        *,
        model: str,
        base_url: str | None,
        api_key: str | None,
        connect_timeout: float = 10.0,
        first_token_timeout: float = 60.0,
        idle_timeout: float = 30.0,
        max_retries: int = 2,
    ) -> None:
        self.model = model
        raw = (base_url or OPENAI_DEFAULT_URL).rstrip("/")
        address = parse_address(raw, "--base-url")
        self.url = address.url  # where requests go: no user info
        self.base_url = address.shown  # what is shown: never a password
        self._auth = address.basic_auth
        self.api_key = api_key
        self.connect_timeout = connect_timeout
        self.first_token_timeout = first_token_timeout
        self.idle_timeout = idle_timeout
        self.name = f"{model} at {self.base_url}"
        # The SDK's own read limit only backs up ours (and its retries of a read time-out
        # would multiply the wait): ours bound the whole wait, retries included.
        self._client_options: dict[str, Any] = {
            "base_url": raw,
            "api_key": api_key,
            "connect_timeout": connect_timeout,
            "idle_timeout": max(first_token_timeout, idle_timeout) + 5,
            "max_retries": max_retries,
        }
        self._client: Any = None  # the SDK's, made (and imported) off the event loop
        self._early: tuple[list[dict[str, str]], EarlyRequest[dict[str, Any]]] | None = None

    def send_early(self, request: LectureRequest) -> None:
        """Send the lecture's request now, before the SDK has loaded (see early.py); the
        first stream() of the same request reads its answer."""
        from profai_cli.service import early

        if self._early is None and early.usable(self.url):
            messages = lecture_messages(request, "")
            body = {"model": self.model, "messages": messages, "stream": True, "temperature": 0.7}
            sent = early.EarlyRequest(
                f"{self.url}/chat/completions",
                body,
                early.headers(self.api_key, self._auth),
                early.sse_events,
                connect_timeout=self.connect_timeout,
            )
            self._early = (messages, sent)

    async def client(self) -> Any:
        """The SDK client; the first call imports the SDK on a thread (0.6 s here)."""
        if self._client is None:
            self._client = await asyncio.to_thread(make_client, **self._client_options)
        return self._client

    def planned_minutes(self, request: LectureRequest) -> float | None:
        return None  # the model writes to the length asked

    def wait_for_voice(self, begun: asyncio.Event) -> None:
        pass  # the service's work is not on this machine's cores

    def report(self) -> Report:
        return Report()

    async def aclose(self) -> None:
        if self._early is not None:
            self._early[1].close()
            self._early = None
        if self._client is not None:
            await self._client.close()

    async def _explained(self, error: BaseException) -> BaseException:
        """A missing model's error, with the models the server does serve."""
        if not isinstance(error, ServiceError) or error.status != 404:
            return error
        from profai_cli.service.models import missing_model_hint

        hint = await asyncio.to_thread(
            missing_model_hint, self._client_options["base_url"], self.api_key
        )
        if not hint:
            return error
        return ServiceError(f"{error.message.split(' (see ')[0]}: {hint}", status=404)

    async def stream(self, request: LectureRequest, partial: str = "") -> AsyncIterator[str]:
        """Deltas until the model's own end; StreamCut if the stream ends any other way."""
        async for delta in self.stream_messages(lecture_messages(request, partial)):
            yield delta

    async def generate(
        self, messages: list[dict[str, str]], max_tokens: int, attempt: int = 0
    ) -> str:
        """One short answer whole (a note's explanation): what came before a length limit
        is kept, its cut sentence is the caller's to drop."""
        parts: list[str] = []
        try:
            async for delta in self.stream_messages(
                messages, max_tokens=max_tokens, seed=True, attempt=attempt
            ):
                parts.append(delta)
        except StreamCut as cut:
            if cut.reason != "length":
                raise
        return "".join(parts)

    async def stream_messages(
        self,
        messages: list[dict[str, str]],
        max_tokens: int | None = None,
        seed: bool = False,
        attempt: int = 0,
    ) -> AsyncIterator[str]:
        """Any chat's deltas (a lecture, an answer), with the same limits and errors.
        ``seed``: the same messages get the same answer where the server can (llama.cpp,
        OpenAI mostly), so a lecture made again is the same lecture."""
        finish: str | None = None
        started = False  # the first words have come: from then on, the idle limit
        pieces = self._pieces(messages, max_tokens, seed, attempt)
        try:
            first, finish = await within(_first_words(pieces), self.first_token_timeout)
            if first:
                started = True
                yield first
                async for delta, reason in idle_limited(pieces, self.idle_timeout):
                    if delta:
                        yield delta
                    finish = reason or finish
        except TimeoutError:
            if not started:
                raise ServiceError(
                    f"{self.base_url} did not start the lecture within "
                    f"{self.first_token_timeout:g} s (--timeout); check the server, or "
                    "pass a larger --timeout for a slow model",
                    unreachable=True,  # another kind of request would wait the same
                ) from None
            raise StreamCut(
                f"{self.base_url} stopped sending for {self.idle_timeout:g} s mid-lecture "
                "(PROFAI_IDLE_TIMEOUT); try again, or pass --no-stream",
                reason="stalled",
            ) from None
        except Exception as exc:  # the SDK's error family, mapped to one line
            raise await self._explained(map_openai_error(exc, self.base_url, self.model)) from None
        finally:
            await pieces.aclose()
        if finish is None:
            raise StreamCut(
                f"{self.base_url} closed the lecture's stream before the end", reason="dropped"
            )
        if finish == "length":
            raise StreamCut(f"{self.model} reached its length limit", reason="length")
        if finish not in COMPLETE:
            raise ServiceError(
                f"{self.base_url} stopped the lecture early (finish reason '{finish}'"
                + (", its content filter" if finish == "content_filter" else "")
                + "); the lecture is incomplete: try again, or other notes or --model"
            )

    async def _pieces(
        self,
        messages: list[dict[str, str]],
        max_tokens: int | None = None,
        seed: bool = False,
        attempt: int = 0,
    ) -> AsyncGenerator[tuple[str, str | None], None]:
        """(words, finish reason) as they come: from the request sent early when it is
        this one and was answered, else from the SDK."""
        from profai_cli.service import early

        sent, self._early = self._early, None
        retries = self._client_options["max_retries"]
        if sent is not None and sent[0] == messages:
            try:
                async for event in sent[1].items():
                    for choice in event.get("choices") or ():
                        delta = choice.get("delta") or {}
                        yield str(delta.get("content") or ""), choice.get("finish_reason")
                return
            except early.NotAChat as odd:
                raise not_a_chat(self.base_url, odd.content_type, odd.body) from None
            except early.Refused as refused:
                if refused.status is not None and 300 <= refused.status < 400:
                    raise redirect_error(self.base_url, refused.status, refused.location) from None
                if refused.status is not None and not refused.retryable:
                    raise status_error(
                        refused.status, refused.message(), self.base_url, self.model
                    ) from None
                # Anything else: the SDK asks again, as its own second try.
                await asyncio.sleep(refused.backoff())
                retries = self._client_options["max_retries"] - 1
            except early.Broken as broken:
                raise broken_error(self.base_url, str(broken)) from None
        elif sent is not None:
            sent[1].close()
        client = await self.client()
        if retries != self._client_options["max_retries"]:
            client = client.with_options(max_retries=max(0, retries))
        limit: dict[str, Any] = {"max_tokens": max_tokens} if max_tokens else {}
        if seed:
            import zlib

            limit["seed"] = zlib.crc32(repr((messages, attempt)).encode())
        raw: Any = await client.chat.completions.with_raw_response.create(
            model=self.model,
            messages=messages,  # type: ignore[arg-type]
            stream=True,
            temperature=0.7,
            **limit,
        )
        kind = raw.headers.get("content-type")
        if not_chat_type(kind, stream=True):
            await raw.http_response.aclose()
            raise not_a_chat(self.base_url, kind)
        response = raw.parse()
        if not hasattr(response, "__aiter__"):  # the SDK hands back a page as text
            raise not_a_chat(self.base_url, kind, str(response))
        try:
            async for event in response:
                choices = getattr(event, "choices", None)
                if choices is None and not isinstance(event, dict):
                    raise not_a_chat(self.base_url, kind, str(event))
                for choice in choices or ():
                    delta = choice.delta.content if choice.delta else None
                    yield delta or "", choice.finish_reason
        finally:
            await response.close()

    async def complete(self, request: LectureRequest) -> str:
        """The whole lecture in one answer, continued while the model stops at its limit."""
        text = ""
        for _ in range(1 + MAX_CONTINUATIONS):
            try:
                client = await self.client()
                raw = await client.chat.completions.with_raw_response.create(
                    model=self.model,
                    messages=lecture_messages(request, text),  # type: ignore[arg-type]
                    temperature=0.7,
                    timeout=WHOLE_ANSWER_TIMEOUT,  # nothing comes before the whole lecture
                )
                kind = raw.headers.get("content-type")
                response: Any = None if not_chat_type(kind, stream=False) else raw.parse()
            except Exception as exc:
                mapped = map_openai_error(exc, self.base_url, self.model)
                raise await self._explained(mapped) from None
            if not hasattr(response, "choices"):  # a page, or text where JSON was asked for
                raise not_a_chat(self.base_url, kind, raw.text if response is None else "")
            choice = response.choices[0] if response.choices else None
            part = choice.message.content if choice is not None else None
            if not part or not part.strip():
                raise ServiceError(
                    f"{self.base_url} returned an empty lecture; try again or another --model"
                )
            text = stitch(text, part) if text else part
            reason = choice.finish_reason if choice is not None else None
            if reason in COMPLETE:
                return text
            if reason != "length":
                raise ServiceError(
                    f"{self.base_url} stopped the lecture early (finish reason '{reason}'); "
                    "the lecture is incomplete: try again, or other notes or --model"
                )
        raise ServiceError(f"{self.model} kept reaching its length limit; ask for fewer --minutes")


MAX_CONTINUATIONS = 3
# The finish reasons of a whole answer (OpenAI's "stop"; what compatible servers say).
COMPLETE = frozenset({"stop", "eos", "eos_token", "end_turn", "stop_sequence", "end"})
WHOLE_ANSWER_TIMEOUT = 600.0
CONTINUE = (
    "Your answer was cut off. Continue the lecture exactly where it stopped, starting "
    "with the very next words. Do not repeat anything and do not start over."
)


def lecture_messages(request: LectureRequest, partial: str) -> list[dict[str, str]]:
    """The lecture prompt; with a partial lecture, a request to go on from its last word,
    and each steer the listener asked for where it was asked, as one more message."""
    messages = build_messages(request)
    said = 0
    for steer in request.steers:
        if steer.at > said:
            messages.append({"role": "assistant", "content": partial[said : steer.at]})
        messages.append({"role": "user", "content": STEERS[steer.how].lecture + STEER_RULE})
        said = steer.at
    if partial[said:]:
        messages += [
            {"role": "assistant", "content": partial[said:]},
            {"role": "user", "content": CONTINUE},
        ]
    return messages


async def _first_words(pieces: AsyncIterator[tuple[str, str | None]]) -> tuple[str, str | None]:
    """Up to the model's first words: (the words, a finish reason if it came with them)."""
    async for words, finish in pieces:
        if words or finish:
            return words, finish
    return "", None


async def within(work: Awaitable[T], seconds: float) -> T:
    """``work``, or TimeoutError after ``seconds`` (its retries and all)."""
    if sys.version_info >= (3, 11):  # wait_for can swallow a Ctrl-C on 3.11, see below
        async with asyncio.timeout(seconds):
            return await work
    return await asyncio.wait_for(work, seconds)  # pragma: no cover


async def idle_limited(stream: Any, seconds: float) -> AsyncGenerator[Any, None]:
    """The stream's items; TimeoutError when none comes for `seconds`.

    asyncio.timeout around each item, not wait_for: on Python 3.11 wait_for can swallow
    a Ctrl-C that arrives together with an item, and the lecture would just go on.
    """
    iterator = stream.__aiter__()
    while True:
        try:
            if sys.version_info >= (3, 11):
                async with asyncio.timeout(seconds):
                    item = await iterator.__anext__()
            else:  # pragma: no cover
                item = await asyncio.wait_for(iterator.__anext__(), seconds)
        except StopAsyncIteration:
            return
        yield item


class ChatAnswerer:
    """A question asked of the service, beside the lecture's own request."""

    def __init__(self, chat: OpenAIChat, notes: str) -> None:
        self.chat = chat
        self.notes = notes

    async def answer(self, question: str, said: str) -> AsyncIterator[str]:
        """The answer's words; a ServiceError when none come (never an empty answer)."""
        came = False
        try:
            async for delta in self.chat.stream_messages(
                answer_messages(self.notes, said, question)
            ):
                came = came or bool(delta.strip())
                yield delta
        except StreamCut:
            if came:
                return  # what came of a short answer is said; a cut one is not worth a retry
        if not came:
            raise ServiceError(
                f"{self.chat.base_url} gave no answer to the question; try again, or another "
                "--model"
            )
