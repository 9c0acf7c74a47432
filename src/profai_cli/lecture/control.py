"""What may change what is heard next, as typed items: the player's keys, a question's
answer, a steer's rewritten text, the listener's quit.

Each goes to the Playback, the one owner of where the listener is, through one method
(``Playback.control``) and by one route: its writer is cancelled and starts again where
the item says (after a ``Stop``, never). Pause and resume are the sound card's own
(``LiveControls``): nothing written changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from profai_cli.lecture.lecture import Aside


@dataclass(frozen=True)
class Go:
    """The listener's move: sentence ``k`` next (←, →, r, [, ]); the rest of an answer
    being said is dropped."""

    k: int


@dataclass(frozen=True)
class Speed:
    """The lecture at ``speed`` from the sentence after ``after``: what was written after
    it is made again, and the rest of ``after`` is heard as it was made."""

    speed: float
    after: int


@dataclass(frozen=True)
class Answer:
    """Say ``aside`` now (an answer, being written), then the lecture from sentence
    ``back_to``, from its start."""

    aside: Aside
    back_to: int


@dataclass(frozen=True)
class Unsaid:
    """The lecture's chunks from ``first`` on were not said and are written anew (a
    steer): what was written of them goes, and the chunk before is heard whole."""

    first: int


@dataclass(frozen=True)
class Stop:
    """The listener is done (q, a course's next lecture): nothing more is written."""


Control = Go | Speed | Answer | Unsaid | Stop
