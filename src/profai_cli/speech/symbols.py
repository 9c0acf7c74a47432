"""Numbers, units, scripts, chemistry and symbols as the words a teacher says.

Every voice gets words, not symbols: espeak-ng (which Piper uses to phonemise) reads
``10^6`` as "ten six", ``CO₂`` as "co dot", ``⁻`` as "dash", drops ``>`` and says 1853 as
"one thousand eight hundred fifty three", and a service voice reads them its own way.
So before any voice: years as years ("eighteen fifty-three"), ranges ("25 to 35"),
units with powers ("square centimetres"), scientific notation, chemical formulas letter
by letter ("C O 2"), ions ("C a 2 plus"), reaction arrows ("gives"), concentrations
("the concentration of R X"), comparison chains ("greater than"), degree marks by
context ("tertiary" beside carbocations, "25 degrees Celsius"), Greek letters, and the
abbreviations a lecturer expands ("for example", "pages"). The screen keeps what was
written; only the voice gets this. Formulas in prose (``formulas.py``), units after a
number (``quantities.py``) and chemistry (``chemistry.py``) have modules of their own;
this one runs the rules in order.
"""

from __future__ import annotations

import re

from profai_cli.speech.chemistry import CHEMISTRY, said_as_word, say_chemistry
from profai_cli.speech.formulas import HINT as FORMULA_HINT
from profai_cli.speech.formulas import say_formulas
from profai_cli.speech.quantities import (
    NAMED_SYMBOL,
    PER,
    UNIT_HINT,
    UNIT_POWER,
    per,
    say_quantities,
    unit_power,
    unsay_named_symbols,
)
from profai_cli.speech.symbol_words import (
    ABBREVIATIONS,
    GREEK_LETTERS,
    SYMBOL_WORDS,
    number_words,
    ordinal_words,
    year_words,
)

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ", "0123456789+-=()ni")
_SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓₙᵢ", "0123456789+-=()aeoxni")
_SUP_RUN = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ]+")
_SUB_RUN = re.compile("[₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓₙᵢ]+")

# -- the rules, in order -----------------------------------------------------------------

_YEAR = r"1[0-9]\d\d|20\d\d"
_YEAR_CONTEXT = re.compile(
    r"\b(?:in|since|by|from|until|till|to|of|before|after|around|circa|about|year|years|the|"
    r"early|late|mid|during|between|and|c\.|ca\.|summer|winter|spring|autumn|fall|january|"
    r"february|march|april|may|june|july|august|september|october|november|december|"
    r"\d{1,2})\s*$",
    re.IGNORECASE,
)
_NOT_A_YEAR_AFTER = re.compile(
    r"^\s*(?:%|percent|km|m\b|cm|mm|kg|g\b|mg|ms|s\b|bytes?|kb|mb|gb|words|people|men|"
    r"soldiers|miles|metres|meters|feet|ft|lines|pages|items|elements|units|calories|kcal|"
    r"dollars|euros|pounds|points|°|x\b|\*|/|,\d|(?-i:[VAWJN]\b|Hz|Pa|mol|Ω))",
    re.IGNORECASE,
)
_YEAR_RANGE = re.compile(rf"\b({_YEAR})\s*(?:-|–|—|to)\s*({_YEAR})\b")
_DECADE = re.compile(r"\b(1[0-9]|20)(\d)0s\b")
_LONE_YEAR = re.compile(rf"(?<![\d.,$£€#])\b({_YEAR})\b(?![.,]\d)")
_RANGE = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s?[–—-]\s?(\d+(?:\.\d+)?)(?![\w.]*\d)(?!-)")
_SCIENTIFIC = re.compile(r"\b(\d+(?:\.\d+)?)[eE]([+-]?\d+)\b")
_POWER_OF_TEN = re.compile(r"\b10\^\{?([+-]?\d+)\}?")
_CARET_POWER = re.compile(r"(?<=[\w)])\^\{?([+-]?[\w.]+)\}?")
_DEGREE = re.compile(r"(\d+(?:\.\d+)?)\s?°\s?([CFK])\b|(\d+(?:\.\d+)?)\s?°")
_PERCENT = re.compile(r"(\d)\s?%")
_CURRENCY = re.compile(r"([$€£])\s?(\d[\d,]*(?:\.\d+)?)(\s?(?:million|billion|thousand))?")
_CHAIN = re.compile(r"\s*(>>|<<|>=|<=|>|<|=>|->|<->|<=>|⇌|→|←|↔)\s*")
_EQUALS = re.compile(r"(?<=[\w)\]])\s*(?<![<>=!])=(?!=)\s*(?=[\w(\[\u2212-])")
_PLUS = re.compile(r"(?<=[\w)\]])\s+\+\s+(?=[\w(\[])|(?<=\d)\+(?=\d)")
_SLASH_NUMBERS = re.compile(r"\b(\d+)/(\d+)\b(?!/)")
_AMPERSAND = re.compile(r"\s&\s")
_CARBON_CONTEXT = re.compile(
    r"carbocation|substrate|alkyl|halide|alcohol|amine|carbon|radical|SN1|SN2|E1|E2",
    re.IGNORECASE,
)
# Ω is the ohm where the text is about circuits; elsewhere (a sample space) the letter.
_ELECTRIC_CONTEXT = re.compile(r"resist|\bohms?\b|volt|current|circuit|impedance", re.I)
_DEGREE_ORDINALS = {"1": "primary", "2": "secondary", "3": "tertiary", "4": "quaternary"}


