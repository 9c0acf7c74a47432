"""Lecture markdown in, speakable chunks out, incrementally, as the LLM writes.

``Segmenter.feed(delta)`` returns the chunks that the text so far settles for good;
``flush()`` returns the rest. A cut is made only when no later text could move it,
so the chunks are the same however the text is split into deltas.

Two layers. Lines: markdown blocks are line-based, so complete lines are classified
(heading, list item, quote, fence, table, ...) and the unfinished last line joins the
running paragraph as soon as its start shows it is prose. Prose: the paragraph's text
(lines joined by spaces) is cut at sentence ends, never inside code, math, links,
URLs or tags; a sentence with no end is cut at a clause or word boundary after
``max_chars``; the lecture's first chunk may end at its first clause so the voice
starts sooner; a very short sentence is merged with the next.
"""

from __future__ import annotations

import bisect
import re
from enum import Enum
from typing import NamedTuple

from profai_cli.speech import tables
from profai_cli.speech.code import describe_code
from profai_cli.speech.markdown import (
    _FENCE,
    _HEADING,
    _TABLE_DELIMITER,
    _Line,
    classify_line_start,
)
from profai_cli.speech.spoken import (
    TERMINATORS,
    _as_sentence,
    _speakable,
    speak_math,
    to_speech,
)


class ChunkKind(str, Enum):
    HEADING = "heading"
    SENTENCE = "sentence"
    PARAGRAPH_END = "paragraph_end"  # the last chunk of a paragraph, list or code note


class Chunk(NamedTuple):  # a NamedTuple: cheap to make, thousands a second
    text: str  # what the voice says
    index: int  # type: ignore[assignment]  # a field, shadowing tuple.index on purpose
    start: int  # span [start, end) of the lecture markdown it came from
    end: int
    kind: ChunkKind


# -- sentence rules ------------------------------------------------------------------------

_CJK_TERMINATORS = "\u3002\uff01\uff1f"
_CLOSERS = "\"')]}\u00bb\u201d\u2019*_~\u300d\u300f\uff09"
# Never the end of a sentence when followed by a space.
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st sr jr vs fig figs approx eq eqs cf al dept est vol ch sec "
    "pp p mt ave gen col lt sgt capt rev hon e.g i.e viz resp ca min max".split()
)
# Abbreviations of the other languages --language offers, as their style guides list them.
_LANGUAGE_ABBREVIATIONS = {
    "ge": frozenset(
        "bzw ca evtl ggf hr hrsg inkl jh jhd mind mio mrd nr str tel usw vgl zb dh ua uvm "
        "abb bd bsp geb gest sog spr verh zit".split()
    ),
    "fr": frozenset("m mme mmes mlle mm pr me ste chap env ex fig av apr hab tél vol p pp".split()),
    "sp": frozenset("sr sra srta dr dra ud uds pág núm etc ej aprox".split()),
}
_DOTTED = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]$")  # e.g, i.e, U.S, a.m, Ph.D (last dot cut)

# What the prose scanner stops at: openers of protected spans, and candidate cuts.
_SCAN = re.compile(
    # The lookahead lets the regex engine skip ordinary characters quickly (5x faster).
    r"(?=[`$!\[<.?\u2026\u3002\uff01\uff1f,;:\u2014\u2013\-hw\\])(?:"
    r"(?P<code>`+)|(?P<math>\$\$?)|(?P<tex>\\[(\[])|(?P<link>!?\[)"
    r"|(?P<url>(?<![\w/])(?:https?://|www\.))"
    r"|(?P<tag><(?=[A-Za-z/!]))|(?P<term>[.!?\u2026\u3002\uff01\uff1f]+)"
    r"|(?P<clause>[,;:](?=\s)|(?<=\s)(?:[\u2014\u2013]|--?)(?=\s)|\u2014))"
)
_TAG_AT = re.compile(r"</?[A-Za-z][^>\n]*>")
_TAG_START = re.compile(r"<(?:/?[A-Za-z][^>\n]*)?|</")
_SPAN_LIMIT = 200  # an opener with no closer this far on is plain text
_LINK_TAIL = re.compile(r"\]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*(?:\s+\"[^\"]*\")?\)|\]\[[^\]]*\]")


