"""The built-in lecturer with a scripted model in place of the 135M one, in-process: what
the model offers reaches the lecture only when the notes support it, whatever the notes.
"""

from __future__ import annotations

import asyncio
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from profai_cli.core.prompts import LectureRequest
from profai_cli.llm.notes_lecturer import Kind, NarratedLecture
from profai_cli.teaching.claims import split_sentences
from profai_cli.teaching.narration import count_words
from tests.lecture_judge import judge, unsupported

NOTES = """# Glaciers

## How they form
- Snow piles up in cold valleys and presses into dense ice over many winters.
- Meltwater refreezes between grains of old snow, so the ice grows heavier each year.

## How they move
- Gravity drags the heavy ice downhill along its bed, about a metre a day in the Alps.
- Crevasses open where the surface of the ice bends over rough rock below it.

## What they leave
- Moraines are ridges of rubble that the moving ice pushed along and left behind.
- Lakes fill the hollows that the ice scraped out of the valley floor.
"""

# Sentences of many subjects: random notes are made of them.
CORPUS = [
    "The mitochondria release energy from glucose in most animal cells.",
    "Volcanoes form where magma rises through weak parts of the crust.",
    "The Treaty of Westphalia ended the Thirty Years War in 1648.",
    "A binary heap keeps its smallest element at the root of the tree.",
    "Interest rates rise when the central bank wants to slow inflation.",
    "Sound travels faster in water than it does in dry air.",
    "The Roman Senate advised the consuls but did not command the army.",
    "Insulin lowers the level of sugar in the blood after a meal.",
    "A hash table finds a key in constant time on average.",
    "Glaciers carved the deep valleys of Norway during the last ice age.",
    "Photosynthesis stores the energy of sunlight in chemical bonds.",
    "The printing press made books cheaper across Europe after 1450.",
    "Electrons in a metal move freely, which is why metals conduct heat well.",
    "Supply falls and prices rise when a harvest fails.",
]


class ScriptedModel:
    """Answers as a 135M model does at its worst: it joins the first half of the sentence
    it was given to the second half of another, swaps a word for its opposite, or drops a
    "not"; one time in four it returns an honest shortening."""

    name = "scripted"

    def __init__(self, sentences: list[str], seed: int) -> None:
        self.sentences = sentences
        self.rng = random.Random(seed)
        self.calls = 0

    async def generate(
        self, messages: list[dict[str, str]], max_tokens: int, attempt: int = 0
    ) -> str:
        self.calls += 1
        asked = messages[-1]["content"].rsplit("Sentence: ", 1)[-1].split("\nShort:")[0]
        asked = asked.split(":\n", 1)[-1].strip()
        words = asked.rstrip(".").split()
        other = self.rng.choice(self.sentences).rstrip(".").split()
        trick = self.rng.randrange(4)
        if trick == 0:
            return " ".join(words[: len(words) // 2] + other[len(other) // 2 :]) + "."
        if trick == 1:
            swaps = {"more": "less", "rise": "fall", "faster": "slower", "smallest": "largest"}
            return " ".join(swaps.get(w, w) for w in words) + "."
        if trick == 2:
            return " ".join(w for w in words if w not in ("not", "no")) + " in 1900."
        return " ".join(words[: max(6, len(words) - 4)]) + "."


def _run(
    notes: str, model: ScriptedModel | None, minutes: float = 5
) -> tuple[str, NarratedLecture]:
    lecture = NarratedLecture(model, "scripted")
    request = LectureRequest(notes=notes, minutes=minutes)
    return asyncio.run(lecture.complete(request)), lecture


def test_what_the_model_offers_is_said_only_when_the_notes_hold_it() -> None:
    sentences = [s for s in split_sentences(NOTES.replace("- ", "")) if len(s.split()) > 5]
    model = ScriptedModel(sentences, seed=1)
    text, lecture = _run(NOTES, model)
    assert model.calls > 0
    assert unsupported(NOTES, text) == []
    assert judge(NOTES, text, 5) == []
    assert "1900" not in text and "less" not in text
    counts = lecture.counts.sentences
    assert counts[Kind.DROPPED] > 0  # the tricks were offered and turned down
    assert counts[Kind.NOTES] >= 6 and counts[Kind.SIGNPOST] >= 5


def test_no_model_is_the_notes_with_signposts_and_as_long_as_they_allow() -> None:
    text, lecture = _run(NOTES, None, minutes=10)
    assert judge(NOTES, text, 10) == []
    assert lecture.counts.sentences[Kind.RESTATED] == 0
    assert count_words(text) < 0.5 * LectureRequest(notes=NOTES, minutes=10).target_words
    assert lecture.planned_minutes(LectureRequest(notes=NOTES)) < 2  # said before it starts


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    picks=st.lists(st.integers(0, len(CORPUS) - 1), min_size=3, max_size=9, unique=True),
    headings=st.lists(
        st.sampled_from(
            [
                "Causes",
                "Why it matters",
                "The crust is broken into plates",
                "Why do prices rise?",
                "Part 2: Later effects",
                "1648: a new order",
                "2.1 Heaps",
                "Before 1450",
            ]
        ),
        min_size=1,
        max_size=3,
        unique=True,
    ),
    seed=st.integers(0, 10_000),
)
def test_random_notes_never_give_a_sentence_that_joins_two_of_theirs(
    picks: list[int], headings: list[str], seed: int
) -> None:
    chosen = [CORPUS[i] for i in picks]
    per = max(1, len(chosen) // len(headings))
    parts = ["# Notes\n"]
    for k, heading in enumerate(headings):
        body = chosen[k * per : (k + 1) * per] if k < len(headings) - 1 else chosen[k * per :]
        parts.append(f"## {heading}\n\n" + " ".join(body) + "\n")
    notes = "\n".join(parts)
    text, _ = _run(notes, ScriptedModel(chosen, seed))
    assert unsupported(notes, text) == [], text


def test_a_resumed_lecture_is_not_made_again_up_to_where_it_stopped() -> None:
    """Resuming a stopped built-in lecture: the model is asked only for what comes after
    the stored text, and the lecture goes on exactly as the stored text left it."""
    sentences = [s for s in split_sentences(NOTES.replace("- ", "")) if len(s.split()) > 5]
    request = LectureRequest(notes=NOTES, minutes=5)
    first_model = ScriptedModel(sentences, seed=3)
    whole = asyncio.run(NarratedLecture(first_model, "scripted").complete(request))
    assert first_model.calls > 2
    kept = whole[: int(len(whole) * 0.8)]  # stopped four fifths in
    again_model = ScriptedModel(sentences, seed=3)
    lecture = NarratedLecture(again_model, "scripted")

    async def resumed() -> str:
        return "".join([d async for d in lecture.stream(request, kept)])

    rest = asyncio.run(resumed())
    assert again_model.calls < first_model.calls / 2  # only the last fifth asked for
    said = kept + rest
    assert unsupported(NOTES, said) == []
    assert said.count("\n\n") >= whole.count("\n\n") - 2  # the lecture goes on to its end
    assert said.rstrip().endswith(whole.rstrip()[-40:])  # the same closing words
