"""The player tested in process (issue 37): a whole `profai teach` run here, its voice a
fake, its sound card a VirtualDevice that keeps what it played, its keys a script
(tests/fakes/device.py). What the listener heard, and in what order, is asserted as the
pty and PulseAudio tests (tests/test_player.py) assert it, in a fraction of their time.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from profai_cli.core.config import Settings
from profai_cli.lecture.engines import Engines, VoicePlan
from profai_cli.lecture.lecturers import Chosen, notes_answerer
from profai_cli.llm.base import Answerer
from profai_cli.tts.base import TTSEngine
from tests.conftest import Run, run_here
from tests.fakes.device import ScriptedKeys, VirtualDevice, When
from tests.fakes.engines import FakeTTS, ScriptedLLM
from tests.fakes.openai_server import FakeOpenAI

SENTENCES = [
    "The first sentence of the lecture is here.",
    "The second sentence follows the first one.",
    "The third sentence comes after the second.",
    "The fourth sentence is the last one of all.",
]
LECTURE = " ".join(SENTENCES) + "\n"
VALUE = {s: 1000 * (i + 1) for i, s in enumerate(SENTENCES)}  # each sentence's signal
SECONDS = 1.0  # each sentence, at the device's own clock (four times real time)


def _voice() -> FakeTTS:
    return FakeTTS(
        lambda text, attempt: np.full(int(SECONDS * 1000), VALUE.get(text, ANSWER_VALUE), np.int16)
    )


def _engines(
    lecturer: Callable[[], ScriptedLLM],
    voice: FakeTTS,
    device: VirtualDevice | None = None,
    keys: ScriptedKeys | None = None,
    *,
    explains: bool = True,
    answerer: Callable[[str], Answerer] = notes_answerer,
) -> Engines:
    """A teach's or an export's parts: the script's lecturer (and its answerer), the
    fake voice through the audio cache (as build_tts gives it, in the run's home), the
    virtual card, the key script; no stand-in."""

    def cached(settings: Settings, plan: VoicePlan, throughput: bool) -> TTSEngine:
        from profai_cli.tts.cache import AudioCache, CachedTTS

        return CachedTTS(voice, AudioCache())

    engines = Engines(
        lecturer=lambda settings: Chosen(
            lecturer(), "Using a script.", explains=explains, answerer=answerer
        ),
        plan=lambda settings: VoicePlan("fake", 1000, "", "a fake voice"),
        voice=cached,
        standin=lambda settings, tts: None,
    )
    if device is not None and keys is not None:
        engines = replace(engines, device=lambda plan, settings: device, keys=keys)
    return engines


def _teach(
    home: Path,
    device: VirtualDevice,
    script: Sequence[tuple[When, str]],
    lecturer: Callable[[], ScriptedLLM],
    *args: str,
    answerer: Callable[[str], Answerer] = notes_answerer,
) -> tuple[Run, FakeTTS]:
    keys = ScriptedKeys(device, script)
    voice = _voice()
    engines = _engines(lecturer, voice, device, keys, answerer=answerer)
    args = ("--loudness", "off", *args)  # each sentence keeps its own value
    run = run_here(["teach", "-", *args], home, stdin="notes", engines=engines, terminal=True)
    assert [key for key, _ in keys.pressed] == [key for _, key in script], keys.pressed
    return run, voice


def _whole(samples: int) -> bool:
    """A sentence's length, but for its faded first and last samples."""
    return abs(samples - SECONDS * 1000) <= 5


def _sentence(value: int) -> int:
    return value // 1000 - 1


def test_space_pauses_and_resumes_where_it_stopped_in_process(home: Path) -> None:
    device = VirtualDevice()
    script = [(1.5, " "), (-0.3, " ")]  # mid second sentence; on after 0.3 s of pause
    run, _ = _teach(home, device, script, lambda: ScriptedLLM([LECTURE]))
    assert run.code == 0, run.err
    assert device.pauses == 1  # the first space paused the card, the second did not
    # Every sentence heard once, in order: the pause lost nothing and said nothing twice.
    assert [_sentence(v) for v in device.sentences()] == [0, 1, 2, 3]
    said = dict(device.stretches())
    assert _whole(said[VALUE[SENTENCES[1]]])  # the paused one heard whole


def test_left_says_the_previous_sentence_again_and_right_goes_on_in_process(
    home: Path,
) -> None:
    """As tests/test_player.py's pty and PulseAudio test of the same keys asserted."""
    device = VirtualDevice()
    # h half-way through the third sentence (each 1 s, with 0.2 s pauses between);
    # l half-way through the third again, once the second has been said again.
    script = [(2.9, "h"), (4.6, "l")]
    run, voice = _teach(home, device, script, lambda: ScriptedLLM([LECTURE]))
    assert run.code == 0, run.err
    stretches = device.stretches()
    assert [_sentence(v) for v, _ in stretches] == [0, 1, 2, 1, 2, 3], stretches
    # left: the sentence before the one being heard, from its start, in full.
    assert _whole(stretches[3][1])
    # right: the sentence being heard is cut short, and the next one follows whole.
    assert stretches[4][1] < SECONDS * 1000 * 0.8 and _whole(stretches[5][1])
    # Going back made no new request: each sentence was asked for once.
    assert sorted(voice.requests) == sorted(SENTENCES)


def test_q_keeps_the_place_and_the_next_teach_resumes_there_without_the_llm_in_process(
    home: Path,
) -> None:
    """As tests/test_player.py's pty and PulseAudio test of q asserted."""
    first = VirtualDevice()
    run, _ = _teach(home, first, [(2.9, "q")], lambda: ScriptedLLM([LECTURE]))
    assert run.code == 0, run.err
    assert "resumes here" in run.err + run.out
    last_heard = _sentence(first.sentences()[-1])
    assert last_heard == 2  # stopped in the third sentence
    asked: list[ScriptedLLM] = []

    def lecturer() -> ScriptedLLM:
        asked.append(ScriptedLLM([LECTURE]))
        return asked[-1]

    again = VirtualDevice()
    run, voice = _teach(home, again, [], lecturer)
    assert run.code == 0, run.err
    assert "Resuming at" in run.err
    assert [_sentence(v) for v in again.sentences()] == [2, 3]  # from the sentence it was on
    assert all(not llm.partials for llm in asked)  # the stored lecture: no LLM request
    assert SENTENCES[2] not in voice.requests  # what was cached is not asked for again
    anew = VirtualDevice()
    run, _ = _teach(home, anew, [], lecturer, "--restart")
    assert run.code == 0, run.err
    assert "Resuming" not in run.err + run.out
    assert [_sentence(v) for v in anew.sentences()] == [0, 1, 2, 3]


QUESTION = "Why do plates move at all?"
ANSWER = "The plates move because the mantle flows."
ANSWER_VALUE = 9000  # the answer's signal: no sentence of the lecture has it


class _Asked(ScriptedLLM):
    """A scripted lecturer, and an answerer that says ANSWER and keeps what it was given
    (``_teach(..., answerer=lecturer.answerer)``)."""

    def __init__(self) -> None:
        super().__init__([LECTURE])
        self.asked: list[tuple[str, str]] = []  # (question, the lecture so far)

    def answerer(self, notes: str) -> Answerer:
        outer = self

        class _Answerer:
            async def answer(self, question: str, said: str) -> AsyncIterator[str]:
                outer.asked.append((question, said))
                yield ANSWER

        return _Answerer()


def _typed(text: str) -> list[tuple[When, str]]:
    return [(0.0, char) for char in text]


def test_a_question_is_answered_in_the_voice_and_the_lecture_goes_on_where_it_paused_in_process(
    home: Path,
) -> None:
    """As tests/test_questions.py's pty and PulseAudio test of a raised hand asserted."""
    lecturer = _Asked()
    device = VirtualDevice()
    script = [(1.5, "a"), *_typed(QUESTION), (0.0, "\r")]  # asked in the second sentence
    run, _ = _teach(home, device, script, lambda: lecturer, answerer=lecturer.answerer)
    assert run.code == 0, run.err
    [(question, said)] = lecturer.asked
    assert question == QUESTION and SENTENCES[0] in said  # with the lecture so far
    stretches = device.stretches()
    # The answer in the voice right after the sentence asked in, then that sentence
    # again, whole, and the lecture on from there.
    assert [v for v, _ in stretches] == [1000, 2000, ANSWER_VALUE, 2000, 3000, 4000], stretches
    assert _whole(stretches[3][1])
    # Kept with the lecture: the transcript of its export has it as an aside, after the
    # paragraph it was asked in.
    transcript = home / "t.md"
    engines = _engines(lambda: ScriptedLLM([LECTURE]), _voice())
    args = ["export", str(home / "t.wav"), "-", "--transcript", str(transcript)]
    r = run_here(args, home, stdin="notes", engines=engines)
    assert r.code == 0, r.err
    written = transcript.read_text()
    assert f"> **Question:** {QUESTION}" in written and ANSWER in written
    assert written.index(SENTENCES[3]) < written.index("**Question:**")


def test_an_answer_the_voice_fails_on_is_said_by_the_stand_in_and_the_voice_goes_on_in_process(
    home: Path,
) -> None:
    """An answer is chunks of the same lecture, said by its voices: a sentence of it the
    voice fails on is said by the offline stand-in, as a lecture's sentence would be, and
    the lecture goes on in the voice (before, the failure stopped the voice for good)."""
    from profai_cli.core.errors import TTSError
    from profai_cli.tts.standin import StandInVoice

    lecturer = _Asked()
    device = VirtualDevice()

    def said(text: str, attempt: int) -> np.ndarray | BaseException:
        if text == ANSWER:
            return TTSError("voice: the service is busy (503)", status=503, retryable=True)
        return np.full(int(SECONDS * 1000), VALUE[text], np.int16)

    voice = FakeTTS(said)
    offline = FakeTTS(lambda text, attempt: np.full(int(SECONDS * 1000), 7000, np.int16))
    keys = ScriptedKeys(device, [(1.5, "a"), *_typed(QUESTION), (0.0, "\r")])
    engines = replace(
        _engines(lambda: lecturer, voice, device, keys, answerer=lecturer.answerer),
        standin=lambda settings, tts: StandInVoice(lambda: offline, tts.sample_rate),
    )
    args = ["teach", "-", "--loudness", "off"]
    run = run_here(args, home, stdin="notes", engines=engines, terminal=True)
    assert run.code == 0, run.err
    assert voice.requests.count(ANSWER) == 2  # asked, and asked once more
    assert offline.requests == [ANSWER]
    # The answer in the offline voice (at the main voice's loudness: its own value
    # scaled), whole, then the lecture in the voice from the sentence asked in.
    stretches = device.stretches()
    values = [v for v, _ in stretches]
    assert values[:2] + values[3:] == [1000, 2000, 2000, 3000, 4000], stretches
    assert values[2] not in VALUE.values() and _whole(stretches[2][1]), stretches
    assert "voice stopped" not in run.err + run.out


def test_a_speed_key_during_an_answer_leaves_the_answer_whole_in_process(home: Path) -> None:
    """↑ pressed while an answer is said, its second sentence still coming: the answer is
    heard to its end, the sentence it goes back to is said again whole, and the sentences
    after it at the new speed (before, the new speed cut the answer where it was heard,
    and the lecture went on after the sentence it should have gone back to)."""
    import asyncio

    more = "The crust rides on top of it."
    lecturer = _Asked()

    class _Slow:
        async def answer(self, question: str, said: str) -> AsyncIterator[str]:
            yield ANSWER + " The"  # the first sentence is cut at once: the next has begun
            await asyncio.sleep(1.0)  # the second sentence comes while the first is heard
            yield more.removeprefix("The")

    back_to = 4.0  # seconds of the sentence asked in: the speed is made in it, once the
    # answer is over, with time to spare on a busy machine (a quarter of it, in real time)

    def said(text: str, attempt: int) -> np.ndarray:
        seconds = back_to if text == SENTENCES[1] else SECONDS
        return np.full(int(seconds * 1000), VALUE.get(text, ANSWER_VALUE), np.int16)

    device = VirtualDevice()
    voice = FakeTTS(said)
    # Asked in the second sentence; ↑ five times a quarter second into the answer.
    script = [(1.5, "a"), *_typed(QUESTION), (0.0, "\r"), (1.75, "+"), *[(0.0, "+")] * 4]
    keys = ScriptedKeys(device, script)
    engines = _engines(lambda: lecturer, voice, device, keys, answerer=lambda notes: _Slow())
    args = ["teach", "-", "--loudness", "off"]
    run = run_here(args, home, stdin="notes", engines=engines, terminal=True)
    assert run.code == 0, run.err
    stretches = device.stretches()
    values = [v for v, _ in stretches]
    # Both of the answer's sentences, whole, then the second sentence of the lecture
    # again, whole, and on.
    assert values == [1000, 2000, ANSWER_VALUE, ANSWER_VALUE, 2000, 3000, 4000], stretches
    assert _whole(stretches[2][1]) and _whole(stretches[3][1]), stretches
    assert abs(stretches[4][1] - back_to * 1000) <= 5, stretches
    asked = dict(zip(voice.requests, voice.speeds, strict=True))  # each text's last request
    assert asked[more] == 1.0 and asked[SENTENCES[2]] == asked[SENTENCES[3]] == 1.5, asked


def test_escape_cancels_the_question_and_nothing_is_asked_or_said_in_process(
    home: Path,
) -> None:
    """As tests/test_questions.py's pty and PulseAudio test of Esc asserted."""
    lecturer = _Asked()
    device = VirtualDevice()
    script = [(1.5, "a"), *_typed("never mind"), (0.0, "\x1b")]
    run, _ = _teach(home, device, script, lambda: lecturer, answerer=lecturer.answerer)
    assert run.code == 0, run.err
    assert lecturer.asked == []
    stretches = device.stretches()
    assert [v for v, _ in stretches] == [1000, 2000, 3000, 4000], stretches
    assert all(_whole(n) for _, n in stretches)  # the paused one went on, whole


def test_a_checkpoint_after_each_section_replays_the_answer_on_a_wrong_one_in_process(
    home: Path, tmp_path: Path
) -> None:
    """As tests/test_checkpoints.py's pty and PulseAudio test asserted: each key waits
    for the line it answers to be on the screen, as a listener would."""
    from profai_cli.lecture.environment import Environment
    from tests.test_checkpoints import ANSWERING, FIRST_QUESTION, NOTES, SECOND_QUESTION

    notes = tmp_path / "rocks.md"
    notes.write_text(NOTES)
    values: dict[str, int] = {}  # each text the voice is asked for, its own signal
    voice = FakeTTS(
        lambda text, attempt: np.full(
            int(SECONDS * 1000), values.setdefault(text, 1000 + 100 * len(values)), np.int16
        )
    )
    device = VirtualDevice()
    right = "rock made of layers of sediment pressed together over time"

    def shown() -> str:
        return env.stdout.file.getvalue()  # type: ignore[attr-defined, no-any-return]

    def after(text: str, then: str) -> Callable[[], bool]:
        return lambda: text in shown() and then in shown()[shown().rindex(text) :]

    keys = ScriptedKeys(
        device,
        [
            (after(FIRST_QUESTION, "Your answer:"), "n"),
            *_typed("o idea"),
            (0.0, "\r"),
            (lambda: "r hears that part again" in shown(), "r"),
            (after(SECOND_QUESTION, "Your answer:"), right[0]),
            *_typed(right[1:]),
            (0.0, "\r"),
        ],
    )
    engines = _engines(lambda: ScriptedLLM([NOTES]), voice, device, keys)
    env = Environment.in_memory(engines=engines, terminal=True)
    args = ["teach", str(notes), "--checkpoints", "--loudness", "off"]
    run = run_here(args, home, environment=env)
    assert run.code == 0, run.err
    assert len(keys.pressed) == len(keys.script), keys.pressed
    text = {value: said for said, value in values.items()}
    heard = [text[value] for value in device.sentences()]
    first = heard.index(FIRST_QUESTION)
    assert heard[first - 1] == "Checkpoint."
    # The section first, then its question: nothing of the next section before it.
    assert ANSWERING in heard[:first]
    assert "Granite and basalt are common examples." in heard[:first]  # the section whole
    assert not any("Sedimentary" in t for t in heard[:first])
    # Wrong: "Not quite.", then the sentence that answers it again (its audio as made:
    # the voice was asked for it once), then the next section.
    assert heard[first + 1] == "Not quite."
    assert heard[first + 2] == ANSWERING
    assert "Sedimentary rocks" in heard[first + 3]
    assert sum("molten magma" in said for said in voice.requests) == 1
    # The last section's checkpoint: a right answer is told so, and the lecture is over.
    second = heard.index(SECOND_QUESTION)
    assert heard[second + 1].startswith("Yes: ")
    assert heard[second + 1 :] == heard[-1:]


def test_up_speeds_up_the_sentences_after_the_one_being_heard_in_process(
    fake: FakeOpenAI, home: Path
) -> None:
    """As tests/test_player.py's pty and PulseAudio test of up asserted: five presses
    are one change to 1.5x, the sentence being heard goes on as it was made, and the
    sentences after it are said faster (by the service's voice, asked at 1.5)."""
    from tests.audio_tools import heard_tones
    from tests.fakes.device import on_a_virtual_card

    words = "one two three four five six".split()
    fake.knobs.lecture = " ".join(f"Sentence number {w} is here to be said aloud." for w in words)
    fake.knobs.tts_seconds_per_char = 0.04
    seconds = len("Sentence number one is here to be said aloud.") * 0.04
    device = VirtualDevice(sample_rate=24_000)
    press = seconds + 0.25  # just after the second sentence begins (0.2 s pause)
    keys = ScriptedKeys(device, [(press, "+"), *[(0.0, "+")] * 4])
    engines = replace(on_a_virtual_card(), device=lambda plan, settings: device, keys=keys)
    args = ["teach", "-", "--base-url", fake.base_url, "--tts", "openai", "--loudness", "off"]
    run = run_here(args, home, stdin="notes", engines=engines, terminal=True)
    assert run.code == 0, run.err
    heard_at = np.concatenate(device.heard_samples)
    heard = heard_tones(heard_at, {f: text for text, f in fake.tones().items()}, 24_000)
    assert [h.text for h in heard] == [
        f"Sentence number {w} is here to be said aloud." for w in words
    ]
    made = {h.text: len(h.text) * 0.04 for h in heard}  # seconds, at 1.0x
    assert heard[1].sounded == pytest.approx(made[heard[1].text], abs=0.05)  # as it was
    # The next one is said faster unless a busy machine let it begin before the change
    # was made (0.25 s after the last press); every one after it is.
    nxt = heard[2]
    assert any(nxt.sounded == pytest.approx(made[nxt.text] / x, abs=0.05) for x in (1, 1.5))
    for h in heard[3:]:
        assert h.sounded == pytest.approx(made[h.text] / 1.5, abs=0.05), h
    assert 1.5 in [r.body.get("speed") for r in fake.requests("/audio/speech")]