# Display formulas: what opens one at a line's start, and what closes it ("" means the
# environment's own \\end{...}).
_DISPLAY_MATH = (
    ("$$", "$$"),
    ("\\[", "\\]"),
    *((f"\\begin{{{env}}}", "") for env in (
        "equation", "equation*", "align", "align*", "gather", "gather*", "multline",
        "multline*", "eqnarray", "eqnarray*", "displaymath", "math", "flalign", "flalign*",
    )),
)  # fmt: skip


def _in_spaced_dots(text: str, t0: int) -> bool:
    """This single dot is one of ". . ." (or "word. . . .")."""
    return text[t0 + 1 : t0 + 3] == " ." or (t0 >= 2 and text[t0 - 2 : t0] == ". ")


def _spaced_dots_end(text: str, t0: int, j: int, k: int) -> tuple[int, int] | None:
    """Spaced ellipses: ". . ." leaves a sentence open; "period . . . ." ends one with its
    fourth dot; "word. . . . Next" ends it at the word's own dot and the ellipsis opens
    the next sentence."""
    start = t0
    while start >= 2 and text[start - 2 : start] == ". ":
        start -= 2
    end = t0
    while text[end + 1 : end + 3] == " .":
        end += 2
    dots = (end - start) // 2 + 1
    attached = start > 0 and not text[start - 1].isspace()
    after = end + 1
    while after < len(text) and text[after] in _CLOSERS:
        after += 1
    rest = text[after:].lstrip()
    new_sentence = rest[:1].isupper()
    if attached:
        if t0 == start and dots >= 4 and new_sentence and after < len(text):
            return t0 + 1, t0 + 2  # "compounds. | . . . The practice"
        return None
    if t0 == end and dots >= 4 and new_sentence:
        return j, k  # "a period . . . . | Next sentence."
    return None


def _environment_end(line: str) -> str:
    m = re.match(r"\\begin\{([^}]+)\}", line)
    return f"\\end{{{m.group(1)}}}" if m else "$$"


# -- the segmenter -------------------------------------------------------------------------


class _Pending(Exception):
    """More text is needed to decide; nothing is cut yet."""


class _Prose:
    """The running paragraph: lines joined by spaces, mapped back to raw offsets."""

    __slots__ = ("kind", "text", "logical", "raw")

    def __init__(self, kind: _Line) -> None:
        self.kind = kind
        self.text = ""
        self.logical: list[int] = []  # start of each piece in text
        self.raw: list[int] = []  # raw offset of each piece's first character

    def add(self, piece: str, raw_start: int) -> None:
        if piece:
            self.logical.append(len(self.text))
            self.raw.append(raw_start)
            self.text += piece

    def trim(self, upto: int) -> None:
        """Forget text before upto (already spoken) so long paragraphs stay cheap."""
        k = bisect.bisect_right(self.logical, upto) - 1
        first_raw = self.raw[k] + (upto - self.logical[k])
        self.logical = [0] + [p - upto for p in self.logical[k + 1 :]]
        self.raw = [first_raw] + self.raw[k + 1 :]
        self.text = self.text[upto:]

    def raw_at(self, i: int) -> int:
        k = bisect.bisect_right(self.logical, i) - 1
        return self.raw[k] + (i - self.logical[k])


