"""Lectures that were generated, kept so `export` can reuse what `teach` just said,
and where `teach` stopped, so the next one resumes there.

Keyed by the notes and every option that shapes the text (level, length, language,
focus, and which LLM wrote it), in the user data directory. Only a complete lecture
is ever reused as one; a lecture stopped before its text was all written is kept with
its position only, to be continued.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from profai_cli.core.config import Settings
from profai_cli.core.errors import ProfaiError
from profai_cli.llm.base import LLM


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
        **({"style": settings.style} if settings.style != "lecture" else {}),
        "llm": llm_name,
        "lecturer": 4,  # every model's lecture is grounded now: old lectures are not reused
    }
    blob = json.dumps(shape, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


@dataclass
class Position:
    """Where a teach stopped: the chunk heard, and what to say when resuming."""

    text: str  # the lecture as far as it was written
    complete: bool  # the text is the whole lecture (else it is continued on resume)
    chunk: int  # the chunk being heard
    chunks: int  # how many chunks the text had
    offset: int  # where that chunk starts in the text
    seconds: float  # into the lecture, at the start of that chunk
    total: float  # the lecture's length (estimated for what was not made yet)
    title: str  # the section it is in


MAX_RECORD_BYTES = 400_000_000  # a lecture of the longest notes, with its position


def _read(key: str) -> dict[str, Any] | None:
    from profai_cli.core.own_files import read_own

    try:
        raw = read_own(store_dir() / f"{key}.json", MAX_RECORD_BYTES)  # regular files only
        data = json.loads(raw.decode("utf-8")) if raw is not None else None
    except (OSError, ValueError):
        return None
    return _cleaned(data) if isinstance(data, dict) else None


def _cleaned(value: Any) -> Any:
    """Every text of a record made safe, as the model's is: a stored lecture may have been
    edited by hand (or planted) with escape sequences in it."""
    from profai_cli.core.safe_text import strip_controls

    if isinstance(value, str):
        return strip_controls(value)
    if isinstance(value, dict):
        return {k: _cleaned(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_cleaned(v) for v in value]
    return value


def load(key: str) -> str | None:
    """The stored complete lecture for this key, or None."""
    data = _read(key)
    text = data.get("text") if data and data.get("complete", True) else None
    return text if isinstance(text, str) and text.strip() else None


def load_position(key: str) -> Position | None:
    """Where the last teach of this lecture stopped, if it stopped before the end."""
    data = _read(key)
    raw = data.get("position") if data else None
    if not isinstance(raw, dict):
        return None
    try:
        position = Position(**raw)
    except TypeError:
        return None
    kinds: dict[str, type | tuple[type, ...]] = {
        "text": str,
        "complete": bool,
        "chunk": int,
        "chunks": int,
        "offset": int,
        "seconds": (int, float),
        "total": (int, float),
        "title": str,
    }
    for name, kind in kinds.items():  # a hand-edited or damaged record is no position
        value = getattr(position, name)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            return None
    ok = position.text.strip() and 0 <= position.chunk <= position.chunks
    return position if ok and 0 <= position.offset < len(position.text) else None


def save(
    key: str,
    text: str,
    settings: Settings,
    llm_name: str,
    held_back: list[dict[str, str]] | None = None,
    chunk_ends: list[int] | None = None,
) -> None:
    """Keep a complete lecture for reuse (and a position saved with it, if any), with
    what the check held back of the model's sentences (for the transcript).
    ``chunk_ends``: where each of its chunks ends, so the questions and bookmarks of a
    lecture steered or continued since keep those of the part left as it was."""
    record = _read(key) or {}
    position = record.get("position")
    if isinstance(position, dict) and position.get("text") != text:
        position = None  # a new lecture: the old position means nothing in it
    _write(key, text, True, settings, llm_name, position, held_back, chunk_ends)


def held_back_of(llm: LLM) -> list[dict[str, str]]:
    """What the lecturer's check held back of its model's sentences, as kept here."""
    return [
        {"sentence": h.sentence, "notes": h.notes, "reason": h.reason}
        for h in llm.report().held_back
    ]


def load_held_back(key: str) -> list[dict[str, str]]:
    """The model's sentences the check held back when this lecture was made."""
    data = _read(key) or {}
    held = data.get("held_back")
    if not isinstance(held, list):
        return []
    return [
        {k: str(v) for k, v in h.items() if k in ("sentence", "notes", "reason")}
        for h in held
        if isinstance(h, dict) and isinstance(h.get("sentence"), str)
    ]


def save_position(key: str, position: Position, settings: Settings, llm_name: str) -> None:
    """Keep where teach stopped; the text too, but as complete only if it is."""
    old = _read(key) or {}
    complete = position.complete or (old.get("text") == position.text and old.get("complete"))
    _write(key, position.text, bool(complete), settings, llm_name, asdict(position))


