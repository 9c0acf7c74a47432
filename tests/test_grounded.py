"""The lecture with a model: the notes' outline filled with the model's explanations, each
sentence held to the notes sentence it explains, nothing of the notes lost.

A scripted model (the ``Scripted`` explainer below) says, for each note it is asked
about, what a real small model said or what it gets wrong: true paraphrases, swapped
terms, dropped hedges, invented dates, chat. What the lecture says is read back.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from profai_cli.core.errors import ServiceError
from profai_cli.core.prompts import LectureRequest
from profai_cli.llm.grounded import GroundedLecture
from profai_cli.llm.replies import Replies

SUBJECTS = Path(__file__).parent / "notes" / "subjects"
CIRCUITS = (SUBJECTS / "dc-circuits.md").read_text()


class Scripted:
    """A model that answers each note it is asked to explain from a script: the first
    key found in the note's line picks the reply (or the error to raise)."""

    name = "scripted"

    def __init__(
        self, script: dict[str, str | Exception], slow: dict[str, float] | None = None
    ) -> None:
        self.script = script
        self.slow = slow or {}  # seconds before the reply, by the same keys
        self.asked: list[str] = []  # the note of each request
        self.attempts: list[int] = []
        self.prompts: list[list[dict[str, str]]] = []
        self.cancelled = 0  # slow answers stopped before they came

    async def generate(
        self, messages: list[dict[str, str]], max_tokens: int, attempt: int = 0
    ) -> str:
        content = messages[-1]["content"]
        k = re.search(r"Explain note \[(\d+)\]", content)
        assert k is not None, content
        line = next(x for x in content.splitlines() if x.startswith(f"[{k.group(1)}] "))
        self.asked.append(line)
        self.attempts.append(attempt)
        self.prompts.append(messages)
        for key, seconds in self.slow.items():
            if key in line:
                try:
                    await asyncio.sleep(seconds)
                except asyncio.CancelledError:
                    self.cancelled += 1
                    raise
        for key, reply in self.script.items():
            if key in line:
                if isinstance(reply, Exception):
                    raise reply
                return reply
        return ""


def all_said(notes: str, text: str, teacher: GroundedLecture) -> None:
    """Every sentence of the notes is in the lecture in the notes' own words, but for
    those the lecturer says it put in the model's words (each carried whole by them)."""
    from profai_cli.teaching.claims import NotesSupport
    from profai_cli.teaching.narration import plain

    flat = " ".join(plain(text).split())
    missing = [
        u.text for u in NotesSupport(notes).units if u.section and u.text.rstrip(".") not in flat
    ]
    replaced = teacher.report().sentence_kinds["notes sentences said in the model's words"]  # type: ignore[index]
    assert len(missing) <= replaced, missing


def with_a_voice(notes: str, model: Scripted) -> tuple[str, GroundedLecture]:
    """The lecture as a live voice would have it (begun: a late point is not waited for),
    within 30 s."""
    teacher = GroundedLecture(model)
    begun = asyncio.Event()
    teacher.wait_for_voice(begun)

    async def run() -> str:
        begun.set()
        return await asyncio.wait_for(teacher.complete(LectureRequest(notes=notes)), 30)

    return asyncio.run(run()), teacher


def lecture(notes: str, model: Scripted, **request: object) -> tuple[str, GroundedLecture]:
    teacher = GroundedLecture(model)
    text = asyncio.run(teacher.complete(LectureRequest(notes=notes, **request)))  # type: ignore[arg-type]
    return text, teacher


SERIES = "In series, the same current flows"
SERIES_TRUE = (
    "In a series circuit, the same amount of current flows through each resistor. "
    "The voltages across the resistors add up."
)
SERIES_SWAPPED = "In series, each resistor has the same voltage across it."


def test_a_true_paraphrase_is_said_and_a_swapped_term_is_held_back_and_named() -> None:
    model = Scripted({SERIES: f"{SERIES_SWAPPED} {SERIES_TRUE}"})
    text, teacher = lecture(CIRCUITS, model)
    assert "the same amount of current flows through each resistor" in text
    assert SERIES_SWAPPED not in text
    held = teacher.report().held_back
    assert [h.sentence for h in held] == [SERIES_SWAPPED]
    assert "same current" in held[0].notes and held[0].reason
    # Nothing of the notes is lost: every notes sentence said, or carried whole by what
    # the model said in its place.
    all_said(CIRCUITS, text, teacher)
    assert "R = R₁ + R₂" in text


def test_a_definition_said_without_its_term_keeps_the_notes_definition() -> None:
    model = Scripted({"Power is the rate": "It is how fast energy moves around."})
    text, _ = lecture(CIRCUITS, model)
    assert "Power is the rate at which energy is transferred, measured in watts (W)" in text
    assert "how fast energy moves" not in text


