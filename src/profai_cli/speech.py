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
import html
import re
from enum import Enum
from typing import NamedTuple


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

TERMINATORS = ".!?\u2026\u3002\uff01\uff1f"
_CJK_TERMINATORS = "\u3002\uff01\uff1f"
_CLOSERS = "\"')]}\u00bb\u201d\u2019*_~\u300d\u300f\uff09"
# Never the end of a sentence when followed by a space.
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st sr jr vs fig figs approx eq eqs cf al dept est vol ch sec "
    "pp p mt ave gen col lt sgt capt rev hon e.g i.e viz resp ca min max".split()
)
_DOTTED = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]$")  # e.g, i.e, U.S, a.m, Ph.D (last dot cut)

# What the prose scanner stops at: openers of protected spans, and candidate cuts.
_SCAN = re.compile(
    # The lookahead lets the regex engine skip ordinary characters quickly (5x faster).
    r"(?=[`$!\[<.?\u2026\u3002\uff01\uff1f,;:\u2014\u2013\-hw])(?:"
    r"(?P<code>`+)|(?P<math>\$\$?)|(?P<link>!?\[)|(?P<url>(?<![\w/])(?:https?://|www\.))"
    r"|(?P<tag><(?=[A-Za-z/!]))|(?P<term>[.!?\u2026\u3002\uff01\uff1f]+)"
    r"|(?P<clause>[,;:](?=\s)|(?<=\s)(?:[\u2014\u2013]|--?)(?=\s)|\u2014))"
)
_TAG_AT = re.compile(r"</?[A-Za-z][^>\n]*>")
_TAG_START = re.compile(r"<(?:/?[A-Za-z][^>\n]*)?|</")
_SPAN_LIMIT = 200  # an opener with no closer this far on is plain text
_LINK_TAIL = re.compile(r"\]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*(?:\s+\"[^\"]*\")?\)|\]\[[^\]]*\]")

# -- line rules ----------------------------------------------------------------------------

_HEADING = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_BULLET = re.compile(r"( *)([-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?")
_QUOTE = re.compile(r" {0,3}(?:>[ \t]?)+")
_RULE = re.compile(r" {0,3}([-*_=])(?:[ \t]*\1){2,}[ \t]*$")
_TABLE_DELIMITER = re.compile(r" {0,3}\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$")


class _Line(Enum):
    WAIT = 0  # cannot tell yet: wait for more of the line
    WHOLE = 1  # a block that is handled when the line is complete (heading, fence, table)
    PARAGRAPH = 2
    ITEM = 3
    QUOTE = 4


