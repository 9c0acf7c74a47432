"""The vocabulary of spoken symbols: chemical elements, Greek letters, symbol words,
units, the abbreviations a lecturer expands, and numbers, ordinals and years in words."""

from __future__ import annotations

import re

ELEMENTS = frozenset(
    "H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge "
    "As Se Br Kr Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Pm "
    "Sm Eu Gd Tb Dy Ho Er Tm Yb Lu Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac Th "
    "Pa U Np Pu Am Cm Bk Cf Es Fm Md No Lr R X Nu".split()  # R, X, Nu: groups in mechanisms
)
GREEK_LETTERS = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta",
    "η": "eta", "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu",
    "ξ": "xi", "ο": "omicron", "π": "pi", "ρ": "rho", "σ": "sigma", "ς": "sigma", "τ": "tau",
    "υ": "upsilon", "φ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega", "Γ": "capital gamma",
    "Δ": "delta", "Θ": "capital theta", "Λ": "capital lambda", "Ξ": "capital xi",
    "Π": "capital pi", "Σ": "capital sigma", "Φ": "capital phi", "Ψ": "capital psi",
    "Ω": "capital omega", "ϕ": "phi", "ϵ": "epsilon", "µ": "mu",
    # Capitals that look like Latin ones: a list item's first letter made a capital
    # ("Α-Ketoglutarate"), said as the letter it stands for.
    "Α": "alpha", "Β": "beta", "Ε": "epsilon", "Ζ": "zeta", "Η": "eta", "Ι": "iota",
    "Κ": "kappa", "Μ": "mu", "Ν": "nu", "Ο": "omicron", "Ρ": "rho", "Τ": "tau",
    "Υ": "upsilon", "Χ": "chi",
}  # fmt: skip
SYMBOL_WORDS = {
    "\u2212": " minus ",  # the real minus sign, in prose as in formulas
    "≤": " less than or equal to ",
    "≥": " greater than or equal to ",
    "≠": " not equal to ",
    "≈": " approximately ",
    "≡": " is equivalent to ",
    "∝": " proportional to ",
    "±": " plus or minus ",
    "∓": " minus or plus ",
    "×": " times ",
    "·": " times ",
    "÷": " divided by ",
    "⇒": " implies ",
    "⇔": " if and only if ",
    "∞": " infinity ",
    "∑": " the sum of ",
    "∏": " the product of ",
    "∫": " the integral of ",
    "∂": " partial ",
    "∇": " del ",
    "∈": " in ",
    "∉": " not in ",
    "∩": " intersection ",
    "∪": " union ",
    "⊂": " subset of ",
    "⊆": " subset of ",
    "∅": " the empty set ",
    "∀": " for all ",
    "∃": " there exists ",
    "¬": " not ",
    "∧": " and ",
    "∨": " or ",
    "∴": " therefore ",
    "‰": " per mille ",
    "′": " prime ",
    "″": " double prime ",
    "∼": " about ",
    "≪": " much less than ",
    "≫": " much greater than ",
    "•": ", ",
}
UNITS = {
    "mm": ("millimetre", "millimetres"),
    "cm": ("centimetre", "centimetres"),
    "m": ("metre", "metres"),
    "km": ("kilometre", "kilometres"),
    "nm": ("nanometre", "nanometres"),
    "µm": ("micrometre", "micrometres"),
    "μm": ("micrometre", "micrometres"),
    "g": ("gram", "grams"),
    "mg": ("milligram", "milligrams"),
    "kg": ("kilogram", "kilograms"),
    "s": ("second", "seconds"),
    "ms": ("millisecond", "milliseconds"),
    "µs": ("microsecond", "microseconds"),
    "μs": ("microsecond", "microseconds"),
    "ns": ("nanosecond", "nanoseconds"),
    "min": ("minute", "minutes"),
    "h": ("hour", "hours"),
    "L": ("litre", "litres"),
    "mL": ("millilitre", "millilitres"),
    "ml": ("millilitre", "millilitres"),
    "mol": ("mole", "moles"),
    "mmol": ("millimole", "millimoles"),
    "M": ("molar", "molar"),
    "mM": ("millimolar", "millimolar"),
    "K": ("kelvin", "kelvin"),
    "N": ("newton", "newtons"),
    "J": ("joule", "joules"),
    "kJ": ("kilojoule", "kilojoules"),
    "W": ("watt", "watts"),
    "kW": ("kilowatt", "kilowatts"),
    "V": ("volt", "volts"),
    "mV": ("millivolt", "millivolts"),
    "A": ("ampere", "amperes"),
    "Pa": ("pascal", "pascals"),
    "kPa": ("kilopascal", "kilopascals"),
    "Hz": ("hertz", "hertz"),
    "kHz": ("kilohertz", "kilohertz"),
    "MHz": ("megahertz", "megahertz"),
    "GHz": ("gigahertz", "gigahertz"),
    "Ω": ("ohm", "ohms"),
    "kB": ("kilobyte", "kilobytes"),
    "MB": ("megabyte", "megabytes"),
    "GB": ("gigabyte", "gigabytes"),
    "TB": ("terabyte", "terabytes"),
    "kcal": ("kilocalorie", "kilocalories"),
    "cal": ("calorie", "calories"),
    "atm": ("atmosphere", "atmospheres"),
    "eV": ("electronvolt", "electronvolts"),
    "keV": ("kiloelectronvolt", "kiloelectronvolts"),
    "MeV": ("megaelectronvolt", "megaelectronvolts"),
    "kV": ("kilovolt", "kilovolts"),
    "mA": ("milliampere", "milliamperes"),
    "µA": ("microampere", "microamperes"),
    "μA": ("microampere", "microamperes"),
    "kA": ("kiloampere", "kiloamperes"),
    "mW": ("milliwatt", "milliwatts"),
    "MW": ("megawatt", "megawatts"),
    "GW": ("gigawatt", "gigawatts"),
    "kWh": ("kilowatt-hour", "kilowatt-hours"),
    "mAh": ("milliampere-hour", "milliampere-hours"),
    "kΩ": ("kilohm", "kilohms"),
    "MΩ": ("megohm", "megohms"),
    "mΩ": ("milliohm", "milliohms"),
    "MJ": ("megajoule", "megajoules"),
    "mJ": ("millijoule", "millijoules"),
    "kN": ("kilonewton", "kilonewtons"),
    "MPa": ("megapascal", "megapascals"),
    "GPa": ("gigapascal", "gigapascals"),
    "F": ("farad", "farads"),
    "mF": ("millifarad", "millifarads"),
    "µF": ("microfarad", "microfarads"),
    "μF": ("microfarad", "microfarads"),
    "nF": ("nanofarad", "nanofarads"),
    "pF": ("picofarad", "picofarads"),
    "mH": ("millihenry", "millihenries"),
    "µC": ("microcoulomb", "microcoulombs"),
    "μC": ("microcoulomb", "microcoulombs"),
    "nC": ("nanocoulomb", "nanocoulombs"),
    "mT": ("millitesla", "milliteslas"),
    "µT": ("microtesla", "microteslas"),
    "μT": ("microtesla", "microteslas"),
    "µg": ("microgram", "micrograms"),
    "μg": ("microgram", "micrograms"),
    "µL": ("microlitre", "microlitres"),
    "μL": ("microlitre", "microlitres"),
    "µmol": ("micromole", "micromoles"),
    "μmol": ("micromole", "micromoles"),
    "nmol": ("nanomole", "nanomoles"),
    "dB": ("decibel", "decibels"),
    "ppm": ("part per million", "parts per million"),
}
POWER_WORDS = {"2": "square", "3": "cubic"}
ABBREVIATIONS = (
    (re.compile(r"\be\.\s?g\.(?=[\s,:]|$)", re.IGNORECASE), "for example"),
    (re.compile(r"\bi\.\s?e\.(?=[\s,:]|$)", re.IGNORECASE), "that is"),
    (re.compile(r"\betc\.$"), "et cetera."),
    (re.compile(r"\betc\.(?=\s|$)"), "et cetera"),
    (re.compile(r"\betc\b"), "et cetera"),
    (re.compile(r"\bvs\.?(?=\s)"), "versus"),
    (re.compile(r"\bcf\.(?=\s)"), "compare"),
    (re.compile(r"\bapprox\.(?=\s)"), "approximately"),
    (re.compile(r"\bpp\.\s?(?=\d)"), "pages "),
    (re.compile(r"\bp\.\s?(?=\d)"), "page "),
    (re.compile(r"\b[Ff]igs?\.\s?(?=\d)"), "figure "),
    (re.compile(r"\b[Ee]qs?\.\s?(?=\d|\()"), "equation "),
    (re.compile(r"\b[Cc]h\.\s?(?=\d)"), "chapter "),
    (re.compile(r"\b[Ss]ec\.\s?(?=\d)"), "section "),
    (re.compile(r"\bNo\.\s?(?=\d)"), "number "),
    (re.compile(r"\bca\.\s?(?=\d)"), "circa "),
    (re.compile(r"\bc\.\s?(?=\d{3,4}\b)"), "circa "),
)
ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen"
).split()
TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
ORDINAL_ENDINGS = {
    "one": "first",
    "two": "second",
    "three": "third",
    "five": "fifth",
    "eight": "eighth",
    "nine": "ninth",
    "twelve": "twelfth",
}


