"""LaTeX said the way a teacher reads it aloud (ClearSpeak's conventions, simplified).

pylatexenc (MIT) parses the formula into macros, groups, environments and characters; a
small reader walks that tree and says it: "the sum from i equals 1 to n of x sub i",
"the integral from 0 to 1 of x squared d x", "P of A given B", "log base 2 of n", "ten
to the sixth", "x bar", "the real numbers", "a 2 by 2 matrix". Commands it does not know
are said by their name; spacing and sizing are silent. A formula that would take more
than about 40 words is summarised ("a formula for s squared, shown on screen").
"""

from __future__ import annotations

import re
from functools import lru_cache

from profai_cli.speech.latex_words import (
    ACCENTS,
    BIG,
    FONTS,
    FUNCTION_LETTERS,
    FUNCTIONS,
    GREEK,
    MATRICES,
    OPERATORS,
    ORDINAL_POWERS,
    RELATIONS,
    SETS,
    SILENT,
    SYMBOLS,
    Tok,
    tokens,
)

MAX_WORDS = 40


class _Reader:
    """Says a token list; one instance per list (a group gets its own)."""

    def __init__(self, toks: list[Tok]) -> None:
        self.toks = toks
        self.i = 0

    def peek(self, k: int = 0) -> Tok | None:
        j = self.i + k
        return self.toks[j] if j < len(self.toks) else None

    def next(self) -> Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def say(self) -> str:
        words: list[str] = []
        while self.peek() is not None:
            word = self.term()
            if not word:
                continue
            after_quantity = words and words[-1] != "," and words[-1].endswith(",")
            if words and (
                word.startswith("the quantity")
                and words[-1] not in _WORD_OPS
                or after_quantity
                and words[-1].endswith(",")
                and word.split(" ")[0] not in _WORD_OPS | _POSTFIX
            ):
                words.append("times")  # n(2 - 1) q: n times the quantity 2 minus 1, times q
            words.append(word)
        return _join(words)

    def term(self) -> str:
        """One atom with its scripts, or an operator or relation."""
        tok = self.next()
        if tok.kind == "rel":
            return RELATIONS.get(tok.text, tok.text)
        if tok.kind == "op":
            if tok.text == "|":
                return self.bars()
            if tok.text == "!":
                return "factorial"
            if tok.text == "'":
                return "prime"
            if tok.text == ".":
                return "point"
            return OPERATORS.get(tok.text, "")
        if tok.kind == "macro" and tok.text in SILENT:
            return ""
        if tok.kind == "macro" and tok.text in RELATIONS:
            return RELATIONS[tok.text]
        if tok.kind == "macro" and tok.text in OPERATORS:
            return OPERATORS[tok.text]
        if tok.kind == "macro" and tok.text in BIG:
            return self.big(tok.text)
        if tok.kind == "macro" and tok.text in FUNCTIONS:
            return self.function(tok.text)
        if tok.kind == "macro" and tok.text in ("lfloor", "lceil", "lvert", "lVert", "langle"):
            return self.pair(tok.text)
        if tok.kind == "macro" and tok.text in ("|", "Vert"):
            return self.norm(tok.text)
        base = self.atom(tok)
        return self.scripts(base, tok)

    def atom(self, tok: Tok) -> str:
        if tok.kind in ("num", "var"):
            if tok.kind == "var" and (tok.text in FUNCTION_LETTERS or tok.text.isupper()):
                return self.applied(tok.text)
            return tok.text
        if tok.kind == "group":
            return _Reader(tok.body).say()
        if tok.kind == "open":
            alone = self.i == 1
            inside = self.until_close()
            if re.search(r"\b(?:plus|minus)\b", inside) and not (
                alone and self.i >= len(self.toks)
            ):
                return f"the quantity {inside},"
            return inside
        if tok.kind == "close":
            return ""
        if tok.kind == "env":
            return _environment(tok)
        if tok.kind == "script":
            arg = self.script_arg()
            return ("sub " if tok.text == "_" else "to the ") + arg
        return self.macro(tok)

    def applied(self, name: str) -> str:
        """f(x) is "f of x", f'(x) "f prime of x", O(n) "big O of n"."""
        said = "big O" if name == "O" else name
        nxt = self.peek()
        if nxt is not None and nxt.kind == "op" and nxt.text == "'":
            self.next()
            said += " prime"
            nxt = self.peek()
        if nxt is not None and nxt.kind == "open" and nxt.text == "(":
            self.next()
            return f"{said} of {self.until_close()}"
        return name if said == "big O" else said

    def take_args(self, args: list[list[Tok]], count: int) -> list[list[Tok]]:
        """A command's arguments, read from the tokens after it when the parser left them."""
        args = list(args)
        while len(args) < count and (nxt := self.peek()) is not None:
            self.next()
            args.append(nxt.body if nxt.kind == "group" else [nxt])
        return args

    def macro(self, tok: Tok) -> str:
        name, args = tok.text, tok.args
        if name in SILENT or name in ("\\", "newline", "cr"):
            return ""
        if name in GREEK:
            if name[0].isupper():
                return self.applied(GREEK[name]) if self.peek() else GREEK[name]
            return GREEK[name]
        if name in SYMBOLS:
            return SYMBOLS[name]
        if name in ("frac", "dfrac", "tfrac", "cfrac"):
            top, bottom = (_say_arg(a) for a in self.take_args(args, 2)[:2])
            return _fraction(top, bottom) + ("," if self.i < len(self.toks) else "")
        if name == "binom":
            top, bottom = (_say_arg(a) for a in self.take_args(args, 2)[:2])
            return f"{top} choose {bottom}"
        if name == "sqrt":
            if len(args) == 2 and args[0]:
                index = _say_arg(args[0])
                root = {"2": "square", "3": "cube"}.get(index, f"{_ordinal(index)}")
                return f"the {root} root of {_say_arg(args[1])}"
            return f"the square root of {_say_arg(args[-1]) if args else self.script_arg()}"
        if name in ACCENTS:
            inner = _say_arg(self.take_args(args, 1)[0]) if args or self.peek() else ""
            accent = ACCENTS[name]
            if accent is None:
                return inner
            return f"vector {inner}" if accent == "vector" else f"{inner} {accent}"
        if name == "mathbb":
            inner = _plain_arg(args[0]) if args else ""
            return SETS.get(inner, inner)
        if name in FONTS:
            inner = _plain_arg(self.take_args(args, 1)[0]) if args or self.peek() else ""
            if name == "operatorname":
                said = FUNCTIONS.get(inner, inner)
                nxt = self.peek()
                if nxt is not None and nxt.kind == "open" and nxt.text == "(":
                    self.next()
                    return f"{said} of {self.until_close()}"
                return said
            return inner
        if name in ("underbrace", "overbrace", "underline", "boxed", "phantom"):
            return _say_arg(args[0]) if args else ""
        if name in ("not",):
            return "not"
        return name  # an unknown command, said by its name

    def scripts(self, base: str, tok: Tok) -> str:
        """x_i, x^2, x_i^2: the scripts that follow an atom."""
        out = base
        while (nxt := self.peek()) is not None and nxt.kind == "script":
            self.next()
            if nxt.text == "_":
                index = self.script_arg()
                # R_1 is "R one", as a teacher says it; x_i is "x sub i".
                numbered = index.isdigit() and base == out and len(base) == 1
                out = f"{out} {index}" if numbered else f"{out} sub {index}"
            else:
                out = _power(out, self.script_arg(), tok)
        return out

    def script_arg(self) -> str:
        tok = self.peek()
        if tok is None:
            return ""
        self.next()
        if tok.kind == "group":
            return _Reader(tok.body).say()
        if tok.kind == "macro":
            return self.macro(tok) if tok.text not in RELATIONS else RELATIONS[tok.text]
        if tok.kind == "op" and tok.text in ("-", "\u2212", "+"):
            rest = self.script_arg()
            return f"{'minus' if tok.text != '+' else 'plus'} {rest}"
        return tok.text

    def until_close(self) -> str:
        depth = 0
        inner: list[Tok] = []
        while (tok := self.peek()) is not None:
            self.next()
            if tok.kind == "open":
                depth += 1
            elif tok.kind == "close":
                if depth == 0:
                    break
                depth -= 1
            inner.append(tok)
        return _Reader(inner).say()

    def bars(self) -> str:
        """|x| is the absolute value of x; a lone | (inside P(A | B)) is "given"."""
        inner: list[Tok] = []
        j = self.i
        while j < len(self.toks):
            tok = self.toks[j]
            if tok.kind == "op" and tok.text == "|":
                self.i = j + 1
                return f"the absolute value of {_Reader(inner).say()}"
            inner.append(tok)
            j += 1
        return "given"

    def norm(self, bar: str) -> str:
        """The norm of v, for \\|v\\|."""
        inner: list[Tok] = []
        while (tok := self.peek()) is not None:
            self.next()
            if tok.kind == "macro" and tok.text == bar:
                break
            inner.append(tok)
        return f"the norm of {_Reader(inner).say()}"

    def pair(self, opening: str) -> str:
        closing = {"lfloor": "rfloor", "lceil": "rceil", "lvert": "rvert", "lVert": "rVert"}
        closing["langle"] = "rangle"
        name = {
            "lfloor": "the floor of",
            "lceil": "the ceiling of",
            "lvert": "the absolute value of",
            "lVert": "the norm of",
            "langle": "the inner product of",
        }[opening]
        inner: list[Tok] = []
        while (tok := self.peek()) is not None:
            self.next()
            if tok.kind == "macro" and tok.text == closing[opening]:
                break
            inner.append(tok)
        return f"{name} {_Reader(inner).say()}"

    def big(self, name: str) -> str:
        """\\sum_{i=1}^{n} x_i: the sum from i equals 1 to n of x sub i."""
        lower = upper = ""
        while (nxt := self.peek()) is not None and (
            nxt.kind == "script" or nxt.kind == "macro" and nxt.text in ("limits", "nolimits")
        ):
            self.next()
            if nxt.kind != "script":
                continue
            if nxt.text == "_":
                lower = self.script_arg()
            else:
                upper = self.script_arg()
        said = BIG[name]
        if name == "lim" and lower:
            said += f" as {lower}"
        elif lower and upper:
            said += f" from {lower} to {upper}"
        elif lower:
            said += f" over {lower}"
        body: list[str] = []
        while (nxt := self.peek()) is not None:
            if nxt.kind == "rel" or nxt.kind == "macro" and nxt.text in RELATIONS:
                break
            if nxt.kind == "op" and nxt.text in ("+", "-", "\u2212") and name != "int" and body:
                break
            body.append(self.term())
            if name.endswith("int") and body and _is_differential(body):
                break
        return f"{said} of {_join(body)}" if body else said

    def function(self, name: str) -> str:
        """\\log_2 n: log base 2 of n; \\sin(x): sine of x; \\max_i: the maximum over i."""
        said = FUNCTIONS[name]
        base = power = ""
        while (nxt := self.peek()) is not None and nxt.kind == "script":
            self.next()
            if nxt.text == "_":
                base = self.script_arg()
            else:
                power = self.script_arg()
        if base:
            said += f" base {base}" if name in ("log", "lg") else f" over {base}"
        if power:
            said = _power(said, power, None)
        nxt = self.peek()
        if nxt is None or nxt.kind in ("rel", "op") and nxt.text not in ("-", "\u2212"):
            return said
        if nxt.kind == "open" and nxt.text == "(":
            self.next()
            return f"{said} of {self.until_close()}"
        return f"{said} of {self.term()}"


