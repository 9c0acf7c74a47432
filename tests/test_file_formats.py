"""Files as their formats expect (issue 39): MP3 chapter frames in time order, a WAV sent
to stdout that is a file with its sizes set, Anki decks readable by others with MP3
sounds and maths as Anki renders it, and lossy exports under -1 dBTP as ffmpeg measures
them on the encoded file."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

from profai_cli.core.errors import ExportError
from tests.conftest import PROFAI, clean_env, run_here
from tests.fakes.openai_server import FakeOpenAI

needs_ffmpeg = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is not installed")


@needs_ffmpeg
def test_mp3_chapter_frames_are_stored_in_time_order(tmp_path: Path) -> None:
    """ffmpeg (and any reader that takes the frames in file order) lists them in order:
    with twelve chapters and a recap, "Recap" came third."""
    from profai_cli.audio.tags import tag_file

    mp3 = tmp_path / "c.mp3"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=d=30", str(mp3)], check=True
    )
    chapters = [(i * 2.0, i * 2.0 + 2, f"Part {i}") for i in range(12)] + [(24.0, 30.0, "Recap")]
    tag_file(mp3, ".mp3", {"title": "t"}, chapters)
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-show_chapters", "-of", "json", str(mp3)],
        capture_output=True,
        check=True,
    )
    listed = json.loads(probe.stdout)["chapters"]
    assert [c["tags"]["title"] for c in listed] == [t for _, _, t in chapters]


def test_a_wav_to_stdout_that_is_a_file_has_its_sizes(fake: FakeOpenAI, home: Path) -> None:
    """`export - --format wav > x.wav`: players read its length (the streaming header's
    "unknown" sizes read as 27 hours)."""
    import soundfile as sf

    fake.knobs.lecture = "# Tides\n\nThe moon pulls the sea. The sun pulls too, but less.\n"
    wav = home / "x.wav"
    args = [PROFAI, "export", "-", "-", "--base-url", fake.base_url, "--tts", "openai"]
    with wav.open("wb") as out:
        done = subprocess.run(
            [*args, "--format", "wav"],
            input=b"notes",
            stdout=out,
            stderr=subprocess.PIPE,
            timeout=60,
            env=clean_env(home),
        )
    assert done.returncode == 0, done.stderr
    data = wav.read_bytes()
    riff, size = int.from_bytes(data[4:8], "little"), int.from_bytes(data[40:44], "little")
    assert riff == len(data) - 8 and size == len(data) - 44
    info = sf.info(str(wav))
    assert 1 < info.duration < 30  # not 27 hours


def test_an_anki_deck_is_readable_with_mp3_sounds_and_maths_anki_renders(
    fake: FakeOpenAI, home: Path
) -> None:
    notes = home / "bayes.md"
    notes.write_text(
        "# Bayes\n\n## Terms\n\n| Term | Written | Meaning |\n|---|---|---|\n"
        "| Prior | $P(D)$ | the probability before the evidence |\n"
        "| Posterior | $P(D \\mid E)$ | the probability after the evidence |\n"
    )
    deck = home / "bayes.apkg"
    before = os.umask(0o022)
    try:
        args = ["quiz", str(notes), "--anki", str(deck), "--with-audio", "--llm", "none"]
        r = run_here([*args, "--tts", "openai", "--tts-base-url", fake.base_url], home)
    finally:
        os.umask(before)
    assert r.code == 0, r.err
    assert stat.S_IMODE(deck.stat().st_mode) == 0o644
    with zipfile.ZipFile(deck) as z:
        z.extractall(home / "deck")
    media = json.loads((home / "deck" / "media").read_text())
    assert media and all(
        name.endswith(".mp3" if shutil.which("ffmpeg") else ".opus") for name in media.values()
    )
    with sqlite3.connect(home / "deck" / "collection.anki2") as db:
        fields = " ".join(row[0] for row in db.execute("select flds from notes"))
    assert "\\(P(D)\\)" in fields and "$" not in fields


@needs_ffmpeg
@pytest.mark.parametrize("ext", [".mp3", ".m4a", ".ogg", ".opus"])
def test_an_overshoot_is_held_where_it_is_and_the_rest_keeps_its_level(
    tmp_path: Path, ext: str
) -> None:
    """A burst the encoder overshoots on is lowered where it is: the file is under -1
    dBTP, and a second away it is as loud as it was fed (lowering all of it for one
    click took the long example's mp3 from -16 LUFS to -17.4)."""
    import asyncio
    import subprocess

    import numpy as np

    from profai_cli.audio.files import FileSink, Target
    from tests.test_loudness import _ebur128

    rate = 22_050
    t = np.arange(rate * 4) / rate
    voice = np.sin(2 * np.pi * 180 * t) * 6000  # far under the ceiling
    burst = slice(rate, rate + rate // 20)  # 50 ms at 1 s: a square LAME rings on
    voice[burst] = np.sign(np.sin(2 * np.pi * 220 * t[burst])) * (0.85 * 32767)
    out = tmp_path / f"burst{ext}"
    sink = FileSink(Target(out, ext), rate)

    async def encode() -> None:
        await sink.write(voice.astype(np.int16))
        await sink.drain()

    asyncio.run(encode())
    sink.finish({"title": "burst"}, [])
    assert _ebur128(out)[1] <= -1.0
    decoded = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(out), "-f", "s16le", "-ac", "1", "-ar", str(rate), "-"],
        capture_output=True,
        check=True,
    ).stdout
    heard = np.frombuffer(decoded, dtype="<i2").astype(np.float64)
    later = slice(2 * rate, 3 * rate)
    level = 20 * np.log10(np.sqrt(np.mean(heard[later] ** 2)) / np.sqrt(np.mean(voice[later] ** 2)))
    assert abs(level) <= 0.2, level
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]  # nothing left beside it


