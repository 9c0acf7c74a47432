"""Pronunciations the user owns: a word and how to say it, for every voice.

From the config file's ``[pronounce]`` table and a ``pronounce.toml`` beside the notes (or
in a course folder), the nearer one winning:

    [pronounce]
    RuBisCO = "roo-BISS-co"                              # any voice: a respelling
    Saigo = { say = "SY-go", phonemes = "sˈaɪɡoʊ" }      # Piper: these phonemes instead

A respelling replaces the word (whole words, any case) in what the voice is given; for
Piper, phonemes go in as ``[[ ... ]]``, which Piper reads as phonemes. The audio cache is
keyed by that text, so a changed pronunciation is synthesized again.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from profai_cli.core.errors import InputError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FILE_NAME = "pronounce.toml"


@dataclass(frozen=True)
class Pronunciations:
    say: dict[str, str] = field(default_factory=dict)  # word -> respelling
    phonemes: dict[str, str] = field(default_factory=dict)  # word -> Piper phonemes

    def __bool__(self) -> bool:
        return bool(self.say or self.phonemes)

    def merged(self, nearer: Pronunciations) -> Pronunciations:
        return Pronunciations({**self.say, **nearer.say}, {**self.phonemes, **nearer.phonemes})

    def apply(self, text: str, *, phonemes: bool = False) -> str:
        """The text with each listed word said as the list says (Piper: its phonemes)."""
        if not self:
            return text
        words = {w.lower(): w for w in {*self.say, *self.phonemes}}
        pattern = _pattern(tuple(sorted(words, key=len, reverse=True)))

        def replace(m: re.Match[str]) -> str:
            word = words[m.group(0).lower()]
            if phonemes and word in self.phonemes:
                return f"[[ {self.phonemes[word]} ]]"
            return self.say.get(word, m.group(0))

        return pattern.sub(replace, text)


_PATTERNS: dict[tuple[str, ...], re.Pattern[str]] = {}


def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    if words not in _PATTERNS:
        alternatives = "|".join(re.escape(w) for w in words)
        _PATTERNS[words] = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)
    return _PATTERNS[words]


def from_table(table: object, where: str) -> Pronunciations:
    """A ``[pronounce]`` table's entries; a wrong one is one line naming ``where``."""
    if not isinstance(table, dict):
        raise InputError(f'{where}: [pronounce] must be a table of word = "how to say it"')
    say: dict[str, str] = {}
    phonemes: dict[str, str] = {}
    for word, value in table.items():
        if isinstance(value, str):
            say[word] = value
        elif isinstance(value, dict) and set(value) <= {"say", "phonemes"}:
            if isinstance(value.get("say"), str):
                say[word] = value["say"]
            if isinstance(value.get("phonemes"), str):
                phonemes[word] = value["phonemes"]
        else:
            raise InputError(
                f"{where}: pronounce.{word} must be a string, or a table with say and phonemes"
            )
    return Pronunciations(say, phonemes)


def from_config(path: Path) -> Pronunciations:
    """The config file's [pronounce] table (load_file says what else is wrong with it)."""
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return Pronunciations()
    return from_table(data["pronounce"], str(path)) if "pronounce" in data else Pronunciations()


def read_file(path: Path) -> Pronunciations:
    """A pronounce.toml: its [pronounce] table, or its top-level entries."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Pronunciations()
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(
            f"{path}: cannot read the pronunciations ({exc}); fix or remove it"
        ) from None
    return from_table(data.get("pronounce", data), str(path))


def for_notes(config_table: Pronunciations, notes_source: str | None) -> Pronunciations:
    """The config's list, then a course folder's, then the one beside the notes."""
    found = config_table
    if notes_source and notes_source not in ("-", "<stdin>") and "://" not in notes_source:
        source = Path(notes_source)
        candidate = (source if source.is_dir() else source.parent) / FILE_NAME
        if candidate.is_file():
            found = found.merged(read_file(candidate))
    return found