@pytest.mark.parametrize(
    ("note", "false"),
    [
        # a dropped hedge
        (
            "The plague probably began",
            "The plague began in Central Asia and reached the Black Sea along trade routes.",
        ),
        # an invented date
        ("The plague probably began", "The plague probably began in Central Asia in 1338."),
        # a changed number
        ("Historians estimate", "Historians estimate that between 30% and 80% of Europe died."),
        # a reason the notes do not give
        (
            "With fewer workers",
            "Wages rose because the plague killed the landowners who set them.",
        ),
        # an inverted relation
        ("Some towns introduced quarantine", "Ships that waited forty days brought the plague."),
    ],
)
def test_what_a_small_model_gets_wrong_is_never_said(note: str, false: str) -> None:
    notes = (SUBJECTS / "black-death.md").read_text()
    text, teacher = lecture(notes, Scripted({note: false}))
    assert false not in text
    assert [h.sentence for h in teacher.report().held_back] == [false]
    all_said(notes, text, teacher)


def test_chat_and_markdown_never_reach_the_voice() -> None:
    reply = (
        "Sure! Here's an explanation:\n\n## Current\n\n- **Electric current** is how fast "
        "charge flows, and it is measured in amperes (A).\n\nI hope this helps! Let me know "
        "if you have any questions."
    )
    text, teacher = lecture(CIRCUITS, Scripted({"Electric current is": reply}))
    assert "Electric current is how fast charge flows, and it is measured in amperes (A)." in text
    for habit in ("Sure", "Here's", "I hope", "Let me know", "- **"):
        assert habit not in text
    assert teacher.report().sentence_kinds["the model's chat, dropped"] >= 2  # type: ignore[index]


def test_a_model_that_never_answers_is_an_error_and_one_that_stops_leaves_the_notes() -> None:
    """A model that fails at its first request (a wrong key, no such model, a page that
    is not a chat) is the user's to fix: the lecture stops with the service's error. One
    that answered and then fails leaves the rest of the notes in their own words."""
    refused = ServiceError("the server refused the request", status=401)
    with pytest.raises(ServiceError, match="refused"):
        lecture(CIRCUITS, Scripted({"": refused}))
    narrated, _ = lecture(CIRCUITS, Scripted({}))
    model = Scripted({"Electric current is": "", "": ServiceError("the server went away")})
    text, teacher = lecture(CIRCUITS, model)
    assert text == narrated  # the notes' own words: no hole, no empty heading
    assert any("went away" in line for line in teacher.report().lines)


def test_each_point_is_asked_for_alone_with_its_part_beside_it() -> None:
    model = Scripted({})
    lecture(CIRCUITS, model)
    assert model.asked[0].startswith("[1] Electric current is the rate of flow of charge")
    user = model.prompts[0][-1]["content"]
    assert 'Lecture: "DC Circuits". Part: "Current, voltage and resistance".' in user
    assert "[2] Ohm's law links them: V = IR." in user  # the rest of the part, for context
    # Every note was asked about, in order; once more, in other words, when nothing of
    # its first answer was kept (here: nothing ever is); a course tag never.
    firsts = [a for a, n in zip(model.asked, model.attempts, strict=True) if n == 0]
    assert len(firsts) == len(set(map(str, model.prompts))) == len(model.asked) // 2
    assert model.attempts == [0, 1] * len(firsts)
    assert not any("Physics 102" in a for a in model.asked)


def test_a_live_voice_never_waits_long_for_a_late_explanation() -> None:
    """Once the voice has begun, an explanation that is not ready when the text runs low
    gives way to the notes' own words: a silence is worse than the notes read."""
    notes = f"# Circuits\n\n## Series\n\n{SERIES} through each resistor, and the voltages add up.\n"
    model = Scripted({SERIES: SERIES_TRUE}, slow={SERIES: 60.0})
    text, teacher = with_a_voice(notes, model)
    assert "the same amount of current" not in text
    assert f"{SERIES} through each resistor, and the voltages add up." in text
    assert teacher.report().sentence_kinds["points said before the model was ready"] == 1  # type: ignore[index]


def test_a_stopped_lecture_goes_on_with_the_same_words_and_no_request(tmp_path: Path) -> None:
    replies = Replies(tmp_path / "replies")
    first = Scripted({SERIES: SERIES_TRUE})
    whole = asyncio.run(
        GroundedLecture(first, replies=replies).complete(LectureRequest(notes=CIRCUITS))
    )
    partial = whole[: whole.index("## Power")]
    again = Scripted({SERIES: "Something else entirely is said now."})

    async def rest() -> str:
        teacher = GroundedLecture(again, replies=replies)
        request = LectureRequest(notes=CIRCUITS)
        return "".join([d async for d in teacher.stream(request, partial)])

    assert partial + asyncio.run(rest()) == whole
    assert again.asked == []


