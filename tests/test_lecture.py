"""The Lecture and its Playback between the seams, with in-memory fakes: order, pauses,
retry, stand-in, failure, cancellation, and the player's moves, in milliseconds."""

from __future__ import annotations

import asyncio
import io

import numpy as np
import pytest
from rich.console import Console

from profai_cli.core.errors import TTSError
from profai_cli.lecture.control import Answer, Go
from profai_cli.lecture.lecture import Lecture
from profai_cli.lecture.metrics import Metrics
from profai_cli.lecture.playback import Playback
from profai_cli.lecture.player import Player
from profai_cli.speech import Chunk, segment
from profai_cli.tts.standin import StandInVoice
from profai_cli.ui import Status
from profai_cli.ui.player_line import PlayerLine
from tests.fakes.engines import CollectingSink, FakeDevice, FakeTTS, constant

TEXT = "One is here. Two comes next. Three follows on. Four is last of all."
RATE = 1000
PAUSE = 0.05  # seconds: 50 samples at this rate


def _value(chunks: list[Chunk]) -> dict[str, int]:
    return {c.text: 1000 * (i + 1) for i, c in enumerate(chunks)}


def _playback(
    tts: FakeTTS,
    sink: CollectingSink,
    *,
    lookahead: int = 3,
    standin: StandInVoice | None = None,
) -> tuple[Playback, io.StringIO]:
    said = io.StringIO()
    status = Status(Console(file=said, width=200))
    lecture = Lecture(tts, Metrics(), status, lookahead=lookahead, standin=standin)
    if isinstance(sink, FakeDevice):  # a device: it plays, and has a "now"
        return Playback(lecture, device=sink, sentence_pause=PAUSE, paragraph_pause=PAUSE), said
    return Playback(lecture, sink, sentence_pause=PAUSE, paragraph_pause=PAUSE), said


async def _speak(playback: Playback, text: str) -> None:
    running = asyncio.ensure_future(playback.run())
    playback.lecture.add_text(text)
    playback.lecture.end_text()
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
    playback, _ = _playback(tts, sink, lookahead=3)
    asyncio.run(_speak(playback, TEXT))
    assert _loud(sink) == [values[c.text] for c in chunks]
    assert playback.lecture.metrics.chunks == len(chunks)


def test_the_set_pause_is_between_sentences() -> None:
    chunks = segment(TEXT)
    sink = CollectingSink()
    playback, _ = _playback(FakeTTS(constant(5000, 0.06, RATE)), sink)
    asyncio.run(_speak(playback, TEXT))
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
    playback, said = _playback(tts, sink)
    asyncio.run(_speak(playback, TEXT))
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
    playback, said = _playback(FakeTTS(broken_second), sink, standin=standin, lookahead=1)
    asyncio.run(_speak(playback, TEXT))
    bursts = _bursts(sink.audio)
    assert len(bursts) == len(chunks)  # none skipped
    assert backup.requests == [chunks[1].text]
    levels = [float(np.sqrt(np.mean(b.astype(float) ** 2))) for b in bursts]
    assert 0.7 < levels[1] / levels[0] < 1.3, levels  # as loud as the voice around it
    assert said.getvalue().count("the offline voice said that sentence") == 1


def test_a_sentence_redone_while_its_reader_was_away_is_read_again_not_lost() -> None:
    """The voice's answer failed its check after a part of it was read; the stand-in said
    the whole sentence before the reader came back. The reader is told to start again
    (and so gets the stand-in's sentence), not that the audio is done."""
    from profai_cli.lecture.lecture import AudioRedone, ChunkAudio

    async def run() -> list[int]:
        audio = ChunkAudio()
        audio.add(np.full(10, 1, np.int16))
        reader = audio.frames()
        assert (await anext(reader))[0] == 1  # the reader is away with the bad part
        audio.restart()
        audio.add(np.full(10, 2, np.int16))  # the stand-in's, whole
        audio.finish()
        with pytest.raises(AudioRedone):
            await anext(reader)
        return [int(part[0]) async for part in audio.frames()]

    assert asyncio.run(run()) == [2]


