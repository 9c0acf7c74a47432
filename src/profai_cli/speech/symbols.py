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
written; only the voice gets this.
"""

from __future__ import annotations

import re

from profai_cli.speech.symbol_words import (
    ABBREVIATIONS,
    ELEMENTS,
    GREEK_LETTERS,
    POWER_WORDS,
    SYMBOL_WORDS,
    UNITS,
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
    r"dollars|euros|pounds|points|°|x\b|\*|/|,\d)",
    re.IGNORECASE,
)
_YEAR_RANGE = re.compile(rf"\b({_YEAR})\s*(?:-|–|—|to)\s*({_YEAR})\b")
_DECADE = re.compile(r"\b(1[0-9]|20)(\d)0s\b")
_LONE_YEAR = re.compile(rf"(?<![\d.,$£€#])\b({_YEAR})\b(?![.,]\d)")
_RANGE = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s?[–—-]\s?(\d+(?:\.\d+)?)(?![\w.]*\d)(?!-)")
_SCIENTIFIC = re.compile(r"\b(\d+(?:\.\d+)?)[eE]([+-]?\d+)\b")
_POWER_OF_TEN = re.compile(r"\b10\^\{?([+-]?\d+)\}?")
_CARET_POWER = re.compile(r"(?<=[\w)])\^\{?([+-]?[\w.]+)\}?")
_ION = re.compile(r"\b((?:[A-Z][a-z]?(?:_?\d+)?)+)\^(\d*)([+-])(?![\w])")
_FORMULA = re.compile(r"(?<![\w-])((?:[A-Z][a-z]?(?:_?\d+)?){1,12})(?![\w-])")
_CONCENTRATION = re.compile(r"\[([A-Za-z][\w\s+\-–^]{0,20})\]")
_DEGREE = re.compile(r"(\d+(?:\.\d+)?)\s?°\s?([CFK])\b|(\d+(?:\.\d+)?)\s?°")
_PERCENT = re.compile(r"(\d)\s?%")
_CURRENCY = re.compile(r"([$€£])\s?(\d[\d,]*(?:\.\d+)?)(\s?(?:million|billion|thousand))?")
_UNIT_POWER = re.compile(r"(?<=\d)\s?([a-zA-Zµμ]{1,4})\^([23])\b")
_PER = re.compile(r"(?<=\d)\s?([a-zA-Zµμ]{1,4})/([a-zA-Zµμ]{1,4})(?:\^([23]))?\b")
_NUMBER_UNIT = re.compile(
    r"(?<![\w.])(\d+(?:\.\d+)?)\s?(µm|μm|µs|μs|mmol|kcal|[a-zA-ZΩ]{1,3})\b(?!\.\d)"
)
_CHAIN = re.compile(r"\s*(>>|<<|>=|<=|>|<|=>|->|<->|<=>|⇌|→|←|↔)\s*")
_EQUALS = re.compile(r"(?<=[\w)\]])\s*(?<![<>=!])=(?!=)\s*(?=[\w(\[-])")
_PLUS = re.compile(r"(?<=[\w)\]])\s+\+\s+(?=[\w(\[])|(?<=\d)\+(?=\d)")
_SLASH_NUMBERS = re.compile(r"\b(\d+)/(\d+)\b(?!/)")
_BOND = re.compile(r"\b([A-Z][a-z]?)[–—-]([A-Z][a-z]?)\b")
_AMPERSAND = re.compile(r"\s&\s")
_CARBON_CONTEXT = re.compile(
    r"carbocation|substrate|alkyl|halide|alcohol|amine|carbon|radical|SN1|SN2|E1|E2",
    re.IGNORECASE,
)
_DEGREE_ORDINALS = {"1": "primary", "2": "secondary", "3": "tertiary", "4": "quaternary"}
_CHEMISTRY = re.compile(r"(?:[A-Z][a-z]?(?:_?\d+|\^))|\b(?:mol|reaction|reactant|yield)", re.I)


def _scripts(text: str) -> str:
    """Unicode super- and subscripts as ^ and _ so one set of rules reads them."""
    if _SUP_RUN.search(text):
        text = _SUP_RUN.sub(lambda m: "^" + m.group(0).translate(_SUPERSCRIPTS), text)
    if _SUB_RUN.search(text):
        text = _SUB_RUN.sub(lambda m: "_" + m.group(0).translate(_SUBSCRIPTS), text)
    return text


def _is_formula(token: str) -> bool:
    """CO2, H_2O, C6H12O6, O2: element symbols with counts. P1 (a process), C4 (plants)
    and SN2 are not molecules, and espeak-ng says them well as they are."""
    parts = re.findall(r"([A-Z][a-z]?)(?:_?(\d+))?", token)
    if "".join(p[0] + p[1] for p in parts) != token.replace("_", ""):
        return False
    if not all(p[0] in ELEMENTS for p in parts) or not any(p[1] for p in parts):
        return False
    if len(parts) == 1:
        return parts[0][0] in _DIATOMIC and parts[0][1] == "2"
    return not all(p[1] in ("", "1") for p in parts) and token[-1:] != "1"


_DIATOMIC = frozenset("O N H Cl F I Br".split())
# Capitals that espeak-ng reads as a word ("ATP" as "atp", "NADPH" as "nadf"): spelled,
# but for the acronyms said as words.
_ACRONYM = re.compile(r"(?<![\w.'-])([A-Z]{2,6})(?:s)?(?![\w'-])")
_SAID_AS_WORDS = frozenset(
    "NASA NATO UNESCO UNICEF RAM ROM LAN WAN SIM PIN GIF JPEG UNIX LINUX FIFO LIFO GUI "
    "NUMA RAID SCSI ASCII AIDS OPEC LASER RADAR SONAR SWAT BASIC COBOL FORTRAN MATLAB "
    "OK TV IT I".split()
)


def _spell_formula(token: str) -> str:
    parts = re.findall(r"([A-Z][a-z]?)(?:_?(\d+))?", token)
    out = []
    for symbol, count in parts:
        out.append(" ".join(symbol))
        if count:
            out.append(count)
    return " ".join(out)


def _unit_name(unit: str, value: str) -> str | None:
    names = UNITS.get(unit)
    if names is None:
        return None
    return names[0] if value in ("1", "1.0") else names[1]


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
    s = _scripts(text)
    if "." in s and not _ABBREVIATED.isdisjoint(_DOTTED_WORD.findall(s)):
        for pattern, words in ABBREVIATIONS:
            s = pattern.sub(words, s)
    digits = _HAS_DIGIT.search(s) is not None
    reacts = "[" in s or "->" in s or any(c in s for c in "\u2192\u21cc\u2194")
    chemistry = reacts and (digits or "^" in s) and bool(_CHEMISTRY.search(s))
    # Ions before formulas: Ca^2+ is "C a 2 plus", I^- "I minus".
    if "^" in s:
        s = _ION.sub(_ion, s)
    if "[" in s and (chemistry or re.search(r"\b(?:k|rate)\s*\[", s, re.I)):
        s = _CONCENTRATION.sub(lambda m: f" the concentration of {m.group(1)} ", s)
        s = re.sub(r"\b(k)\s+the concentration", r"\1 times the concentration", s)
        s = re.sub(
            r"(concentration of [^,;.]*?)\s+the concentration", r"\1 times the concentration", s
        )
    if "\u2013" in s or "\u2014" in s or "-" in s:
        s = _BOND.sub(_bond, s)
    if (digits or "_" in s) and _FORMULA_HINT.search(s):
        s = _FORMULA.sub(_formula, s)
    if "^" in s:
        s = _POWER_OF_TEN.sub(lambda m: f"10 to the {_power_word(m.group(1))}", s)
        s = _UNIT_POWER.sub(_unit_power, s)
    if "/" in s:
        s = _PER.sub(_per, s)
    if digits and _SCIENTIFIC_HINT.search(s):
        s = _SCIENTIFIC.sub(lambda m: f"{m.group(1)} times 10 to the {_power_word(m.group(2))}", s)
    if "^" in s:
        s = _CARET_POWER.sub(lambda m: " " + _power_phrase(m.group(1)), s)
    if "_" in s:  # x_i is "x sub i"; my_func is "my func"
        s = re.sub(r"(?<![\w])([A-Za-z])_\{?([A-Za-z0-9]{1,3})\}?(?![\w])", r"\1 sub \2", s)
    if "\u00b0" in s:
        s = _DEGREE.sub(lambda m: _degree(m, text if not context else context), s)
    if "$" in s or "\u20ac" in s or "\u00a3" in s:
        s = _CURRENCY.sub(_currency, s)
    if "%" in s:
        s = _PERCENT.sub(r"\1 percent", s)
    if digits:
        if _YEAR_HINT.search(s):
            s = _YEAR_RANGE.sub(
                lambda m: f"{year_words(int(m.group(1)))} to {year_words(int(m.group(2)))}", s
            )
            s = _DECADE.sub(_decade, s)
            s = _LONE_YEAR.sub(lambda m: _year(m, s), s)
        if _RANGE_HINT.search(s):
            s = _RANGE.sub(r"\1 to \2", s)
        if _UNIT_HINT.search(s):
            s = _NUMBER_UNIT.sub(_number_unit, s)
    if any(c in s for c in "<>=\u21cc\u2192\u2190\u2194"):
        s = _chains(s, chemistry)
    if "+" in s:
        s = _PLUS.sub(" plus ", s)
    if "/" in s:
        s = _SLASH_NUMBERS.sub(r"\1 over \2", s)
    if "&" in s:
        s = _AMPERSAND.sub(" and ", s)
    if not s.isascii():
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
    r"[\d^_\[\]<>=+&/%$\u20ac\u00a3\u00b0\u2013\u2014\u0080-\uffff\\{}|`-]|[A-Z]{2}"
)
_FORMULA_HINT = re.compile(r"[A-Z][a-z]?_?\d")
_SCIENTIFIC_HINT = re.compile(r"\d[eE][+-]?\d")
_YEAR_HINT = re.compile(r"\b(?:1\d|20)\d\d")
_RANGE_HINT = re.compile(r"\d\s?[\u2013\u2014-]\s?\d")
_UNIT_HINT = re.compile(r"\d\s?[a-zA-Z\u00b5\u03bc\u03a9]")
_TWO_CAPITALS = re.compile(r"[A-Z]{2}")
_DOTTED_WORD = re.compile(r"([A-Za-z]{1,6})\.")
_ABBREVIATED = frozenset(
    "e g i etc vs cf approx pp p fig figs Fig Figs eq eqs Eq Eqs ch Ch sec Sec No ca c "
    "E G I".split()
)


def _ion(m: re.Match[str]) -> str:
    if not (_is_formula(m.group(1)) or m.group(1) in ELEMENTS):
        return m.group(0)
    charge = m.group(2) + " " if m.group(2) else ""
    return f"{_spell_formula(m.group(1))} {charge}{'plus' if m.group(3) == '+' else 'minus'}"


def _bond(m: re.Match[str]) -> str:
    return f"{m.group(1)} {m.group(2)}" if m.group(1) in ELEMENTS else m.group(0)


def _formula(m: re.Match[str]) -> str:
    return _spell_formula(m.group(1)) if _is_formula(m.group(1)) else m.group(0)


def _unit_power(m: re.Match[str]) -> str:
    if m.group(1) not in UNITS:
        return m.group(0)
    return f" {POWER_WORDS[m.group(2)]} {UNITS[m.group(1)][1]}"


def _acronym(m: re.Match[str]) -> str:
    word = m.group(1)
    if word in _SAID_AS_WORDS or (len(word) >= 5 and sum(c in "AEIOU" for c in word) >= 2):
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


def _per(m: re.Match[str]) -> str:
    top, bottom, power = m.group(1), m.group(2), m.group(3)
    if top not in UNITS or bottom not in UNITS:
        return m.group(0)
    tail = f" {'squared' if power == '2' else 'cubed'}" if power else ""
    return f" {UNITS[top][1]} per {UNITS[bottom][0]}{tail}"


def _number_unit(m: re.Match[str]) -> str:
    value, unit = m.group(1), m.group(2)
    name = _unit_name(unit, value)
    if name is None:
        return m.group(0)
    if len(unit) == 1:
        # One letter is a unit only where a measure ends ("lasts 5 s.", "2 L per minute"),
        # not in "1.96 s over the root of n" or "2 NH3".
        after = m.string[m.end() : m.end() + 12]
        if not _MEASURE_END.match(after):
            return m.group(0)
    return f"{value} {name}"


_MEASURE_END = re.compile(
    r"^(?:\s*$|[.,;:)!?]|\s+(?:per|and|or|each|a|an|of|wide|long|thick|high|tall|deep|away|"
    r"apart|later|earlier|before|after|in|to|at|from)\b)"
)


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
