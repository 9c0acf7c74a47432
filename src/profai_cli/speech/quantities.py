"""A number and its unit said as a teacher says them: "a 60 watt bulb", "3 amperes".

A unit symbol after a number is its name, plural by the number ("1 ohm", "4 ohms"), and
singular where English makes the quantity an adjective: after a determiner and before a
noun ("a 12 volt battery", "a 4 ohm resistor"). A one-letter symbol (V, A, W, N, s) is a
unit only there or where a measure ends ("3 A.", "5 s and"); elsewhere it is a variable
("2 NH3", "1.96 s over the root of n"). A symbol in brackets after its own name ("ohms
(Ω)", "amperes (A)") is shown on screen and not said twice.
"""

from __future__ import annotations

import re

from profai_cli.speech.symbol_words import POWER_WORDS, UNITS

NUMBER_UNIT = re.compile(
    r"(?<![\w.])(\d+(?:\.\d+)?)\s?((?:[µμ]|[a-zA-Z])?(?:mol|cal)|[µμ]?[a-zA-ZΩ]{1,3})\b(?!\.\d)"
)
UNIT_POWER = re.compile(r"(?<=\d)\s?([a-zA-Zµμ]{1,4})\^([23])\b")
PER = re.compile(r"(?<=\d)\s?([a-zA-Zµμ]{1,4})/([a-zA-Zµμ]{1,4})(?:\^([23]))?\b")
NAMED_SYMBOL = re.compile(r"\b([A-Za-z]+)\s?\(([^()\s]{1,4})\)")
UNIT_HINT = re.compile(r"\d\s?[a-zA-Z\u00b5\u03bc\u03a9]")

_MEASURE_END = re.compile(
    r"^(?:\s*$|[.,;:)!?]|\s+(?:per|and|or|each|a|an|of|wide|long|thick|high|tall|deep|away|"
    r"apart|later|earlier|before|after|in|to|at|from|across|through|on|with|is|are|was|"
    r"were|flows?|drops?)\b)"
)
# Words that make the quantity after them an adjective when a noun follows it.
_DETERMINERS = frozenset(
    "a an the this that each every one two three four five six seven eight nine ten any "
    "another its their our your".split()
)
_NOT_A_NOUN = frozenset(
    "per and or each a an of in to at from across through on with is are was were be has "
    "have had flows flow drops drop than as by for into over under".split()
)
# "on for 5 h uses", "every 2 s": a measure after these, whatever follows it.
_BEFORE_A_MEASURE = frozenset("for every within after".split())
_ALWAYS = frozenset({"Ω", "kΩ", "MΩ", "mΩ"})  # no letter of a formula looks like these


def unit_name(unit: str, value: str) -> str | None:
    """The unit's name, plural but for one."""
    names = UNITS.get(unit)
    if names is None:
        return None
    return names[0] if value in ("1", "1.0") else names[1]


def say_quantities(s: str) -> str:
    """Every number with a unit symbol after it, said with the unit's name."""
    return NUMBER_UNIT.sub(_number_unit, s)


def _number_unit(m: re.Match[str]) -> str:
    value, unit = m.group(1), m.group(2)
    name = unit_name(unit, value)
    if name is None:
        return m.group(0)
    after = m.string[m.end() : m.end() + 16]
    if _adjective(m.string[: m.start()], after):
        return f"{value} {UNITS[unit][0]}"
    if len(unit) == 1 and unit not in _ALWAYS and not _MEASURE_END.match(after):
        if _previous_word(m.string[: m.start()]) not in _BEFORE_A_MEASURE:
            return m.group(0)
    return f"{value} {name}"


def _previous_word(before: str) -> str:
    return before.rstrip().rsplit(" ", 1)[-1].lower()


def _adjective(before: str, after: str) -> bool:
    """'a 60 W bulb': a determiner before the number and a noun after the unit."""
    previous = _previous_word(before)
    following = re.match(r"\s+([a-z][a-z-]+)\b", after)
    return (
        previous in _DETERMINERS and following is not None and following.group(1) not in _NOT_A_NOUN
    )


def unsay_named_symbols(s: str) -> str:
    """'measured in ohms (Ω)' -> 'measured in ohms': the symbol is on screen."""

    def drop(m: re.Match[str]) -> str:
        names = UNITS.get(m.group(2))
        if names is not None and m.group(1).lower() in names:
            return m.group(1)
        return m.group(0)

    return NAMED_SYMBOL.sub(drop, s)


def unit_power(m: re.Match[str]) -> str:
    """5 cm^2: five square centimetres."""
    if m.group(1) not in UNITS:
        return m.group(0)
    return f" {POWER_WORDS[m.group(2)]} {UNITS[m.group(1)][1]}"


def per(m: re.Match[str]) -> str:
    """9.8 m/s^2: metres per second squared."""
    top, bottom, power = m.group(1), m.group(2), m.group(3)
    if top not in UNITS or bottom not in UNITS:
        return m.group(0)
    tail = f" {'squared' if power == '2' else 'cubed'}" if power else ""
    return f" {UNITS[top][1]} per {UNITS[bottom][0]}{tail}"
