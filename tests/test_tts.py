"""TTS engines against the loopback server and the real Piper voice; the audio cache."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest

from profai_cli.audio.resample import StreamResampler
from profai_cli.core.errors import TTSError
from profai_cli.service.speech import MAX_INPUT, OpenAITTS, split_for_limit
from profai_cli.tts.base import TTSEngine
from profai_cli.tts.cache import AudioCache, CachedTTS

if TYPE_CHECKING:
    from profai_cli.tts.piper_tts import PiperTTS
from tests.conftest import loop_ticks_during
from tests.fakes.openai_server import PCM_RATE, FakeOpenAI, tone


def _engine(fake: FakeOpenAI, **kw: Any) -> OpenAITTS:
    return OpenAITTS(
        model="gpt-4o-mini-tts",
        voice="alloy",
        base_url=fake.base_url,
        api_key="sk-test",
        **kw,
    )


async def _collect(
    engine: TTSEngine, text: str, speed: float = 1.0
) -> tuple[np.ndarray, list[float]]:
    parts, times = [], []
    try:
        async for frames in engine.stream(text, speed):
            parts.append(frames)
            times.append(time.monotonic())
    finally:
        await engine.aclose()
    return (np.concatenate(parts) if parts else np.zeros(0, np.int16)), times


def test_first_frames_arrive_while_the_server_is_still_sending(fake: FakeOpenAI) -> None:
    fake.knobs.tts_real_time_factor = 1.0  # the server makes audio in real time
    text = "A sentence long enough to take a second or more to say aloud here."
    still_sending: list[bool] = []  # at each part: the server has not finished its reply

    async def listen() -> None:
        engine = _engine(fake)
        try:
            async for _ in engine.stream(text, 1.0):
                still_sending.append(fake.requests("/audio/speech")[0].done is None)
        finally:
            await engine.aclose()

    asyncio.run(listen())
    entry = fake.requests("/audio/speech")[0]
    assert entry.done is not None and entry.done - entry.received > 1.0
    # Played long before the response ended: most parts came while it was being sent (on
    # a busy machine, the first may come late, and several at once).
    assert len(still_sending) > 5 and sum(still_sending) >= len(still_sending) // 2, still_sending


def test_pcm_is_24khz_and_odd_byte_splits_do_not_corrupt_it(fake: FakeOpenAI) -> None:
    fake.knobs.tts_bytes_per_write = 4801  # every write ends mid-sample
    text = "Odd splits must not shift a single sample."
    engine = _engine(fake)
    audio, _ = asyncio.run(_collect(engine, text))
    expected = tone(fake.tone_for(text), len(text) * fake.knobs.tts_seconds_per_char)
    assert engine.sample_rate == PCM_RATE == 24_000
    assert np.array_equal(audio, expected)
    body = fake.requests("/audio/speech")[0].body
    assert body["response_format"] == "pcm" and body["voice"] == "alloy"
    assert "lecturer" in body["instructions"]


def test_options_reach_the_request(fake: FakeOpenAI) -> None:
    engine = OpenAITTS(model="tts-1", voice="onyx", base_url=fake.base_url, api_key="k")
    asyncio.run(_collect(engine, "Hello there.", 1.25))
    body = fake.requests("/audio/speech")[0].body
    assert body["model"] == "tts-1" and body["voice"] == "onyx" and body["speed"] == 1.25
    assert "instructions" not in body  # tts-1 takes none


@pytest.mark.parametrize(("fault", "status"), [("401", 401), ("500", 500)])
def test_http_errors_become_typed_errors(fake: FakeOpenAI, fault: str, status: int) -> None:
    fake.knobs.tts_fault = fault
    with pytest.raises(TTSError) as info:
        asyncio.run(_collect(_engine(fake), "Hello."))
    assert info.value.status == status
    assert fake.base_url in info.value.message
    assert info.value.retryable == (status >= 500)


def test_a_stream_dropped_midway_is_an_error(fake: FakeOpenAI) -> None:
    fake.knobs.tts_fault = "drop"
    with pytest.raises(TTSError):
        asyncio.run(_collect(_engine(fake), "A sentence that will be cut in the middle."))


def test_empty_text_is_never_sent(fake: FakeOpenAI) -> None:
    audio, _ = asyncio.run(_collect(_engine(fake), "  \n "))
    assert len(audio) == 0 and fake.requests("/audio/speech") == []


def test_text_over_the_input_limit_is_split(fake: FakeOpenAI) -> None:
    sentence = "This sentence is part of a very long chunk of text. "
    text = sentence * 100  # about 5,200 characters
    fake.knobs.tts_seconds_per_char = 0.01  # quick, yet plausible speech
    asyncio.run(_collect(_engine(fake), text))
    inputs = [r.body["input"] for r in fake.requests("/audio/speech")]
    assert len(inputs) == 2 and all(len(i) <= MAX_INPUT for i in inputs)
    assert " ".join(inputs) == text.strip()
    assert split_for_limit("word " * 2000, 100)[0] == ("word " * 20).strip()


# -- Piper --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def piper() -> PiperTTS:
    pytest.importorskip("piper", reason="the offline extra is not installed")
    from profai_cli.tts.piper_tts import PiperTTS

    return PiperTTS()


@pytest.mark.piper
def test_piper_speaks_a_sentence_offline(piper: PiperTTS) -> None:
    text = "Photosynthesis turns light into chemical energy."
    audio, _ = asyncio.run(_collect(piper, text))
    rate = piper.sample_rate
    assert rate == 22_050
    seconds = len(audio) / rate
    assert 1.5 < seconds < 6.0  # about 15 characters a second
    rms = float(np.sqrt(np.mean(audio.astype(np.float64) ** 2)))
    assert rms > 500  # speech, not silence
    assert audio.dtype == np.int16


@pytest.mark.piper
def test_piper_loads_its_voice_once_and_keeps_the_loop_free(piper: PiperTTS) -> None:
    from profai_cli.tts.piper_tts import PiperTTS

    again = PiperTTS()
    assert again._voice is piper._voice
    sentence = (
        "A longer sentence keeps the synthesizer busy for a while, so the event loop "
        "must keep ticking on its own meanwhile."
    )
    ticks = asyncio.run(loop_ticks_during(_collect(again, sentence), period=0.01))
    assert ticks >= 5


@pytest.mark.piper
def test_the_voice_model_loads_with_its_phoneme_durations_as_an_output() -> None:
    import onnxruntime

    from profai_cli.tts.piper_tts import bundled_voice_path
    from profai_cli.tts.voice_model import with_durations

    path = bundled_voice_path()
    assert path is not None
    model = path.read_bytes()
    patched = with_durations(model)
    assert patched is not None
    session = onnxruntime.InferenceSession(patched, providers=["CPUExecutionProvider"])
    assert [o.name for o in session.get_outputs()] == ["output", "/Ceil_output_0"]
    assert with_durations(patched) is None  # already there: loaded as it is
    assert with_durations(model[: len(model) // 2]) is None  # torn: loaded as it is
    assert with_durations(b"not a model") is None


@pytest.mark.piper
def test_piper_speed_is_the_speed_heard(piper: PiperTTS, monkeypatch: pytest.MonkeyPatch) -> None:
    from profai_cli.tts.piper_tts import PiperTTS

    # Piper varies a sentence's length by 2-3% from run to run (noise on its durations,
    # inside the model): the same real audio is replayed at each speed, so the check is
    # exact; then fresh syntheses, summed over runs, catch what replaying would hide.
    text = "The same sentence, spoken at several speeds, is as long as the speed says."
    said = list(piper._voice.synthesize(text, include_alignments=True))
    n = sum(len(chunk.audio_int16_array) for chunk in said)
    starts: dict[float, list[float]] = {}
    for speed in (1.0, 0.7, 1.2, 1.5):
        engine = PiperTTS()
        monkeypatch.setattr(engine._voice, "synthesize", lambda *a, **k: said)
        out, _ = asyncio.run(_collect(engine, text, speed))
        assert n / len(out) == pytest.approx(speed, rel=0.001), speed
        starts[speed] = engine.word_starts(text) or []
    monkeypatch.undo()  # the voice is shared: it synthesizes again below
    assert len(starts[1.0]) == len(text.split())  # the words keep time with the speed too
    for speed in (0.7, 1.2, 1.5):
        assert starts[speed] == pytest.approx([at / speed for at in starts[1.0]], abs=0.002)

    def runs(speed: float) -> int:
        return sum(len(asyncio.run(_collect(piper, text, speed))[0]) for _ in range(6))

    assert runs(1.0) / runs(1.5) == pytest.approx(1.5, rel=0.04)


# -- the cache ----------------------------------------------------------------------------


def test_cache_hit_costs_no_request_and_plays_the_same(fake: FakeOpenAI, tmp_path: Path) -> None:
    cached = CachedTTS(_engine(fake), AudioCache(tmp_path, 10**9))
    first, _ = asyncio.run(_collect(cached, "Cache me once."))
    second, _ = asyncio.run(_collect(cached, "Cache me once."))
    assert np.array_equal(first, second)
    assert len(fake.requests("/audio/speech")) == 1
    assert (cached.hits, cached.misses) == (1, 1)
    other = CachedTTS(
        OpenAITTS(model="gpt-4o-mini-tts", voice="onyx", base_url=fake.base_url, api_key="k"),
        AudioCache(tmp_path),
    )
    asyncio.run(_collect(other, "Cache me once."))
    assert len(fake.requests("/audio/speech")) == 2  # another voice is another key


def test_corrupt_entry_is_discarded_and_synthesized_again(fake: FakeOpenAI, tmp_path: Path) -> None:
    cache = AudioCache(tmp_path, 10**9)
    cached = CachedTTS(_engine(fake), cache)
    good, _ = asyncio.run(_collect(cached, "Fragile entry."))
    (entry,) = list(tmp_path.rglob("*.pcm"))
    data = entry.read_bytes()
    entry.write_bytes(data[:-100])  # torn
    again, _ = asyncio.run(_collect(cached, "Fragile entry."))
    assert np.array_equal(again, good)
    assert len(fake.requests("/audio/speech")) == 2
    entry.write_bytes(data[:20] + bytes(len(data) - 20))  # right size, wrong bytes
    asyncio.run(_collect(cached, "Fragile entry."))
    assert len(fake.requests("/audio/speech")) == 3


def test_the_cache_keeps_a_voices_word_times_and_reads_entries_made_before_them(
    tmp_path: Path,
) -> None:
    import struct
    import zlib

    cache = AudioCache(tmp_path, 10**9)
    block = np.arange(2000, dtype=np.int16)
    cache.put("a" * 64, 22_050, block, [0.05, 0.4, 0.9])
    hit = cache.get("a" * 64)
    assert hit is not None and np.array_equal(hit[1], block)
    assert hit[2] == pytest.approx([0.05, 0.4, 0.9])
    cache.put("b" * 64, 22_050, block)
    assert (hit := cache.get("b" * 64)) is not None and hit[2] is None
    # An entry written before word times were kept is still a hit, with none.
    data = block.astype("<i2").tobytes()
    old = struct.pack("<5sIII", b"PRFA\x01", 22_050, len(block), zlib.crc32(data)) + data
    path = tmp_path / "cc" / ("c" * 64 + ".pcm")
    path.parent.mkdir()
    path.write_bytes(old)
    assert (hit := cache.get("c" * 64)) is not None
    assert np.array_equal(hit[1], block) and hit[2] is None


def test_failed_stream_is_not_cached(fake: FakeOpenAI, tmp_path: Path) -> None:
    fake.knobs.tts_fault = "drop"
    cached = CachedTTS(_engine(fake), AudioCache(tmp_path, 10**9))
    with pytest.raises(TTSError):
        asyncio.run(_collect(cached, "This one breaks in the middle of the audio."))
    assert list(tmp_path.rglob("*.pcm")) == []


def test_least_recently_used_entries_are_evicted(tmp_path: Path) -> None:
    cache = AudioCache(tmp_path, max_bytes=3 * 2_100)
    block = np.ones(1000, dtype=np.int16)  # 2,000 bytes + header
    for i, key in enumerate(["a" * 64, "b" * 64, "c" * 64]):
        cache.put(key, 24_000, block)
        os.utime(cache._path(key), (1_000 + i, 1_000 + i))
    assert cache.get("a" * 64) is not None  # a is now the most recently used
    cache.put("d" * 64, 24_000, block)
    assert cache.get("b" * 64) is None  # the oldest use went first
    assert all(cache.get(k * 64) is not None for k in "acd")
    assert cache.info().bytes <= cache.max_bytes


def _write_many(root: str, worker: int) -> None:
    cache = AudioCache(Path(root), 10**9)
    for i in range(40):
        key = f"{i % 10:064d}"  # every worker writes the same ten keys
        cache.put(key, 24_000, np.full(2000, i % 10 + 1, dtype=np.int16))
        cache.get(key)


def test_concurrent_writers_never_leave_a_torn_entry(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_write_many, args=(str(tmp_path), w)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    cache = AudioCache(tmp_path, 10**9)
    for i in range(10):
        hit = cache.get(f"{i:064d}")
        assert hit is not None and np.all(hit[1] == i + 1)
    assert not list(tmp_path.rglob(".tmp-*"))


# -- resampling ---------------------------------------------------------------------------


def test_chunked_resampling_equals_whole_resampling() -> None:
    rate_in, rate_out = 24_000, 22_050
    t = np.arange(rate_in * 2) / rate_in
    sine = (np.sin(2 * np.pi * 440 * t) * 12_000).astype(np.int16)
    whole = StreamResampler(rate_in, rate_out).process(sine, last=True)
    stream = StreamResampler(rate_in, rate_out)
    sizes = [1, 7, 480, 1023, 5000, 1]
    parts, pos, k = [], 0, 0
    while pos < len(sine):
        n = sizes[k % len(sizes)]
        parts.append(stream.process(sine[pos : pos + n]))
        pos += n
        k += 1
    parts.append(stream.process(np.zeros(0, np.int16), last=True))
    chunked = np.concatenate(parts)
    assert abs(len(chunked) - len(whole)) <= 1
    n = min(len(chunked), len(whole))
    assert np.max(np.abs(chunked[:n].astype(int) - whole[:n].astype(int))) <= 2
    assert abs(len(whole) - 2 * rate_out) <= 2


def test_every_voice_says_its_next_sentences_at_the_one_speed_the_lecture_keeps() -> None:
    """The speed lives in the Lecture (a speed key sets it there): the main voice, a
    dialogue's second voice and the offline stand-in all say their next sentences at it.
    (Before, the stand-in kept the speed of the lecture's start.)"""
    import asyncio

    from profai_cli.core.errors import TTSError
    from profai_cli.lecture.lecture import Lecture
    from profai_cli.lecture.metrics import Metrics
    from profai_cli.speech.speakers import HOST, Speakers
    from profai_cli.tts.standin import StandInVoice
    from profai_cli.ui import Status
    from tests.fakes.engines import FakeTTS, constant

    def main_says(text: str, attempt: int) -> np.ndarray | TTSError:
        if "fails" in text:
            return TTSError("voice: busy (503)", status=503, retryable=True)
        return np.full(100, 1000, dtype=np.int16)

    main, host, spare = FakeTTS(main_says), FakeTTS(constant(500)), FakeTTS(constant(700))
    lecture = Lecture(main, Metrics(), Status(), speed=1.2)
    lecture.standin = StandInVoice(lambda: spare, main.sample_rate)
    lecture.speakers = Speakers()
    lecture.voices = {HOST: (host, str)}
    turns = ["Host:", "Is it fast?", "Lecturer:", "It is.", "This one fails."]

    async def said() -> list[float]:
        first = len(lecture.chunks)
        lecture.add_text("\n\n".join(turns) + "\n\n")
        for chunk in lecture.chunks[first:]:
            [f async for f in lecture.audio(chunk).frames()]
        return main.speeds + host.speeds + spare.speeds

    async def scenario() -> None:
        assert set(await said()) == {1.2}  # --speed 1.2
        for voice in (main, host, spare):
            voice.speeds.clear()
        lecture.speed = 1.5  # the listener pressed ↑ three times
        assert set(await said()) == {1.5}
        await lecture.aclose()

    asyncio.run(scenario())
    assert host.requests and spare.requests == ["This one fails."] * 2
