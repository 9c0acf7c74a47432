"""A service's lecture held to the notes, sentence by sentence (``--faithful``).

A service model lectures from one prompt and explains in its own words; most of what it
says is true and not in the notes. With ``--faithful`` each sentence it writes goes
through the same claim check as the built-in lecturer's: a sentence that no sentence of
the notes supports is left out of the panel, the voice and the store. Headings, code
and the framing of a lecture ("Welcome", "Let us turn to ...") pass when they bring no
fact, number or name of their own. Text is held back only until its sentence ends.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

from profai_cli.llm.claim_words import content_stems, features
from profai_cli.llm.claims import NotesSupport

_STRUCTURE = re.compile(r"^\s*(?:#{1,6}\s|```|~~~|$|>\s*$|[-*_]{3,}\s*$)")
_DELIMITER = re.compile(r"^\s*\|?\s*:?-{3,}")
_ITEM = re.compile(r"^(\s*(?:[-*+]|\d{1,9}[.)])\s+|\s*>\s*)")
# Words that frame a lecture without saying anything about its subject.
_FRAMING = content_stems(
    "welcome today lecture lectures look looking talk talking cover covering covered begin "
    "beginning start starting next move moving turn turning recap summary summarise "
    "summarize let us explore exploring discuss discussing section sections part parts "
    "topic topics first second third finally conclude conclusion thanks thank listening "
    "remember key idea ideas point points going see understand learn learning today's "
    "overview introduction now then also"
)


class FaithfulFilter:
    """Feed it the lecture's deltas; it returns what may be said, as soon as it can."""

    def __init__(self, notes: str) -> None:
        self.support = NotesSupport(notes)
        self.vocabulary = self.support.stems
        self.titles = content_stems(
            " ".join(u.section for u in self.support.units) + " " + notes.split("\n", 1)[0]
        )
        self.kept = 0
        self.dropped = 0
        self._line = ""  # the line being written
        self._done = 0  # characters of its body already decided
        self._said = False  # something of this line has been let through
        self._in_code = False
        self._row: str | None = None  # a table row held until the next line says if it heads

    def feed(self, delta: str) -> str:
        out = []
        self._line += delta
        while "\n" in self._line:
            line, rest = self._line.split("\n", 1)
            self._line = line
            out.append(self._decide(final=True))
            self._line, self._done, self._said = rest, 0, False
        out.append(self._decide(final=False))
        return "".join(out)

    def flush(self) -> str:
        text = self._decide(final=True).rstrip("\n") if self._line else ""
        if self._row is not None:
            row, self._row = self._row, None
            text = (self._data_row(row) + text).rstrip("\n")
        self._line, self._done, self._said = "", 0, False
        return text

    def _decide(self, final: bool) -> str:
        """What of the current line is settled now (all of it when final), checked."""
        line = self._line
        is_row = line.lstrip().startswith("|")
        if not final and (is_row or self._in_code):
            return ""
        if final and self._row is not None:  # the row before: a header, or a claim
            before, self._row = self._row, None
            if _DELIMITER.match(line):
                return before + "\n" + line + "\n"
            return self._data_row(before) + self._decide(final)
        if final and is_row and not self._in_code:
            self._row = line  # decided when the next line shows whether it heads a table
            return ""
        if final and line.lstrip().startswith(("```", "~~~")):
            self._in_code = not self._in_code
            return line + "\n"
        if self._in_code or _STRUCTURE.match(line) or _DELIMITER.match(line):
            return line + "\n" if final else ""
        marker = _ITEM.match(line)
        lead = marker.group(0) if marker else ""
        body = line[len(lead) :]
        spans = [(a, b) for a, b in _spans(body) if a >= self._done]
        settled = spans if final else spans[:-1]
        said = [body[a:b] for a, b in settled if self._allowed(body[a:b])]
        if settled:
            self._done = settled[-1][1]
        out = ""
        if said:
            out = (" " if self._said else lead) + " ".join(said)
            self._said = True
        if final and self._said:
            out += "\n"
        return out

    def _data_row(self, row: str) -> str:
        return row + "\n" if self._allowed(" ".join(row.split("|"))) else ""

    def _allowed(self, sentence: str) -> bool:
        plain = sentence.strip()
        if not plain:
            return False
        f = features(plain, self.support.capitalised)
        framing = set(f.stems) <= _FRAMING | self.titles and not f.numbers and not f.names
        question = plain.endswith("?") and set(f.stems) <= self.vocabulary | _FRAMING
        ok = framing or question or bool(self.support.check(plain))
        if ok:
            self.kept += 1
        else:
            self.dropped += 1
        return ok


def _spans(text: str) -> list[tuple[int, int]]:
    from profai_cli.speech.segmenter import sentence_spans

    return sentence_spans(text) if text.strip() else []


async def faithful(deltas: AsyncIterator[str], flt: FaithfulFilter) -> AsyncIterator[str]:
    """The deltas that pass, as they settle."""
    async for delta in deltas:
        if text := flt.feed(delta):
            yield text
    if text := flt.flush():
        yield text