def forget_position(key: str) -> None:
    """The lecture was heard to its end: the next teach starts at the beginning."""
    record = _read(key)
    if record and record.get("position"):
        if record.get("complete", True):
            _write_record(key, {**record, "position": None})
        else:
            try:
                (store_dir() / f"{key}.json").unlink()
            except OSError:
                pass


def _unchanged_chunks(old: object, text: str, chunk_ends: list[int] | None) -> int:
    """How many of the lecture's first chunks are as they were in ``old``: a steer or a
    continuation wrote anew only what came after them (0: not known)."""
    if not isinstance(old, str) or chunk_ends is None:
        return 0
    same = len(os.path.commonprefix([old, text]))
    return sum(1 for end in chunk_ends if end <= same)


def _within(item: dict[str, Any], chunks: int) -> bool:
    """Asked or marked in the first ``chunks`` chunks (or at no chunk in particular, in a
    lecture that kept any)."""
    chunk = item.get("chunk")
    return chunks > 0 and (not isinstance(chunk, int) or chunk < chunks)


def _write(
    key: str,
    text: str,
    complete: bool,
    settings: Settings,
    llm_name: str,
    position: dict[str, Any] | None,
    held_back: list[dict[str, str]] | None = None,
    chunk_ends: list[int] | None = None,
) -> None:
    old = _read(key) or {}
    same = text == old.get("text")
    kept = _unchanged_chunks(old.get("text"), text, chunk_ends)
    questions = [q for q in load_questions(key) if same or _within(q, kept)]
    marks = [m for m in load_marks(key) if same or _within(m, kept)]
    if held_back is None:
        held_back = load_held_back(key) if same else []
    _write_record(
        key,
        {
            "questions": questions,
            "held_back": held_back,
            "marks": marks,
            "text": text,
            "complete": complete,
            "llm": llm_name,
            "saved": time.time(),
            "settings": {
                "level": settings.level,
                "minutes": settings.minutes,
                "language": settings.language,
                "focus": settings.focus,
            },
            "position": position,
        },
    )


def _write_record(key: str, record: dict[str, Any]) -> None:
    """A failure here is never the user's problem: reuse and resume are conveniences."""
    from profai_cli.audio.files import write_text_atomically

    try:
        store_dir().mkdir(parents=True, exist_ok=True)
        write_text_atomically(store_dir() / f"{key}.json", json.dumps(record, indent=1))
    except (OSError, ProfaiError):
        pass


def course_key(files: list[str]) -> str:
    """A key for a course: its notes files, in order."""
    from pathlib import Path

    names = [f if f == "-" or "://" in f else str(Path(f).resolve()) for f in files]
    return "course-" + hashlib.sha256(json.dumps(names).encode()).hexdigest()[:32]


def load_course(key: str) -> int:
    """The lecture of a course the last teach stopped in (0: from the first)."""
    data = _read(key)
    at = data.get("lecture") if data else None
    return at if isinstance(at, int) and at >= 0 else 0


def save_course(key: str, lecture: int) -> None:
    if lecture <= 0:
        try:
            (store_dir() / f"{key}.json").unlink()
        except OSError:
            pass
        return
    _write_record(key, {"lecture": lecture, "saved": time.time()})


def add_questions(key: str, asked: list[dict[str, Any]]) -> None:
    """Keep questions and their answers with the lecture they were asked in."""
    if not asked:
        return
    record = _read(key) or {}
    record["questions"] = [*load_questions(key), *asked]
    _write_record(key, record)


def load_questions(key: str) -> list[dict[str, Any]]:
    """[{"chunk": k or None, "question": ..., "answer": ...}] asked in this lecture."""
    data = _read(key)
    found = data.get("questions") if data else None
    if not isinstance(found, list):
        return []
    return [
        q
        for q in found
        if isinstance(q, dict)
        and isinstance(q.get("question"), str)
        and isinstance(q.get("answer"), str)
    ]


def add_marks(key: str, marks: list[dict[str, Any]]) -> None:
    """Keep bookmarks (b) with the lecture they were made in."""
    if not marks:
        return
    record = _read(key) or {}
    record["marks"] = [*load_marks(key), *marks]
    _write_record(key, record)


def load_marks(key: str) -> list[dict[str, Any]]:
    """[{"chunk": k, "text": the sentence, "seconds": where it begins}] of this lecture."""
    data = _read(key)
    found = data.get("marks") if data else None
    if not isinstance(found, list):
        return []
    return [
        m
        for m in found
        if isinstance(m, dict)
        and isinstance(m.get("chunk"), int)
        and isinstance(m.get("text"), str)
        and isinstance(m.get("seconds"), int | float)
    ]
