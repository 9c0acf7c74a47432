"""The running paragraph and where it may be cut: the prose half of the segmenter.

The paragraph's text (its lines joined by spaces) is cut at sentence ends, never inside
code, math, links, URLs or tags; a sentence with no end is cut at a clause or word
boundary after ``max_chars``; the lecture's first chunk may end at its first clause so
the voice starts sooner; a very short sentence is merged with the next.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from profai_cli.speech.markdown import _Line
from profai_cli.speech.sentences import Pending, sentence_end, span_end

# What the prose scanner stops at: openers of protected spans, and candidate cuts.
_SCAN = re.compile(
    # The lookahead lets the regex engine skip ordinary characters quickly (5x faster).
    r"(?=[`$!\[<.?\u2026\u3002\uff01\uff1f,;:\u2014\u2013\-hw\\])(?:"
    r"(?P<code>`+)|(?P<math>\$\$?)|(?P<tex>\\[(\[])|(?P<link>!?\[)"
    r"|(?P<url>(?<![\w/])(?:https?://|www\.))"
    r"|(?P<tag><(?=[A-Za-z/!]))|(?P<term>[.!?\u2026\u3002\uff01\uff1f]+)"
    r"|(?P<clause>[,;:](?=\s)|(?<=\s)(?:[\u2014\u2013]|--?)(?=\s)|\u2014))"
)


@dataclass(frozen=True)
class CutRules:
    """How long a chunk may grow and what counts as a sentence end in this language."""

    max_chars: int
    fast_first: bool  # the lecture's first chunk may end at its first clause
    first_min_words: int
    merge_below: int
    abbreviations: frozenset[str]
    ordinal_dots: bool  # "am 3. Mai": a number's dot is not a sentence end


class Paragraph:
    """The paragraph being read: its text, mapped back to raw offsets, and how far
    it has been cut."""

    __slots__ = ("kind", "text", "logical", "raw", "pos", "scan", "spans", "short_cut")

    def __init__(self, kind: _Line) -> None:
        self.kind = kind
        self.text = ""
        self.logical: list[int] = []  # start of each piece in text
        self.raw: list[int] = []  # raw offset of each piece's first character
        self.pos = 0  # start of the next chunk in text
        self.scan = 0  # text before this is settled: no cut there
        self.spans: list[tuple[int, int]] = []  # protected spans in the current chunk
        self.short_cut: int | None = None  # a sentence end skipped to merge a short one

    def add(self, piece: str, raw_start: int) -> None:
        if piece:
            self.logical.append(len(self.text))
            self.raw.append(raw_start)
            self.text += piece

    def raw_at(self, i: int) -> int:
        k = bisect.bisect_right(self.logical, i) - 1
        return self.raw[k] + (i - self.logical[k])

    def advance(self, nxt: int) -> None:
        """The chunk up to nxt is out; forget old text so long paragraphs stay cheap."""
        self.pos = self.scan = nxt
        self.spans = []
        self.short_cut = None
        if nxt > 4096:
            k = bisect.bisect_right(self.logical, nxt) - 1
            first_raw = self.raw[k] + (nxt - self.logical[k])
            self.logical = [0] + [p - nxt for p in self.logical[k + 1 :]]
            self.raw = [first_raw] + self.raw[k + 1 :]
            self.text = self.text[nxt:]
            self.pos = self.scan = 0

    def rest(self) -> tuple[int, int]:
        """The span of what is left to say, without surrounding space."""
        start, text = self.pos, self.text
        while start < len(text) and text[start].isspace():
            start += 1
        return start, len(text.rstrip())

    def next_cut(self, rules: CutRules, first: bool, final: bool) -> tuple[int | None, int]:
        """The end of the next chunk and where the one after starts, or (None, 0).
        ``first``: this is the lecture's first chunk (never merged; with fast_first it
        may end at a clause).
        Raises Pending when the decision waits on text not yet written."""
        text = self.text
        n = len(text)
        pos = self.pos
        while pos < n and text[pos].isspace():
            pos += 1
        self.pos = pos
        self.scan = max(self.scan, pos)
        limit = pos + rules.max_chars
        # Searched no further than the chunk can reach (a match past ``limit`` is no cut):
        # one unbroken word of 1.9 M characters was scanned whole for every chunk of it.
        reach = min(n, limit + 64)
        i = self.scan
        while True:
            m = _SCAN.search(text, i, reach)
            if m is None or m.start() >= limit:
                if n >= limit:
                    return self._forced_cut(rules, pos, limit)
                # An opener such as "https://" may straddle the end: rescan its start.
                self.scan = max(i, n - 8)
                return None, 0
            kind = m.lastgroup
            i = m.end()
            if kind == "term":
                cut = sentence_end(
                    text,
                    m.start(),
                    m.end(),
                    final,
                    abbreviations=rules.abbreviations,
                    ordinal_dots=rules.ordinal_dots,
                )
                if cut is not None:
                    end, nxt = cut
                    if nxt >= n:
                        return None, 0  # the paragraph's last words: its end emits them
                    if not first and end - pos < rules.merge_below:
                        self.short_cut = end  # too short alone: merge with the next
                        self.scan = i = nxt
                        continue
                    return end, nxt
            elif kind == "clause":
                if first and rules.fast_first:
                    cut = self._clause_end(rules, pos, m.start(), m.end(), final)
                    if cut is not None:
                        return cut
            else:
                closes = span_end(kind or "", text, m.start(), m.end(), final)
                if closes is not None:
                    self.spans.append((m.start(), closes))
                    i = closes
            self.scan = i

    def _clause_end(
        self, rules: CutRules, pos: int, c0: int, c1: int, final: bool
    ) -> tuple[int, int] | None:
        """The fast first chunk: cut after the first clause of enough words."""
        text = self.text
        if len(text[pos:c0].split()) < rules.first_min_words:
            return None
        n = len(text)
        end = len(text[:c1].rstrip())
        k = end
        while k < n and text[k].isspace():
            k += 1
        if k >= n:
            if final:
                return None  # at the very end it is the whole sentence anyway
            raise Pending
        return end, k

    def _forced_cut(self, rules: CutRules, pos: int, limit: int) -> tuple[int | None, int]:
        """No sentence end within max_chars: cut at a clause, else a word boundary."""
        text = self.text
        if self.short_cut is not None:
            end = self.short_cut
        else:
            window = text[pos:limit]
            end = -1
            for m in re.finditer(r"[,;:](?=\s)|\s[\u2014\u2013-]+\s", window):
                at = pos + m.end()
                if at - pos >= rules.max_chars * 0.3 and not self._in_span(at):
                    end = at
            if end < 0:
                k = window.rfind(" ")
                while k > 0 and self._in_span(pos + k):
                    k = window.rfind(" ", 0, k)
                end = pos + k if k > 0 else limit
                if k <= 0:
                    for s, e in self.spans:
                        if s <= limit <= e:
                            end = e
        end = len(text[:end].rstrip())
        nxt = end
        n = len(text)
        while nxt < n and text[nxt].isspace():
            nxt += 1
        return end, nxt

    def _in_span(self, at: int) -> bool:
        return any(s < at < e for s, e in self.spans)
