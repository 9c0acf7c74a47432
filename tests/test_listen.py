"""Questions by voice, through a virtual microphone on PulseAudio: Piper says the
question (paplay into a null sink whose monitor is the microphone) while profai listens,
with real pocketsphinx offline or the loopback fake's /audio/transcriptions."""

from __future__ import annotations

import subprocess
import time
import wave
from pathlib import Path

import pytest

from tests.audio_tools import Recorder, piper_wav, speak_into_microphone
from tests.conftest import PROFAI, Run, clean_env, run_profai, start_profai
from tests.fakes.openai_server import FakeOpenAI
from tests.terminal import TerminalSession
from tests.test_player import PER_CHAR, _playing
from tests.test_questions import answered_then_resumed

NOTES = Path(__file__).parent / "notes" / "plate-tectonics.md"
QUESTION = "What happens at a transform boundary?"

pytestmark = pytest.mark.audio


def ask_aloud(args: list[str], home: Path, wav: Path, **env: str) -> Run:
    """`profai ask --listen`, the question said once it says it is listening."""
    proc = start_profai(["ask", *args, "--listen"], home, stdin=b"", stdout=subprocess.PIPE)
    assert proc.stderr is not None and proc.stdout is not None
    err = b""
    while b"Listening..." not in err and (line := proc.stderr.readline()):
        err += line
    if b"Listening..." in err:
        speak_into_microphone(wav).wait()
    proc.stdin = None  # given and closed already
    out, rest = proc.communicate(timeout=60)
    return Run(proc.returncode, out.decode(), (err + rest).decode())


def word_errors(said: str, heard: str) -> float:
    """Word error rate: edits between the words, over the words said."""
    a = [w.strip("?.,!").lower() for w in said.split()]
    b = [w.strip("?.,!").lower() for w in heard.split()]
    row = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        prev, row[0] = row[:], i
        for j in range(1, len(b) + 1):
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
    return row[-1] / len(a)


@pytest.fixture(scope="module")
def spoken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return piper_wav(QUESTION, tmp_path_factory.mktemp("mic") / "question.wav")


def test_ask_listen_hears_the_question_offline_and_answers_it_from_the_notes(
    home: Path, microphone: str, spoken: Path
) -> None:
    args = [str(NOTES), "--stt", "pocketsphinx", "--llm", "none", "--no-audio"]
    r = ask_aloud(args, home, spoken)
    assert r.code == 0, r.err
    heard = r.err.split("I heard: '", 1)[1].split("'", 1)[0]
    assert word_errors(QUESTION, heard) <= 0.34 and "transform boundary" in heard
    assert r.out.startswith(f"Q: {heard}\n")
    assert "Transform" in r.out and "slide past each other" in r.out  # the notes' row


def test_ask_listen_through_a_service_sends_the_question_as_a_wav(
    fake: FakeOpenAI, home: Path, microphone: str, spoken: Path
) -> None:
    fake.knobs.transcript = "Why do plates move at all?"
    args = [str(NOTES), "--base-url", fake.base_url, "--no-audio"]
    r = ask_aloud([*args, "--stt", "openai", "--stt-model", "whisper-1"], home, spoken)
    assert r.code == 0, r.err
    sent = fake.requests("/audio/transcriptions")[0].body
    assert sent["model"] == "whisper-1"
    assert "asthenosphere" in sent["prompt"]  # the notes' own terms, as a hint
    wav = home / "sent.wav"
    wav.write_bytes(sent["file_bytes"])
    with wave.open(str(wav)) as w:  # the question, and not much more
        seconds = w.getnframes() / w.getframerate()
        assert w.getframerate() == 16_000 and w.getnchannels() == 1
    with wave.open(str(spoken)) as w:
        said = w.getnframes() / w.getframerate()
    assert said < seconds < said + 1.6  # up to the short silence that ended it
    assert "Q: Why do plates move at all?" in r.out and fake.knobs.answer in r.out


def test_a_service_that_rejects_the_audio_is_one_line_and_exit_3(
    fake: FakeOpenAI, home: Path, microphone: str, spoken: Path
) -> None:
    fake.knobs.stt_fault = "400"
    r = ask_aloud([str(NOTES), "--base-url", fake.base_url, "--stt", "openai"], home, spoken)
    assert r.code == 3, r.err
    error = [line for line in r.err.splitlines() if line.startswith("error:")]
    assert len(error) == 1 and "listening" in error[0] and "Traceback" not in r.err


