"""A model's explanations kept on disk, by what was asked and of whom.

A lecture stopped mid-way goes on from where it stopped by making the same text again
up to that point: the explanations come from here, not from the model (which would
word them differently), so the text lines up and no request is made. A lecture taught
again, or exported after it was taught, is made from here too.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

MAX_REPLY_CHARS = 8_000  # an explanation is a few sentences; anything longer is not kept


def replies_dir() -> Path:
    from platformdirs import user_cache_path

    return user_cache_path("profai") / "explanations"


class Replies:
    """Explanations by (model, messages); a miss or a damaged entry is just a miss."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or replies_dir()

    def _path(self, model: str, messages: list[dict[str, str]]) -> Path:
        blob = json.dumps([model, messages], sort_keys=True, ensure_ascii=False)
        return self.folder / f"{hashlib.sha256(blob.encode()).hexdigest()[:40]}.json"

    def get(self, model: str, messages: list[dict[str, str]]) -> str | None:
        from profai_cli.core.own_files import read_own

        try:
            raw = read_own(self._path(model, messages), MAX_REPLY_CHARS * 4)
            data = json.loads(raw) if raw is not None else None
        except (OSError, ValueError):
            return None
        reply = data.get("reply") if isinstance(data, dict) else None
        return reply if isinstance(reply, str) else None

    def put(self, model: str, messages: list[dict[str, str]], reply: str) -> None:
        if len(reply) > MAX_REPLY_CHARS:
            return
        path = self._path(model, messages)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}")
            tmp.write_text(json.dumps({"reply": reply}, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, path)
        except OSError:
            pass  # a cache that cannot be written is only slower next time
