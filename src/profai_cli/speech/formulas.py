"""Formulas written as plain text, said with the LaTeX reader's rules.

Notes write ``P = I²R``, ``1/R = 1/R₁ + 1/R₂``, ``V = ε − Ir``, ``O(n)`` and ``P(A|B)``
outside any ``$...$``. Read symbol by symbol they come out wrong ("I to the 2R", "one
slash R", "V squared/R"); so a formula is found in the prose (terms of one to three
letters, numbers, Greek letters and scripts, joined by operators, around an equals
sign; or a letter applied to a short argument), written as LaTeX (scripts braced, Greek
letters as commands) and said by ``latex.speak_latex``: a script binds to its base, a
slash between terms is "over", juxtaposed letters are separate variables.
"""

from __future__ import annotations

import re

from profai_cli.speech.symbol_words import GREEK_LETTERS

_SUP = "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻ⁿⁱ"
_SUB = "₀₁₂₃₄₅₆₇₈₉ₐₑₒₓₙᵢ"
_GREEK = "α-ωΑ-Ωϵϕ"
# A number is one atom, all its digits (else "1111..." splits every way: exponential).
_ATOM = rf"(?:[A-Za-z{_GREEK}]|\d+(?:\.\d+)?(?!\d))(?:[{_SUP}]+|[{_SUB}]+|\^\d+(?!\d)|_\d+(?!\d))*"
# A term: juxtaposed atoms ("I²R", "mc²", "2πr"), maybe applied ("P(B)") or bracketed.
_TERM = rf"(?:{_ATOM})+(?:\([^()=]{{1,30}}\))?|\([^()=]{{1,30}}\)"
_OP = r"\s*[+\-\u2212\u00d7\u00b7\u00f7/*]\s*"
_EXPR = rf"(?:{_TERM})(?:{_OP}(?:{_TERM}))*"
_REL = r"\s*[=\u2248]\s*"
EQUATION = re.compile(rf"(?<![\w'\u2019])({_EXPR})(?:{_REL}({_EXPR}))+(?![\w(])")
# P(B), O(n), f(x), P(A|B): a letter applied to a short argument, in running text.
APPLIED = re.compile(r"(?<![\w'\u2019])([A-Z]|[fgh])\(([^()\s]{1,12}(?: [a-z]{1,3}){0,3})\)")
HINT = re.compile(r"[=\u2248]|(?<![\w'])[A-Zfgh]\(")
_WORD = re.compile(r"[A-Za-z]{2,}")
_NOT_TERMS = frozenset("is are was were be the and or of to in on at by as it if an a".split())
_FUNCTION_WORDS = frozenset("log ln sin cos tan exp max min".split())
_TEX_GREEK = {g: "\\" + w for g, w in GREEK_LETTERS.items() if g.islower() and " " not in w}
_TEX_OPS = {"\u2212": "-", "\u00d7": "\\times ", "\u00b7": "\\cdot ", "\u00f7": "\\div "}
_SUP_TO = str.maketrans(_SUP, "0123456789+-ni")
_SUB_TO = str.maketrans(_SUB, "0123456789aeoxni")


def say_formulas(text: str) -> str:
    """The text with its plain-text formulas in words."""
    if HINT.search(text) is None:
        return text
    text = EQUATION.sub(_equation, text)
    return APPLIED.sub(_applied, text)


def _equation(m: re.Match[str]) -> str:
    terms = _WORD.findall(m.group(0))
    if any(len(w) > 3 and w not in _FUNCTION_WORDS for w in terms):
        return m.group(0)  # "Rate = k[...]": a word, not a formula
    first = m.group(1).split()[0] if m.group(1).split() else ""
    if first.lower() in _NOT_TERMS and len(first) > 1:
        return m.group(0)
    return _say(m.group(0))


def _applied(m: re.Match[str]) -> str:
    inner = m.group(2)
    if any(len(w) > 3 and w not in _FUNCTION_WORDS for w in _WORD.findall(inner)):
        return m.group(0)  # "C(opt)": a label, not an argument
    return _say(m.group(0))


def _say(formula: str) -> str:
    from profai_cli.speech.latex import speak_latex

    return f" {speak_latex(to_latex(formula))} "


def to_latex(formula: str) -> str:
    """Plain-text formula -> LaTeX: scripts braced, Greek letters and operators as
    commands."""
    tex = re.sub(rf"[{_SUP}]+", lambda m: "^{" + m.group(0).translate(_SUP_TO) + "}", formula)
    tex = re.sub(rf"[{_SUB}]+", lambda m: "_{" + m.group(0).translate(_SUB_TO) + "}", tex)
    tex = re.sub(r"\^(\d+)", r"^{\1}", tex)
    tex = re.sub(r"_(\d+)", r"_{\1}", tex)
    out = []
    for ch in tex:
        if ch in _TEX_GREEK:
            out.append(_TEX_GREEK[ch] + " ")
        elif ch in _TEX_OPS:
            out.append(_TEX_OPS[ch])
        elif ch in GREEK_LETTERS:  # a capital: "delta", said as the notes' prose says it
            out.append("\\mathrm{" + GREEK_LETTERS[ch] + "} ")
        else:
            out.append(ch)
    return "".join(out)
