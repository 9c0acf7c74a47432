"""OpenAI-compatible /audio/speech, streamed as raw 24 kHz PCM while it is made."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import aclosing
from typing import TYPE_CHECKING, Any

from profai_cli.core.errors import ServiceError, TTSError
from profai_cli.service import early
from profai_cli.service.client import broken_error, status_error

if TYPE_CHECKING:
    import numpy as np

PCM_RATE = 24_000  # OpenAI's pcm is 24 kHz s16le mono; calling it 22050 plays it 8% slow
MAX_INPUT = 4096  # the service's input limit, in characters
VOICES = (
    "alloy",
    "ash",
    "ballad",
    "coral",
    "echo",
    "fable",
    "nova",
    "onyx",
    "sage",
    "shimmer",
    "verse",
)
DEFAULT_VOICE = "alloy"
DEFAULT_INSTRUCTIONS = (
    "Speak as a warm, clear university lecturer: unhurried, friendly, "
    "with natural emphasis on key terms."
)


def voice_name(model: str, voice: str | None, base_url: str | None) -> str:
    """How the voice is named on screen (never with a password in the URL)."""
    from profai_cli.core.config import OPENAI_DEFAULT_URL
    from profai_cli.core.urls import parse_address

    url = parse_address((base_url or OPENAI_DEFAULT_URL).rstrip("/"), "--tts-base-url").shown
    return f"{model} voice {voice or DEFAULT_VOICE} at {url}"


class OpenAITTS:
    def __init__(
        self,
        *,
        model: str,
        voice: str | None,
        base_url: str | None,
        api_key: str | None,
        instructions: str | None = None,
        connect_timeout: float = 10.0,
        idle_timeout: float = 30.0,
    ) -> None:
        from profai_cli.service.client import OPENAI_DEFAULT_URL

        self.model = model
        self.voice = voice or DEFAULT_VOICE
        from profai_cli.core.urls import parse_address

        url = (base_url or OPENAI_DEFAULT_URL).rstrip("/")
        address = parse_address(url, "--tts-base-url")
        self.base_url = address.shown  # what is shown and cached: never a password
        self._url, self._auth = address.url, address.basic_auth  # where requests go
        # Only the gpt-4o TTS models take instructions; others may reject the field.
        if instructions is None and model.startswith("gpt-4o"):
            instructions = DEFAULT_INSTRUCTIONS
        self.instructions = instructions
        self.sample_rate = PCM_RATE
        self.phonemes = False
        self.idle_timeout = idle_timeout  # between bytes: a stalled answer is a failure
        self.name = voice_name(model, voice, base_url)
        self._client_options: dict[str, Any] = {
            "base_url": url,
            "api_key": api_key,
            "connect_timeout": connect_timeout,
            "idle_timeout": idle_timeout,
            "max_retries": 2,
        }
        self._client: Any = None  # made on first use, in the loop that uses it

    async def _ensure_client(self) -> Any:
        """The SDK client; the first call imports the SDK on a thread (0.6 s here)."""
        if self._client is None:
            from profai_cli.service.client import make_client

            client = await asyncio.to_thread(make_client, **self._client_options)
            if self._client is None:
                self._client = client
        return self._client

    async def warm_up(self) -> None:
        """Load the SDK and open its connection before the sentences need them. The first
        sentences go out before that, over http.client (see early.py); failures here are
        ignored: the real requests report them."""
        try:
            client = await self._ensure_client()
            client.audio.speech.with_streaming_response  # noqa: B018  (loads the SDK's code)
            await asyncio.wait_for(client.models.list(), 5.0)
        except Exception:
            pass

    async def aclose(self) -> None:
        if self._client is not None:
            client, self._client = self._client, None
            await client.close()

    def word_starts(self, text: str) -> list[float] | None:
        return None  # the speech endpoint returns audio only

    def identity(self) -> dict[str, str]:
        return {
            "engine": "openai",
            "base_url": self.base_url,
            "model": self.model,
            "voice": self.voice,
            "instructions": self.instructions or "",
        }

    async def stream(self, text: str, speed: float) -> AsyncIterator[np.ndarray]:
        """Frames as they come; each piece's answer checked whole (speech_answer.py)."""
        from profai_cli.service.chat import idle_limited
        from profai_cli.service.speech_answer import SpeechAnswer

        for piece in split_for_limit(text, MAX_INPUT):
            answer = SpeechAnswer(piece, speed, PCM_RATE, self.base_url)
            # Closed here, whatever ends the reading (a bad answer, a cancel): left to the
            # garbage collector, the open HTTP stream was closed later, in whatever thread
            # collected it, and asyncio reported it there.
            try:
                async with aclosing(self._bytes(piece, speed)) as sent:
                    async with aclosing(idle_limited(sent, self.idle_timeout)) as items:
                        async for item in items:
                            if isinstance(item, early.Head):
                                answer.begin(item.content_type, item.content_length)
                            elif (frames := answer.feed(item)) is not None:
                                yield frames
            except TimeoutError:
                raise TTSError(
                    f"voice: {self.base_url} sent no audio for {self.idle_timeout:g} s; "
                    "check the speech server",
                    retryable=True,
                ) from None
            if (decoded := answer.end()) is not None:
                yield decoded

    async def _bytes(self, text: str, speed: float) -> AsyncGenerator[bytes | early.Head, None]:
        """The answer's headers (one Head), then its bytes as they come."""
        kwargs: dict[str, Any] = {
            "model": self.model,
            "voice": self.voice,
            "input": text,
            "response_format": "pcm",
        }
        if speed != 1.0:
            kwargs["speed"] = speed
        if self.instructions:
            kwargs["instructions"] = self.instructions
        retries = self._client_options["max_retries"]
        if self._client is None and early.usable(self._url):
            # The SDK is still loading: this sentence goes out now, over http.client.
            sent = early.EarlyRequest(
                f"{self._url}/audio/speech",
                kwargs,
                early.headers(self._client_options["api_key"], self._auth),
                early.audio_chunks,
                connect_timeout=self._client_options["connect_timeout"],
            )
            try:
                async for data in sent.items():
                    yield data
                return
            except early.Refused as refused:
                if refused.status is not None and not refused.retryable:
                    raise _voice_error(
                        status_error(refused.status, refused.message(), self.base_url, self.model)
                    ) from None
                # Anything else: the SDK asks again, as its own second try.
                await asyncio.sleep(refused.backoff())
                retries = self._client_options["max_retries"] - 1
            except early.Broken as broken:
                raise _voice_error(broken_error(self.base_url, str(broken))) from None
        client = await self._ensure_client()
        if retries != self._client_options["max_retries"]:
            client = client.with_options(max_retries=max(0, retries))
        try:
            async with client.audio.speech.with_streaming_response.create(**kwargs) as response:
                yield early.Head(
                    response.headers.get("content-type"), response.headers.get("content-length")
                )
                async for data in response.iter_bytes():
                    yield data
        except TTSError:
            raise
        except Exception as exc:
            raise tts_error(exc, self.base_url, self.model) from None


