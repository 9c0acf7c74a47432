"""A model's sentence held to the notes sentence it explains, by what carries meaning.

The lecture check (``claims``) wants nearly all of a notes sentence's words, in its
order: right for a shortening, and it turns down every true paraphrase of a definition,
so a checked lecture lost its definitions. Here a sentence that explains a note may use
its own everyday words, and is held by the parts that make a claim true or false:

- its numbers, names and symbols are the note's (a heading or the note's other
  sentences may lend names and words, never numbers);
- its polarity and hedges are the note's ("probably", "about", "most" kept; none added);
- it relates the note's terms as the note does: no term the notes use elsewhere is
  joined in ("the same *voltage*" said of what the note says of current), the note's
  terms come in the note's order (one swap allowed), no reason ("because") or
  comparison ("faster") the note does not give;
- what it adds is everyday words, not facts: a few common words, at most one rare one.

``covers`` says when the kept sentences carry all of a note (its numbers, names,
terms, negation and hedges, most of its words), so the notes' own words can give way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from profai_cli.teaching import relations
from profai_cli.teaching.claim_words import (
    CLAIM_END,
    NEGATING_PREFIXES,
    OPPOSITE,
    STOP_WORDS,
    Features,
    features,
    holds,
    lcs,
    stem,
    tokens,
)
from profai_cli.teaching.claims import NotesSupport, Unit, Verdict, _drawn, _plain

_PARENTHESES = re.compile(r"\(([^()]{1,80})\)")
# Hedges in kinds: "roughly" keeps "about", "usually" keeps "often".
_HEDGE_KINDS = {
    "about": "about",
    "around": "about",
    "approximately": "about",
    "roughly": "about",
    "nearly": "about",
    "almost": "about",
    "some": "some",
    "sometimes": "some",
    "occasionally": "some",
    "most": "most",
    "mostly": "most",
    "mainly": "most",
    "largely": "most",
    "many": "many",
    "often": "often",
    "usually": "often",
    "frequently": "often",
    "typically": "often",
    "average": "average",
    "generally": "often",
    "commonly": "often",
    "always": "always",
    "every": "all",
    "all": "all",
    "only": "only",
    "least": "least",
    "few": "few",
    "probably": "probably",
    "likely": "probably",
    "perhaps": "probably",
    "possibly": "probably",
    "may": "probably",
    "might": "probably",
    "estimate": "probably",
    "estimated": "probably",
}
# Words that give a reason or a consequence: a relation, not a paraphrase of one.
_CAUSAL = re.compile(
    r"\b(?:because|therefore|thus|hence|as a result|due to|leads? to|led to|results? in|"
    r"caus(?:e|es|ed|ing)|in order to|so that|owing to|since|contribut(?:e|es|ed|ing) to|"
    r"responsible for)\b",
    re.IGNORECASE,
)
# A sentence that names a thing: the name is the notes' ("is called seafloor spreading").
_NAMING = re.compile(
    r"\b(?:known as|called|termed|referred to as|named)\s+(?:the\s+|a\s+|an\s+)?"
    r"([A-Za-z][\w\- ]{0,40}?)(?=[,.;:)]|\s(?:and|or|which|that|because)\b|$)",
    re.IGNORECASE,
)
# Words that compare: "more light, faster rate" is a claim of its own.
_COMPARING = frozenset(
    "more less fewer greater larger smaller higher lower faster slower bigger stronger "
    "weaker better worse increase increases increased decrease decreases decreased rise "
    "rises rose fall falls fell grow grows shrink shrinks longer shorter hotter colder "
    "most least cheaper dearer easier harder quicker sooner later earlier wider narrower "
    "deeper shallower heavier lighter older younger newer safer riskier richer poorer "
    "simpler costlier".split()
)
# Words that size a thing: "a small amount of oxygen" claims what "a by-product" does not.
_SIZES = frozenset(
    "small large big tiny huge little vast enormous massive slight minimal maximal "
    "considerable substantial negligible".split()
)
_COMMON_LIMIT = 0.5  # of a sentence's content words may be everyday words of its own
# Quantifiers a paraphrase uses freely ("the sum of all currents"), unlike "always", "only".
_QUANTIFIERS = frozenset({"all", "every"})


def unit_words_of(text: str) -> set[str]:
    return {w.lower() for w in tokens(text)}


def _symbols(unit: Unit) -> set[str]:
    """The unit's one-letter symbols, and the letters of a product in a formula ("IV")."""
    found = set(unit.feats.symbols)
    if "=" in unit.text:
        for token in re.findall(r"\b[A-Z]{2,3}\b", unit.text):
            found |= set(token)
    return found


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Everyday English (3,000 words, most frequent first in the list): the words a
    paraphrase may add without adding a fact."""
    from importlib.resources import files

    text = files("profai_cli.stt").joinpath("common_words.txt").read_text(encoding="utf-8")
    return frozenset(w for w in text.split() if w)


@lru_cache(maxsize=1)
def common_stems() -> frozenset[str]:
    return frozenset(stem(w) for w in common_words())


@dataclass
class Lent:
    """What may lend a note's sentence words and names (never numbers): its heading, a
    pronoun's antecedent, the lecture's title. ``note`` is every word of the note, for
    telling an opposite ("elastic" of what the note calls inelastic), never lent."""

    stems: set[str]
    names: set[str]
    words: set[str]
    note: set[str] = field(default_factory=set)


class Holder:
    """Holds model sentences to the units of the notes (``NotesSupport``'s)."""

    def __init__(self, support: NotesSupport) -> None:
        self.support = support
        seen: dict[str, int] = {}
        for u in support.units:
            for s in set(u.feats.stems):
                seen[s] = seen.get(s, 0) + 1
        # A term of the notes: said in two units or more, in a heading, in bold, or
        # defined by a list item ("Open addressing: on a collision, probe ...").
        self.terms = (
            {s for s, n in seen.items() if n >= 2}
            | {s for u in support.units for s in u.context_feats.stems}
            | {stem(w) for term in support.defined for w in term.split() if len(w) > 2}
        )
        self.common = set(common_stems())

    def lent(self, units: list[Unit], extra: str = "") -> Lent:
        """What may lend words and names to a sentence held to any of these units: their
        headings (and a pronoun's antecedent), and ``extra`` (the lecture's title) -
        never a sibling sentence's claim words."""
        f = [u.context_feats for u in units]
        if extra:
            f.append(self.support.features(extra))
        return Lent(
            {s for x in f for s in x.stems},
            {n for x in f for n in x.names},
            {w for x in f for w in x.words},
            {w for u in units for w in u.feats.words},
        )

    def hold_note(self, sentence: str, units: list[Unit], topic: str) -> Verdict:
        """Held to one of a note's sentences, or to the note whole (a sentence may take from
        two of its sentences, never from two of its claims)."""
        lent = self.lent(units, topic)
        verdict = self.hold(sentence, units, lent)
        if verdict.unit is not None or len(units) < 2 or any(u.whole for u in units):
            return verdict
        whole = self.support.joined(units)
        if whole is not None:
            s = self.support.features(sentence)
            if self._why_not(s, sentence, whole, lent, exact_claims=True) is None:
                return Verdict(units[0])
        return verdict

    def hold(self, sentence: str, units: list[Unit], lent: Lent) -> Verdict:
        """The unit that holds the sentence, or why none does (the closest unit's why)."""
        s = self.support.features(sentence)
        if len(s.stems) < 2 and not s.names:
            return Verdict(None, "says too little to check")
        best, best_score, closest = "", -1.0, ""
        for unit in units:
            reason = self._why_not(s, sentence, unit, lent)
            if reason is None:
                return Verdict(unit)
            own = set(unit.feats.stems)
            score = sum(1 for w in s.stems if holds(w, own)) / max(1, len(s.stems))
            if score > best_score:
                best, best_score, closest = reason, score, unit.text
        return Verdict(None, best or "no sentence of the notes says this", closest)

    def _why_not(
        self, s: Features, sentence: str, unit: Unit, lent: Lent, exact_claims: bool = False
    ) -> str | None:
        """Why the unit does not hold the sentence, or None. ``exact_claims``: each claim
        of the sentence takes every term from one claim of the unit (a note's sentences
        taken together, where a swap between them would otherwise pass)."""
        u = unit.feats
        missing = s.numbers - u.numbers
        if missing:
            return f"the number {sorted(missing)[0]} is not in that sentence of the notes"
        names = s.names - u.names - lent.names - u.words - lent.words
        if names:
            return f"the name {sorted(names)[0]} is not in that part of the notes"
        symbols = {x for x in s.symbols if x not in _symbols(unit) and x.lower() not in u.words}
        if symbols:
            return f"{sorted(symbols)[0]} is not in that sentence of the notes"
        for aside in _PARENTHESES.findall(sentence):
            # An aside in brackets names or labels: "A (red) given B (blue)". Its words
            # must be the notes', everyday or not.
            if any(not holds(w, self.support.stems) for w in self.support.features(aside).stems):
                return f"adds '({aside})', which the notes do not say"
        own = set(u.stems)
        shared = [w for w in s.stems if holds(w, own)]
        if len(set(shared)) < min(2, len(set(s.stems))):
            return "says nothing of this sentence of the notes"
        order = list(dict.fromkeys(s.stems))
        foreign = [w for w in order if not holds(w, own) and not holds(w, lent.stems)]
        rare: list[str] = []
        common = 0
        joined = 0
        for w in foreign:
            everyday = w in self.common
            if holds(w, self.support.stems) and (not everyday or holds(w, self.terms)):
                # The notes' own vocabulary from elsewhere: an addition to a claim said
                # whole may stand ("expressed with odds instead of probabilities"); in
                # place of one of the claim's words it is a swap ("the same voltage" for
                # current, "absorb water" for save it); two such words mix two notes.
                joined += 1
                if joined > 1 or self._replaces(s, unit, shared, strict=not everyday):
                    return f"joins '{w}' from elsewhere in the notes to this"
                common += 1
                continue
            if everyday:
                common += 1
            else:
                rare.append(w)
        heading = set(self.support.features(unit.section).stems)
        sibling = [w for w in order if not holds(w, own) and holds(w, heading)]
        if sibling and self._replaces_one_of(s, unit, shared, heading):
            # A heading that lists things side by side ("Current, voltage and resistance")
            # lends its words, but one of them in another's place is a swap: "the voltage
            # across the resistor is 3 A".
            return f"says '{sibling[0]}' where the notes say another thing of the heading"
        if rare and self._replaces(s, unit, shared, strict=False, key_only=True):
            # A term of the claim left out and a rare word of its own in: "the cytoplasm"
            # for "the matrix of the mitochondria".
            return f"says '{rare[0]}' where the notes have another term"
        if (other := self._borrowed(foreign, unit)) is not None:
            return f"takes its words from another note ('{other[:40]}')"
        allowed_rare = 1 if len(order) >= 6 and len(set(shared)) >= 3 else 0
        if len(rare) > allowed_rare:
            return f"says more than the notes ('{rare[0]}')"
        if common > max(1, int(_COMMON_LIMIT * len(order) - 0.01)):
            return "mostly its own words, not the notes'"
        if len(shared) * 2 < len(s.stems) - common:
            return "mostly not from the notes"
        lower = {w.lower() for w in tokens(sentence)}
        around = u.words | unit.context_feats.words | lent.note
        for w in lower - u.words - lent.words:
            if (OPPOSITE.get(w, set()) | relations.MORE_OPPOSITES.get(w, set())) & u.words:
                return f"'{w}' turns round what the notes say"
            for p in NEGATING_PREFIXES:
                if w.startswith(p) and len(w) - len(p) >= 4 and w[len(p) :] in u.words:
                    return f"'{w}' turns round what the notes say"
        for w in lower - u.words:
            if any(p + w in around for p in NEGATING_PREFIXES) and len(w) >= 4:
                return f"'{w}' where the notes say its opposite"
        if (flipped := relations.opposite_in_wrong_claim(lower, unit, shared)) is not None:
            return f"'{flipped}' turns round what the notes say"
        unit_text = f"{unit.text} {unit.context}"
        drawn = _drawn(shared, unit.claims) or unit.claims
        if s.negated != any(c.negated for c in drawn):
            return "the notes say the opposite" if s.negated else "drops the notes' 'not'"
        mine = {_HEDGE_KINDS[h] for h in lower if h in _HEDGE_KINDS and h not in _QUANTIFIERS}
        theirs = {_HEDGE_KINDS[h] for h in u.words if h in _HEDGE_KINDS}
        if mine - theirs:
            return f"'{sorted(mine - theirs)[0]}' is not what the notes say"
        for hedge, word in u.hedged:
            kind = _HEDGE_KINDS.get(hedge)
            if kind and kind not in mine and kind not in ("always", "all", "only", "least"):
                if word in s.numbers or (not word[:1].isdigit() and holds(word, set(shared))):
                    return f"drops the notes' '{hedge}'"
        if s.numbers & u.numbers:
            for kind in theirs - mine - {"always", "all", "only", "least", "few", "many"}:
                return f"says the notes' number without their '{kind}'"
        if (listed := relations.relates_listed(sentence, unit.text)) is not None:
            return f"relates {listed}, which the notes only list together"
        if (flipped := relations.flipped_pair(sentence, unit.text)) is not None:
            return f"'{flipped}' turns round what the notes say"
        if (moved := relations.moved_number(sentence, unit.text)) is not None:
            return f"says {moved} of another thing than the notes do"
        if (head := relations.defined_as_another(sentence, unit.text)) is not None:
            return f"defines it as '{head}', which the notes do not"
        for h in ("probably", "likely", "perhaps", "possibly", "may", "might", "estimate"):
            if h in u.words and "probably" not in mine and len(shared) >= 2:
                return f"drops the notes' '{h}'"
        named = _NAMING.search(sentence)
        if named:
            called = [stem(w) for w in re.findall(r"[A-Za-z]+", named.group(1))]
            outside = [w for w in called if w not in STOP_WORDS and not holds(w, own | lent.stems)]
            if outside:
                return f"names it '{named.group(1).strip()}', which the notes do not"
        cause = _CAUSAL.search(sentence)
        if cause and not _CAUSAL.search(unit_text):
            return "gives a reason the notes do not"
        if cause and self._turns_round(sentence, unit_text, cause.start()):
            return "turns round what causes what"
        sizes = {w for w in lower if w in _SIZES} - unit_words_of(unit_text)
        if sizes:
            return f"says how big ('{sorted(sizes)[0]}') where the notes do not"
        compares = {w for w in lower if w in _COMPARING}
        unit_words = {w.lower() for w in tokens(unit_text)}
        if compares - unit_words and not (unit_words & _COMPARING or "than" in unit_words):
            return f"compares ('{sorted(compares)[0]}') where the notes do not"
        if unit.whole and (column := relations.wrong_column(s, unit, self.support)) is not None:
            return f"says of {column} a number the notes give for another column"
        if not unit.whole:
            # The terms of the claim the sentence takes its words from, in its order.
            claim = max(
                unit.claims or [u],
                key=lambda c: len({w for w in shared if holds(w, set(c.stems))}),
            )
            mine = set(claim.stems)
            anchors = list(dict.fromkeys(w for w in shared if self._anchor(w) and holds(w, mine)))
            unit_anchors = [w for w in claim.stems if self._anchor(w)]
            slack = 1 if len(anchors) >= 3 else 0
            if len(anchors) >= 2 and lcs(anchors, unit_anchors) < len(anchors) - slack:
                return "puts the notes' terms in another relation"
        if (len(unit.claims) > 1 or exact_claims) and not unit.whole:
            # Each claim of the sentence takes its terms, and its numbers, from one claim
            # of the note ("a shortage above the equilibrium" takes from two).
            for piece in CLAIM_END.split(_plain(sentence)):
                claim = features(_plain(piece), self.support.capitalised)
                terms = [w for w in claim.stems if holds(w, own) and holds(w, self.terms)]
                if len(terms) < 2 and not claim.numbers:
                    continue

                # A claim that opens with a verb or "it" has the sentence's subject.
                subject = set() if exact_claims else set(u.stems[:2])
                scores = [
                    (
                        sum(
                            1
                            for w in terms
                            if holds(
                                w,
                                set(c.stems)
                                | (subject if c.opens_with_verb or c.opens_with_pronoun else set()),
                            )
                        ),
                        c,
                    )
                    for c in unit.claims
                ]
                most, best = max(scores, key=lambda x: (x[0], len(claim.numbers & x[1].numbers)))
                slack = 0 if exact_claims or len(terms) <= 2 else 1
                mixed = most < len(terms) - slack or bool(claim.numbers - best.numbers)
                if mixed and not self._whole_claims(claim, unit):
                    return "joins two claims of the notes into one"
        return None

    def _borrowed(self, foreign: list[str], unit: Unit) -> str | None:
        """Another unit of the notes that holds two or more of the sentence's words of its
        own: the sentence carries that unit's claim into this one."""
        found = [w for w in foreign if holds(w, self.support.stems)]
        if len(found) < 2:
            return None
        for other in self.support.units:
            if other.text == unit.text:
                continue
            theirs = set(other.feats.stems)
            if sum(1 for w in found if holds(w, theirs)) >= 2:
                return other.text
        return None

    def _whole_claims(self, claim: Features, unit: Unit) -> bool:
        """The sentence's claim says each claim of the unit it draws on whole ("the crust
        together with the upper mantle" for "the crust and the upper mantle"): two claims
        said together, not one's term put in the other's place."""
        said = set(claim.stems)
        touched = [c for c in unit.claims if any(holds(w, said) for w in c.stems)]
        return len(touched) > 1 and all(
            all(holds(w, said) for w in c.stems if holds(w, self.terms) or w not in self.common)
            and c.numbers <= claim.numbers
            for c in touched
        )

    def _anchor(self, word: str) -> bool:
        """A word whose place in a claim carries its meaning: a term of the notes, or a
        word that is not everyday English (volcano, trench, isocitrate)."""
        return holds(word, self.terms) or word not in self.common

    def _turns_round(self, sentence: str, unit_text: str, at: int) -> bool:
        """A term on the cause's side of the notes' "because"/"causes" said on the
        effect's side ("it causes deep trenches and volcanoes" is not "volcanoes form
        trenches")."""
        theirs = _CAUSAL.search(unit_text)
        assert theirs is not None
        sides = (
            set(self.support.features(unit_text[: theirs.start()]).stems),
            set(self.support.features(unit_text[theirs.end() :]).stems),
        )
        before = self.support.features(sentence[:at]).stems
        after = self.support.features(sentence[at:]).stems
        flips = [w for w in before if holds(w, sides[1]) and not holds(w, sides[0])]
        flips += [w for w in after if holds(w, sides[0]) and not holds(w, sides[1])]
        return any(holds(w, self.terms) for w in flips)

    def _replaces_one_of(self, s: Features, unit: Unit, shared: list[str], among: set[str]) -> bool:
        """The claim the sentence draws on has a word of ``among`` the sentence leaves out."""
        said = set(s.stems)
        best = max(
            unit.claims or [unit.feats],
            key=lambda c: len({w for w in shared if holds(w, set(c.stems))}),
        )
        return any(holds(w, among) and not holds(w, said) for w in best.stems)

    def _replaces(
        self, s: Features, unit: Unit, shared: list[str], strict: bool, key_only: bool = False
    ) -> bool:
        """The sentence leaves out a term of the claim it takes its words from (``strict``:
        any of its words; ``key_only``: a term that is not an everyday word), so a word of
        its own stands in its place."""
        said = set(s.stems)
        best = max(
            unit.claims or [unit.feats],
            key=lambda c: len({w for w in shared if holds(w, set(c.stems))}),
        )

        def counts(w: str) -> bool:
            if strict:
                return True
            return holds(w, self.terms) and not (key_only and w in self.common)

        return any(not holds(w, said) and counts(w) for w in best.stems)

    def covers(self, unit: Unit, sentences: list[str]) -> bool:
        """The sentences together carry the whole unit: its numbers, names, symbols, the
        terms it is about, its negation and hedges, and most of its content words."""
        if not sentences:
            return False
        said = [self.support.features(s) for s in sentences]
        numbers = set().union(*(f.numbers for f in said))
        names = set().union(*(f.names for f in said)) | set().union(*(f.words for f in said))
        symbols = set().union(*(f.symbols for f in said))
        stems = {w for f in said for w in f.stems}
        u = unit.feats
        if u.numbers - numbers or u.names - names or u.symbols - symbols:
            return False
        if u.negated and not any(f.negated for f in said):
            return False
        kinds = {_HEDGE_KINDS[w] for f in said for w in f.words if w in _HEDGE_KINDS}
        if any(_HEDGE_KINDS.get(h) not in kinds for h in u.hedges if h in _HEDGE_KINDS):
            return False
        content = list(dict.fromkeys(u.stems))
        if not content:
            return True
        subject = [w for w in content[:2] if holds(w, self.terms)]
        terms = [w for w in content if holds(w, self.terms)]
        if any(not holds(w, stems) for w in subject):
            return False
        kept_terms = sum(1 for w in terms if holds(w, stems))
        if terms and kept_terms < 0.8 * len(terms):
            return False
        return sum(1 for w in content if holds(w, stems)) >= 0.6 * len(content)
