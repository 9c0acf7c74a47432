"""The lecture planned from the notes' outline; a small model, if any, only restates.

A 135M model cannot write a lecture: it stops early, wanders, and most of what it adds
is false ("The Andes are a classic example of divergent boundaries" from notes that
give them as convergent). So the notes' own structure sets the lecture (welcome and
parts, each part with a transition, questions before the points that answer them, the
points said faithfully, a recap), and the model is asked only to say one sentence of
the notes again in plainer words, where the lecture has room. Every sentence it offers
must pass the claim check (``claims.NotesSupport``): the one sentence of the notes it
restates must hold all of what it says. With no model this is the narrated notes.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from profai_cli.core.prompts import WORDS_PER_MINUTE, LectureRequest
from profai_cli.llm.base import Explainer, Report
from profai_cli.teaching import dialogue, narration
from profai_cli.teaching.claims import NotesSupport, Unit, split_sentences
from profai_cli.teaching.lecture_plan import Kind, Pace, Step, big_plan, each, fills, plan

__all__ = ["Explainer", "Kind", "LectureCounts", "NarratedLecture", "restate_messages"]
from profai_cli.notes.outline import Point, PointKind, parse_outline

ATTEMPTS_PER_SENTENCE = 1  # about 0.5 s each: far ahead of the voice
# The 135M model's shortenings rarely pass the check (0-2 a lecture); after this many
# turned down in a row it is asked no more, so it does not hold a core the voice needs.
GIVE_UP_AFTER = 8
MODEL_HOLD_SECONDS = 5.0  # the most the model waits for the voice to begin
MIN_RESTATED_WORDS = 6
MAX_RESTATED_WORDS = 40


@dataclass
class LectureCounts:
    """Sentences of the lecture by kind, for --stats."""

    sentences: dict[Kind, int] = field(default_factory=lambda: {k: 0 for k in Kind})

    def add(self, kind: Kind, text: str) -> None:
        self.sentences[kind] += len(split_sentences(narration.plain(text))) or 1


_SYSTEM = "You are a careful editor."
# Asked for a shortening with an example, the 135M model keeps the notes' words: one
# in six of its answers passes the claim check, against one in thirty asked to "say it
# in simpler words" (benchmarks/offline_lecture.py).
_ASKS = (
    "Shorten the sentence, keeping its words.\n"
    "Sentence: The cat, a small grey animal, sat on the warm mat by the door.\n"
    "Short: The cat sat on the mat.\nSentence: {sentence}\nShort:",
    "Shorten this sentence. Keep its meaning and its words:\n{sentence}",
)
_PUT_SIMPLY = ("In short: ", "Put briefly: ", "So: ")


def restate_messages(sentence: str, attempt: int) -> list[dict[str, str]]:
    """A short prompt holding one sentence of the notes: what a 135M model can follow."""
    ask = _ASKS[attempt % len(_ASKS)].format(sentence=sentence)
    return [{"role": "system", "content": _SYSTEM}, {"role": "user", "content": ask}]


class NarratedLecture:
    """The LLM seam's text source for the built-in lecturer and for --llm none."""

    def __init__(self, explainer: Explainer | None, name: str) -> None:
        self.explainer = explainer
        self.name = name
        self.counts = LectureCounts()
        self.problem: str | None = None  # why the model was left out, said once at the end
        self._refused = 0  # shortenings turned down in a row
        self._planned: tuple[tuple[str, str, str], list[Step]] | None = None
        # Set when the voice has begun: loading the model and running it use both cores,
        # and the voice loading meanwhile took half a second longer to say its first words.
        self.model_may_start: asyncio.Event | None = None
        self.voiced = False  # a voice says the lecture: big notes are paced ahead of it

    @property
    def kept(self) -> int:
        return self.counts.sentences[Kind.RESTATED]

    @property
    def dropped(self) -> int:
        return self.counts.sentences[Kind.DROPPED]

    async def aclose(self) -> None:
        pass

    def send_early(self, request: LectureRequest) -> None:
        pass  # the welcome is ready at once: nothing to send

    def wait_for_voice(self, begun: asyncio.Event) -> None:
        self.voiced = True
        if self.explainer is not None:
            self.model_may_start = begun

    def report(self) -> Report:
        kinds = {k.value: n for k, n in self.counts.sentences.items()}
        return Report(kinds, [f"Note: {self.problem}."] if self.problem else [])

    def planned_minutes(self, request: LectureRequest) -> float:
        """How long the lecture these notes make is, before any shortening (notes longer
        than the lecture asked for are not planned through for it: they fill it)."""
        if fills(request):
            return len(request.notes) / 6 / WORDS_PER_MINUTE  # more than asked: roughly
        words = sum(narration.count_words(s.text) for s in self._plan(request))
        return words / WORDS_PER_MINUTE

    def _plan(self, request: LectureRequest) -> list[Step]:
        """The lecture's steps (made once: teach asks for its length before it starts)."""
        key = (request.notes, request.level, request.style)
        if self._planned is None or self._planned[0] != key:
            outline = parse_outline(request.notes)
            steps = plan(outline, request.notes, request.level, dialogue.asks(request.style))
            self._planned = (key, steps)
        return self._planned[1]

    async def complete(self, request: LectureRequest) -> str:
        """The whole narrated lecture (--no-stream)."""
        return "".join([d async for d in self.stream(request)])

    async def stream(self, request: LectureRequest, partial: str = "") -> AsyncIterator[str]:
        """The narrated lecture as it is made, going on after ``partial`` (a resumed
        lecture): the steps it holds are not made again, so the first new words come as
        fast as the first of a new lecture."""
        skip = len(partial)
        async for delta in self._lecture(request, partial):
            if skip >= len(delta):
                skip -= len(delta)
                continue
            yield delta[skip:]
            skip = 0

    async def _lecture(self, request: LectureRequest, partial: str = "") -> AsyncIterator[str]:
        # The welcome needs no model: it is said while the model loads (at the first
        # restatement, on the model's own thread), and the voice has the cores meanwhile.
        # Within ``partial`` (what a stopped lecture already said) the model's sentences
        # are read back from it, not asked for again.
        made = 0  # characters yielded so far
        self.counts = LectureCounts()
        self._refused = 0
        support: NotesSupport | None = None  # made after the welcome is out
        steps: AsyncIterator[Step]
        if fills(request):
            # Notes longer than the lecture asked for leave no room for the model, and are
            # planned as they are said: the first words come as soon as for short notes,
            # and the plan of a 3 MB course is never held whole.
            said: list[str] = []
            room = 0
            steps = big_plan(request.notes, request.level, dialogue.asks(request.style))
        else:
            planned = self._plan(request)
            steps = each(planned)
            said = [narration.plain(s.text) for s in planned]
            room = request.target_words - sum(narration.count_words(s.text) for s in planned)
        use_model = self.explainer is not None and room >= MIN_RESTATED_WORDS
        pace = Pace() if self.voiced and fills(request) else None
        turns = dialogue.Turns() if request.style == "dialogue" else None
        async for step in steps:
            self.counts.add(step.kind, step.text)
            text = turns.say(step, step.text) if turns is not None else step.text
            made += len(text) + 2
            yield text + "\n\n"
            await asyncio.sleep(0)  # the screen and the voice go on between steps
            if pace is not None:
                await pace.after(made)
            if made < len(partial):
                kept = _restatement_at(partial, made)
                if kept:
                    self.counts.sentences[Kind.RESTATED] += 1
                    said.append(kept[1])
                    room -= narration.count_words(kept[1]) + 2
                    made += len(kept[0])
                    yield kept[0]
                continue
            if self.explainer is None or self._refused >= GIVE_UP_AFTER:
                use_model = False
            if not use_model or step.point is None or room < MIN_RESTATED_WORDS:
                continue
            if support is None:
                support = NotesSupport(request.notes)
            for source in _restatable(step.point):
                if room < MIN_RESTATED_WORDS:
                    break
                text = await self._restate(source, support, said)
                if text:
                    lead = _PUT_SIMPLY[self.kept % len(_PUT_SIMPLY)]
                    self.counts.sentences[Kind.RESTATED] += 1
                    said.append(text)
                    room -= narration.count_words(text) + 2
                    made += len(lead) + len(text) + 2
                    yield lead + text + "\n\n"
                    break  # one restatement a point is plenty

    async def _restate(self, source: str, support: NotesSupport, said: list[str]) -> str:
        units = [u for u in support.units if u.text == source]
        return await self.shorten(source, support, said, units)

    async def shorten(
        self, source: str, support: NotesSupport, said: list[str], units: list[Unit]
    ) -> str:
        """A shorter sentence for ``source`` that the notes support, or "" (counted)."""
        assert self.explainer is not None
        for attempt in range(ATTEMPTS_PER_SENTENCE):
            if self.model_may_start is not None:
                with contextlib.suppress(TimeoutError):  # never held for long
                    await asyncio.wait_for(self.model_may_start.wait(), MODEL_HOLD_SECONDS)
                self.model_may_start = None
            from profai_cli.core.errors import ServiceError

            try:
                reply = await self.explainer.generate(
                    restate_messages(source, attempt), max_tokens=70, attempt=attempt
                )
            except ServiceError as exc:  # the lecture never needed the model
                self.problem, self.explainer = exc.message, None
                return ""
            candidate = _first_sentence(reply)
            if (
                candidate
                and _compresses(candidate, source)
                and _fresh(candidate, said)
                and support.check(candidate, units or None)
            ):
                self._refused = 0
                return candidate
            self.counts.sentences[Kind.DROPPED] += 1
            self._refused += 1
        return ""