def tts_error(exc: BaseException, base_url: str, model: str) -> BaseException:
    """The SDK's failure as a TTSError that keeps the HTTP status (for retry and fallback)."""
    from profai_cli.service.client import map_openai_error

    mapped = map_openai_error(exc, base_url, model)
    if mapped is exc or not isinstance(mapped, ServiceError):
        return exc
    return _voice_error(mapped)


def _voice_error(mapped: ServiceError) -> TTSError:
    message = mapped.message.replace("lecture", "speech").replace("--base-url", "--tts-base-url")
    return TTSError(f"voice: {message}", status=mapped.status, retryable=mapped.retryable)


_SENTENCE_END = re.compile(r"(?<=[.!?\u3002\uff01\uff1f])\s+")


def split_for_limit(text: str, limit: int) -> list[str]:
    """Text over the service's input limit, cut at sentence ends, else words."""
    text = text.strip()
    if not text:
        return []
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    current = ""
    for sentence in _SENTENCE_END.split(text):
        while len(sentence) > limit:
            cut = sentence.rfind(" ", 0, limit)
            cut = cut if cut > 0 else limit
            pieces.append(sentence[:cut].strip())
            sentence = sentence[cut:].strip()
        if current and len(current) + 1 + len(sentence) > limit:
            pieces.append(current)
            current = ""
        current = f"{current} {sentence}".strip()
    if current:
        pieces.append(current)
    return [p for p in pieces if p]
