"""Listening through a service: /v1/audio/transcriptions on an OpenAI-compatible server
(OpenAI's own, or a local speech-to-text server via --stt-base-url)."""

from __future__ import annotations

import io
import re
from collections import Counter
from typing import TYPE_CHECKING, Any

from profai_cli.core.errors import ServiceError

if TYPE_CHECKING:
    import numpy as np

DEFAULT_STT_MODEL = "gpt-4o-mini-transcribe"
RATE = 16_000
PROMPT_WORDS = 60  # the notes' rarest long words, as a hint to the recognizer


class OpenAIListener:
    """Sends the question as a WAV; the prompt carries the notes' own terms."""

    sample_rate = RATE

    def __init__(
        self,
        *,
        model: str,
        base_url: str | None,
        api_key: str | None,
        timeout: float = 30.0,
    ) -> None:
        from profai_cli.core.config import OPENAI_DEFAULT_URL
        from profai_cli.core.urls import parse_address

        self.model = model
        self._raw_url = (base_url or OPENAI_DEFAULT_URL).rstrip("/")
        self.url = parse_address(self._raw_url, "--stt-base-url").shown  # shown: no password
        self.name = f"{model} at {self.url}"
        self.api_key = api_key
        self.timeout = timeout
        self._prompt = ""
        self._client: Any = None

    def expect(self, context: str) -> None:
        self._prompt = terms(context)

    async def warm_up(self) -> None:
        self._ensure_client()

    def _ensure_client(self) -> Any:
        from profai_cli.service.client import make_client

        if self._client is None:
            self._client = make_client(
                base_url=self._raw_url,
                api_key=self.api_key,
                connect_timeout=10.0,
                idle_timeout=self.timeout,
                max_retries=1,
            )
        return self._client

    async def transcribe(self, audio: np.ndarray) -> str:
        import soundfile as sf

        from profai_cli.service.client import map_openai_error

        client = self._ensure_client()
        wav = io.BytesIO()
        sf.write(wav, audio, RATE, format="WAV", subtype="PCM_16")
        try:
            result = await client.audio.transcriptions.create(
                model=self.model,
                file=("question.wav", wav.getvalue(), "audio/wav"),
                prompt=self._prompt or None,
                response_format="json",
            )
        except Exception as exc:
            mapped = map_openai_error(exc, self.url, self.model)
            if not isinstance(mapped, ServiceError):
                raise
            message = mapped.message.replace("lecture", "transcription")
            raise ServiceError(f"listening: {message}", status=mapped.status) from None
        text = getattr(result, "text", result)
        return str(text or "").strip()

    async def aclose(self) -> None:
        if self._client is not None:
            client, self._client = self._client, None
            await client.close()


def terms(context: str) -> str:
    """The notes' distinctive words (long, and rare in them), comma-separated."""
    found = Counter(w for w in re.findall(r"[A-Za-z][A-Za-z'-]{5,}", context))
    return ", ".join(w for w, _ in sorted(found.items(), key=lambda kv: kv[1])[:PROMPT_WORDS])
