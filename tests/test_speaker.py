"""The Speaker between the seams, with in-memory fakes: order, pauses, retry, stand-in,
failure and cancellation, in milliseconds."""

from __future__ import annotations

import asyncio
import io

import numpy as np
import pytest
from rich.console import Console

from profai_cli.errors import TTSError
from profai_cli.metrics import Metrics
from profai_cli.pipeline import Speaker
from profai_cli.speech import Chunk, segment
from profai_cli.tts.standin import StandInVoice
from profai_cli.ui import Status
from tests.fakes.engines import CollectingSink, FakeTTS, constant

TEXT = "One is here. Two comes next. Three follows on. Four is last of all."
RATE = 1000
PAUSE = 0.05  # seconds: 50 samples at this rate


def _value(chunks: list[Chunk]) -> dict[str, int]:
    return {c.text: 1000 * (i + 1) for i, c in enumerate(chunks)}


def _speaker(tts: FakeTTS, sink: CollectingSink, **kw: object) -> tuple[Speaker, io.StringIO]:
    said = io.StringIO()
    status = Status(Console(file=said, width=200))
    speaker = Speaker(
        tts,
        sink,
        Metrics(),
        status,
        sentence_pause=PAUSE,
        paragraph_pause=PAUSE,
        **kw,  # type: ignore[arg-type]
    )
    return speaker, said


async def _speak(speaker: Speaker, chunks: list[Chunk]) -> None:
    running = asyncio.ensure_future(speaker.run())
    for chunk in chunks:
        speaker.submit(chunk)
    speaker.close_input()
    await running


def _loud(sink: CollectingSink) -> list[int]:
    return [v for v, n in sink.runs() if v and n >= 10]


def _bursts(audio: np.ndarray, gap: int = 20) -> list[np.ndarray]:
    """The stretches of sound between silences of at least ``gap`` samples."""
    out: list[np.ndarray] = []
    start, quiet = None, 0
    for i, v in enumerate(audio):
        if v:
            if start is None:
                start = i
            quiet = 0
        elif start is not None:
            quiet += 1
            if quiet >= gap:
                out.append(audio[start : i - quiet + 1])
                start, quiet = None, 0
    if start is not None:
        out.append(audio[start:])
    return out


def test_chunks_play_in_order_whatever_order_their_audio_comes_in() -> None:
    chunks = segment(TEXT)
    values = _value(chunks)
    slow_first = {chunks[0].text: 0.03, chunks[1].text: 0.02}
    tts = FakeTTS(
        lambda text, attempt: np.full(60, values[text], dtype=np.int16),
        delay=lambda text: slow_first.get(text, 0.0),
    )
    sink = CollectingSink()
    speaker, _ = _speaker(tts, sink, lookahead=3)
    asyncio.run(_speak(speaker, chunks))
    assert _loud(sink) == [values[c.text] for c in chunks]
    assert speaker.metrics.chunks == len(chunks)


def test_the_set_pause_is_between_sentences() -> None:
    chunks = segment(TEXT)
    sink = CollectingSink()
    speaker, _ = _speaker(FakeTTS(constant(5000, 0.06, RATE)), sink)
    asyncio.run(_speak(speaker, chunks))
    silences = [n for v, n in sink.runs() if v == 0]
    # The 4 ms edge fades start and end at zero: a sample each side of the pause (and
    # the lecture's very first sample).
    assert silences[0] == 1 and len(silences) == len(chunks) + 1
    assert all(abs(n - PAUSE * RATE) <= 2 for n in silences[1:]), silences


def test_a_passing_fault_is_retried_once_and_nothing_is_lost() -> None:
    chunks = segment(TEXT)
    values = _value(chunks)

    def flaky(text: str, attempt: int) -> np.ndarray | BaseException:
        if text == chunks[1].text and attempt == 0:
            return TTSError("500 once", status=500, retryable=True)
        return np.full(60, values[text], dtype=np.int16)

    tts = FakeTTS(flaky)
    sink = CollectingSink()
    speaker, said = _speaker(tts, sink)
    asyncio.run(_speak(speaker, chunks))
    assert _loud(sink) == [values[c.text] for c in chunks]
    assert tts.requests.count(chunks[1].text) == 2
    assert said.getvalue() == ""


def test_a_sentence_the_voice_cannot_say_is_said_by_the_stand_in_as_loud() -> None:
    chunks = segment(TEXT)

    def broken_second(text: str, attempt: int) -> np.ndarray | BaseException:
        if text == chunks[1].text:
            return TTSError("500", status=500, retryable=True)
        return np.full(60, 8000, dtype=np.int16)

    backup = FakeTTS(constant(2000, 0.06, 500), sample_rate=500)
    standin = StandInVoice(lambda: backup, RATE)
    sink = CollectingSink()
    speaker, said = _speaker(FakeTTS(broken_second), sink, standin=standin, lookahead=1)
    asyncio.run(_speak(speaker, chunks))
    bursts = _bursts(sink.audio)
    assert len(bursts) == len(chunks)  # none skipped
    assert backup.requests == [chunks[1].text]
    levels = [float(np.sqrt(np.mean(b.astype(float) ** 2))) for b in bursts]
    assert 0.7 < levels[1] / levels[0] < 1.3, levels  # as loud as the voice around it
    assert said.getvalue().count("the voice changed for one sentence") == 1