def test_no_microphone_is_one_line_and_exit_4(home: Path) -> None:
    r = run_profai(
        ["ask", str(NOTES), "--listen", "--stt", "pocketsphinx", "--llm", "none", "--no-audio"],
        home,
        PULSE_SERVER="unix:/nonexistent/pulse",
    )
    assert r.code == 4, r.err
    assert "no microphone" in r.err and "Traceback" not in r.err


def test_v_asks_by_voice_mid_lecture_and_the_lecture_resumes_where_it_paused(
    fake: FakeOpenAI, home: Path, microphone: str, spoken: Path
) -> None:
    from tests.test_player import LECTURE

    fake.knobs.lecture = LECTURE
    fake.knobs.tts_seconds_per_char = PER_CHAR
    notes = home / "tectonics.md"
    notes.write_text(NOTES.read_text())
    args = [PROFAI, "teach", str(notes), "--base-url", fake.base_url, "--tts", "openai"]
    session = TerminalSession([*args, "--stt", "pocketsphinx"], clean_env(home), stdin=b"")
    with Recorder() as rec, session:
        _playing(session, fake, 2)
        asked = session.send(b"v")
        assert session.wait_for(b"Listening with", 20), session.shown()  # the mic is open
        speak_into_microphone(spoken).wait()
        deadline, again = time.monotonic() + 15, False
        while b"I heard: '" not in session.raw and time.monotonic() < deadline:
            if not again and session.showing("I did not catch that"):
                # Asked again: said again, as anyone would, once it listens again.
                assert session.wait_showing("Listening with", 20), session.shown()
                speak_into_microphone(spoken).wait()
                deadline, again = time.monotonic() + 15, True
            time.sleep(0.05)
        assert b"I heard: '" in session.raw, session.shown()
        assert session.wait_showing("boundary'", 2), session.shown()
        assert "transform" in session.shown()
        session.send(b"\r")
        assert session.wait_for(b"Answer", 10)
        # The answer, the sentence it paused in again, whole, and on to the next: however
        # late a busy machine makes them.
        assert session.wait_showing("▶ playing · 5/11", 60), session.shown()
        session.send(b"q")
        assert session.wait() == 0
        audio, marks = rec.stop()
    chats = fake.requests("/chat/completions")
    answer_request = next(c for c in chats if "raised a hand" in c.body["messages"][0]["content"])
    content = answer_request.body["messages"][1]["content"]
    assert "transform boundary" in content
    assert "Sentence number one is here" in content  # the lecture so far...
    assert "notes" in content  # ... and the notes
    answered_then_resumed(fake, audio, marks, asked)


def test_a_question_already_under_way_when_the_microphone_opens_is_heard_whole() -> None:
    import numpy as np

    from profai_cli.audio.mic import FRAME, _Gate

    rate = 16_000
    n = int(rate * FRAME)
    rng = np.random.default_rng(1)
    speech = [rng.normal(0, 0.05, n).astype(np.float32) for _ in range(60)]  # -26 dBFS
    pause = [np.zeros(n, dtype=np.float32) for _ in range(10)]  # 0.3 s: within a question
    quiet = [rng.normal(0, 0.0005, n).astype(np.float32) for _ in range(40)]
    gate = _Gate(rate, end_silence=0.8)
    for block in speech[:30] + pause + speech[30:] + quiet:
        gate.feed(block)
        if gate.ended:
            break
    assert gate.ended and gate.start == 0  # from the first frame...
    assert len(gate.audio()) >= 70 * n  # ... through the pause, to the end of the speech


def test_a_microphone_that_is_not_there_is_said_before_the_lecture(
    home: Path, microphone: str
) -> None:
    args = ["teach", str(NOTES), "--llm", "none", "--input-device", "no such microphone"]
    r = run_profai(args, home, timeout=60)
    assert r.code == 2, r.err
    assert "no input device named like 'no such microphone'" in r.err
    assert r.out == ""  # nothing taught: the typo is said first


def test_ask_listen_on_a_terminal_shows_the_meter_and_esc_cancels(
    home: Path, microphone: str
) -> None:
    args = [PROFAI, "ask", str(NOTES), "--listen", "--stt", "pocketsphinx", "--llm", "none"]
    session = TerminalSession([*args, "--no-audio"], clean_env(home), stdin=None)
    with session:
        assert session.wait_for(b"Listening with pocketsphinx", 20), session.shown()
        assert session.wait_showing("Enter ends · Esc cancels", 5), session.shown()
        assert "░" in session.shown()  # the level meter, as v shows it
        session.send(b"\x1b")
        assert session.wait() == 0, session.shown()
        assert "Cancelled: nothing asked." in session.shown()
        assert session.modes_after == session.modes_before  # the terminal given back