class Segmenter:
    """Cuts lecture markdown into speakable chunks as it streams in."""

    def __init__(
        self,
        *,
        language: str = "English",
        max_chars: int = 600,
        fast_first: bool = True,
        first_min_words: int = 3,
        merge_below: int = 24,
        code_phrase: str | None = "Here is a code example.",
        formula_phrase: str = "Here is a formula.",
    ) -> None:
        self.max_chars = max_chars
        self._abbreviations = _LANGUAGE_ABBREVIATIONS.get(language.lower()[:2], frozenset())
        self._ordinal_dots = language.lower()[:2] in ("ge", "de")  # "am 3. Mai"
        self.fast_first = fast_first
        self.first_min_words = first_min_words
        self.merge_below = merge_below
        self.code_phrase = code_phrase
        self.formula_phrase = formula_phrase
        self._parts: list[str] = []  # deltas not yet looked at
        self._raw = ""  # unconsumed text, from the start of the current line
        self._raw_base = 0  # offset of _raw[0] in the lecture
        self._line_used = 0  # chars of the current partial line already in the prose
        self._line_kind: _Line | None = None
        self._block: str | None = None  # "fence" / "math" / "comment" while inside one
        self._fence = ""
        self._block_start = 0
        self._block_lines: list[str] = []
        self._math_end = "$$"  # what closes the display formula being read
        self._code_info = ""  # the open code block's language
        self._table_header: list[str] | None = None
        self._table_pending: tuple[list[str], int, int] | None = None  # a header, maybe
        self._table_rows = 0
        self._prose: _Prose | None = None
        self._pos = 0  # start of the next chunk in the prose text
        self._scan = 0  # prose text before this is settled: no cut there
        self._spans: list[tuple[int, int]] = []  # protected spans in the current chunk
        self._short_cut: int | None = None  # a sentence end skipped to merge a short sentence
        self._first_cut = 0  # end of the fast first chunk's candidate clause, if any
        self._out: list[Chunk] = []
        self._index = 0
        self._unprocessed = 0
        self._busy = True  # a decision waits on more text: look at every delta

    # -- public API ------------------------------------------------------------------------

    def feed(self, delta: str) -> list[Chunk]:
        """The chunks that this delta settles for good (often none)."""
        if not delta:
            return []
        self._parts.append(delta)
        self._unprocessed += len(delta)
        # Fast path: with no decision pending, only a newline or a sentence stop (or, for
        # the fast first chunk, a clause mark) can settle anything new.
        if not self._busy and self._unprocessed < 64:
            triggers = _FIRST_TRIGGERS if self._index == 0 else _TRIGGERS
            if len(delta) == 1:
                if delta not in triggers:
                    return []
            elif not any(ch in triggers for ch in delta):
                return []
        self._process(final=False)
        out, self._out = self._out, []
        return out

    def flush(self) -> list[Chunk]:
        """The rest, once the text is complete."""
        self._process(final=True)
        self._end_block()
        self._end_prose(ChunkKind.PARAGRAPH_END)
        out, self._out = self._out, []
        return out

    # -- lines -----------------------------------------------------------------------------

    def _take_parts(self) -> None:
        if self._parts:
            self._raw += "".join(self._parts)
            self._parts.clear()
            self._unprocessed = 0

    def _process(self, final: bool) -> None:
        self._take_parts()
        self._busy = False
        raw = self._raw
        start = 0
        nl = raw.find("\n")
        while nl >= 0:
            following = raw.find("\n", nl + 1)
            # When the next line is complete too, it settles this one's cuts (cheaper).
            self._line(
                raw[start:nl], self._raw_base + start, complete=True, more_follows=following >= 0
            )
            start = nl + 1
            nl = following
        if start:
            self._raw = raw[start:]
            self._raw_base += start
        if self._raw and final:  # the text's last line, with no newline after it
            self._line(self._raw, self._raw_base, complete=True)
            self._raw_base += len(self._raw)
            self._raw = ""
        elif self._raw:
            self._line(self._raw, self._raw_base, complete=False)
        elif self._prose is not None and not final:
            self._busy = True  # the paragraph's end waits on the next line

    def _line(self, line: str, offset: int, complete: bool, more_follows: bool = False) -> None:
        if self._block is not None:
            if complete:
                self._block_line(line, offset)
            else:
                self._busy = True
            return
        kind = self._line_kind
        if kind is None:
            kind, content = classify_line_start(line, complete)
            if kind is _Line.WAIT or (kind is _Line.WHOLE and not complete):
                self._busy = True
                return
            self._line_kind = kind
            self._start_line(kind, content, offset)
            self._line_used = content
        if kind is _Line.WHOLE:
            self._whole_line(line, offset)
        else:
            assert self._prose is not None
            piece = line[self._line_used :]
            self._prose.add(piece, offset + self._line_used)
            self._line_used = len(line)
            if not more_follows:  # else the next line cuts, with more text to go on
                self._cut(final=False)
            if not complete and self._line_used > 1024:
                # Long partial line already in the prose: drop it from the raw buffer.
                self._raw = self._raw[self._line_used :]
                self._raw_base += self._line_used
                self._line_used = 0
        if complete:
            self._line_kind = None
            self._line_used = 0

    def _start_line(self, kind: _Line, content: int, offset: int) -> None:
        prose = self._prose
        if kind is _Line.WHOLE:
            return
        self._end_table()
        if prose is not None:
            continues = kind is _Line.PARAGRAPH or (
                kind is _Line.QUOTE and prose.kind is _Line.QUOTE
            )
            if continues:
                prose.add(" ", offset - 1)  # the newline between the lines, as a space
                return
            self._end_prose(
                ChunkKind.SENTENCE
                if kind is _Line.ITEM and prose.kind is _Line.ITEM
                else ChunkKind.PARAGRAPH_END
            )
        self._prose = _Prose(kind)
        self._pos = self._scan = 0
        self._spans = []
        self._short_cut = None

    def _whole_line(self, line: str, offset: int) -> None:
        """A complete line that is not prose: blank, heading, fence, table, rule."""
        stripped = line.strip()
        if not stripped:
            self._end_prose(ChunkKind.PARAGRAPH_END)
            return
        self._end_prose(ChunkKind.PARAGRAPH_END)
        m = _HEADING.match(line)
        if m and stripped.startswith("#"):
            text = to_speech(m.group(2) or "")
            if _speakable(text):
                start = offset + (m.start(2) if m.group(2) else 0)
                end = offset + (m.end(2) if m.group(2) else len(line))
                self._emit(_as_sentence(text), start, end, ChunkKind.HEADING)
            return
        if stripped.startswith("|"):
            self._table_line(line, offset)
            return
        self._end_table()
        fence = _FENCE.match(line)
        if fence:
            self._block, self._fence = "fence", fence.group(1)
            self._block_start = offset
            self._code_info = line.strip()[len(fence.group(1)) :].strip().split(" ")[0]
            self._block_lines = []
            return
        for opening, closing in _DISPLAY_MATH:
            if stripped.startswith(opening):
                body = stripped[len(opening) :]
                close = closing or _environment_end(stripped)
                if close in body:
                    self._formula(body[: body.index(close)], offset, offset + len(line))
                else:
                    self._block, self._block_start, self._block_lines = "math", offset, [body]
                    self._math_end = close
                return
        if stripped.startswith("<!--"):
            if "-->" not in stripped:
                self._block = "comment"
            return
        # Horizontal rules are not spoken.

    def _table_line(self, line: str, offset: int) -> None:
        """A table row said as a sentence with its header's names; the first row is the
        header when a delimiter row follows it."""
        end = offset + len(line)
        if _TABLE_DELIMITER.match(line):
            if self._table_pending is not None:
                self._table_header = self._table_pending[0]
                self._table_pending = None
                intro = tables.introduction(self._table_header)
                if intro:
                    self._emit(to_speech(intro), offset, end, ChunkKind.SENTENCE)
            return
        cells = tables.split_row(line)
        if self._table_pending is not None:  # no delimiter came: the row was data
            pending, start, stop = self._table_pending
            self._table_pending = None
            self._table_row(pending, start, stop)
        if self._table_header is None and not self._table_rows:
            self._table_pending = (cells, offset, end)
            return
        self._table_row(cells, offset, end)

    def _table_row(self, cells: list[str], start: int, end: int) -> None:
        said = to_speech(tables.row_sentence(self._table_header or [], cells))
        self._table_rows += 1
        if _speakable(said):
            self._emit(said, start, end, ChunkKind.SENTENCE)

    def _end_table(self) -> None:
        if self._table_pending is not None:
            pending, start, stop = self._table_pending
            self._table_pending = None
            self._table_row(pending, start, stop)
        self._table_header = None
        self._table_rows = 0

    def _block_line(self, line: str, offset: int) -> None:
        if self._block == "fence":
            t = line.strip()
            if t.startswith(self._fence[0] * len(self._fence)) and not t.strip(self._fence[0]):
                self._block = None
                self._code(offset + len(line))
            else:
                self._block_lines.append(line)
        elif self._block == "math":
            if self._math_end in line:
                self._block_lines.append(line[: line.index(self._math_end)])
                self._formula(" ".join(self._block_lines), self._block_start, offset + len(line))
                self._block = None
            else:
                self._block_lines.append(line)
        elif "-->" in line:
            self._block = None

    def _formula(self, tex: str, start: int, end: int) -> None:
        spoken = speak_math(tex)
        if not _speakable(spoken):
            return
        self._emit(_as_sentence(spoken), start, end, ChunkKind.PARAGRAPH_END)

    def _code(self, end: int) -> None:
        """A finished code block: what it is, never the code ("" leaves it unsaid)."""
        if self.code_phrase is None:
            return
        said = describe_code("\n".join(self._block_lines), self._code_info, lead="Here is")
        self._emit(to_speech(said), self._block_start, end, ChunkKind.PARAGRAPH_END)

    def _end_block(self) -> None:
        if self._block == "math" and self._block_lines:
            self._formula(" ".join(self._block_lines), self._block_start, self._raw_base)
        elif self._block == "fence":
            self._code(self._raw_base)
        self._block = None
        self._end_table()

    # -- prose -----------------------------------------------------------------------------

    def _end_prose(self, kind: ChunkKind) -> None:
        prose = self._prose
        if prose is None:
            return
        self._cut(final=True)
        rest_start = self._pos
        text = prose.text
        while rest_start < len(text) and text[rest_start].isspace():
            rest_start += 1
        rest_end = len(text.rstrip())
        if rest_end > rest_start:
            self._emit_prose(rest_start, rest_end, kind)
        self._prose = None

    def _cut(self, final: bool) -> None:
        """Emit every chunk the prose so far settles."""
        prose = self._prose
        assert prose is not None
        while True:
            try:
                end, nxt = self._next_cut(prose.text, final)
            except _Pending:
                self._busy = True
                return
            if end is None:
                return
            self._emit_prose(self._pos, end, ChunkKind.SENTENCE)
            self._pos = self._scan = nxt
            self._spans = []
            self._short_cut = None
            if nxt > 4096:
                prose.trim(nxt)
                self._pos = self._scan = 0

    def _next_cut(self, text: str, final: bool) -> tuple[int | None, int]:
        """The end of the next chunk and where the one after starts, or (None, 0)."""
        n = len(text)
        pos = self._pos
        while pos < n and text[pos].isspace():
            pos += 1
        self._pos = pos
        self._scan = max(self._scan, pos)
        first = self._index == 0 and self.fast_first
        limit = pos + self.max_chars
        i = self._scan
        while True:
            m = _SCAN.search(text, i)
            if m is None or m.start() >= limit:
                if n >= limit:
                    return self._forced_cut(text, pos, limit)
                # An opener such as "https://" may straddle the end: rescan its start.
                self._scan = max(i, n - 8)
                return None, 0
            kind = m.lastgroup
            i = m.end()
            if kind == "term":
                cut = self._sentence_end(text, m.start(), m.end(), final)
                if cut is not None:
                    end, nxt = cut
                    if nxt >= n:
                        return None, 0  # the paragraph's last words: its end emits them
                    if self._index > 0 and end - pos < self.merge_below:
                        self._short_cut = end  # too short alone: merge with the next
                        self._scan = i = nxt
                        continue
                    return end, nxt
            elif kind == "clause":
                if first:
                    cut = self._clause_end(text, pos, m.start(), m.end(), final)
                    if cut is not None:
                        return cut
            else:
                span_end = self._span_end(kind or "", text, m.start(), m.end(), final)
                if span_end is not None:
                    self._spans.append((m.start(), span_end))
                    i = span_end
            self._scan = i

    def _sentence_end(self, text: str, t0: int, t1: int, final: bool) -> tuple[int, int] | None:
        n = len(text)
        j = t1
        while j < n:
            if text[j] in _CLOSERS:
                j += 1
            elif text[j] == "<":  # a tag such as <br> after the stop belongs to the sentence
                tag = _TAG_AT.match(text, j)
                if tag:
                    j = tag.end()
                elif not final and _TAG_START.fullmatch(text, j):
                    raise _Pending
                else:
                    break
            else:
                break
        run = text[t0:t1]
        if any(ch in _CJK_TERMINATORS for ch in run):
            if j >= n and not final:
                raise _Pending
            k = j
            while k < n and text[k].isspace():
                k += 1
            return j, k
        if j >= n:
            if final:
                return j, j
            raise _Pending
        if not text[j].isspace():
            return None  # 3.14, e.g.,, config.yaml, "word.next"
        k = j
        while k < n and text[k].isspace():
            k += 1
        if k >= n:
            if final:
                return j, k
            raise _Pending
        nxt = text[k]
        if run == "." and _in_spaced_dots(text, t0):
            return _spaced_dots_end(text, t0, j, k)
        if nxt.islower() or nxt in ",;:":
            return None  # "Co. at noon", "'This is great.' she said", "Yahoo! in the"
        if run == "." or (run.endswith(".") and not run.startswith("..")):
            word_start = text.rfind(" ", 0, t0) + 1
            token = text[word_start:t0].lstrip("(\"'[{\u201c\u2018*_")
            low = token.lower()
            if low in _ABBREVIATIONS or low in self._abbreviations:
                return None
            if self._ordinal_dots and low.endswith("str") and nxt.isdigit():
                return None  # "Hauptstr. 5"
            if nxt.isdigit() and len(token) <= 2 and not token.isdigit():
                return None  # "N°. 1026", "No. 5"
            if self._ordinal_dots and token.isdigit() and len(token) <= 2:
                return None  # German "am 3. Mai"
            if len(token) == 1 and token.isalpha() and nxt.isalpha():
                if k + 2 >= n and not final:
                    raise _Pending  # "z. B." or "a. Then"? the next characters say
                if text[k + 1 : k + 2] == "." and (k + 2 >= n or not text[k + 2].isalpha()):
                    return None  # "z. B.", "d. h.": letters of one abbreviation
            if low == "no" and nxt.isdigit():
                return None
            if low == "etc" and not nxt.isupper():
                return None
            if _DOTTED.match(token):
                if low in ("a.m", "p.m") and nxt.isupper():
                    return j, k
                return None
            if len(token) == 1 and token.isupper():
                return None  # an initial: J. R. R. Tolkien
        elif run in ("...", "\u2026") or set(run) <= {".", "\u2026"}:
            if nxt.islower():
                return None  # "small... but"
        return j, k

    def _clause_end(
        self, text: str, pos: int, c0: int, c1: int, final: bool
    ) -> tuple[int, int] | None:
        """The fast first chunk: cut after the first clause of enough words."""
        if len(text[pos:c0].split()) < self.first_min_words:
            return None
        n = len(text)
        end = len(text[:c1].rstrip())
        k = end
        while k < n and text[k].isspace():
            k += 1
        if k >= n:
            if final:
                return None  # at the very end it is the whole sentence anyway
            raise _Pending
        return end, k

    def _span_end(self, kind: str, text: str, s: int, e: int, final: bool) -> int | None:
        """Where a protected span (code, math, link, URL, tag) opened at s ends, or None."""
        n = len(text)
        horizon = s + _SPAN_LIMIT
        if kind == "code":
            close = text.find(text[s:e], e)
            if close >= 0 and close < horizon:
                return close + (e - s)
        elif kind == "math":
            if e - s == 1 and (e >= n or text[e].isspace()):
                if e >= n and not final:
                    raise _Pending
                return None  # "$ 5": not math
            pattern = re.compile(r"\$\$" if e - s == 2 else r"(?<=\S)\$(?!\d)")
            close_m = pattern.search(text, e)
            if close_m and close_m.start() < horizon:
                if close_m.end() >= n and not final and e - s == 1:
                    raise _Pending  # "$5$" or "$5$3"? need the next char
                return close_m.end()
        elif kind == "tex":
            close = text.find("\\)" if text[s + 1] == "(" else "\\]", e)
            if 0 <= close < s + 2 * _SPAN_LIMIT:
                return close + 2
        elif kind == "link":
            close = text.find("]", e)
            if 0 <= close < horizon:
                tail = _LINK_TAIL.match(text, close)
                if tail:
                    return tail.end()
                after = close + 1
                if after >= n:
                    if not final:
                        raise _Pending  # "(url)" may follow
                    return after
                if text[after] in "([" and not final and n < horizon:
                    if text.find(")" if text[after] == "(" else "]", after) < 0:
                        raise _Pending
                return after
        elif kind == "url":
            k = e
            while k < n and not text[k].isspace():
                k += 1
            if k >= n and not final:
                raise _Pending
            while k > e and text[k - 1] in ".,;:!?)'\"*_":
                k -= 1
            return k
        elif kind == "tag":
            close = text.find(">", e)
            if 0 <= close < horizon and "\n" not in text[e:close]:
                return close + 1
        if n < horizon and not final:
            raise _Pending
        return None

    def _forced_cut(self, text: str, pos: int, limit: int) -> tuple[int | None, int]:
        """No sentence end within max_chars: cut at a clause, else a word boundary."""
        if self._short_cut is not None:
            end = self._short_cut
        else:
            window = text[pos:limit]
            end = -1
            for m in re.finditer(r"[,;:](?=\s)|\s[\u2014\u2013-]+\s", window):
                at = pos + m.end()
                if at - pos >= self.max_chars * 0.3 and not self._in_span(at):
                    end = at
            if end < 0:
                k = window.rfind(" ")
                while k > 0 and self._in_span(pos + k):
                    k = window.rfind(" ", 0, k)
                end = pos + k if k > 0 else limit
                if k <= 0:
                    for s, e in self._spans:
                        if s <= limit <= e:
                            end = e
        end = len(text[:end].rstrip())
        nxt = end
        n = len(text)
        while nxt < n and text[nxt].isspace():
            nxt += 1
        return end, nxt

    def _in_span(self, at: int) -> bool:
        return any(s < at < e for s, e in self._spans)

    # -- output ----------------------------------------------------------------------------

    def _emit_prose(self, start: int, end: int, kind: ChunkKind) -> None:
        prose = self._prose
        assert prose is not None
        text = to_speech(prose.text[start:end])
        if not _speakable(text):
            return
        if prose.kind is _Line.ITEM and end >= len(prose.text.rstrip()):
            text = _as_sentence(text)  # a list item is said as a sentence
        self._emit(text, prose.raw_at(start), prose.raw_at(end - 1) + 1, kind)

    def _emit(self, text: str, start: int, end: int, kind: ChunkKind) -> None:
        self._out.append(Chunk(text, self._index, start, end, kind))
        self._index += 1


_TRIGGERS = frozenset("\n" + TERMINATORS)
_FIRST_TRIGGERS = _TRIGGERS | frozenset(",;:\u2014\u2013-")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Where each sentence of a plain paragraph starts and ends: the same rules as the
    voice's cuts, with nothing merged and no length limit."""
    seg = Segmenter(max_chars=len(text) + 1, fast_first=False, merge_below=0)
    return [(c.start, c.end) for c in seg.feed(" ".join(text.split("\n"))) + seg.flush()]


def segment(text: str, **options: object) -> list[Chunk]:
    """All chunks of a finished text (the --no-stream path and read-aloud)."""
    seg = Segmenter(**options)  # type: ignore[arg-type]
    return seg.feed(text) + seg.flush()
