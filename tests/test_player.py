"""The player's keys on a real terminal, heard from the PulseAudio null sink's monitor.

profai runs in a pseudo-terminal that is its controlling terminal (as in a real one),
its notes on stdin and the keys typed through /dev/tty; the loopback fake gives each
sentence its own tone, so the recording tells what was heard when. What needs no real
terminal or sound card (left and right, up, q and resuming) is tested in process, in
tests/test_player_in_process.py, as is the panel on a small terminal (tests/test_panel.py).
"""

from __future__ import annotations

import itertools
import time
from pathlib import Path

import pytest

from tests.audio_tools import Heard, Recorder, heard_tones, sample_time
from tests.conftest import PROFAI, clean_env
from tests.fakes.openai_server import FakeOpenAI
from tests.terminal import TerminalSession

WORDS = "one two three four five six seven eight nine ten".split()
LECTURE = (
    "# Counting\n\n"
    + " ".join(f"Sentence number {w} is here to be said aloud." for w in WORDS)
    + "\n"
)
# Each sentence's tone lasts about two seconds: room for a key to land in the middle of
# one on a busy machine, where the key can take a few hundred milliseconds to act.
PER_CHAR = 0.04
SECONDS = len("Sentence number three is here to be said aloud.") * PER_CHAR
SPACE = b" "  # left, right and up: tests/test_player_in_process.py

pytestmark = pytest.mark.audio


def _session(
    fake: FakeOpenAI, home: Path, *extra: str, lecture: str = LECTURE, per_char: float = PER_CHAR
) -> TerminalSession:
    fake.knobs.lecture = lecture
    fake.knobs.tts_seconds_per_char = per_char
    args = [PROFAI, "teach", "-", "--base-url", fake.base_url, "--tts", "openai", *extra]
    return TerminalSession(args, clean_env(home), stdin=b"notes")


def _heard(fake: FakeOpenAI, audio, marks) -> list[Heard]:  # type: ignore[no-untyped-def]
    """Each sentence heard, in order, its start and end in monotonic time; a sentence
    split by a moment's dropout (a busy machine) is one."""
    out = []
    for h in heard_tones(audio, {f: text for text, f in fake.tones().items()}):
        start = sample_time(marks, int(h.start * 24_000))
        out.append(Heard(h.text, start, start + h.end - h.start, h.sounded))
    return out


def _at(heard: list[Heard], moment: float) -> int:
    """The sentence being heard at ``moment`` (or in the pause after it)."""
    return next(i for i, h in enumerate(heard) if h.start < moment < h.end + 0.2)


def _playing(session: TerminalSession, fake: FakeOpenAI, sentence: int) -> None:
    """Until the voice is a third of the way into this sentence (of the counted ones)."""
    assert _on(session, sentence, 30), session.shown()
    time.sleep(SECONDS / 3)


def _on(session: TerminalSession, sentence: int, timeout: float) -> bool:
    """The status line says the voice is on this sentence (the heading is the first of
    the lecture's eleven; the sentence itself is marked in the text, not repeated)."""
    return session.wait_showing(f"▶ playing · {sentence + 2}/11", timeout)


def _sentence(i: int) -> str:
    return f"Sentence number {WORDS[i]} is here to be said aloud."


def test_space_pauses_at_once_and_resumes_where_it_stopped(
    fake: FakeOpenAI, home: Path, pulse: str
) -> None:
    with Recorder() as rec, _session(fake, home) as session:
        _playing(session, fake, 2)
        paused = session.send(SPACE)
        time.sleep(1.2)
        resumed = session.send(SPACE)
        time.sleep(SECONDS + 0.5)
        session.send(b"q")
        assert session.wait() == 0
        audio, marks = rec.stop()
    heard = _heard(fake, audio, marks)
    i = _at(heard, paused)
    before, after = heard[i], heard[i + 1]
    # The same sentence goes on after the pause: the sound stopped inside it (how soon,
    # under 0.1 s on an idle machine, is benchmarks/playback.py's), and the silence
    # lasted as long as the pause, give or take how long each key took to act.
    assert before.text == after.text
    assert after.start - before.end == pytest.approx(resumed - paused, abs=0.4)
    # Nothing of it lost or said twice: its parts (two, or more where a busy machine's
    # card ran dry after the resume) make one sentence's length (to the device's own
    # estimate of what it had played: a word is some 300 ms).
    rest = list(itertools.takewhile(lambda h: h.text == before.text, heard[i + 1 :]))
    assert before.sounded + sum(h.sounded for h in rest) == pytest.approx(SECONDS, abs=0.08)
    assert session.modes_after == session.modes_before  # the terminal as it was


def test_every_silence_is_shown_as_waiting_while_it_lasts(
    fake: FakeOpenAI, home: Path, pulse: str
) -> None:
    """A lecturer slower than the voice: each sentence is said before the next is
    written. Every silence over a second in the recording (beyond the set pause) was
    shown on the status line as waiting for the lecturer while it lasted (how soon,
    within 0.2 s on an idle machine, is benchmarks/playback.py's)."""
    fake.knobs.tokens_per_second = 5  # a sentence of ~13 tokens every 2.6 s, said in 1 s
    lecture = LECTURE.split(" Sentence number six")[0] + "\n"  # five sentences
    with (
        Recorder() as rec,
        _session(fake, home, "--stats", lecture=lecture, per_char=0.02) as session,
    ):
        assert session.wait(timeout=60) == 0
        audio, marks = rec.stop()
    heard = _heard(fake, audio, marks)
    pause = 0.2  # the sentence pause, silence the voice means
    silences = [
        (before.end + pause, after.start)
        for before, after in zip(heard, heard[1:], strict=False)
        if after.start - before.end - pause > 1.0
    ]
    assert len(silences) >= 3, heard
    for began, ended in silences:
        shown = session.seen_at(b"waiting for the lecturer", began - 0.3)
        assert shown is not None and shown < ended, (began, shown, ended)
    assert b"silences waiting for the voice" in session.raw  # and --stats counts them