def classify_line_start(line: str, complete: bool) -> tuple[_Line, int]:
    """What kind of line this is, and where its prose content starts."""
    if line[:1].isalpha():
        return _Line.PARAGRAPH, 0  # the common case, decided at once
    t = line.lstrip(" ")
    indent = len(line) - len(t)
    if not t:
        return (_Line.WHOLE if complete else _Line.WAIT), 0
    c = t[0]
    if c == "#":
        hashes = len(t) - len(t.lstrip("#"))
        rest = t[hashes:]
        if not rest and not complete:
            return _Line.WAIT, 0
        if hashes <= 6 and (not rest or rest[0] in " \t"):
            return _Line.WHOLE, 0
        return _Line.PARAGRAPH, indent
    if c in "`~":
        if len(t) < 3 and not complete and t == c * len(t):
            return _Line.WAIT, 0
        if t.startswith(c * 3):
            return _Line.WHOLE, 0
        return _Line.PARAGRAPH, indent
    if c == "|":
        return _Line.WHOLE, 0
    if c == "$":
        if len(t) < 2 and not complete:
            return _Line.WAIT, 0
        if t.startswith("$$"):
            return _Line.WHOLE, 0
        return _Line.PARAGRAPH, indent
    if c == "<" and (t.startswith("<!--") or (not complete and "<!--".startswith(t))):
        return (_Line.WHOLE if t.startswith("<!--") else _Line.WAIT), 0
    if c in "-*+_=":
        if all(ch in "-*_+= \t" for ch in t):
            if not complete:
                # "- " could still become "- item"; "***" could become a rule or **bold**.
                if c in "-*+" and len(t) >= 2 and t[1] in " \t" and t[2:].strip() == "":
                    return _Line.WAIT, 0
                return _Line.WAIT, 0
            if _RULE.match(line):
                return _Line.WHOLE, 0
        m = _BULLET.match(line)
        if m and c in "-*+":
            if not complete and m.end() == len(line):
                return _Line.WAIT, 0  # a task box "[ ] " may follow
            return _Line.ITEM, m.end()
        return _Line.PARAGRAPH, indent
    if c.isdigit():
        digits = len(t) - len(t.lstrip("0123456789"))
        rest = t[digits:]
        if not rest:
            return (_Line.PARAGRAPH, indent) if complete else (_Line.WAIT, 0)
        if rest[0] in ".)" and digits <= 9:
            if len(rest) == 1:
                return (_Line.PARAGRAPH, indent) if complete else (_Line.WAIT, 0)
            if rest[1] in " \t":
                m = _BULLET.match(line)
                if m and (complete or m.end() < len(line)):
                    return _Line.ITEM, m.end()
                return _Line.WAIT, 0
        return _Line.PARAGRAPH, indent
    if c == ">":
        m = _QUOTE.match(line)
        end = m.end() if m else indent + 1
        if end == len(line) and not complete:
            return _Line.WAIT, 0
        return _Line.QUOTE, end
    return _Line.PARAGRAPH, indent


# -- markdown to speech --------------------------------------------------------------------

_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)|!\[[^\]]*\]\[[^\]]*\]")
_LINK = re.compile(r"\[([^\]]*)\]\([^()]*(?:\([^()]*\)[^()]*)*\)|\[([^\]]*)\]\[[^\]]*\]")
_FOOTNOTE = re.compile(r"\[\^[^\]]*\]")
_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^>\s]+|[^>\s@]+@[^>\s]+)>")
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'\"]")
_CODE = re.compile(r"(`+)(.+?)\1")
_MATH_INLINE = re.compile(r"\$\$(.+?)\$\$|\$(?=\S)([^$]*?\S)\$(?!\d)")
_TAG = re.compile(r"<!--.*?-->|</?[A-Za-z][^>]*>")
_EMPHASIS = re.compile(r"\*\*|__|~~|(?<![\w*])[*_]+(?=\S)|(?<=\S)[*_]+(?![\w*])")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?\u2026])")


def _url_words(url: str) -> str:
    """A URL as a lecturer would say it: its site."""
    host = re.sub(r"^(?:https?|ftp)://", "", url).split("/")[0]
    return host.removeprefix("www.")


def to_speech(markdown: str) -> str:
    """Inline markdown as the words a voice should say."""
    s = markdown
    if "`" in s:
        s = _CODE.sub(lambda m: m.group(2).strip(), s)
    if "$" in s:
        s = _MATH_INLINE.sub(lambda m: " " + speak_math(m.group(1) or m.group(2)) + " ", s)
    if "[" in s:
        s = _IMAGE.sub("", s)
        s = _FOOTNOTE.sub("", s)
        s = _LINK.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), s)
    if "<" in s:
        s = _AUTOLINK.sub(
            lambda m: _url_words(m.group(1)) if "://" in m.group(1) else m.group(1), s
        )
        s = _TAG.sub("", s)
    if "://" in s or "www." in s:
        s = _URL.sub(lambda m: _url_words(m.group(0)), s)
    if "&" in s:
        s = html.unescape(s)
    if "*" in s or "_" in s or "~" in s:
        s = _EMPHASIS.sub("", s)
    changed = s != markdown
    s = " ".join(s.split())
    if changed:  # removed markup can leave "word ." behind
        s = _SPACE_BEFORE_PUNCT.sub(r"\1", s)
    return s