_WORD_OPS = frozenset({*(OPERATORS.values()), *(RELATIONS.values()), "of", "sub", ",", ""})


_POSTFIX = frozenset("factorial prime squared cubed transposed inverse degrees".split())


def _is_differential(body: list[str]) -> bool:
    return len(body) >= 2 and body[-2] == "d" and len(body[-1]) == 1


def _say_arg(toks: list[Tok]) -> str:
    return _Reader(toks).say()


def _plain_arg(toks: list[Tok]) -> str:
    """A text argument as written (\\text{if }, \\mathbb{R}), letters not split."""
    out = []
    for tok in toks:
        if tok.kind == "group":
            out.append(_plain_arg(tok.body))
        elif tok.kind in ("var", "num", "op"):
            out.append(tok.text)
        elif tok.kind == "macro":
            out.append(GREEK.get(tok.text, tok.text))
    text = "".join(out)
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text).strip() if " " not in text else text


def _fraction(top: str, bottom: str) -> str:
    if top == "1" and bottom == "2":
        return "one half"
    compound = re.compile(r"\b(?:plus|minus|times|over|given|equals)\b")
    if not (compound.search(top) or compound.search(bottom)):
        if len(top.split()) <= 5 and len(bottom.split()) <= 5:
            return f"{top} over {bottom}"
    return f"the fraction with numerator {top} and denominator {bottom}"