def test_without_a_stand_in_the_voice_stops_and_says_so() -> None:
    chunks = segment(TEXT)

    def broken_second(text: str, attempt: int) -> np.ndarray | BaseException:
        if text == chunks[1].text:
            return TTSError("bad input", status=400)
        return np.full(60, 3000, dtype=np.int16)

    sink = CollectingSink()
    playback, said = _playback(FakeTTS(broken_second), sink, lookahead=1)
    asyncio.run(_speak(playback, TEXT))
    assert _loud(sink) == [3000]
    assert isinstance(playback.failed, TTSError)
    assert "the lecture goes on as text" in said.getvalue()


def test_a_wrong_key_ends_the_playback_at_once_and_silently() -> None:
    chunks = segment(TEXT)
    tts = FakeTTS(lambda text, attempt: TTSError("401", status=401))
    sink = CollectingSink()
    playback, said = _playback(tts, sink, lookahead=1)

    async def scenario() -> None:
        running = asyncio.ensure_future(playback.run())
        playback.lecture.add_text(TEXT)  # the text never ends: run() must end by itself
        await asyncio.wait_for(running, 10)  # at all: the device never finishes

    asyncio.run(scenario())
    assert playback.failed is not None and said.getvalue() == ""
    assert tts.requests == [chunks[0].text]


def test_cancelling_leaves_no_task_behind() -> None:
    chunks = segment(TEXT * 5)
    tts = FakeTTS(constant(4000), delay=lambda text: 0.01)
    sink = CollectingSink()
    playback, _ = _playback(tts, sink)

    async def scenario() -> set[asyncio.Task[object]]:
        running = asyncio.ensure_future(playback.run())
        playback.lecture.add_text(TEXT * 5)
        await asyncio.sleep(0.03)
        running.cancel()
        with pytest.raises(asyncio.CancelledError):
            await running
        await playback.lecture.aclose()
        return {t for t in asyncio.all_tasks() if t is not asyncio.current_task()}

    assert asyncio.run(scenario()) == set()
    assert 0 < len(tts.requests) < len(chunks)


def _lecture(llm: object) -> tuple[str, str]:
    from profai_cli.core.prompts import LectureRequest
    from profai_cli.lecture.text import lecture_text

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
    from profai_cli.core.errors import StreamCut
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
    from profai_cli.core.errors import ServiceError, StreamCut
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
    from profai_cli.commands.teach import teach
    from profai_cli.core.config import resolve
    from profai_cli.lecture.environment import Environment
    from profai_cli.lecture.voice_side import TeachOptions
    from profai_cli.notes.ingest import Notes

    env = Environment.in_memory()
    settings, _ = resolve({"llm": "none"}, env={}, file_values={})
    notes = Notes("# Tides\n\nThe moon pulls the sea.\n", "<test>")
    asyncio.run(teach(settings, notes, TeachOptions(audio=False), env))
    shown = env.stdout.file.getvalue()  # type: ignore[attr-defined]
    said = env.stderr.file.getvalue()  # type: ignore[attr-defined]
    assert "The moon pulls the sea." in shown and "Welcome" in shown
    assert "with no LLM (--llm none)" in said and "Lecture done" in said
    assert env.metrics.words > 0


# -- the player's moves, on a sound card played by hand -----------------------------------


SENTENCES = (
    "The first sentence is here to be heard. The second sentence comes after that one. "
    "The third sentence follows on from there. The fourth sentence is the last of all."
)


def _values(text: str) -> tuple[list[Chunk], dict[str, int]]:
    chunks = segment(text)
    return chunks, _value(chunks)


def _on_a_device() -> tuple[list[Chunk], dict[str, int], FakeTTS, FakeDevice, Playback]:
    """SENTENCES' chunks, each its own signal (60 samples) from a fake voice, played on
    a sound card the test moves by hand, four chunks made ahead."""
    chunks, values = _values(SENTENCES)
    tts = FakeTTS(lambda text, attempt: np.full(60, values[text], dtype=np.int16))
    sink = FakeDevice()
    playback, _ = _playback(tts, sink, lookahead=4)
    return chunks, values, tts, sink, playback