def number_words(n: int) -> str:
    """0 to 9999 in words."""
    if n < 20:
        return ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return TENS[tens - 2] + (f"-{ONES[ones]}" if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{ONES[hundreds]} hundred" + (f" {number_words(rest)}" if rest else "")
    thousands, rest = divmod(n, 1000)
    return f"{number_words(thousands)} thousand" + (f" {number_words(rest)}" if rest else "")


def ordinal_words(n: int) -> str:
    """4 -> fourth, 23 -> twenty-third."""
    words = number_words(n)
    head, _, last = words.rpartition("-") if "-" in words else words.rpartition(" ")
    sep = "-" if "-" in words else " "
    if last in ORDINAL_ENDINGS:
        last = ORDINAL_ENDINGS[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return f"{head}{sep}{last}" if head else last


def year_words(n: int) -> str:
    """1853 -> eighteen fifty-three; 1900 -> nineteen hundred; 2007 -> two thousand seven."""
    high, low = divmod(n, 100)
    if 2000 <= n <= 2009:
        return "two thousand" + (f" {ONES[low]}" if low else "")
    if low == 0:
        return f"{number_words(high)} hundred"
    if low < 10:
        return f"{number_words(high)} oh {ONES[low]}"
    return f"{number_words(high)} {number_words(low)}"