def _restatement_at(partial: str, at: int) -> tuple[str, str] | None:
    """The restatement a stopped lecture said at ``at`` (its whole text and the sentence),
    if it said one there."""
    rest = partial[at:]
    lead = next((lead for lead in _PUT_SIMPLY if rest.startswith(lead)), None)
    if lead is None:
        return None
    end = rest.find("\n\n")
    if end < 0:
        return None  # cut inside it: made again from here
    return rest[: end + 2], rest[len(lead) : end]


def _first_sentence(reply: str) -> str:
    """The reply's first whole sentence, if it is a plain statement of a usable length."""
    text = " ".join(reply.replace("**", "").split()).strip("\"' ")
    found = split_sentences(text)
    if not found:
        return ""
    first = found[0].strip("\"' ")
    n = len(first.split())
    if not MIN_RESTATED_WORDS <= n <= MAX_RESTATED_WORDS or not first.endswith("."):
        return ""
    if any(c in first for c in '?!:;$^=\\`#*<>[]{}|"'):
        return ""
    return first[0].upper() + first[1:]


_AUXILIARY = frozenset("is are was were has have had will can cannot must may".split())
# A word of these inside what a shortening leaves out joins two claims into one: "SN2 is
# fastest for methyl [and primary substrates and is blocked by] bulky groups".
_CLAUSE_WORDS = _AUXILIARY | frozenset(
    "and or but not no never which who that because so while whereas although ; :".split()
)