async def _started(playback: Playback, text: str) -> asyncio.Future[None]:
    """Playback running on the whole text, written out, waiting to be heard."""
    running = asyncio.ensure_future(playback.run(until_heard=True))
    playback.lecture.add_text(text)
    playback.lecture.end_text()
    await _written(playback)
    return running


async def _written(playback: Playback) -> None:
    """Until the writer has written every chunk (after a move, again)."""
    for _ in range(100):
        await asyncio.sleep(0.001)
        if playback.writing == len(playback.lecture.chunks):
            return


def test_back_replays_the_previous_sentence_from_memory_with_no_new_request() -> None:
    chunks, values, tts, sink, playback = _on_a_device()

    async def scenario() -> None:
        running = await _started(playback, SENTENCES)
        sink.position = playback.chunk_start(2) + 20  # type: ignore[operator]  # inside 3rd
        assert playback.heard_chunk() == 2
        playback.control(Go(1))
        await _written(playback)
        sink.finish()
        await running

    asyncio.run(scenario())
    heard = [values[c.text] for c in chunks]
    # What was heard of the third sentence stays; then the second, and on from there.
    assert _loud(sink) == heard[:3] + heard[1:]
    assert sorted(tts.requests) == sorted(c.text for c in chunks)  # each made once


def test_the_place_is_the_sentence_an_answer_goes_back_to_until_the_lecture_is_heard() -> None:
    """One owner of where the listener is: asked in the third sentence, the place is the
    third while the answer is awaited and said (the lecture's clock waits), and stays
    there once the lecture is heard again; a move drops an answer under way."""
    chunks, values = _values(SENTENCES)
    tts = FakeTTS(lambda text, attempt: np.full(60, values.get(text, 9000), dtype=np.int16))
    sink = FakeDevice()
    playback, _ = _playback(tts, sink, lookahead=4)
    places = []

    async def scenario() -> None:
        running = await _started(playback, SENTENCES)
        sink.position = playback.chunk_start(2) + 20  # type: ignore[operator]  # in the 3rd
        aside = playback.lecture.aside()
        playback.control(Answer(aside, 2))
        places.append(playback.place())  # awaited
        aside.add_text("An answer is said here.")
        aside.end_text()
        await _written(playback)
        sink.position = sink.discards[-1] + 10
        places.append(playback.place())  # said
        sink.position = playback.chunk_start(2) + 10  # type: ignore[operator]
        places.append(playback.place())  # the lecture again
        again = playback.lecture.aside()
        playback.control(Answer(again, 2))
        playback.control(Go(0))
        places.append(playback.place())  # moved meanwhile
        sink.finish()
        await running

    asyncio.run(scenario())
    assert [(p.chunk, p.answering, p.in_aside) for p in places] == [
        (2, True, False),
        (2, True, True),
        (2, False, False),
        (0, False, False),
    ]
    assert playback.heard_seconds(2, in_answer=True) == playback.seconds_before(2)


def test_forward_cuts_the_sentence_and_the_next_one_follows() -> None:
    chunks, values, tts, sink, playback = _on_a_device()

    async def scenario() -> None:
        running = await _started(playback, SENTENCES)
        sink.position = playback.chunk_start(1) + 20  # type: ignore[operator]
        playback.control(Go(2))
        await _written(playback)
        sink.finish()
        await running

    asyncio.run(scenario())
    runs = [(v, n) for v, n in sink.runs() if v]
    # The second sentence stops where it was heard (20 samples of 60), the third follows.
    values_heard = [v for v, n in runs if n >= 10]
    assert values_heard == [values[chunks[i].text] for i in (0, 1, 2, 3)]
    second = next(n for v, n in runs if v == values[chunks[1].text])
    assert 15 <= second <= 21


async def _in_the_second_sentence(
    playback: Playback, sink: FakeDevice
) -> tuple[asyncio.Future[None], Player]:
    """SENTENCES written out and heard into the second, with a player's keys on them."""
    from profai_cli.lecture.player import Player

    running = await _started(playback, SENTENCES)
    sink.position = playback.chunk_start(1) + 10  # type: ignore[operator]
    return running, Player(playback.lecture, playback, sink)


