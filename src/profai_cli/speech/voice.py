"""What the voice is given for a chunk: its words with numbers, units, scripts and symbols
said, and the user's pronunciations.

The segmenter makes a chunk's words from the markdown (marks, links, code, maths); this
last step, made just before the voice, turns what espeak-ng and service voices misread
("10^6", "CO₂", "1853", "I⁻ > Br⁻") into words, so every voice says the same thing.
It runs on the few chunks a second the voice needs, not in the chunker's hot loop.
"""

from __future__ import annotations

from collections.abc import Callable

from profai_cli.speech.pronounce import Pronunciations
from profai_cli.speech.symbols import say_symbols


class VoiceText:
    """chunk text -> the words the engine is given."""

    def __init__(
        self,
        pronounce: Pronunciations | None = None,
        *,
        phonemes: bool = False,
        context: Callable[[], str] | None = None,
    ) -> None:
        self.pronounce = pronounce or Pronunciations()
        self.phonemes = phonemes  # the engine reads [[ phonemes ]] (Piper)
        self.context = context  # the text that decides "3°" (the notes, the lecture so far)

    def __call__(self, text: str) -> str:
        said = say_symbols(text, context=self.context() if self.context else "")
        return self.pronounce.apply(said, phonemes=self.phonemes)


def words(text: str) -> str:
    """What any voice is given for this text, with no pronunciation list."""
    return VoiceText()(text)