_GREEK = (
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu "
    "nu xi pi rho sigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi "
    "Sigma Phi Psi Omega"
).split()
_MATH_WORDS = {
    **{g: g.removeprefix("var").lower() for g in _GREEK},
    "times": "times",
    "cdot": "times",
    "div": "divided by",
    "pm": "plus or minus",
    "mp": "minus or plus",
    "le": "less than or equal to",
    "leq": "less than or equal to",
    "ge": "greater than or equal to",
    "geq": "greater than or equal to",
    "neq": "is not equal to",
    "ne": "is not equal to",
    "approx": "is approximately",
    "sim": "is about",
    "equiv": "is equivalent to",
    "propto": "is proportional to",
    "infty": "infinity",
    "to": "to",
    "rightarrow": "goes to",
    "Rightarrow": "implies",
    "implies": "implies",
    "iff": "if and only if",
    "in": "in",
    "notin": "not in",
    "subset": "subset of",
    "subseteq": "subset of",
    "cup": "union",
    "cap": "intersection",
    "sum": "the sum of",
    "prod": "the product of",
    "int": "the integral of",
    "partial": "partial",
    "nabla": "nabla",
    "log": "log",
    "ln": "natural log",
    "exp": "exp",
    "sin": "sine",
    "cos": "cosine",
    "tan": "tangent",
    "lim": "the limit of",
    "max": "max",
    "min": "min",
    "forall": "for all",
    "exists": "there exists",
    "neg": "not",
    "land": "and",
    "lor": "or",
    "circ": "degrees",
    "ldots": "and so on",
    "cdots": "and so on",
    "dots": "and so on",
    "mid": "given",
    "degree": "degrees",
}
_MATH_SYMBOLS = {
    "<=": " less than or equal to ",
    ">=": " greater than or equal to ",
    "!=": " is not equal to ",
    "=": " equals ",
    "+": " plus ",
    "<": " less than ",
    ">": " greater than ",
    "/": " over ",
    "*": " times ",
    "\u00d7": " times ",
    "\u2212": " minus ",
    "{": " ",
    "}": " ",
    "\\": " ",
    "^": " ",
}
_SYMBOL = re.compile(r"<=|>=|!=|[=+<>/*\u00d7\u2212{}\\^]")
_LETTER_RUN = re.compile(r"(?<![\\A-Za-z{])[A-Za-z]{2,3}(?![A-Za-z])")
_MATH_NAMES = frozenset("sin cos tan log ln exp lim max min det gcd mod arg dim ker".split())
_SIZING = re.compile(r"\\(?:left|right|big|Big|bigg|Bigg)(?![A-Za-z])")
_FONT = re.compile(
    r"\\(?:mathrm|mathbf|mathit|text|textrm|operatorname|mathcal|mathbb)\s*"
    r"\{([^{}]*)\}"
)
_THIN_SPACE = re.compile(r"\\[,;:! ]|~")
_FRAC = re.compile(r"\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}")
_SQRT = re.compile(r"\\sqrt\s*\{([^{}]*)\}")
_POWER = re.compile(r"\^\s*(\{[^{}]*\}|\\?[A-Za-z0-9]+)")
_SUB = re.compile(r"_\s*(\{[^{}]*\}|\\?[A-Za-z0-9])")
_COMMAND = re.compile(r"\\([A-Za-z]+)")
_MINUS = re.compile(r"(?<=[\w)}\s])-(?=[\s\w(\\{])|^-(?=\S)")
_BARE_PARENS = re.compile(r"\(\s*([^()\s]+)\s*\)")
_PAREN_SPACING = re.compile(r"\s*([(),])\s*")
_PAREN_SPACED = {"(": " (", ")": ") ", ",": ", "}


def _power(m: re.Match[str]) -> str:
    p = m.group(1).strip("{}").strip()
    if p == "2":
        return " squared "
    if p == "3":
        return " cubed "
    if p in ("T", "\\top"):
        return " transposed "
    return f" to the power of {p} "


def _letters(m: re.Match[str]) -> str:
    word = m.group(0)
    return word if word in _MATH_NAMES else " ".join(word)


