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
from profai_cli.teaching.questions import Question


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
        from profai_cli.core.own_files import read_own

        try:
            data = read_own(self.path, MAX_DECK_BYTES)
            if data is None:
                return {}
            raw = json.loads(data.decode("utf-8"))
            return {card.id: card for card in (valid_card(c) for c in raw["cards"])}
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            why = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
            aside = self.path.with_name(f"{self.path.stem}.broken-{int(now().timestamp())}.json")
            with contextlib.suppress(OSError):
                self.path.replace(aside)
            if self.warn is not None:
                self.warn(
                    f"The review state {self.path} could not be read ({why[:80]}): moved to "
                    f"{aside.name}; starting fresh."
                )
            return {}

    def _write(self, cards: dict[str, Card]) -> None:
        from profai_cli.audio.files import remove_stale_parts
        from profai_cli.core.outputs import write_text

        data = {"version": 1, "cards": [vars(c) for c in cards.values()]}
        write_text(self.path, json.dumps(data, indent=1, ensure_ascii=False) + "\n")
        remove_stale_parts(self.path.parent)  # what a killed review left, over an hour old

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
        """Schedule the card after an answer rated 1 (again) to 4 (easy); its next due.

        The answer is applied to the card as it is on disk, read under the lock: another
        review of the same course answering the same card meanwhile is built on, not
        overwritten (each answer counts)."""
        import fsrs

        with locked(self.key):
            cards = self._read()
            current = cards.get(card.id, card)
            scheduled, _ = fsrs.Scheduler(enable_fuzzing=False).review_card(
                fsrs.Card.from_dict(current.schedule),  # type: ignore[arg-type]  # its to_dict's
                fsrs.Rating(rating),
                review_datetime=now(),
                review_duration=int(seconds * 1000),
            )
            current.schedule = dict(scheduled.to_dict())
            current.reviews += 1
            current.lapses += rating == 1
            cards[card.id] = current
            self._write(cards)
        self.cards.update(cards)
        card.schedule, card.reviews, card.lapses = (
            current.schedule,
            current.reviews,
            current.lapses,
        )
        self.cards[card.id] = card
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

    from profai_cli.core.own_files import open_lock, own_folder

    folder = own_folder(cards_dir(), "the review state")
    fd = open_lock(folder / f"{key}.lock")  # never truncated, never through a symlink
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # the lock goes with it


MAX_DECK_BYTES = 64_000_000  # a course's cards: a few kB each
_TEXT_FIELDS = ("id", "question", "answer", "source", "section", "file", "kind")


def valid_card(raw: Any) -> Card:
    """A card as stored, every field checked (ValueError or TypeError when one is not as
    profai writes it: a hand-edited or damaged deck is moved aside, not half used)."""
    import fsrs

    if not isinstance(raw, dict):
        raise TypeError("a card is not an object")
    card = Card(**raw)
    for name in _TEXT_FIELDS:
        if not isinstance(getattr(card, name), str):
            raise TypeError(f"{name} is not text")
    for count in (card.reviews, card.lapses):
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise TypeError("a count is not a whole number")
    schedule = card.schedule
    if not isinstance(schedule, dict):
        raise TypeError("the schedule is not an object")
    for name in ("due", "last_review"):
        value = schedule.get(name)
        if value is None and name == "last_review":
            continue
        if not isinstance(value, str) or datetime.fromisoformat(value).tzinfo is None:
            raise ValueError(f"{name} is not a time with its time zone")
    for name in ("stability", "difficulty"):
        value = schedule.get(name)
        if value is not None and (not isinstance(value, (int, float)) or isinstance(value, bool)):
            raise TypeError(f"{name} is not a number")
    step = schedule.get("step")
    if step is not None and (not isinstance(step, int) or isinstance(step, bool)):
        raise TypeError("step is not a whole number")
    state = schedule.get("state")
    if not isinstance(state, int) or isinstance(state, bool):
        raise TypeError("state is not a whole number")
    fsrs.State(state)  # ValueError for a state FSRS does not have
    fsrs.Card.from_dict(schedule)  # type: ignore[arg-type]  # and the rest, as FSRS reads it
    return card