def _compresses(candidate: str, source: str) -> bool:
    """The notes' sentence with words left out (one may be swapped), its subject kept and
    no two of its claims run together: what a small model can do without changing what
    is said or breaking the grammar ("The same fossils found on continents" lost its
    verb)."""
    said = _words(candidate)
    notes = _words(source)
    pairs = _alignment(said, notes)
    words = [w for w in said if w not in (",", ";", ":")]
    if len(pairs) < len(words) - 1 or not pairs:
        return False
    if _AUXILIARY & set(notes) and not _AUXILIARY & set(said):
        return False
    kept = [j for _, j in pairs]
    for a, b in zip(kept, kept[1:], strict=False):
        if _CLAUSE_WORDS & set(notes[a + 1 : b]):
            return False
    # The subject stays, and so does a condition: "At a convergent boundary, the denser
    # plate sinks" is not "the denser plate sinks". Only a date may go ("In 1877 ...").
    first = kept[0]
    dropped = notes[:first]
    return first <= 1 or (
        dropped[0] in ("in", "by", "from") and any(w.isdigit() for w in dropped) and first <= 4
    )


def _words(text: str) -> list[str]:
    import re

    return [w.lower() for w in re.findall(r"[A-Za-z0-9']+|[,;:]", text)]


def _alignment(a: list[str], b: list[str]) -> list[tuple[int, int]]:
    """The longest common subsequence of two word lists, as index pairs."""
    n, m = len(a), len(b)
    table = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            table[i][j] = (
                table[i + 1][j + 1] + 1 if a[i] == b[j] else max(table[i + 1][j], table[i][j + 1])
            )
    pairs = []
    i = j = 0
    while i < n and j < m:
        if a[i] == b[j]:
            pairs.append((i, j))
            i += 1
            j += 1
        elif table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            j += 1
    return [(i, j) for i, j in pairs if a[i] not in (",", ";", ":")]


def _fresh(candidate: str, said: list[str]) -> bool:
    """Not a repeat of anything said (a restatement that only copies is no help)."""
    a = " ".join(candidate.lower().split())
    for earlier in said:
        for b in split_sentences(earlier) or [earlier]:
            b = " ".join(b.lower().split())
            m = SequenceMatcher(None, a, b, autojunk=False)
            if m.real_quick_ratio() >= 0.75 and m.ratio() >= 0.75:
                return False
    return True


def _restatable(point: Point) -> list[str]:
    """The point's sentences worth restating: prose of some length, longest first."""
    if point.kind not in (PointKind.PARAGRAPH, PointKind.ITEM):
        return []
    texts = [narration.plain(point.text), *(narration.plain(c) for c in point.children)]
    found = [s for t in texts for s in split_sentences(t) if 12 <= len(s.split()) <= 45]
    return sorted(found, key=len, reverse=True)[:2]
