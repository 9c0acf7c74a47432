"""An OpenAI-compatible server already running on this machine, found before the built-in model.

A user with Ollama, LM Studio or llama.cpp's server running has a far better lecturer
than a 135M model; asking each one's usual port for /v1/models costs a few ms when
nothing listens (the connection is refused at once) and at most ``budget`` seconds.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from dataclasses import dataclass

KNOWN_SERVERS = (("Ollama", 11434), ("LM Studio", 1234), ("llama.cpp's server", 8080))


@dataclass(frozen=True)
class LocalServer:
    kind: str
    base_url: str
    model: str


def find_local_server(
    servers: tuple[tuple[str, int], ...] = KNOWN_SERVERS, budget: float = 0.5
) -> LocalServer | None:
    """The first known server (in the order given) that lists a chat model within
    ``budget`` (half a second by default), paid only where a port answers: a server
    answers in ms, and 0.1 s could pass over one on a busy machine for the built-in
    model."""
    found: list[LocalServer | None] = [None] * len(servers)
    # Straight to this machine: an http_proxy set for the web would be asked instead
    # (127.0.0.1 is not spared unless no_proxy says so), slowly or wrongly.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def ask(i: int, kind: str, port: int) -> None:
        base_url = f"http://localhost:{port}/v1"
        try:
            with opener.open(f"http://127.0.0.1:{port}/v1/models", timeout=budget) as r:
                data = json.loads(r.read(1_000_000))
            names = [str(m["id"]) for m in data.get("data", []) if isinstance(m, dict)]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return
        chat = [n for n in names if "embed" not in n.lower() and "whisper" not in n.lower()]
        if chat:
            found[i] = LocalServer(kind, base_url, chat[0])

    threads = [
        threading.Thread(target=ask, args=(i, kind, port), daemon=True)
        for i, (kind, port) in enumerate(servers)
    ]
    deadline = time.monotonic() + budget
    for t in threads:
        t.start()
    for t in threads:
        t.join(max(0.0, deadline - time.monotonic()))
    return next((s for s in list(found) if s is not None), None)
