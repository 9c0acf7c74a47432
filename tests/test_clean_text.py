"""One rule for text from anywhere (safe_text.strip_controls): stored lectures, transcripts,
`say`, file names in playlists, notes and status lines alike; and the smaller rows of the
probe (an unbroken word, a doubled error line, a write error with no file name)."""

from __future__ import annotations

import errno
import json
import time
from pathlib import Path

import pytest

from tests.conftest import run_here
from tests.fakes.openai_server import FakeOpenAI

NOTES = "# Tides\n\nThe moon pulls the sea. Tides rise twice a day.\n"
PLANTED = "# Tides\n\nThe moon \x1b]0;PWNED\x07pulls \x1b[2Jthe sea.\u202e Tides\x9b rise.\n"
BAD = ("\x1b", "\x07", "\u202e", "\x9b", "PWNED")


def _clean(*texts: str) -> None:
    for text in texts:
        for bad in BAD:
            assert bad not in text, (bad, text)


def _voice_inputs(fake: FakeOpenAI) -> str:
    return " ".join(str(q.body.get("input", "")) for q in fake.requests("/audio/speech"))


def test_a_planted_stored_lecture_is_cleaned_everywhere(fake: FakeOpenAI, home: Path) -> None:
    from profai_cli.core.config import resolve
    from profai_cli.lecture import store

    notes = home / "notes.md"
    notes.write_text(NOTES)
    settings, _ = resolve({"llm": "none"}, env={}, file_values={})
    key = store.lecture_key(NOTES, settings, "your notes, narrated (no LLM)")
    folder = home / ".local/share/profai/lectures"
    folder.mkdir(parents=True)
    (folder / f"{key}.json").write_text(json.dumps({"text": PLANTED, "complete": True}))
    out, transcript, srt = home / "t.wav", home / "t.md", home / "t.srt"
    r = run_here(
        ["export", str(out), str(notes), "--llm", "none", "--tts", "openai", "--tts-base-url",
         fake.base_url, "--transcript", str(transcript), "--subtitles", str(srt)],
        home,
    )  # fmt: skip
    assert r.code == 0 and "Reusing" in r.err, r.err
    _clean(r.out, r.err, transcript.read_text(), srt.read_text(), _voice_inputs(fake))
    assert "pulls the sea" in transcript.read_text()


def test_a_transcript_with_escapes_is_cleaned(fake: FakeOpenAI, home: Path) -> None:
    given = home / "given.md"
    given.write_text(PLANTED)
    transcript, srt = home / "t.md", home / "t.srt"
    r = run_here(
        ["export", str(home / "t.wav"), "--from-transcript", str(given), "--tts", "openai",
         "--tts-base-url", fake.base_url, "--transcript", str(transcript), "--subtitles",
         str(srt)],
        home,
    )  # fmt: skip
    assert r.code == 0, r.err
    _clean(r.out, r.err, transcript.read_text(), srt.read_text(), _voice_inputs(fake))


def test_say_never_passes_an_escape_to_the_terminal(home: Path) -> None:
    r = run_here(["say", "Hi \x1b]0;PWNED\x07there \u202eyou.", "--show"], home)
    assert r.code == 0 and "Hi" in r.out and "there" in r.out, r.err
    _clean(r.out, r.err)


def test_notes_and_status_lines_lose_bidi_overrides(home: Path) -> None:
    notes = home / "notes\u202etxt.md"
    notes.write_text("# Tides\n\nThe moon \u202epulls the sea.\n")
    r = run_here(["teach", str(notes), "--no-audio", "--llm", "none"], home)
    assert r.code == 0 and "pulls the sea" in r.out, r.err
    _clean(r.out, r.err)
    missing = run_here(["teach", str(home / "gone\u202e.md"), "--no-audio"], home)
    assert missing.code == 2, missing.err
    _clean(missing.err)


def test_a_newline_in_a_course_file_name_adds_no_playlist_entry(
    fake: FakeOpenAI, home: Path
) -> None:
    course = home / "course"
    course.mkdir()
    (course / "week1.md").write_text("# Week 1\n\nThe moon pulls the sea.\n")
    (course / "week2\n#EXTINF:1,evil\nevil.md").write_text("# Week 2\n\nWaves carry energy.\n")
    out = home / "out"
    r = run_here(
        ["export", f"{out}/", str(course), "--llm", "none", "--tts", "openai",
         "--tts-base-url", fake.base_url, "--format", "wav"],
        home,
        timeout=120,
    )  # fmt: skip
    assert r.code == 0, r.err
    playlist = (out / "out.m3u").read_text().splitlines()
    entries = [line for line in playlist if line and not line.startswith("#")]
    assert len(entries) == 2 and all((out / e).is_file() for e in entries), playlist
    assert sum(line.startswith("#EXTINF") for line in playlist) == 2, playlist


def test_one_unbroken_word_costs_linear_time() -> None:
    from profai_cli.speech import segment

    started = time.process_time()  # this process's CPU: other workers' load is not ours
    chunks = segment("a" * 1_900_000)
    assert time.process_time() - started < 3  # well under a second; quadratic: hours
    assert sum(len(c.text) for c in chunks) >= 1_900_000


def test_a_content_filter_is_said_once(fake: FakeOpenAI, home: Path) -> None:
    fake.knobs.lecture = "# Tides\n\n" + "The moon pulls the sea every day. " * 20
    fake.knobs.chat_fault = "content_filter"
    notes = home / "notes.md"
    notes.write_text(NOTES)
    r = run_here(["teach", str(notes), "--no-audio", "--base-url", fake.base_url], home)
    assert r.code == 3, r.err
    errors = [line for line in r.err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and errors[0].count("incomplete") == 1, r.err


def test_a_failed_write_names_its_file(tmp_path: Path) -> None:
    from profai_cli.core.outputs import write_whole

    target = tmp_path / "stats.json"

    def full(temporary: str) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")  # as a flush says it

    with pytest.raises(OSError) as caught:
        write_whole(target, full)
    assert caught.value.filename == str(target)
    assert not list(tmp_path.iterdir())
