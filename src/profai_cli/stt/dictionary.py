"""How the recognizer expects each word to sound: CMUdict's entry, else the phonemes
the voice itself would use (espeak-ng, which Piper brings), mapped to CMU's phone set.

So a word the dictionary lacks ("asthenosphere", "RuBisCO") can still be heard: it
sounds to the recognizer as the lecture's voice said it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

# espeak-ng's IPA for en-us -> CMU phones, longest first.
_IPA = sorted(
    {
        "eɪ": "EY",
        "aɪ": "AY",
        "ɔɪ": "OY",
        "aʊ": "AW",
        "oʊ": "OW",
        "əʊ": "OW",
        "ɪɹ": "IH R",
        "ɛɹ": "EH R",
        "ʊɹ": "UH R",
        "ɑːɹ": "AA R",
        "ɔːɹ": "AO R",
        "ɔɹ": "AO R",
        "ɜːɹ": "ER",
        "ɜː": "ER",
        "ɚ": "ER",
        "ɝ": "ER",
        "ə": "AH",
        "ɐ": "AH",
        "ʌ": "AH",
        "æ": "AE",
        "ɑː": "AA",
        "ɑ": "AA",
        "ɒ": "AA",
        "ɔː": "AO",
        "ɔ": "AO",
        "ɛ": "EH",
        "e": "EY",
        "ɪ": "IH",
        "ᵻ": "IH",
        "iː": "IY",
        "i": "IY",
        "ʊ": "UH",
        "uː": "UW",
        "u": "UW",
        "o": "OW",
        "a": "AA",
        "tʃ": "CH",
        "dʒ": "JH",
        "θ": "TH",
        "ð": "DH",
        "ʃ": "SH",
        "ʒ": "ZH",
        "ŋ": "NG",
        "ɹ": "R",
        "r": "R",
        "j": "Y",
        "w": "W",
        "h": "HH",
        "ɡ": "G",
        "g": "G",
        "ɾ": "T",
        "x": "K",
        "b": "B",
        "d": "D",
        "f": "F",
        "k": "K",
        "l": "L",
        "m": "M",
        "n": "N",
        "p": "P",
        "s": "S",
        "t": "T",
        "v": "V",
        "z": "Z",
    }.items(),
    key=lambda kv: -len(kv[0]),
)
_SILENT = set("ˈˌː-ʔ'̩ \u0303")


def from_ipa(ipa: str) -> list[str]:
    """espeak-ng's IPA as CMU phones ("ɐsθˈɛnəsfˌɪɹ" -> AH S TH EH N AH S F IH R)."""
    text = unicodedata.normalize("NFC", ipa)
    out: list[str] = []
    i = 0
    while i < len(text):
        for ipa_part, cmu in _IPA:
            if text.startswith(ipa_part, i):
                out += cmu.split()
                i += len(ipa_part)
                break
        else:
            i += 1  # stress, length, a glottal stop: not a CMU phone
    return out


class Pronunciations:
    """Words -> CMU phones: the dictionary's, else the voice's."""

    def __init__(self, dictionary: Path) -> None:
        self.dictionary = dictionary

    def lines(self, words: Iterable[str]) -> list[str]:
        """A pocketsphinx dictionary for ``words`` (every entry CMUdict has, variants too)."""
        wanted = set(words)
        found: dict[str, list[str]] = {}
        with open(self.dictionary, encoding="utf-8") as f:
            for line in f:
                head, _, phones = line.partition(" ")
                base = head.split("(", 1)[0]
                if base in wanted:
                    found.setdefault(base, []).append(phones.strip())
        out: list[str] = []
        for word in sorted(wanted):
            variants = found.get(word) or [" ".join(p) for p in [self.guess(word)] if p]
            for n, phones in enumerate(variants):
                out.append(f"{word}{'' if n == 0 else f'({n + 1})'} {phones}")
        return out

    def guess(self, word: str) -> list[str]:
        """The voice's phones for a word the dictionary lacks ([] without espeak-ng)."""
        return _espeak_phones(word)


@lru_cache(maxsize=4096)
def _espeak_phones(word: str) -> list[str]:
    try:
        from piper import espeakbridge
        from piper.phonemize_espeak import ESPEAK_DATA_DIR
    except ImportError:
        return []
    _start_espeak(str(ESPEAK_DATA_DIR))
    ipa = "".join(part for part, _, _ in espeakbridge.get_phonemes(word))
    return from_ipa(ipa)


@lru_cache(maxsize=1)
def _start_espeak(data: str) -> None:
    from piper import espeakbridge

    espeakbridge.initialize(data)
    espeakbridge.set_voice("en-us")