def test_q_stops_the_writing_where_it_is_and_nothing_after_it_moves_it() -> None:
    """Quitting takes the route every interruption takes (the writer's cancel): the run
    returns at once, though the lecture was not heard to its end, nothing more is
    written, and a key pressed after it (a move) writes nothing."""
    chunks, values, tts, sink, playback = _on_a_device()

    async def scenario() -> int:
        running, player = await _in_the_second_sentence(playback, sink)
        player.key("quit")
        await asyncio.wait_for(running, 10)  # not heard to the end: returned all the same
        written = sink.written
        player.key("back")
        await asyncio.sleep(0.01)
        assert sink.written == written and not sink.discards
        return written

    written = asyncio.run(scenario())
    assert playback.stopped and written == playback.samples


def test_a_speed_asked_for_just_before_q_is_never_made() -> None:
    """↑ then q before the presses settle: the lecture is over, so nothing is made at the
    new speed (a paid voice's requests, after the lecture was closed)."""
    from profai_cli.lecture.player import SPEED_SETTLE

    chunks, values, tts, sink, playback = _on_a_device()

    async def scenario() -> None:
        running, player = await _in_the_second_sentence(playback, sink)
        player.key("faster")
        player.key("quit")
        await running
        await playback.lecture.aclose()
        await asyncio.sleep(SPEED_SETTLE * 2)

    asyncio.run(scenario())
    assert set(tts.speeds) == {1.0} and playback.lecture.speed == 1.0


def test_a_new_speed_applies_from_the_next_sentence() -> None:
    from profai_cli.lecture.player import Player

    chunks, values = _values(SENTENCES)

    def by_speed(text: str, attempt: int) -> np.ndarray:
        return np.full(int(120 / tts.speeds[-1]), values[text], dtype=np.int16)

    tts = FakeTTS(by_speed)
    sink = FakeDevice()
    playback, _ = _playback(tts, sink, lookahead=4)

    async def scenario() -> None:
        running = await _started(playback, SENTENCES)
        sink.position = playback.chunk_start(1) + 30  # type: ignore[operator]
        player = Player(playback.lecture, playback, sink)
        for _ in range(10):  # ten steps up, to 2.0x, in quick succession: one change
            player.key("faster")
        assert playback.lecture.speed == 1.0  # not yet: more presses may come
        await asyncio.sleep(0.3)
        await _written(playback)
        sink.finish()
        await running

    asyncio.run(scenario())
    lengths: dict[int, int] = {}
    for v, n in sink.runs():
        lengths[v] = max(n, lengths.get(v, 0))  # the run of the chunk, not a fade's sample
    assert lengths[values[chunks[1].text]] >= 100  # the sentence being heard: as it was
    # 60 samples at 2x, less the 4 ms edge fades.
    assert all(50 <= lengths[values[chunks[i].text]] <= 60 for i in (2, 3)), lengths
    assert playback.lecture.speed == 2.0
    assert tts.speeds.count(2.0) >= 2 and not playback.stopped
    assert set(tts.speeds) == {1.0, 2.0}  # nothing made at 1.1 ... 1.9 on the way


def test_pressing_forward_twice_moves_two_sentences_and_never_past_the_text() -> None:
    from profai_cli.lecture.player import Player

    chunks, values, tts, sink, playback = _on_a_device()
    targets: list[int] = []

    async def scenario() -> None:
        running = await _started(playback, SENTENCES)
        player = Player(playback.lecture, playback, sink)
        player.key("forward")
        player.key("forward")  # before the first move was heard: from where it goes
        targets.append(player.current())
        for _ in range(5):
            player.key("forward")
        targets.append(player.current())
        player.key("pause")
        assert sink.paused
        player.key("pause")
        assert not sink.paused
        sink.finish()
        await running

    asyncio.run(scenario())
    assert targets == [2, len(chunks) - 1]  # the last sentence: no further