def test_without_a_stand_in_the_voice_stops_and_says_so() -> None:
    chunks = segment(TEXT)

    def broken_second(text: str, attempt: int) -> np.ndarray | BaseException:
        if text == chunks[1].text:
            return TTSError("bad input", status=400)
        return np.full(60, 3000, dtype=np.int16)

    sink = CollectingSink()
    speaker, said = _speaker(FakeTTS(broken_second), sink, lookahead=1)
    asyncio.run(_speak(speaker, chunks))
    assert _loud(sink) == [3000]
    assert isinstance(speaker.failed, TTSError)
    assert "the lecture goes on as text" in said.getvalue()


def test_a_wrong_key_ends_the_speaker_at_once_and_silently() -> None:
    chunks = segment(TEXT)
    tts = FakeTTS(lambda text, attempt: TTSError("401", status=401))
    sink = CollectingSink()
    speaker, said = _speaker(tts, sink, lookahead=1)

    async def scenario() -> None:
        running = asyncio.ensure_future(speaker.run())
        for chunk in chunks:
            speaker.submit(chunk)  # the input is never closed: run() must end by itself
        await asyncio.wait_for(running, 2)

    asyncio.run(scenario())
    assert speaker.failed is not None and said.getvalue() == ""
    assert tts.requests == [chunks[0].text]


def test_cancelling_leaves_no_task_behind() -> None:
    chunks = segment(TEXT * 5)
    tts = FakeTTS(constant(4000), delay=lambda text: 0.01)
    sink = CollectingSink()
    speaker, _ = _speaker(tts, sink)

    async def scenario() -> set[asyncio.Task[object]]:
        running = asyncio.ensure_future(speaker.run())
        for chunk in chunks:
            speaker.submit(chunk)
        await asyncio.sleep(0.03)
        running.cancel()
        with pytest.raises(asyncio.CancelledError):
            await running
        return {t for t in asyncio.all_tasks() if t is not asyncio.current_task()}

    assert asyncio.run(scenario()) == set()
    assert 0 < len(tts.requests) < len(chunks)


def _lecture(llm: object) -> tuple[str, str]:
    from profai_cli.pipeline import lecture_text
    from profai_cli.prompts import LectureRequest

    said = io.StringIO()
    status = Status(Console(file=said, width=200))

    async def collect() -> str:
        parts = [
            d
            async for d in lecture_text(
                llm,  # type: ignore[arg-type]
                LectureRequest(notes="n"),
                stream=True,
                status=status,
                metrics=Metrics(),
            )
        ]
        return "".join(parts)

    return asyncio.run(collect()), said.getvalue()


def test_a_cut_stream_is_continued_from_its_text_without_repeats() -> None:
    from profai_cli.errors import StreamCut
    from tests.fakes.engines import ScriptedLLM

    cut = StreamCut("closed", reason="dropped")
    llm = ScriptedLLM(
        ["The moon ", "pulls the se", cut],
        ["pulls the sea. ", "Tides rise."],  # went back a few words
    )
    text, said = _lecture(llm)
    assert text == "The moon pulls the sea. Tides rise."
    assert llm.partials == ["", "The moon pulls the se"]
    assert said.count("continuing the lecture") == 1


def test_a_stream_cut_four_times_is_an_error_naming_the_attempts() -> None:
    from profai_cli.errors import ServiceError, StreamCut
    from tests.fakes.engines import ScriptedLLM

    cut = StreamCut("closed", reason="dropped")
    parts: list[list[str | BaseException]] = [[f"Part {i}. ", cut] for i in range(4)]
    llm = ScriptedLLM(*parts)
    with pytest.raises(ServiceError) as info:
        _lecture(llm)
    assert "incomplete after 3 attempts" in info.value.message
    assert len(llm.partials) == 4


def test_escape_sequences_are_removed_even_split_across_deltas() -> None:
    from tests.fakes.engines import ScriptedLLM

    llm = ScriptedLLM(["Safe \x1b]52;c;", "aGk=\x07text\x1b[", "2J here."])
    text, _ = _lecture(llm)
    assert text == "Safe text here."


def test_teach_runs_in_process_with_an_in_memory_environment() -> None:
    from profai_cli.config import resolve
    from profai_cli.environment import Environment
    from profai_cli.ingest import Notes
    from profai_cli.teach import TeachOptions, teach

    env = Environment.in_memory()
    settings, _ = resolve({"llm": "none"}, env={}, file_values={})
    notes = Notes("# Tides\n\nThe moon pulls the sea.\n", "<test>")
    asyncio.run(teach(settings, notes, TeachOptions(audio=False), env))
    shown = env.stdout.file.getvalue()  # type: ignore[attr-defined]
    said = env.stderr.file.getvalue()  # type: ignore[attr-defined]
    assert "The moon pulls the sea." in shown and "Welcome" in shown
    assert "with no LLM (--llm none)" in said and "Lecture done" in said
    assert env.metrics.words > 0
