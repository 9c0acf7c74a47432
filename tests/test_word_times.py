"""Words in time: estimated word starts, word-level subtitles, and the word being said
highlighted in the panel on a real terminal."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from profai_cli.speech.timing import word_at, word_times
from tests.conftest import PROFAI, clean_env, run_here
from tests.fakes.openai_server import FakeOpenAI
from tests.terminal import TerminalSession

WORDS = "alpha bravo charlie delta echo foxtrot golf hotel india juliett kilo lima".split()
SENTENCE = " ".join(WORDS).capitalize() + "."


def test_word_times_share_the_sentence_by_what_is_said() -> None:
    times = word_times("In 1912, Wegener proposed drift.", 3.0)
    spans = [("In 1912, Wegener proposed drift."[a:b], at) for a, b, at in times]
    assert [w for w, _ in spans] == ["In", "1912,", "Wegener", "proposed", "drift."]
    starts = [at for _, at in spans]
    assert starts == sorted(starts) and 0 < starts[0] < 0.1 and starts[-1] < 3.0
    # "1912" is said "nineteen twelve" (and a comma's pause): far longer than "In".
    assert starts[2] - starts[1] > 3 * (starts[1] - starts[0])
    assert word_at(times, 0.0) is None and word_at(times, 2.95) == 4


def test_word_level_subtitles_vtt_and_srt(fake: FakeOpenAI, home: Path) -> None:
    fake.knobs.lecture = f"# Radio\n\n{SENTENCE}\n"
    vtt, srt = home / "r.vtt", home / "r.srt"
    for subs in (vtt, srt):
        args = ["export", str(home / "r.wav"), "-", "--base-url", fake.base_url, "--tts", "openai"]
        r = run_here([*args, "--subtitles", str(subs), "--words", "-f"], home, stdin="notes")
        assert r.code == 0, r.err
    cue = vtt.read_text().split("\n\n")[2]  # the sentence's cue (after the heading's)
    head, body = cue.split("\n", 1)
    stamps = re.findall(r"<(\d\d:\d\d:\d\d\.\d{3})>(\S+)", body)
    assert [w.strip(".").lower() for _, w in stamps] == WORDS
    start, end = head.split(" --> ")
    assert start < stamps[0][0] and all(
        a < b for (a, _), (b, _) in zip(stamps, stamps[1:], strict=False)
    )
    assert stamps[-1][0] < end
    blocks = srt.read_text().strip().split("\n\n")
    assert [b.split("\n")[2].strip(".").lower() for b in blocks] == ["radio", *WORDS]  # a word each
    r = run_here(["export", str(home / "x.wav"), "-", "--words"], home, stdin="notes")
    assert r.code == 2 and "--subtitles" in r.err


@pytest.mark.audio
def test_the_word_being_said_is_highlighted_as_the_voice_goes(
    fake: FakeOpenAI, home: Path, pulse: str
) -> None:
    fake.knobs.lecture = f"# Radio\n\n{SENTENCE}\n"
    fake.knobs.tts_seconds_per_char = 0.06  # the sentence lasts 4.4 s
    args = [PROFAI, "teach", "-", "--base-url", fake.base_url, "--tts", "openai"]
    with TerminalSession(args, clean_env(home), stdin=b"notes") as session:
        deadline = time.monotonic() + 30
        while "alpha" not in session.underlined().lower() and time.monotonic() < deadline:
            time.sleep(0.02)
        began = time.monotonic()
        seen = []
        for at in (1.0, 2.2, 3.4):
            time.sleep(max(0.0, began + at - time.monotonic()))
            seen.append(session.underlined().strip(".").lower())
        session.send(b"q")
        assert session.wait() == 0
    assert all(w in WORDS for w in seen), seen
    index = [WORDS.index(w) for w in seen]
    assert index == sorted(index) and len(set(index)) == 3  # on through the sentence
    # Where the estimate says it should be, to a word either side (a word is 0.37 s).
    seconds = len(SENTENCE) * 0.06
    times = word_times(SENTENCE, seconds - 0.0)
    for at, k in zip((1.0, 2.2, 3.4), index, strict=True):
        expected = next(i for i, (_, _, t) in reversed(list(enumerate(times))) if t <= at)
        assert abs(k - expected) <= 1, (seen, at)
