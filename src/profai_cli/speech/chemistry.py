"""Chemistry as a teacher reads it: formulas letter by letter with their counts ("H 2 S O
4", "F A D H 2", "C a O H 2"), ions with their charge ("C a 2 plus", "N A D plus"),
concentrations ("the concentration of R X"), bonds ("the C F bond"), and two
abbreviations with a slash between them as alternatives ("G T P or A T P")."""

from __future__ import annotations

import re

from profai_cli.speech.symbol_words import ELEMENTS

ION = re.compile(r"\b((?:[A-Z][a-z]?(?:_?\d+)?)+)\^(\d*)([+-])(?![\w])")
FORMULA = re.compile(r"(?<![\w-])((?:[A-Z][a-z]?(?:_?\d+)?){1,12})(?![\w-])")
FORMULA_HINT = re.compile(r"[A-Z][a-z]?_?\d")
CONCENTRATION = re.compile(r"\[([A-Za-z][\w\s+\-–^]{0,20})\]")
BOND = re.compile(r"\b([A-Z][a-z]?)[–—-]([A-Z][a-z]?)\b")
CHEMISTRY = re.compile(r"(?:[A-Z][a-z]?(?:_?\d+|\^))|\b(?:mol|reaction|reactant|yield)", re.I)
# FADH_2, NADPH2: capitals that are no formula (A and D are no elements), with a count.
_CAPITALS_COUNT = re.compile(r"(?<![\w-])([A-Z]{2,6})_?(\d{1,2})(?![\w-])")
# NAD^+, ATP^4-: an abbreviation with a charge.
_CAPITALS_ION = re.compile(r"(?<![\w-])([A-Z]{2,6})\^(\d*)([+-])(?![\w])")
# Ca(OH)_2: a group in brackets, counted.
_GROUP = re.compile(r"(?<![\w-])((?:[A-Z][a-z]?\d*)+)\(((?:[A-Z][a-z]?\d*)+)\)_?(\d+)(?![\w])")
# GTP/ATP: one or the other. A few pairs are one name, said without the slash.
SLASHED = re.compile(r"(?<![\w/])([A-Z][A-Za-z0-9]*)/([A-Z][A-Za-z0-9]*)(?![\w/])")
_ONE_NAME = frozenset({"TCP/IP", "AC/DC", "CI/CD", "PL/SQL", "OS/2", "I/O", "A/C", "N/A"})
_DIATOMIC = frozenset("O N H Cl F I Br".split())
_SAID_AS_WORDS = frozenset(
    "NASA NATO UNESCO UNICEF RAM ROM LAN WAN SIM PIN GIF JPEG UNIX LINUX FIFO LIFO GUI "
    "NUMA RAID SCSI ASCII AIDS OPEC LASER RADAR SONAR SWAT BASIC COBOL FORTRAN MATLAB "
    "OK TV IT I".split()
)


def is_formula(token: str) -> bool:
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


def spell_formula(token: str) -> str:
    """H2SO4 -> H 2 S O 4."""
    parts = re.findall(r"([A-Z][a-z]?)(?:_?(\d+))?", token)
    out = []
    for symbol, count in parts:
        out.append(" ".join(symbol))
        if count:
            out.append(count)
    return " ".join(out)


def said_as_word(word: str) -> bool:
    """NASA, RAM: capitals a voice says as a word, not letter by letter."""
    return word in _SAID_AS_WORDS or (len(word) >= 5 and sum(c in "AEIOU" for c in word) >= 2)


def say_chemistry(s: str, *, chemistry: bool, digits: bool) -> str:
    """Ions, concentrations, bonds and formulas in words (scripts already as ^ and _)."""
    if "^" in s:  # ions before formulas: Ca^2+ is "C a 2 plus", I^- "I minus"
        s = ION.sub(_ion, s)
        s = _CAPITALS_ION.sub(_capitals_ion, s)
    if "[" in s and (chemistry or re.search(r"\b(?:k|rate)\s*\[", s, re.I)):
        s = CONCENTRATION.sub(lambda m: f" the concentration of {m.group(1)} ", s)
        s = re.sub(r"\b(k)\s+the concentration", r"\1 times the concentration", s)
        s = re.sub(r"\b(log|ln)\s+the concentration", r"\1 of the concentration", s)
        s = re.sub(
            r"(concentration of [^,;.]*?)\s+the concentration", r"\1 times the concentration", s
        )
    if "\u2013" in s or "\u2014" in s or "-" in s:
        s = BOND.sub(_bond, s)
    if ")" in s and (digits or "_" in s):
        s = _GROUP.sub(_group, s)
    if (digits or "_" in s) and FORMULA_HINT.search(s):
        s = FORMULA.sub(_formula, s)
    if digits or "_" in s:
        s = _CAPITALS_COUNT.sub(_capitals_count, s)
    if "/" in s:
        s = SLASHED.sub(_slashed, s)
    return s


def _ion(m: re.Match[str]) -> str:
    if not (is_formula(m.group(1)) or m.group(1) in ELEMENTS):
        return m.group(0)
    charge = m.group(2) + " " if m.group(2) else ""
    return f"{spell_formula(m.group(1))} {charge}{'plus' if m.group(3) == '+' else 'minus'}"


def _capitals_ion(m: re.Match[str]) -> str:
    word = m.group(1)
    said = word if said_as_word(word) else " ".join(word)
    charge = m.group(2) + " " if m.group(2) else ""
    return f"{said} {charge}{'plus' if m.group(3) == '+' else 'minus'}"


def _bond(m: re.Match[str]) -> str:
    return f"{m.group(1)} {m.group(2)}" if m.group(1) in ELEMENTS else m.group(0)


def _formula(m: re.Match[str]) -> str:
    return spell_formula(m.group(1)) if is_formula(m.group(1)) else m.group(0)


def _group(m: re.Match[str]) -> str:
    outer, inner = m.group(1), m.group(2)
    symbols = re.findall(r"[A-Z][a-z]?", outer + inner)
    if not all(x in ELEMENTS for x in symbols):
        return m.group(0)
    return f"{spell_formula(outer)} {spell_formula(inner)} {m.group(3)}"


def _capitals_count(m: re.Match[str]) -> str:
    word = m.group(1)
    if said_as_word(word):
        return f"{word} {m.group(2)}"
    return f"{' '.join(word)} {m.group(2)}"


def _slashed(m: re.Match[str]) -> str:
    a, b = m.group(1), m.group(2)
    if m.group(0) == "N/A":
        return "not applicable"
    if m.group(0) in _ONE_NAME:
        return f"{a} {b}"
    if sum(c.isupper() for c in a) < 2 or sum(c.isupper() for c in b) < 2:
        return m.group(0)
    return f"{a} or {b}"