def _power(base: str, exponent: str, tok: Tok | None) -> str:
    exponent = exponent.strip()
    if exponent == "2":
        return f"{base} squared"
    if exponent == "3":
        return f"{base} cubed"
    if exponent in ("T", "transposed", "top"):
        return f"{base} transposed"
    if exponent in ("circ", "degrees"):
        return f"{base} degrees"
    if exponent in ("prime", "'"):
        return f"{base} prime"
    if exponent == "minus 1" and len(base) == 1 and base.isupper():
        return f"{base} inverse"
    if exponent in ORDINAL_POWERS:
        return f"{base} to the {ORDINAL_POWERS[exponent]}"
    if len(exponent.split()) <= 3:
        return f"{base} to the {exponent}"
    return f"{base} to the power {exponent},"


def _ordinal(number: str) -> str:
    return ORDINAL_POWERS.get(number, f"{number}th")


def _environment(tok: Tok) -> str:
    name = tok.text.rstrip("*")
    if name in MATRICES:
        rows = 1 + sum(1 for t in tok.body if t.kind == "macro" and t.text == "\\")
        cells = 1 + sum(1 for t in tok.body if t.kind == "op" and t.text == "&")
        cols = max(1, round(cells / rows)) if rows else cells
        return f"a {rows} by {cols} matrix"
    if name == "cases":
        return "a definition by cases"
    parts: list[list[Tok]] = [[]]
    for t in tok.body:
        if t.kind == "macro" and t.text == "\\":
            parts.append([])
        else:
            parts[-1].append(t)
    said = [_Reader(p).say() for p in parts if p]
    return ". ".join(s for s in said if s)