def _scripts(text: str) -> str:
    """Unicode super- and subscripts as ^ and _ so one set of rules reads them."""
    if _SUP_RUN.search(text):
        text = _SUP_RUN.sub(lambda m: "^" + m.group(0).translate(_SUPERSCRIPTS), text)
    if _SUB_RUN.search(text):
        text = _SUB_RUN.sub(lambda m: "_" + m.group(0).translate(_SUBSCRIPTS), text)
    return text


# Capitals that espeak-ng reads as a word ("ATP" as "atp", "NADPH" as "nadf"): spelled,
# but for the acronyms said as words.
_ACRONYM = re.compile(r"(?<![\w.'-])([A-Z]{2,6})(?:s)?(?![\w'-])")


def say_symbols(text: str, *, context: str = "") -> str:
    """The text with its symbols, numbers and scripts in words.

    ``context``: the lecture so far, or the notes (what decides "3°" is "tertiary").
    """
    if not text:
        return text
    if _NEEDS_WORK.search(text) is None and not (
        "." in text and not _ABBREVIATED.isdisjoint(_DOTTED_WORD.findall(text))
    ):
        return text
    s = text
    if FORMULA_HINT.search(s):  # P = I²R, O(n): said as LaTeX is, before any symbol rule
        s = say_formulas(s)
    s = _scripts(s)
    if "." in s and not _ABBREVIATED.isdisjoint(_DOTTED_WORD.findall(s)):
        for pattern, words in ABBREVIATIONS:
            s = pattern.sub(words, s)
    digits = _HAS_DIGIT.search(s) is not None
    reacts = "[" in s or "->" in s or any(c in s for c in "\u2192\u21cc\u2194")
    chemistry = reacts and (digits or "^" in s) and bool(CHEMISTRY.search(s))
    s = say_chemistry(s, chemistry=chemistry, digits=digits)
    if "^" in s:
        s = _POWER_OF_TEN.sub(lambda m: f"10 to the {_power_word(m.group(1))}", s)
        s = UNIT_POWER.sub(unit_power, s)
    if "/" in s:
        s = PER.sub(per, s)
    if digits and _SCIENTIFIC_HINT.search(s):
        s = _SCIENTIFIC.sub(lambda m: f"{m.group(1)} times 10 to the {_power_word(m.group(2))}", s)
    if "^" in s:
        s = _CARET_POWER.sub(lambda m: " " + _power_phrase(m.group(1)), s)
    if "_" in s:  # x_i is "x sub i", R_1 "R 1"; my_func is "my func"
        s = re.sub(r"(?<![\w])([A-Za-z])_\{?(\d{1,3})\}?(?![\w])", r"\1 \2", s)
        s = re.sub(r"(?<![\w])([A-Za-z])_\{?([A-Za-z0-9]{1,3})\}?(?![\w])", r"\1 sub \2", s)
    if "\u00b0" in s:
        s = _DEGREE.sub(lambda m: _degree(m, text if not context else context), s)
    if "$" in s or "\u20ac" in s or "\u00a3" in s:
        s = _CURRENCY.sub(_currency, s)
    if "%" in s:
        s = _PERCENT.sub(r"\1 percent", s)
    if "(" in s and NAMED_SYMBOL.search(s):
        s = unsay_named_symbols(s)
    if digits:
        if _YEAR_HINT.search(s):
            s = _YEAR_RANGE.sub(
                lambda m: f"{year_words(int(m.group(1)))} to {year_words(int(m.group(2)))}", s
            )
            s = _DECADE.sub(_decade, s)
            s = _LONE_YEAR.sub(lambda m: _year(m, s), s)
        if _RANGE_HINT.search(s):
            s = _RANGE.sub(r"\1 to \2", s)
        if UNIT_HINT.search(s):
            s = say_quantities(s)
    if any(c in s for c in "<>=\u21cc\u2192\u2190\u2194"):
        s = _chains(s, chemistry)
    if "+" in s:
        s = _PLUS.sub(" plus ", s)
    if "/" in s:
        s = _SLASH_NUMBERS.sub(r"\1 over \2", s)
    if "&" in s:
        s = _AMPERSAND.sub(" and ", s)
    if not s.isascii():
        if "\u03a9" in s and _ELECTRIC_CONTEXT.search(context or text):
            s = s.replace("\u03a9", " ohms ")
        for symbol, words in GREEK_LETTERS.items():
            if symbol in s:
                s = re.sub(rf"{symbol}(?=\w)", words + " ", s).replace(symbol, words)
        for symbol, words in SYMBOL_WORDS.items():
            if symbol in s:
                s = s.replace(symbol, words)
    if _TWO_CAPITALS.search(s):
        s = _ACRONYM.sub(_acronym, s)
    if _LEFTOVER.search(s):  # marks no rule said: never read out as symbols
        s = _LEFTOVER.sub(lambda m: ", " if m.group(0) == "|" else " ", s)
    if s != text:
        s = re.sub(r"\s+([,.;:!?])", r"\1", s)
        return " ".join(s.split())
    return s


