"""The one place that turns settings into an LLM, a TTS engine and a sound sink."""

from __future__ import annotations

from profai_cli.config import Settings
from profai_cli.errors import InputError
from profai_cli.llm.base import LLM

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
