"""Review cards: every question asked, scheduled by FSRS, kept per course.

A course is the set of notes a quiz or review is given (their resolved paths); its
cards live in one JSON file in the data folder, replaced whole on each answer (a crash
leaves the last whole file), under a lock so two reviews of one course cannot lose each
other's answers. A file that cannot be read is moved aside with one line, and the course
starts fresh. ``PROFAI_NOW`` (an ISO time) sets the clock, for scripts and tests.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from profai_cli.core.errors import InputError
from profai_cli.llm.questions import Question


def now() -> datetime:
    """The review clock: PROFAI_NOW when set, else the time."""
    given = os.environ.get("PROFAI_NOW")
    if not given:
        return datetime.now(timezone.utc)
    try:
        moment = datetime.fromisoformat(given)
    except ValueError:
        raise InputError(f"PROFAI_NOW={given!r} is not a time; use e.g. 2026-12-01T09:00") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def cards_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path("profai") / "review"


def course_key(sources: list[str]) -> str:
    """One key for a set of notes, whatever order or relative path they were given in."""
    named = sorted(str(Path(s).resolve()) if s != "-" else s for s in sources)
    return hashlib.sha256("\0".join(named).encode()).hexdigest()[:20]


@dataclass
class Card:
    id: str
    question: str
    answer: str
    source: str  # the notes' sentence
    section: str
    file: str
    kind: str
    schedule: dict[str, Any]  # fsrs.Card.to_dict()
    reviews: int = 0
    lapses: int = 0

    def due(self) -> datetime:
        return datetime.fromisoformat(str(self.schedule["due"]))

    def as_question(self) -> Question:
        return Question(self.question, self.answer, self.source, self.section, self.kind)


class Deck:
    """The cards of one course: load, answer, save."""

    def __init__(self, key: str, warn: Callable[[str], None] | None = None) -> None:
        self.key = key
        self.path = cards_dir() / f"{key}.json"
        self.warn = warn
        self.cards: dict[str, Card] = self._read()

    def _read(self) -> dict[str, Card]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            return {c["id"]: Card(**c) for c in raw["cards"]}
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, KeyError, TypeError):
            aside = self.path.with_name(f"{self.path.stem}.broken-{int(now().timestamp())}.json")
            with contextlib.suppress(OSError):
                self.path.replace(aside)
            if self.warn is not None:
                self.warn(
                    f"The review state {self.path} could not be read: moved to {aside.name}; "
                    "starting fresh."
                )
            return {}

    def keep(self, card: Card) -> None:
        """Write one card's new state, with what another review wrote meanwhile kept."""
        from profai_cli.core.outputs import write_text

        with locked(self.key):
            cards = self._read()
            cards[card.id] = card
            self.cards.update(cards)
            data = {"version": 1, "cards": [vars(c) for c in cards.values()]}
            write_text(self.path, json.dumps(data, indent=1, ensure_ascii=False) + "\n")

    def card_for(self, question: Question, file: str, card_id: str) -> Card:
        """The question's card, made new (due now) the first time it is asked."""
        import fsrs

        if card_id not in self.cards:
            fresh = fsrs.Card(due=now())
            self.cards[card_id] = Card(
                card_id,
                question.text,
                question.answer,
                question.source,
                question.section,
                file,
                question.kind,
                dict(fresh.to_dict()),
            )
        return self.cards[card_id]

    def answered(self, card: Card, rating: int, seconds: float) -> datetime:
        """Schedule the card after an answer rated 1 (again) to 4 (easy); its next due."""
        import fsrs

        scheduled, _ = fsrs.Scheduler(enable_fuzzing=False).review_card(
            fsrs.Card.from_dict(card.schedule),  # type: ignore[arg-type]  # its own to_dict's
            fsrs.Rating(rating),
            review_datetime=now(),
            review_duration=int(seconds * 1000),
        )
        card.schedule = dict(scheduled.to_dict())
        card.reviews += 1
        card.lapses += rating == 1
        self.keep(card)
        return card.due()

    def due_now(self) -> list[Card]:
        """The cards due by now, the most overdue first."""
        moment = now()
        return sorted((c for c in self.cards.values() if c.due() <= moment), key=Card.due)


def rating_for(correct: bool, score: float, seconds: float) -> int:
    """FSRS's Again/Hard/Good/Easy from the grade and how long the answer took."""
    if not correct:
        return 1
    if score < 0.8 or seconds > 30:
        return 2
    return 4 if seconds < 6 and score >= 0.95 else 3


@contextlib.contextmanager
def locked(key: str) -> Iterator[None]:
    """One writer of a course's cards at a time (held only while one card is written)."""
    import fcntl

    folder = cards_dir()
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{key}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
