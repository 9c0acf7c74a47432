"""Markdown and LaTeX as the words a voice should say: marks removed, links and URLs
said as a lecturer would, formulas in words ("E equals m c squared")."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

TERMINATORS = ".!?\u2026\u3002\uff01\uff1f"

# -- markdown to speech --------------------------------------------------------------------

_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)|!\[[^\]]*\]\[[^\]]*\]")
# [text](url) only: "[R–X][Nu⁻]" in a rate law is two concentrations, not a reference link.
_LINK = re.compile(r"\[([^\]]*)\]\([^()]*(?:\([^()]*\)[^()]*)*\)")
_FOOTNOTE = re.compile(r"\[\^[^\]]*\]")
_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^>\s]+|[^>\s@]+@[^>\s]+)>")
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'\"]")
_CODE = re.compile(r"(`+)(.+?)\1")
_MATH_INLINE = re.compile(
    r"\$\$(.+?)\$\$|\$(?=\S)([^$]*?\S)\$(?!\d)|\\\((.+?)\\\)|\\\[(.+?)\\\]", re.DOTALL
)
INLINE_MATH = _MATH_INLINE  # $$…$$, $…$, \\(…\\), \\[…\\]: groups 1-4
# LaTeX outside any delimiter: a command with its braces ("\\alpha", "\\frac{a}{b}").
_BARE_LATEX = re.compile(
    r"\\[A-Za-z]+\*?(?:\s*(?:\{[^{}]*\}|\[[^\]]*\]))*(?:\s*[_^]\s*(?:\{[^{}]*\}|\w))*"
)
_TAG = re.compile(r"<!--.*?-->|</?[A-Za-z][^>]*>")
_EMPHASIS = re.compile(r"\*\*|__|~~|(?<![\w*])[*_]+(?=\S)|(?<=\S)[*_]+(?![\w*])")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?\u2026])")


def _url_words(url: str) -> str:
    """A URL as a lecturer would say it: its site."""
    host = re.sub(r"^(?:https?|ftp)://", "", url).split("/")[0]
    return host.removeprefix("www.")


# Code and formulas are held out of the markdown rules (emphasis, links, tags) by the
# same parse for the voice and the screen: "\\sum_{i=1}^{n} x_i" keeps its underscores on
# both sides, and what is a formula for one is a formula for the other.
_HOLD = re.compile("\ue000(\\d+)\ue001")


def _hold(markdown: str) -> tuple[str, list[tuple[str, str, str]]]:
    """The markdown with its code spans and formulas as placeholders, and those pieces:
    (kind, as written, inner text)."""
    held: list[tuple[str, str, str]] = []

    def keep(kind: str, written: str, inner: str) -> str:
        held.append((kind, written, inner))
        return f"\ue000{len(held) - 1}\ue001"

    s = markdown
    if "`" in s:
        s = _CODE.sub(lambda m: keep("code", m.group(2).strip(), m.group(2)), s)
    if "$" in s or "\\(" in s or "\\[" in s:
        s = _MATH_INLINE.sub(
            lambda m: keep("math", m.group(0), next(g for g in m.groups() if g)), s
        )
    if "\\" in s:
        s = _BARE_LATEX.sub(lambda m: keep("math", m.group(0), m.group(0)), s)
    return s, held


def outside_code_and_formulas(
    markdown: str, change: Callable[[str], str], *, code_marks: bool = False
) -> str:
    """``change`` applied to the markdown around its code spans and formulas, which come
    back as written (code without its backticks unless ``code_marks``): a rule for marks
    never reaches the underscore of ``x_i`` or ``__init__``."""
    if not _HOLDS.search(markdown):
        return change(markdown)
    s, held = _hold(markdown)
    s = change(s)

    def back(m: re.Match[str]) -> str:
        kind, shown, inner = held[int(m.group(1))]
        return f"`{inner.strip()}`" if kind == "code" and code_marks else shown

    return _HOLD.sub(back, s)


def to_speech(markdown: str) -> str:
    """Inline markdown as the words a voice should say."""
    s, held = _hold(markdown) if _HOLDS.search(markdown) else (markdown, [])
    if "[" in s:
        s = _IMAGE.sub("", s)
        s = _FOOTNOTE.sub("", s)
        s = _LINK.sub(lambda m: m.group(1), s)
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
    if held:
        s = _HOLD.sub(lambda m: " " + _said(held[int(m.group(1))]) + " ", s)
    changed = s != markdown
    s = " ".join(s.split())
    if changed:  # removed markup can leave "word ." behind
        s = _SPACE_BEFORE_PUNCT.sub(r"\1", s)
    return s


_HOLDS = re.compile(r"[`$\\]")


def _said(piece: tuple[str, str, str]) -> str:
    kind, _, inner = piece
    return say_code(inner) if kind == "code" else speak_math(inner)


def speak_math(tex: str) -> str:
    """LaTeX said in words ("E equals m c squared"), never read as symbols."""
    from profai_cli.speech.latex import speak_latex

    return speak_latex(tex)


_CODE_OPERATORS = (
    ("==", " equals "),
    ("!=", " is not equal to "),
    ("<=", " is at most "),
    (">=", " is at least "),
    ("//", " floor divided by "),
    ("**", " to the power "),
    ("->", " returns "),
    ("=>", " gives "),
    ("+=", " plus equals "),
    ("-=", " minus equals "),
    ("&&", " and "),
    ("||", " or "),
    ("=", " is set to "),
    ("+", " plus "),
    ("-", " minus "),
    ("*", " times "),
    ("/", " divided by "),
    ("%", " modulo "),
    ("<", " is less than "),
    (">", " is greater than "),
    ("[", " at "),
    (".", " dot "),
)
_CODE_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|\d*\.?\d+(?:\.\d+)?|\S")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
MAX_CODE_WORDS = 18
_FLAG = re.compile(r"^--?[A-Za-z][\w-]*$")
_OWNER = re.compile(r"\b(?:self|this)\.(?=[A-Za-z_])")  # self.slots: the object's slots
_DEFINES = re.compile(r"^\s*(?:async\s+)?(?:def|function|fn|func|class)\s+([A-Za-z_]\w*)")
_SETS = re.compile(r"^\s*([A-Za-z_][\w.]*)(?:\[[^\]]*\])?\s*(?:[-+*/%]?=|:=)(?!=)")
_CALLS = re.compile(r"^\s*(?:await\s+)?([A-Za-z_][\w.]*)\s*\(")


def say_code(code: str) -> str:
    """Inline code as words: identifiers split on _, . and camelCase, operators in words;
    past a length, what the line does (defines, sets, calls), shown on screen."""
    code = code.strip()
    if not code:
        return ""
    if _FLAG.match(code):  # --no-stream: "dash dash no stream"
        dashes = len(code) - len(code.lstrip("-"))
        return " ".join(["dash"] * dashes + code.lstrip("-").replace("-", " ").split())
    code = _OWNER.sub("", code)
    if len(code) > 70 or code.count(" ") > 10:
        return describe_line(code)
    out: list[str] = []
    i = 0
    called = False  # the last token was a name: "(" after it is a call
    while i < len(code):
        ch = code[i]
        if ch.isspace():
            i += 1
            called = False
            continue
        decimal = ch == "." and code[i + 1 : i + 2].isdigit()  # ".5" is a number
        for op, spoken in () if decimal else _CODE_OPERATORS:
            if code.startswith(op, i):
                out.append(spoken.strip())
                i += len(op)
                called = False
                break
        else:
            m = _CODE_WORD.match(code, i)
            assert m is not None
            token = m.group(0)
            i = m.end()
            if token == "(":
                nxt = code[i : i + 1]
                if called:
                    out.append("" if nxt == ")" else "of")
                    if nxt == ")":
                        i += 1
                else:
                    out.append("the quantity")
            elif token == ")":
                if "the quantity" in out:
                    out.append(",")
            elif token in ",]:;{}'\"`":
                if token == ",":
                    out.append(",")
            elif token[0].isalpha() or token[0] == "_":
                out.append(_identifier(token))
            else:
                out.append(token)
            called = token[0].isalnum() or token[0] == "_"
    words = [w for w in out if w]
    if len(" ".join(words).split()) > MAX_CODE_WORDS:
        return describe_line(code)
    return " ".join(words).replace(" ,", ",").strip(", ")


def describe_line(code: str) -> str:
    """A line of code too long to say, named by what it does: never a claim it does not
    make ("the code shown" said nothing)."""
    for pattern, what in ((_DEFINES, "the definition of"), (_SETS, "the line that sets")):
        m = pattern.match(code)
        if m:
            return f"{what} {_name_words(m.group(1))}, shown on screen"
    m = _CALLS.match(code)
    if m and m.group(1) not in ("if", "while", "for", "return", "print"):
        return f"a call to {_name_words(m.group(1))}, shown on screen"
    return "a line of code, shown on screen"


def _name_words(name: str) -> str:
    """slots.append -> slots dot append; getElementById -> get element by id."""
    return " dot ".join(_identifier(part) for part in name.split("."))


def _identifier(token: str) -> str:
    """my_var -> my var; getElementById -> get element by id; Counter stays; __init__ is
    "dunder init", as Python programmers say it."""
    if len(token) > 4 and token.startswith("__") and token.endswith("__"):
        return "dunder " + _identifier(token[2:-2])
    name = _CAMEL.sub(" ", token.strip("_")).replace("_", " ")
    return " ".join(name.lower().split()) if name != token else token


def written(markdown: str) -> str:
    """A chunk as the screen shows it, for subtitles: marks, links and tags gone, but
    formulas, symbols and numbers as written (only the voice gets them in words)."""
    s, held = _hold(markdown) if _HOLDS.search(markdown) else (markdown, [])
    if "[" in s:
        s = _IMAGE.sub("", s)
        s = _FOOTNOTE.sub("", s)
        s = _LINK.sub(lambda m: m.group(1), s)
    if "<" in s:
        s = _TAG.sub("", s)
    if "&" in s:
        s = html.unescape(s)
    if "*" in s or "_" in s or "~" in s:
        s = _EMPHASIS.sub("", s)
    s = re.sub(r"(?m)^\s*(?:#{1,6}\s+|>\s?|[-*+]\s+|\d{1,9}[.)]\s+)", "", s)
    if held:
        s = _HOLD.sub(lambda m: held[int(m.group(1))][1], s)
    return " ".join(s.split())


_ALNUM = re.compile(r"[^\W_]")


def _speakable(text: str) -> bool:
    return _ALNUM.search(text) is not None


def _as_sentence(text: str) -> str:
    """Headings and list items end with a stop, so the voice falls as at a sentence end."""
    return text if text[-1] in TERMINATORS + ",;:" else text + "."
