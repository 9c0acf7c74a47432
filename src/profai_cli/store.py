"""Lectures that were generated, kept so `export` can reuse what `teach` just said.

Keyed by the notes and every option that shapes the text (level, length, language,
focus, and which LLM wrote it), in the user data directory.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

from profai_cli.config import Settings
from profai_cli.errors import ProfaiError


def store_dir() -> Path:
    """Where lectures are kept (the user data folder)."""
    from platformdirs import user_data_path

    return user_data_path("profai") / "lectures"


def lecture_key(notes: str, settings: Settings, llm_name: str) -> str:
    """A key for these notes and every option that shapes the text."""
    shape = {
        "notes": notes,
        "level": settings.level,
        "minutes": settings.minutes,
        "language": settings.language,
        "focus": settings.focus,
        "llm": llm_name,
    }
    blob = json.dumps(shape, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


def load(key: str) -> str | None:
    """The stored lecture for this key, or None."""
    try:
        data = json.loads((store_dir() / f"{key}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    text = data.get("text") if isinstance(data, dict) else None
    return text if isinstance(text, str) and text.strip() else None


def save(key: str, text: str, settings: Settings, llm_name: str) -> None:
    """Keep a complete lecture for reuse; a failure here is never the user's problem."""
    from profai_cli.audio.files import write_text_atomically

    record = {
        "text": text,
        "llm": llm_name,
        "saved": time.time(),
        "settings": {
            "level": settings.level,
            "minutes": settings.minutes,
            "language": settings.language,
            "focus": settings.focus,
        },
    }
    try:
        store_dir().mkdir(parents=True, exist_ok=True)
        write_text_atomically(store_dir() / f"{key}.json", json.dumps(record, indent=1))
    except (OSError, ProfaiError):
        pass  # reuse is a convenience: never fail a lecture over it