def speak_math(tex: str) -> str:
    """LaTeX said in words ("E equals m c squared"), never read as symbols."""
    s = _LETTER_RUN.sub(_letters, tex.strip())  # in math, "mc" is m times c
    if "\\" in s:
        s = _SIZING.sub("", s)
        s = _FONT.sub(r"\1", s)
        s = _THIN_SPACE.sub(" ", s)
        for _ in range(4):  # nested fractions and roots, innermost first
            if "frac" not in s and "sqrt" not in s:
                break
            s = _FRAC.sub(r" (\1) over (\2) ", s)
            s = _SQRT.sub(r" the square root of (\1) ", s)
    if "^" in s:
        s = _POWER.sub(_power, s)
    if "_" in s:
        s = _SUB.sub(lambda m: " sub " + m.group(1).strip("{}") + " ", s)
    if "\\" in s:
        s = _COMMAND.sub(lambda m: " " + _MATH_WORDS.get(m.group(1), m.group(1)) + " ", s)
    if "-" in s:
        s = _MINUS.sub(" minus ", s)
    s = _SYMBOL.sub(lambda m: _MATH_SYMBOLS[m.group(0)], s)
    if "(" in s or "," in s:
        s = _BARE_PARENS.sub(r"\1", s)  # (x) -> x
        s = _PAREN_SPACING.sub(lambda m: _PAREN_SPACED[m.group(1)], s)
    return " ".join(s.split())


_ALNUM = re.compile(r"[^\W_]")


def _speakable(text: str) -> bool:
    return _ALNUM.search(text) is not None


def _as_sentence(text: str) -> str:
    """Headings and list items end with a stop, so the voice falls as at a sentence end."""
    return text if text[-1] in TERMINATORS + ",;:" else text + "."


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
        max_chars: int = 220,
        fast_first: bool = True,
        first_min_words: int = 3,
        merge_below: int = 24,
        code_phrase: str | None = "Here is a code example.",
        formula_phrase: str = "Here is a formula.",
    ) -> None:
        self.max_chars = max_chars
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
        fence = _FENCE.match(line)
        if fence:
            self._block, self._fence = "fence", fence.group(1)
            self._block_start = offset
            if self.code_phrase:
                self._emit(self.code_phrase, offset, offset + len(line), ChunkKind.PARAGRAPH_END)
            return
        if stripped.startswith("$$"):
            body = stripped[2:]
            if body.rstrip().endswith("$$") and len(body.rstrip()) >= 2:
                self._formula(body.rstrip()[:-2], offset, offset + len(line))
            else:
                self._block, self._block_start, self._block_lines = "math", offset, [body]
            return
        if stripped.startswith("<!--"):
            if "-->" not in stripped:
                self._block = "comment"
            return
        # Tables, their delimiter rows and horizontal rules are not spoken.

    def _block_line(self, line: str, offset: int) -> None:
        if self._block == "fence":
            t = line.strip()
            if t.startswith(self._fence[0] * len(self._fence)) and not t.strip(self._fence[0]):
                self._block = None
        elif self._block == "math":
            if "$$" in line:
                self._block_lines.append(line[: line.index("$$")])
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
        if len(spoken) > 160:
            spoken = self.formula_phrase
        self._emit(_as_sentence(spoken), start, end, ChunkKind.PARAGRAPH_END)

    def _end_block(self) -> None:
        if self._block == "math" and self._block_lines:
            self._formula(" ".join(self._block_lines), self._block_start, self._raw_base)
        self._block = None

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
        if run == "." or (run.endswith(".") and not run.startswith("..")):
            word_start = text.rfind(" ", 0, t0) + 1
            token = text[word_start:t0].lstrip("(\"'[{\u201c\u2018*_")
            low = token.lower()
            if low in _ABBREVIATIONS:
                return None
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


def segment(text: str, **options: object) -> list[Chunk]:
    """All chunks of a finished text (the --no-stream path and read-aloud)."""
    seg = Segmenter(**options)  # type: ignore[arg-type]
    return seg.feed(text) + seg.flush()