def _join(words: list[str]) -> str:
    text = " ".join(w for w in words if w)
    text = re.sub(r"\s+,", ",", text)
    text = re.sub(r",\s*,", ",", text)
    return " ".join(text.split()).strip(", ")


@lru_cache(maxsize=1)
def _context() -> object:
    """pylatexenc's table of known commands, made once (it took most of a parse's time)."""
    from pylatexenc.latexwalker import get_default_latex_context_db

    return get_default_latex_context_db()


_END_PUNCTUATION = re.compile(r"(?:\s|\\[,;!: ]|\\quad|\\qquad)*[.,;]+(?:\s|\\[,;!: ])*$")


@lru_cache(maxsize=4096)
def speak_latex(tex: str) -> str:
    """A LaTeX formula in words; never a backslash, brace or caret."""
    from pylatexenc.latexwalker import LatexWalker, LatexWalkerError

    tex = _END_PUNCTUATION.sub("", tex.strip())  # "P(B_i). \\]": the stop is not said
    try:
        walker = LatexWalker(tex, latex_context=_context(), tolerant_parsing=True)
        nodes, _, _ = walker.get_latex_nodes()
        said = _Reader(tokens(nodes)).say()
    except (LatexWalkerError, IndexError, ValueError, RecursionError):
        said = re.sub(r"\\([A-Za-z]+)", r" \1 ", tex)
    said = re.sub(r"[\\{}^_$|`]", " ", said)
    said = " ".join(said.split()).strip(", ")
    if len(said.split()) > MAX_WORDS:
        return summary(said)
    return said


def summary(said: str) -> str:
    """A formula too long to say well, named by what it gives."""
    m = re.match(r"^(.{1,40}?) (?:equals|is less than|is greater than|is approximately) ", said)
    if m and len(m.group(1).split()) <= 6:
        return f"a formula for {m.group(1)}, shown on screen"
    return "a formula, shown on screen"