@needs_ffmpeg
@pytest.mark.parametrize("ext", [".mp3", ".m4a"])
def test_a_file_given_up_while_its_peaks_are_held_is_never_put_in_place(
    tmp_path: Path, ext: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A signal while a lossy file is encoded again (in a thread: the main one has said
    "Interrupted." and removed the temporary files): nothing appears after it."""
    import asyncio

    import numpy as np

    from profai_cli.audio import peaks
    from profai_cli.audio.files import FileSink, Target

    rate = 22_050
    t = np.arange(rate * 2) / rate
    square = np.sign(np.sin(2 * np.pi * 220 * t)) * (0.85 * 32767)  # over once encoded
    out = tmp_path / f"square{ext}"
    sink = FileSink(Target(out, ext), rate)
    lowered = peaks.lowered

    def given_up_meanwhile(*args: Any) -> np.ndarray:
        sink.close()  # as the main thread does on a signal, while this one encodes on
        return lowered(*args)

    monkeypatch.setattr(peaks, "lowered", given_up_meanwhile)

    async def encode() -> None:
        await sink.write(square.astype(np.int16))
        await sink.drain()

    with contextlib.suppress(ExportError):  # (a thread's error: the main one has gone on)
        asyncio.run(encode())
        sink.finish({"title": "square"}, [])
    assert list(tmp_path.iterdir()) == []


@needs_ffmpeg
@pytest.mark.parametrize("ext", [".mp3", ".ogg", ".opus", ".m4a", ".aac", ".wma"])
def test_a_lossy_file_whose_encoder_overshoots_is_encoded_again_under_the_ceiling(
    tmp_path: Path, ext: str
) -> None:
    """An encoder's overshoot is not bounded by the headroom left before it (LAME: 0.8
    to 1.7 dB on the same lecture): a signal it overshoots by far more is still held
    under -1 dBTP, measured on the file, with nothing left beside it."""
    import asyncio

    import numpy as np

    from profai_cli.audio.files import FileSink, Target
    from tests.test_loudness import _ebur128

    rate = 22_050
    t = np.arange(rate * 6) / rate
    square = np.sign(np.sin(2 * np.pi * 220 * t)) * (0.85 * 32767)  # -1.4 dBFS, edges LAME rings on
    out = tmp_path / f"square{ext}"
    sink = FileSink(Target(out, ext), rate)

    async def encode() -> None:
        for part in np.array_split(square.astype(np.int16), 6):
            await sink.write(part)
        await sink.drain()

    asyncio.run(encode())
    sink.finish({"title": "square"}, [])
    _, peak = _ebur128(out)
    assert peak <= -1.0, peak
    assert peak >= -3.0, peak  # lowered by the excess, not silenced
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]
