"""Which models an OpenAI-compatible server serves, asked once a day per server.

A server that is not OpenAI's (Ollama, LM Studio, llama.cpp, vLLM) rarely has
``gpt-4o-mini``: with no ``--model``, the lecture asks for the server's first chat
model, as the help says. The answer is kept for a day in the cache folder, so the
lecture's request is not held up by a second round trip on every run; the error for a
model the server does not have names the ones it does.
"""

from __future__ import annotations

import json
import time
import urllib.request
from pathlib import Path

KEPT_FOR = 24 * 3600.0  # seconds a server's list is trusted
NOT_CHAT = ("embed", "whisper", "tts", "rerank", "moderation", "dall-e", "transcribe")


def chat_models(names: list[str]) -> list[str]:
    """The names that can write a lecture (not embeddings, speech or images)."""
    return [n for n in names if not any(word in n.lower() for word in NOT_CHAT)]


def list_models(url: str, api_key: str | None, timeout: float = 3.0) -> list[str] | None:
    """The server's model names, in its order; None when it cannot say."""
    import http.client

    from profai_cli.core.urls import OffOrigin, opener, parse_address

    address = parse_address(url.rstrip("/"), "--base-url")
    request = urllib.request.Request(address.url + "/models")
    auth = address.basic_auth or (f"Bearer {api_key}" if api_key else None)
    if auth:
        request.add_header("Authorization", auth)
    try:
        with opener(address).open(request, timeout=timeout) as response:
            data = json.loads(response.read(2_000_000))
        return [str(m["id"]) for m in data["data"] if isinstance(m, dict) and "id" in m]
    except (OSError, ValueError, KeyError, TypeError, http.client.HTTPException, OffOrigin):
        return None


def _cache_file() -> Path:
    from platformdirs import user_cache_path

    return user_cache_path("profai") / "server-models.json"


def _read_cache(path: Path) -> dict[str, dict[str, object]]:
    from profai_cli.core.own_files import read_own

    try:
        raw = read_own(path, 10_000_000)
        data = json.loads(raw.decode("utf-8")) if raw is not None else {}
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def first_chat_model(
    url: str, api_key: str | None, *, now: float | None = None, cache: Path | None = None
) -> str | None:
    """The server's first chat model (kept a day); None when it lists none."""
    from profai_cli.core.outputs import write_text
    from profai_cli.core.urls import parse_address

    now = time.time() if now is None else now
    path = cache or _cache_file()
    kept = _read_cache(path)
    where = parse_address(url, "--base-url").url  # kept by host, never with a password
    entry = kept.get(where)
    if isinstance(entry, dict):
        at, model = entry.get("at"), entry.get("model")
        if isinstance(at, (int, float)) and isinstance(model, str) and now - at < KEPT_FOR:
            return model
    names = list_models(url, api_key)
    chat = chat_models(names or [])
    if not chat:
        return None
    kept[where] = {"at": now, "model": chat[0], "models": chat[:20]}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text(path, json.dumps(kept, indent=1) + "\n")
    except OSError:
        pass  # a cache that cannot be written costs one request next time, nothing else
    return chat[0]


def missing_model_hint(url: str, api_key: str | None) -> str:
    """The models the server does have, when it says: for "pass --model with one it
    serves: ..."""
    names = chat_models(list_models(url, api_key, timeout=2.0) or [])
    if not names:
        return ""
    shown = ", ".join(names[:8]) + (", ..." if len(names) > 8 else "")
    return shown