def test_a_resumed_lecture_counts_what_came_before_in_both_times() -> None:
    """The status line's "voice at / made so far" after resuming at the third sentence:
    the made audio reaches past where the voice is, never behind it."""
    tts = FakeTTS(constant(100))
    sink = FakeDevice()
    playback, _ = _playback(tts, sink)

    async def scenario() -> None:
        running = asyncio.ensure_future(playback.run(start=2))
        playback.lecture.add_text(TEXT)
        playback.lecture.end_text()
        await _written(playback)
        sink.position = playback.chunk_start(2) + 10  # type: ignore[operator]
        voice_at = playback.seconds_before(2) + 10 / RATE
        assert playback.made_until() > voice_at
        assert playback.made_until() == pytest.approx(
            playback.seconds_before(2) + playback.made_seconds()
        )
        sink.finish()
        await running

    asyncio.run(scenario())


class _View:
    """The player's view as a terminal of ``width`` columns shows it."""

    interactive = True

    def __init__(self, width: int = 100, plain: bool = False) -> None:
        self.width = width
        self.plain = plain
        self.lines: list[str] = []

    def show_player(self, shown: PlayerLine) -> None:
        self.lines.append(shown.line)


def test_the_status_says_what_the_silence_waits_for() -> None:
    """Nothing to hear is never shown as playing: waiting for the lecturer when there is
    no more text, for the voice when text is written but not said, and done at the end."""
    import time

    from profai_cli.lecture.player import Player

    tts = FakeTTS(constant(100))
    sink = FakeDevice()
    playback, _ = _playback(tts, sink)
    view = _View()
    states: list[str] = []

    async def scenario() -> None:
        running = asyncio.ensure_future(playback.run(until_heard=True))
        player = Player(playback.lecture, playback, sink, view=view)
        player.refresh()
        states.append(view.lines[-1])  # nothing written yet, nothing to say
        playback.lecture.add_text("One is here. Two comes")
        await _written(playback)
        sink.position = sink.written  # all heard: the ring ran dry
        sink.dry_since = time.monotonic() - 1
        player.refresh()
        states.append(view.lines[-1])
        sink.dry_since = None  # sound again
        player.refresh()
        states.append(view.lines[-1])
        playback.lecture.add_text(" next. Three follows on. Four is last of all.")
        playback.lecture.end_text()
        await _written(playback)
        sink.position = sink.written
        sink.finish()
        await running
        player.refresh()
        states.append(view.lines[-1])

    asyncio.run(scenario())
    assert states[0].startswith("… waiting for the lecturer")
    assert states[1].startswith("… waiting for the lecturer")
    assert states[2].startswith("▶ playing")
    assert states[3].startswith("■ done · 3/3 ·"), states[3]


def test_waiting_for_the_voice_says_how_much_text_is_ready() -> None:
    import time

    from profai_cli.lecture.player import Player

    sink = FakeDevice()
    playback, _ = _playback(FakeTTS(constant(100)), sink)
    view = _View()

    async def scenario() -> None:
        playback.lecture.add_text(SENTENCES)
        sink.frames.append(np.full(10, 1, dtype=np.int16))  # a first sound, then dry
        sink.dry_since = time.monotonic() - 1
        Player(playback.lecture, playback, sink, view=view).refresh()
        await playback.lecture.aclose()

    asyncio.run(scenario())
    # Three of the four sentences are cut (the last may go on); the first is being said.
    assert view.lines[-1].startswith("… waiting for the voice (2 sentences ready) · 1/3 so far")


@pytest.mark.parametrize("width", [40, 60, 80, 100, 160])
def test_the_keys_fit_the_width_most_needed_first(width: int) -> None:
    from profai_cli.lecture.player import Player

    sink = FakeDevice()
    playback = Playback(Lecture(None, Metrics(), Status()), device=sink)
    playback.lecture.add_text(SENTENCES)
    sink.frames.append(np.full(10, 1, dtype=np.int16))  # sound playing
    view = _View(width)
    player = Player(playback.lecture, playback, sink, view=view)
    player.refresh()
    line = view.lines[-1]
    assert len(line) <= width - 2, line
    if width >= 80:
        assert "space pause · q quit · ? keys" in line
    if width >= 100:
        assert "a ask" in line and "←→ sentence" in line
    player.key("help")
    box = view.lines[-1].split("\n")[1:]
    assert all(len(row) <= width - 2 for row in box), box
    assert "a ask a question" in " ".join(box) and "q stop (resumes next time)" in " ".join(box)
    player.key("replay")  # any other key: the box goes
    assert "\n" not in view.lines[-1]