_HAS_DIGIT = re.compile(r"\d")
_LEFTOVER = re.compile(r"[\\{}^$|`_\u2070-\u209f\u00b2\u00b3\u00b9]")
# Cheap first looks: a rule's own pattern runs only where one of these finds something.
_NEEDS_WORK = re.compile(
    r"[\d^_\[\]<>=+&/%$\u20ac\u00a3\u00b0\u2013\u2014\u0080-\uffff\\{}|`-]|[A-Z]{2}|"
    r"(?<![\w'])[A-Zfgh]\(|\([^()\s]{1,4}\)"
)
_SCIENTIFIC_HINT = re.compile(r"\d[eE][+-]?\d")
_YEAR_HINT = re.compile(r"\b(?:1\d|20)\d\d")
_RANGE_HINT = re.compile(r"\d\s?[\u2013\u2014-]\s?\d")
_TWO_CAPITALS = re.compile(r"[A-Z]{2}")
_DOTTED_WORD = re.compile(r"([A-Za-z]{1,6})\.")
_ABBREVIATED = frozenset(
    "e g i etc vs cf approx pp p fig figs Fig Figs eq eqs Eq Eqs ch Ch sec Sec No ca c "
    "E G I".split()
)


def _acronym(m: re.Match[str]) -> str:
    word = m.group(1)
    if said_as_word(word):
        return m.group(0)
    plural = "'s" if m.group(0).endswith("s") and not word.endswith("S") else ""
    return " ".join(word) + plural


def _power_word(exponent: str) -> str:
    sign = "minus " if exponent.startswith("-") else ""
    digits = exponent.lstrip("+-")
    if not digits.isdigit():
        return sign + digits
    n = int(digits)
    return sign + ("first" if n == 1 else ordinal_words(n) if n < 1000 else digits)


def _power_phrase(exponent: str) -> str:
    if exponent == "2":
        return "squared"
    if exponent == "3":
        return "cubed"
    if exponent.lstrip("+-").isdigit():
        return f"to the {_power_word(exponent)}"
    return f"to the {exponent}"


def _degree(m: re.Match[str], context: str) -> str:
    if m.group(1) is not None:
        scale = {"C": "Celsius", "F": "Fahrenheit", "K": "kelvin"}[m.group(2)]
        return f"{m.group(1)} degrees {scale}"
    value = m.group(3)
    if value in _DEGREE_ORDINALS and _CARBON_CONTEXT.search(context):
        return _DEGREE_ORDINALS[value]
    return f"{value} degree" + ("" if value == "1" else "s")


def _currency(m: re.Match[str]) -> str:
    sign, amount, scale = m.group(1), m.group(2), (m.group(3) or "").strip()
    name = {"$": "dollars", "€": "euros", "£": "pounds"}[sign]
    amount = amount.replace(",", "")
    if amount.endswith(".00"):
        amount = amount[:-3]
    return f"{amount} {scale + ' ' if scale else ''}{name}"


def _decade(m: re.Match[str]) -> str:
    century, decade = m.group(1), m.group(2)
    if century == "20" and decade == "0":
        return "two thousands"
    tens = number_words(int(decade) * 10)
    plural = tens[:-1] + "ies" if tens.endswith("y") else tens + "s"
    return f"{number_words(int(century))} {plural}"


def _year(m: re.Match[str], s: str) -> str:
    n = int(m.group(1))
    before = s[max(0, m.start() - 24) : m.start()]
    after = s[m.end() : m.end() + 12]
    if _NOT_A_YEAR_AFTER.match(after) or n == 1000:
        return m.group(0)
    if _YEAR_CONTEXT.search(before) or before.rstrip().endswith(("(", ",")) or not before.strip():
        return year_words(n)
    if re.match(r"^\s*(?:AD|BC|BCE|CE)\b|^\s*[:)]", after):
        return year_words(n)
    return m.group(0)


_CHAIN_WORDS = {
    ">>": "much greater than",
    "<<": "much less than",
    ">=": "greater than or equal to",
    "<=": "less than or equal to",
    ">": "greater than",
    "<": "less than",
    "=>": "implies",
    "<=>": "if and only if",
    "<->": "corresponds to",
}


def _chains(s: str, chemistry: bool) -> str:
    """I⁻ > Br⁻ > Cl⁻ >> F⁻, a -> b, A ⇌ B: said, with a pause between the links."""

    def link(m: re.Match[str]) -> str:
        op = m.group(1)
        if op in ("->", "→"):
            return " gives " if chemistry else " leads to "
        if op in ("←",):
            return " comes from "
        if op in ("⇌", "↔"):
            return " is in equilibrium with " if chemistry else " goes both ways with "
        return f", {_CHAIN_WORDS[op]} "

    s = _CHAIN.sub(link, s)
    return _EQUALS.sub(" equals ", s)
