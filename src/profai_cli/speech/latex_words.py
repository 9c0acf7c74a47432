"""The pieces of a formula: its tokens (from pylatexenc's nodes), and the words LaTeX's
commands are said with (Greek letters, relations, operators, functions, big operators,
accents, sets, and the commands that are silent)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

GREEK = {
    g: g.removeprefix("var")
    for g in (
        "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda "
        "mu nu xi omicron pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi "
        "omega"
    ).split()
} | {
    g: "capital " + g.lower()
    for g in "Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega".split()
}
RELATIONS = {
    "=": "equals",
    "eq": "equals",
    "neq": "is not equal to",
    "ne": "is not equal to",
    "<": "is less than",
    ">": "is greater than",
    "le": "is less than or equal to",
    "leq": "is less than or equal to",
    "leqslant": "is less than or equal to",
    "ge": "is greater than or equal to",
    "geq": "is greater than or equal to",
    "geqslant": "is greater than or equal to",
    "ll": "is much less than",
    "gg": "is much greater than",
    "approx": "is approximately",
    "simeq": "is approximately",
    "cong": "is congruent to",
    "equiv": "is equivalent to",
    "sim": "is distributed as",
    "propto": "is proportional to",
    "in": "is in",
    "notin": "is not in",
    "ni": "contains",
    "subset": "is a subset of",
    "subseteq": "is a subset of or equal to",
    "supset": "is a superset of",
    "supseteq": "is a superset of or equal to",
    "to": "goes to",
    "rightarrow": "goes to",
    "longrightarrow": "goes to",
    "mapsto": "maps to",
    "Rightarrow": "implies",
    "implies": "implies",
    "Leftarrow": "is implied by",
    "iff": "if and only if",
    "Leftrightarrow": "if and only if",
    "leftrightarrow": "corresponds to",
    "perp": "is perpendicular to",
    "parallel": "is parallel to",
    "mid": "given",
    "coloneqq": "is defined as",
    "defeq": "is defined as",
}
OPERATORS = {
    "+": "plus",
    "-": "minus",
    "\u2212": "minus",
    "*": "times",
    "times": "times",
    "cdot": "times",
    "ast": "times",
    "div": "divided by",
    "pm": "plus or minus",
    "mp": "minus or plus",
    "cup": "union",
    "cap": "intersection",
    "setminus": "minus",
    "circ": "composed with",
    "oplus": "direct sum",
    "otimes": "tensor",
    "land": "and",
    "wedge": "and",
    "lor": "or",
    "vee": "or",
    "/": "over",
    ",": ",",
    ";": ",",
    "&": "",
}
SYMBOLS = {
    "infty": "infinity",
    "partial": "partial",
    "nabla": "del",
    "emptyset": "the empty set",
    "varnothing": "the empty set",
    "forall": "for all",
    "exists": "there exists",
    "neg": "not",
    "lnot": "not",
    "ldots": "and so on",
    "cdots": "and so on",
    "dots": "and so on",
    "vdots": "and so on",
    "ddots": "and so on",
    "hbar": "h bar",
    "ell": "l",
    "prime": "prime",
    "degree": "degrees",
    "angle": "angle",
    "triangle": "triangle",
    "therefore": "therefore",
    "because": "because",
    "top": "transposed",
}
FUNCTIONS = {
    "sin": "sine",
    "cos": "cosine",
    "tan": "tangent",
    "cot": "cotangent",
    "sec": "secant",
    "csc": "cosecant",
    "arcsin": "arc sine",
    "arccos": "arc cosine",
    "arctan": "arc tangent",
    "sinh": "hyperbolic sine",
    "cosh": "hyperbolic cosine",
    "tanh": "hyperbolic tangent",
    "log": "log",
    "ln": "the natural log",
    "lg": "log",
    "exp": "the exponential",
    "det": "the determinant",
    "tr": "the trace",
    "Tr": "the trace",
    "rank": "the rank",
    "dim": "the dimension",
    "ker": "the kernel",
    "deg": "the degree",
    "gcd": "the greatest common divisor",
    "lcm": "the least common multiple",
    "Var": "the variance",
    "Cov": "the covariance",
    "Pr": "the probability",
    "arg": "the argument",
    "sgn": "the sign",
    "mod": "mod",
    "max": "the maximum",
    "min": "the minimum",
    "sup": "the supremum",
    "inf": "the infimum",
}
BIG = {
    "sum": "the sum",
    "prod": "the product",
    "int": "the integral",
    "iint": "the double integral",
    "iiint": "the triple integral",
    "oint": "the contour integral",
    "bigcup": "the union",
    "bigcap": "the intersection",
    "lim": "the limit",
    "limsup": "the limit superior",
    "liminf": "the limit inferior",
}
ACCENTS = {
    "bar": "bar",
    "overline": "bar",
    "hat": "hat",
    "widehat": "hat",
    "tilde": "tilde",
    "widetilde": "tilde",
    "dot": "dot",
    "ddot": "double dot",
    "vec": "vector",
    "overrightarrow": "vector",
    "mathbf": None,
    "boldsymbol": None,
    "bm": None,
}
SETS = {
    "R": "the real numbers",
    "N": "the natural numbers",
    "Z": "the integers",
    "Q": "the rational numbers",
    "C": "the complex numbers",
}
SILENT = frozenset(
    ", ; : ! quad qquad enspace thinspace medspace thickspace left right big Big bigg Bigg "
    "bigl bigr Bigl Bigr displaystyle textstyle scriptstyle limits nolimits nonumber notag "
    "label middle".split()
)
FONTS = frozenset(
    "mathrm mathit mathsf mathtt mathcal mathscr mathfrak text textrm textit textbf "
    "textsf texttt emph operatorname mbox hbox rm it bf".split()
)
# Letters that name a function when a bracket follows: f(x) is "f of x", a(b) is a times b.
FUNCTION_LETTERS = frozenset("f g h F G H P E Q L p q u v w y".split())
ORDINAL_POWERS = {
    "4": "fourth",
    "5": "fifth",
    "6": "sixth",
    "7": "seventh",
    "8": "eighth",
    "9": "ninth",
    "10": "tenth",
    "11": "eleventh",
    "12": "twelfth",
    "20": "twentieth",
    "23": "twenty-third",
    "100": "hundredth",
}
MATRICES = frozenset("matrix pmatrix bmatrix Bmatrix vmatrix Vmatrix smallmatrix array".split())
NAMES = frozenset("sin cos tan log ln exp max min det lim sup inf gcd mod arg dim ker".split())


@dataclass
class Tok:
    kind: str  # num, var, op, rel, open, close, macro, group, env, script, space
    text: str = ""
    args: list[list[Tok]] = field(default_factory=list)
    body: list[Tok] = field(default_factory=list)


CHAR_TOKEN = re.compile(
    r"\s+|\d+(?:\.\d+)?|[A-Za-z]+|<=|>=|!=|:=|->|[=<>+\-*/(),;:!|'^_&\[\]\u2212.]|."
)


def tokens(nodes: list[object]) -> list[Tok]:
    from pylatexenc.latexwalker import (
        LatexCharsNode,
        LatexCommentNode,
        LatexEnvironmentNode,
        LatexGroupNode,
        LatexMacroNode,
        LatexMathNode,
        LatexSpecialsNode,
    )

    out: list[Tok] = []
    for node in nodes:
        if isinstance(node, LatexCharsNode):
            out += chartokens(node.chars)
        elif isinstance(node, LatexGroupNode):
            out.append(Tok("group", body=tokens(node.nodelist)))
        elif isinstance(node, LatexMacroNode):
            args: list[list[Tok]] = []
            if node.nodeargd is not None:
                for arg in node.nodeargd.argnlist:
                    if arg is not None:
                        args.append(tokens([arg]))
            out.append(Tok("macro", node.macroname, args))
        elif isinstance(node, LatexEnvironmentNode):
            out.append(Tok("env", node.environmentname, body=tokens(node.nodelist)))
        elif isinstance(node, LatexMathNode):
            out += tokens(node.nodelist)
        elif isinstance(node, LatexSpecialsNode):
            out += chartokens(node.specials_chars)
        elif isinstance(node, LatexCommentNode):
            continue
    return out


def chartokens(chars: str) -> list[Tok]:
    out: list[Tok] = []
    for m in CHAR_TOKEN.finditer(chars):
        t = m.group(0)
        if t.isspace():
            continue
        if t[0].isdigit():
            out.append(Tok("num", t))
        elif t.isalpha():
            if t in NAMES:
                out.append(Tok("macro", t))
            else:
                out += [Tok("var", c) for c in t]  # in maths "mc" is m times c
        elif t in ("^", "_"):
            out.append(Tok("script", t))
        elif t in ("(", "["):
            out.append(Tok("open", t))
        elif t in (")", "]"):
            out.append(Tok("close", t))
        elif t in ("=", "<", ">", "<=", ">=", "!=", ":=", "->"):
            out.append(
                Tok(
                    "rel",
                    {"<=": "le", ">=": "ge", "!=": "neq", ":=": "coloneqq", "->": "to"}.get(t, t),
                )
            )
        else:
            out.append(Tok("op", t))
    return out
