"""Lecture markdown in, speakable chunks out, incrementally, as the LLM writes.

``Segmenter.feed(delta)`` returns the chunks that the text so far settles for good;
``flush()`` returns the rest. A cut is made only when no later text could move it,
so the chunks are the same however the text is split into deltas.

Two layers. Lines: markdown blocks are line-based, so complete lines are classified
(heading, list item, quote, fence, table, ...) and the unfinished last line joins the
running paragraph as soon as its start shows it is prose. Prose: the paragraph
(speech/paragraph.py) is cut at sentence ends by the rules in speech/sentences.py.
"""

from __future__ import annotations

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
from profai_cli.speech.paragraph import CutRules, Paragraph
from profai_cli.speech.sentences import LANGUAGE_ABBREVIATIONS, Pending
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
    speaker: str = ""  # a dialogue's "Host" or "Lecturer" (speech/speakers.py)
    aside: int = 0  # the lecture's own (0), or the n-th aside said in it (an answer)


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


def _environment_end(line: str) -> str:
    m = re.match(r"\\begin\{([^}]+)\}", line)
    return f"\\end{{{m.group(1)}}}" if m else "$$"


# -- the segmenter -------------------------------------------------------------------------


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
        offset: int = 0,
        index: int = 0,
    ) -> None:
        """``offset`` and ``index``: where the text fed begins in the lecture, and the
        number of its first chunk (a lecture cut at a chunk and written again from there)."""
        self._rules = CutRules(
            max_chars=max_chars,
            fast_first=fast_first,
            first_min_words=first_min_words,
            merge_below=merge_below,
            abbreviations=LANGUAGE_ABBREVIATIONS.get(language.lower()[:2], frozenset()),
            ordinal_dots=language.lower()[:2] in ("ge", "de"),  # "am 3. Mai"
        )
        self._parts: list[str] = []  # deltas not yet looked at
        self._raw = ""  # unconsumed text, from the start of the current line
        self._raw_base = offset  # offset of _raw[0] in the lecture
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
        self._prose: Paragraph | None = None
        self._out: list[Chunk] = []
        self._index = index
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
        self._prose = Paragraph(kind)

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
        rest_start, rest_end = prose.rest()
        if rest_end > rest_start:
            self._emit_prose(rest_start, rest_end, kind)
        self._prose = None

    def _cut(self, final: bool) -> None:
        """Emit every chunk the prose so far settles."""
        prose = self._prose
        assert prose is not None
        while True:
            try:
                end, nxt = prose.next_cut(self._rules, self._index == 0, final)
            except Pending:
                self._busy = True
                return
            if end is None:
                return
            self._emit_prose(prose.pos, end, ChunkKind.SENTENCE)
            prose.advance(nxt)

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


def segment(
    text: str,
    *,
    language: str = "English",
    max_chars: int = 600,
    fast_first: bool = True,
    first_min_words: int = 3,
    merge_below: int = 24,
) -> list[Chunk]:
    """All chunks of a finished text (the --no-stream path and read-aloud)."""
    seg = Segmenter(
        language=language,
        max_chars=max_chars,
        fast_first=fast_first,
        first_min_words=first_min_words,
        merge_below=merge_below,
    )
    return seg.feed(text) + seg.flush()