def test_a_terminal_without_utf8_gets_ascii() -> None:
    from profai_cli.lecture.player import Player

    sink = FakeDevice()
    playback = Playback(Lecture(None, Metrics(), Status()), device=sink)
    playback.lecture.add_text(SENTENCES)
    sink.frames.append(np.full(10, 1, dtype=np.int16))
    view = _View(120, plain=True)
    player = Player(playback.lecture, playback, sink, view=view)
    player.key("help")
    assert view.lines[-1].isascii(), view.lines[-1]
    assert "left/right sentence" in view.lines[-1]


def test_a_resumed_clock_goes_on_from_the_saved_time_and_stops_during_an_answer() -> None:
    tts = FakeTTS(constant(100))
    sink = FakeDevice()
    playback, _ = _playback(tts, sink)
    playback.anchor = (2, 48.0)  # the last run showed 0:48 at the third sentence

    async def scenario() -> None:
        running = asyncio.ensure_future(playback.run(start=2))
        playback.lecture.add_text(TEXT)
        playback.lecture.end_text()
        await _written(playback)
        assert playback.heard_seconds(2) == 48.0
        sink.position = playback.chunk_start(2) + 10  # type: ignore[operator]
        assert playback.heard_seconds(2) == pytest.approx(48.01)
        assert playback.heard_seconds(2, in_answer=True) == 48.0
        sink.position = playback.chunk_start(2) + 10_000  # type: ignore[operator]
        assert playback.heard_seconds(2) <= 48.0 + playback.durations[2]
        assert playback.seconds_before(1) < 48.0 and playback.made_until() > 48.0
        sink.finish()
        await running

    asyncio.run(scenario())


def test_the_ring_counts_each_silence_once_with_its_length() -> None:
    import time

    from profai_cli.audio.ring import RingBuffer

    ring = RingBuffer(1000, 1000)

    async def write(n: int) -> None:
        await ring.write(np.ones(n, dtype=np.int16))

    out = np.zeros(100, dtype=np.int16)
    asyncio.run(write(150))
    ring.read_into(out)
    ring.read_into(out)  # 50 of 100: dry from here
    for _ in range(20):
        ring.read_into(out)  # twenty callbacks of silence: one silence
    assert ring.dry_since is not None
    time.sleep(0.05)
    asyncio.run(write(100))
    ring.read_into(out)
    assert ring.underruns == 1 and ring.dry_since is None
    assert len(ring.silences) == 1 and 0.05 <= ring.silences[0] < 1


def test_a_long_answer_scrolls_in_its_box_and_the_status_line_stays() -> None:
    """An answer taller than the terminal: its newest lines in a box of at most half the
    height, the status line still drawn under it."""
    from profai_cli.ui.panel import LivePanel

    out = io.StringIO()
    console = Console(file=out, width=60, height=20, force_terminal=True, color_system=None)
    panel = LivePanel(console)
    panel.append("# Waves\\n\\nSound is a wave.\\n\\n")
    panel.show_player(PlayerLine("▶ playing · 1/1", "Sound is a wave.", (9, 25)))
    panel.begin_aside("Why?")
    panel.append_aside("\\n\\n".join(f"Line {i} of the answer." for i in range(40)))
    lines = console.render_lines(panel._live.get_renderable(), console.options, pad=False)
    text = ["".join(seg.text for seg in line) for line in lines]
    panel.close()
    assert any("Line 39 of the answer." in t for t in text)
    assert not any("Line 0 of the answer." in t for t in text)
    assert any("▶ playing" in t for t in text)
    assert len(text) <= 20