def test_minutes_set_how_much_each_point_is_explained() -> None:
    short, long = Scripted({}), Scripted({})
    lecture(CIRCUITS, short, minutes=1)
    lecture(CIRCUITS, long, minutes=10)
    assert short.asked == []  # the notes alone fill a minute: no explanation asked for
    system = long.prompts[0][0]["content"]
    assert "four short sentences" in system


def test_a_steer_asks_the_model_anew_only_after_it_with_the_steer() -> None:
    """s in the player: the steps begun before the steer are given again as made (the
    model is not asked for them), the rest are asked for with the steer, and the text
    goes on from the very place the listener was."""
    from dataclasses import replace

    from profai_cli.core.prompts import STEERS, Steer

    model = Scripted({SERIES: SERIES_TRUE})
    teacher = GroundedLecture(model)
    request = LectureRequest(notes=CIRCUITS)
    whole = asyncio.run(teacher.complete(request))
    heard = "Using Ohm's law, this can also be written as P = I²R or P = V²/R."
    at = whole.index(heard) + len(heard)
    before = len(model.asked)

    async def rest() -> str:
        steered = replace(request, steers=(Steer(at, "simpler"),))
        return "".join([d async for d in teacher.stream(steered, whole[:at])])

    after = asyncio.run(rest())
    asked = model.asked[before:]
    assert asked and not any("In series" in a or "Electric current" in a for a in asked)
    assert all(STEERS["simpler"].note in p[0]["content"] for p in model.prompts[before:])
    # The part the listener was in goes on as it was (the notes' own words) ...
    power_end = whole.index("## Kirchhoff")
    assert after.startswith(whole[at:power_end])
    # ... and every sentence of the notes after it is still said.
    all_said(CIRCUITS, whole[:at] + after, teacher)


def test_a_lecture_from_an_earlier_run_is_steered_from_the_step_it_was_asked_in(
    tmp_path: Path,
) -> None:
    """A stored lecture, resumed in a new run (a new lecturer, nothing made in it yet),
    then steered: its steps are made again from the reply cache, no model asked, and the
    steer goes on from the step it was asked in, as in the run that wrote it. Without
    the text that was said in the cache, the steer is refused with one line."""
    from dataclasses import replace

    from profai_cli.core.errors import ProfaiError
    from profai_cli.core.prompts import STEERS, Steer

    replies = Replies(tmp_path / "replies")
    request = LectureRequest(notes=CIRCUITS)
    whole = asyncio.run(
        GroundedLecture(Scripted({SERIES: SERIES_TRUE}), replies=replies).complete(request)
    )
    heard = "Using Ohm's law, this can also be written as P = I²R or P = V²/R."
    at = whole.index(heard) + len(heard)
    steered = replace(request, steers=(Steer(at, "simpler"),))

    async def rest(teacher: GroundedLecture) -> str:
        return "".join([d async for d in teacher.stream(steered, whole[:at])])

    model = Scripted({SERIES: "Something else entirely is said now."})
    teacher = GroundedLecture(model, replies=replies)
    after = asyncio.run(rest(teacher))
    assert model.asked and all(STEERS["simpler"].note in p[0]["content"] for p in model.prompts)
    assert not any("In series" in a or "Electric current" in a for a in model.asked)
    assert after.startswith(whole[at : whole.index("## Kirchhoff")])  # on from the place
    all_said(CIRCUITS, whole[:at] + after, teacher)

    for cache in (None, Replies(tmp_path / "elsewhere")):  # off; or not what was said
        model = Scripted({SERIES: SERIES_TRUE})
        refused = GroundedLecture(model, replies=cache)
        for _ in range(2):  # asked again, it is refused again: it made nothing to go on from
            with pytest.raises(ProfaiError, match="earlier run"):
                asyncio.run(rest(refused))
        assert model.asked == []


def test_a_late_point_frees_the_model_for_the_next_and_a_closed_lecture_stops_it() -> None:
    """A point said in the notes' words because its explanation is late does not keep
    the model busy: the next point is asked at once and its answer comes in time. A
    lecture closed meanwhile (a steer, q) stops the explanation under way."""
    slow = "In parallel, each branch"
    notes = (
        "# Circuits\n\n## Wiring\n\n"
        f"{slow} has the same voltage across it, and the currents add up.\n\n"
        f"{SERIES} through each resistor, and the voltages add up.\n"
    )
    model = Scripted({SERIES: SERIES_TRUE, slow: ""}, slow={slow: 60.0})
    text, _ = with_a_voice(notes, model)
    assert "the same amount of current" in text  # the next point's answer, in time
    assert model.cancelled == 1  # the late one's, stopped

    model = Scripted({}, slow={SERIES: 60.0})
    teacher = GroundedLecture(model)

    async def close_early() -> None:
        lecture = teacher.stream(LectureRequest(notes=notes))
        await anext(lecture)
        while not model.asked:
            await asyncio.sleep(0.01)
        await lecture.aclose()  # type: ignore[attr-defined]

    asyncio.run(asyncio.wait_for(close_early(), 10))
    assert model.cancelled == 1
