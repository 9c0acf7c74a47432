"""`profai export`: files that decode to exactly what was spoken, safely written."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from profai_cli.speech import ChunkKind, segment
from profai_cli.speech.spoken import written
from tests.audio_tools import tones
from tests.conftest import Run, run_here, start_profai, wait_until
from tests.fakes.openai_server import PCM_RATE, FakeOpenAI

LECTURE = (
    "# Light and plants\n\n"
    "Plants turn light into sugar in their leaves. The process is called photosynthesis.\n\n"
    "## The two stages\n\n"
    "First the light reactions split water. Then the Calvin cycle builds sugar from air.\n"
)
PAUSE = {ChunkKind.SENTENCE: 0.2, ChunkKind.HEADING: 0.5, ChunkKind.PARAGRAPH_END: 0.5}


def _export(
    fake: FakeOpenAI, home: Path, out: Path, *extra: str, stdin: str = "notes", **env: str
) -> Run:
    return run_here(
        ["export", str(out), "-", "--base-url", fake.base_url, "--tts", "openai", *extra],
        home,
        stdin=stdin,
        env=env,
    )


def _expected_samples(fake: FakeOpenAI, text: str) -> int:
    total = 0
    for c in segment(text):
        seconds = max(fake.knobs.tts_min_seconds, len(c.text) * fake.knobs.tts_seconds_per_char)
        total += int(round(seconds * PCM_RATE)) + int(PCM_RATE * PAUSE[c.kind])
    return total


@pytest.mark.parametrize(
    ("ext", "slack", "ffmpeg"),
    [
        (".wav", 0, True),
        (".flac", 0, True),
        (".ogg", 2048, True),
        (".opus", 2048, True),
        (".mp3", 1152, True),  # through ffmpeg's LAME
        (".mp3", 1152, False),  # through libsndfile's, where there is no ffmpeg
    ],
)
def test_each_format_decodes_to_the_spoken_length(
    fake: FakeOpenAI, home: Path, ext: str, slack: int, ffmpeg: bool
) -> None:
    import os
    import sys

    fake.knobs.lecture = LECTURE
    out = home / f"lecture{ext}"
    no_ffmpeg = {} if ffmpeg else {"PATH": os.path.dirname(sys.executable)}
    r = _export(fake, home, out, **no_ffmpeg)
    assert r.code == 0, r.err
    audio, rate = sf.read(str(out), dtype="int16")
    assert rate == PCM_RATE
    expected = _expected_samples(fake, LECTURE)
    assert abs(len(audio) - expected) <= max(1, slack), (len(audio), expected)
    assert not list(home.glob(".*.part"))
    assert out.stat().st_mode & 0o044  # readable like any file the user makes


def test_subtitle_cues_match_the_tones_in_the_audio(fake: FakeOpenAI, home: Path) -> None:
    fake.knobs.lecture = LECTURE
    out, srt, vtt = home / "l.flac", home / "l.srt", home / "l.vtt"
    assert _export(fake, home, out, "--subtitles", str(srt)).code == 0
    assert _export(fake, home, home / "l2.flac", "--subtitles", str(vtt)).code == 0
    audio, rate = sf.read(str(out), dtype="int16")
    found = tones(audio, rate)
    cues = _parse_srt(srt.read_text())
    # Each cue shows its chunk as written (the voice got words; the screen keeps the text).
    assert [c[2] for c in cues] == [written(LECTURE[c.start : c.end]) for c in segment(LECTURE)]
    assert len(found) == len(cues)
    for (start, end, _), tone in zip(cues, found, strict=True):
        assert abs(start - tone.start) < 0.03 and abs(end - tone.end) < 0.03
    assert vtt.read_text().startswith("WEBVTT\n\n00:00:00.000 --> ")


def _parse_srt(text: str) -> list[tuple[float, float, str]]:
    def secs(stamp: str) -> float:
        h, m, rest = stamp.split(":")
        s, ms = rest.split(",")
        return int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000

    cues = []
    for block in text.strip().split("\n\n"):
        _, times, words = block.split("\n", 2)
        a, b = times.split(" --> ")
        cues.append((secs(a), secs(b), words))
    return cues


def test_mp3_has_tags_and_chapters_and_the_transcript_lists_them(
    fake: FakeOpenAI, home: Path
) -> None:
    from mutagen.id3 import ID3

    fake.knobs.lecture = LECTURE
    out, md = home / "l.mp3", home / "l.md"
    notes = "# Photosynthesis basics\n\nLight, water, air."
    r = _export(fake, home, out, "--transcript", str(md), stdin=notes)
    assert r.code == 0, r.err
    tags = ID3(str(out))
    assert str(tags["TIT2"]) == "Photosynthesis basics"
    assert str(tags["TPE1"]) == "profai"
    chaps = sorted(tags.getall("CHAP"), key=lambda c: c.start_time)
    assert [str(c.sub_frames["TIT2"]) for c in chaps] == ["Light and plants", "The two stages"]
    assert chaps[0].start_time == 0 and chaps[1].start_time > 3000
    transcript = md.read_text()
    assert transcript.endswith(LECTURE)
    assert "Chapters:" in transcript and "The two stages" in transcript.split("-->")[0]
    r = _export(fake, home, home / "t.mp3", "--title", "My title")
    assert str(ID3(str(home / "t.mp3"))["TIT2"]) == "My title"


def test_unknown_format_and_existing_files(fake: FakeOpenAI, home: Path) -> None:
    r = _export(fake, home, home / "lecture.xyz")
    assert r.code == 2 and ".mp3" in r.err and ".flac" in r.err
    existing = home / "old.wav"
    existing.write_bytes(b"keep me")
    r = _export(fake, home, existing)
    assert r.code == 2 and "--force" in r.err
    assert existing.read_bytes() == b"keep me"
    assert fake.log == []  # nothing was asked of the services
    r = _export(fake, home, existing, "--force")
    assert r.code == 0 and sf.info(str(existing)).frames > 0


def test_ffmpeg_formats_need_ffmpeg(fake: FakeOpenAI, home: Path) -> None:
    r = _export(fake, home, home / "l.m4a", PATH="/nonexistent")
    assert r.code == 2 and "ffmpeg" in r.err


@pytest.mark.ffmpeg
def test_m4a_through_ffmpeg(fake: FakeOpenAI, home: Path) -> None:
    import shutil

    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed")
    r = _export(fake, home, home / "l.m4a")
    assert r.code == 0, r.err
    probe = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-show_entries",
            "format=duration",
            "-of",
            "csv=p=0",
            str(home / "l.m4a"),
        ],
        capture_output=True,
        text=True,
    )
    assert float(probe.stdout) == pytest.approx(
        _expected_samples(fake, fake.knobs.lecture) / PCM_RATE, abs=0.1
    )
    assert not list(home.glob("*.wav")) and not list(home.glob(".*.part"))


def test_ctrl_c_leaves_nothing_behind(fake: FakeOpenAI, home: Path) -> None:
    fake.knobs.lecture = " ".join(f"Sentence number {i} is spoken slowly." for i in range(40))
    fake.knobs.tts_real_time_factor = 1.0
    out = home / "l.mp3"
    args = ["export", str(out), "-", "--base-url", fake.base_url, "--tts", "openai"]
    with start_profai([*args, "--subtitles", str(home / "l.srt")], home) as proc:
        wait_until(lambda: len(fake.requests("/audio/speech")) >= 2)
        assert list(home.glob(".l.mp3.*.part")), "the export was under way"
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 130
    assert sorted(p.name for p in home.iterdir() if p.name != ".cache" and p.name != ".local") == []


def test_a_failing_voice_writes_nothing(fake: FakeOpenAI, home: Path) -> None:
    fake.knobs.tts_fault = "401"
    out = home / "l.wav"
    r = _export(fake, home, out)
    assert r.code == 3 and "nothing was written" in r.err
    assert not out.exists() and not list(home.glob(".*.part"))


def test_export_again_reuses_the_lecture_and_the_voice(fake: FakeOpenAI, home: Path) -> None:
    fake.knobs.lecture = LECTURE
    assert _export(fake, home, home / "a.wav").code == 0
    before = len(fake.log)
    r = _export(fake, home, home / "b.wav")
    assert r.code == 0 and "Reusing" in r.err
    assert len(fake.log) == before  # no LLM call, no synthesis
    a, _ = sf.read(str(home / "a.wav"), dtype="int16")
    b, _ = sf.read(str(home / "b.wav"), dtype="int16")
    assert np.array_equal(a, b)
    _export(fake, home, home / "c.wav", "--fresh")
    assert len(fake.requests("/chat/completions")) == 2
    _export(fake, home, home / "d.wav", "--level", "expert")
    assert len(fake.requests("/chat/completions")) == 3  # other options, other lecture


def test_exporting_what_was_just_taught_makes_no_request(fake: FakeOpenAI, home: Path) -> None:
    from tests.fakes.device import on_a_virtual_card

    fake.knobs.lecture = LECTURE
    args = ["teach", "-", "--base-url", fake.base_url, "--tts", "openai", "-q"]
    r = run_here(args, home, stdin="notes", engines=on_a_virtual_card())
    assert r.code == 0, r.err
    before = len(fake.log)
    assert _export(fake, home, home / "l.mp3").code == 0
    assert len(fake.log) == before


def test_from_transcript_speaks_the_edited_text_with_no_llm(fake: FakeOpenAI, home: Path) -> None:
    script = home / "edited.md"
    script.write_text("<!--\nChapters:\n  00:00:00  Old\n-->\n\n# Edited\n\nMy own words here.\n")
    r = run_here(
        [
            "export",
            str(home / "e.wav"),
            "--from-transcript",
            str(script),
            "--tts",
            "openai",
            "--tts-base-url",
            fake.base_url,
        ],
        home,
    )
    assert r.code == 0, r.err
    assert fake.requests("/chat/completions") == []
    assert sorted(q.body["input"] for q in fake.requests("/audio/speech")) == [
        "Edited.",
        "My own words here.",
    ]  # requested concurrently, so in any order


def test_no_progress_bar_or_escape_codes_off_a_terminal(fake: FakeOpenAI, home: Path) -> None:
    r = _export(fake, home, home / "l.wav")
    assert r.code == 0 and "\x1b" not in r.err
    r = _export(fake, home, home / "q.wav", "--quiet")
    assert r.code == 0 and r.err == ""


def test_subtitles_keep_the_formula_as_written_while_the_voice_says_it(
    fake: FakeOpenAI, home: Path
) -> None:
    fake.knobs.lecture = "# Energy\n\nEinstein wrote $E = mc^2$ in 1905.\n"
    srt = home / "l.srt"
    assert _export(fake, home, home / "l.flac", "--subtitles", str(srt)).code == 0
    shown = [c[2] for c in _parse_srt(srt.read_text())]
    assert shown == ["Energy", "Einstein wrote $E = mc^2$ in 1905."]
    said = [q.body["input"] for q in fake.requests("/audio/speech")]
    assert "Einstein wrote E equals m c squared in nineteen oh five." in said


def _to_stdout(fake: FakeOpenAI, home: Path, fmt: str) -> subprocess.CompletedProcess[bytes]:
    from tests.conftest import PROFAI, clean_env

    args = [PROFAI, "export", "-", "-", "--base-url", fake.base_url, "--tts", "openai"]
    return subprocess.run(
        [*args, "--format", fmt],
        input=b"notes",
        capture_output=True,
        timeout=60,
        env=clean_env(home),
    )


def test_export_to_stdout_streams_a_wav_a_reader_can_decode(fake: FakeOpenAI, home: Path) -> None:
    import io

    import soundfile as sf

    fake.knobs.lecture = "# Tides\n\nThe moon pulls the sea. The sun pulls too, but less.\n"
    done = _to_stdout(fake, home, "wav")
    assert done.returncode == 0, done.stderr
    assert done.stdout[:4] == b"RIFF" and b"Wrote stdout" in done.stderr
    audio, rate = sf.read(io.BytesIO(done.stdout), dtype="int16")
    # The same audio as an export to a file of the same lecture (reused: no new request).
    r = _export(fake, home, home / "same.wav")
    assert r.code == 0, r.err
    same, _ = sf.read(home / "same.wav", dtype="int16")
    assert rate == 24_000 and len(audio) == len(same) and np.array_equal(audio, same)
    raw = _to_stdout(fake, home, "raw")
    assert raw.returncode == 0 and raw.stdout == audio.astype("<i2").tobytes()


@pytest.mark.ffmpeg
def test_export_to_stdout_as_mp3_and_a_reader_that_goes_away(fake: FakeOpenAI, home: Path) -> None:
    import shutil

    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed")
    fake.knobs.lecture = "# Tides\n\n" + "The moon pulls the sea toward it. " * 40 + "\n"
    done = _to_stdout(fake, home, "mp3")
    assert done.returncode == 0, done.stderr
    decoded = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", "pipe:0", "-f", "s16le", "-"],
        input=done.stdout,
        capture_output=True,
        check=True,
    ).stdout
    assert len(decoded) > 24_000 * 2 * 10  # well over ten seconds of speech


# The fake server's handler thread leaves its socket's reader to the garbage collector
# when its client dies mid-response (here, by SIGPIPE): a leak in the test's server.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_export_to_stdout_stops_quietly_when_the_reader_goes(fake: FakeOpenAI, home: Path) -> None:
    """`| head -c 1000`: the reader goes away; the export stops quietly with 141."""
    from tests.conftest import PROFAI, clean_env

    fake.knobs.lecture = "# Tides\n\n" + "The moon pulls the sea toward it. " * 40 + "\n"
    args = [PROFAI, "export", "-", "-", "--base-url", fake.base_url, "--tts", "openai"]
    proc = subprocess.Popen(
        [*args, "--format", "wav"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=clean_env(home),
    )
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    proc.stdin.write(b"notes")
    proc.stdin.close()
    proc.stdout.read(1000)
    proc.stdout.close()
    assert proc.wait(timeout=30) == 141
    assert b"Traceback" not in proc.stderr.read()


def test_export_to_stdout_refuses_what_needs_a_file(home: Path) -> None:
    r = run_here(["export", "-", "-", "--format", "m4a"], home, stdin="n")
    assert r.code == 1 or r.code == 2, r.err
    assert "cannot go to stdout" in r.err and r.err.count("error:") == 1


@pytest.mark.ffmpeg
def test_an_m4b_audiobook_has_a_chapter_for_each_heading(fake: FakeOpenAI, home: Path) -> None:
    import json
    import shutil

    if shutil.which("ffprobe") is None:
        pytest.skip("ffmpeg is not installed")
    fake.knobs.lecture = (
        "# Tides\n\n## The moon\n\nThe moon pulls the sea.\n\n"
        "## The sun\n\nThe sun pulls too, but less.\n"
    )
    out = home / "tides.m4b"
    r = _export(fake, home, out, "--title", "Tides; and = more")
    assert r.code == 0, r.err
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-show_chapters", "-show_format", "-of", "json", str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(probe.stdout)
    titles = [c["tags"]["title"] for c in data["chapters"]]
    assert titles == ["Tides", "The moon", "The sun"]
    starts = [float(c["start_time"]) for c in data["chapters"]]
    assert starts == sorted(starts) and starts[0] == 0
    assert data["format"]["tags"]["title"] == "Tides; and = more"


def test_a_cover_goes_into_an_m4b_and_an_mp3(fake: FakeOpenAI, home: Path) -> None:
    import json
    import shutil

    if shutil.which("ffprobe") is None:
        pytest.skip("ffmpeg is not installed")
    cover = home / "cover.png"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "color=c=blue:s=64x64", "-frames:v", "1",
         str(cover)],
        check=True,
    )  # fmt: skip
    fake.knobs.lecture = "# Tides\n\nThe moon pulls the sea.\n"
    book, mp3 = home / "tides.m4b", home / "tides.mp3"
    assert _export(fake, home, book, "--cover", str(cover)).code == 0
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-show_streams", "-of", "json", str(book)],
        capture_output=True,
        text=True,
        check=True,
    )
    streams = json.loads(probe.stdout)["streams"]
    pictures = [s for s in streams if s["codec_type"] == "video"]
    assert len(pictures) == 1 and pictures[0]["disposition"]["attached_pic"] == 1  # a cover
    assert _export(fake, home, mp3, "--cover", str(cover)).code == 0
    from mutagen.id3 import ID3

    frames = ID3(str(mp3)).getall("APIC")
    assert len(frames) == 1 and frames[0].data == cover.read_bytes()
    r = _export(fake, home, home / "t.wav", "--cover", str(cover))
    assert r.code == 2 and ".m4b" in r.err
    r = _export(fake, home, home / "t2.mp3", "--cover", str(home / "nope.png"))
    assert r.code == 2 and "no such picture" in r.err
