"""Markdown and LaTeX as the words a voice should say: marks removed, links and URLs
said as a lecturer would, formulas in words ("E equals m c squared")."""

from __future__ import annotations

import html
import re

TERMINATORS = ".!?\u2026\u3002\uff01\uff1f"

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
