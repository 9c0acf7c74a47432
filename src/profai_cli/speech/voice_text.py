"""What the voice is given for a chunk: its words with numbers, units, scripts and symbols
said, and the user's pronunciations.

The segmenter makes a chunk's words from the markdown (marks, links, code, maths); this
last step, made just before the voice, turns what espeak-ng and service voices misread
("10^6", "CO₂", "1853", "I⁻ > Br⁻") into words, so every voice says the same thing.
It runs on the few chunks a second the voice needs, not in the chunker's hot loop.
"""

from __future__ import annotations

import re
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
        said = self.pronounce.apply(said, phonemes=self.phonemes)
        return letters_as_phonemes(said) if self.phonemes else said


# The letter A, not the article: espeak-ng reads "A T P", "P of A given B" and the "a" of
# a spelled "C a" as the article ("uh T P"). Article "A" starts a sentence and is not
# followed by another letter.
_LETTER_A = re.compile(
    r"(?<=[^\s.!?:] )A(?=[\s,.;:)?!]|$)|^A(?= [A-Z](?:[\s,.;:]|$))|"
    r"(?<=[.!?] )A(?= [A-Z](?:[\s,.;:]|$))|(?<=\b[BCGLNPRT] )a(?= (?:\d|[A-Z]\b)|[,.;:]|$)"
)
_SAID_A = "[[ˈeɪ]]"  # Piper's phonemes for the letter's name


def letters_as_phonemes(text: str) -> str:
    """For a voice that reads [[ phonemes ]] (Piper): a spelled letter A as its name."""
    if "A" not in text and " a" not in text:
        return text
    return _LETTER_A.sub(_SAID_A, text)


def words(text: str) -> str:
    """What any voice is given for this text, with no pronunciation list."""
    return VoiceText()(text)
