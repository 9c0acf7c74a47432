"""Nothing lost, nothing silent, nothing leaked: faults injected through the loopback server."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import run_here, run_profai
from tests.fakes.openai_server import FakeOpenAI

LECTURE = (
    "# Tides\n\nThe moon pulls the sea toward it. The sun pulls too, but less. "
    "Twice a day the water rises and falls. Spring tides come when the sun and the moon "
    "line up. Neap tides come when they pull at right angles. Coasts feel all of this.\n"
)


def export_args(fake: FakeOpenAI, out: Path, *extra: str) -> list[str]:
    """`profai export OUT -` with the fake as the lecturer and the voice."""
    return ["export", str(out), "-", "--base-url", fake.base_url, "--tts", "openai", *extra]


@pytest.mark.parametrize(
    ("fault", "overlap", "restarts", "said"),
    [
        ("cut", 0, False, "The connection dropped; continuing the lecture..."),
        ("cut", 14, False, "The connection dropped; continuing the lecture..."),
        ("cut", 0, True, "The connection dropped; continuing the lecture..."),
        ("length", 5, False, "The model reached its length limit; continuing the lecture..."),
        ("drop", 0, False, "The connection dropped; continuing the lecture..."),
    ],
    ids=["cut", "cut-overlap", "cut-restart", "length", "drop"],
)
def test_a_cut_stream_is_continued_and_every_sentence_said_once(
    fake: FakeOpenAI, home: Path, fault: str, overlap: int, restarts: bool, said: str
) -> None:
    fake.knobs.lecture = LECTURE
    fake.knobs.chat_fault = fault
    fake.knobs.fault_times = 1
    fake.knobs.drop_after_tokens = 17
    fake.knobs.resume_overlap = overlap
    fake.knobs.resume_restarts = restarts
    r = run_here(["teach", "-", "--base-url", fake.base_url, "--no-audio"], home, stdin="n")
    assert r.code == 0, r.err
    assert r.out == LECTURE
    assert said in r.err
    chat = fake.requests("/chat/completions")
    assert len(chat) == 2
    resumed = chat[1].body["messages"]
    assert resumed[-2]["role"] == "assistant" and LECTURE.startswith(resumed[-2]["content"])


def test_a_stream_that_cannot_be_continued_is_an_error_and_nothing_is_kept(
    fake: FakeOpenAI, home: Path
) -> None:
    fake.knobs.lecture = LECTURE
    fake.knobs.chat_fault = "cut"
    fake.knobs.drop_after_tokens = 9
    args = ["--base-url", fake.base_url]
    r = run_here(["teach", "-", *args, "--no-audio"], home, stdin="n")
    assert r.code == 3
    assert r.err.count("continuing the lecture") == 3
    assert "incomplete" in r.err.splitlines()[-1]
    assert LECTURE.startswith(r.out.rstrip("\n"))  # what came is shown, nothing repeated
    out = home / "tides.wav"
    r = run_here(["export", str(out), "-", *args, "--tts-base-url", fake.base_url], home, stdin="n")
    assert r.code == 3 and not out.exists()
    assert [p.name for p in home.iterdir() if p.suffix in (".wav", ".part")] == []
    # The cut lecture was not stored: once the server is well, a new one is asked for.
    fake.knobs.chat_fault = None
    before = len(fake.requests("/chat/completions"))
    r = run_here(["export", str(out), "-", *args, "--tts-base-url", fake.base_url], home, stdin="n")
    assert r.code == 0, r.err
    assert len(fake.requests("/chat/completions")) == before + 1


def test_escape_sequences_never_reach_the_terminal(fake: FakeOpenAI, home: Path) -> None:
    hostile = "\x1b]52;c;aGVsbG8=\x07\x1b]0;pwned\x1b\\\x1b[2J"
    fake.knobs.lecture = f"# Tides\n\nThe moon {hostile}pulls the sea.\n"
    r = run_here(
        ["teach", "-", "--base-url", fake.base_url, "--no-audio"], home, stdin=f"n {hostile}"
    )
    assert r.code == 0, r.err
    assert r.out == "# Tides\n\nThe moon pulls the sea.\n"
    assert "\x1b" not in r.out + r.err
    r = run_here(["teach", "-", "--llm", "none", "--no-audio"], home, stdin=f"# A{hostile}\n\nB.")
    assert r.code == 0 and "\x1b" not in r.out + r.err and "\x07" not in r.out
    transcript = home / "t.md"
    r = run_here(
        export_args(fake, home / "t.wav", "--transcript", str(transcript)),
        home,
        stdin="n",
    )
    assert r.code == 0, r.err
    assert (
        "\x1b" not in transcript.read_text() and "The moon pulls the sea." in transcript.read_text()
    )


def test_a_password_in_the_base_url_is_never_shown_or_stored(fake: FakeOpenAI, home: Path) -> None:
    url = fake.base_url.replace("http://", "http://alice:hunter2@")
    stats = home / "stats.json"
    r = run_here(
        ["teach", "-", "--base-url", url, "--no-audio", "--stats-json", str(stats)],
        home,
        stdin="n",
        OPENAI_API_KEY=" sk-trimmed-key\n",
    )
    assert r.code == 0, r.err
    assert "http://***@127.0.0.1" in r.err
    stored = "".join(p.read_text() for p in home.rglob("*.json"))
    assert "hunter2" not in r.out + r.err + stored and "***@" in stored
    r = run_here(
        ["teach", "-", "--base-url", fake.base_url, "--no-audio"],
        home,
        stdin="n",
        OPENAI_API_KEY=" sk-trimmed-key\n",
    )
    assert r.code == 0, r.err
    assert fake.requests("/chat/completions")[-1].authorization == "Bearer sk-trimmed-key"
    stored = "".join(p.read_text() for p in home.rglob("*.json"))
    assert "sk-trimmed-key" not in r.out + r.err + stored + stats.read_text()
    doctor = run_here(["doctor", "--base-url", url], home)
    assert "hunter2" not in doctor.out + doctor.err


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"PROFAI_MINUTES": "nan"}, "minutes (from env PROFAI_MINUTES)"),
        ({"PROFAI_SENTENCE_PAUSE": "nan"}, "sentence-pause (from env PROFAI_SENTENCE_PAUSE)"),
        ({"PROFAI_SPEED": "inf"}, "speed (from env PROFAI_SPEED)"),
        ({"PROFAI_LOOKAHEAD": "0"}, "lookahead (from env PROFAI_LOOKAHEAD)"),
        ({"OPENAI_API_KEY": "sk-caf\u00e9"}, "the API key (from env OPENAI_API_KEY)"),
    ],
)
def test_settings_from_the_environment_are_checked_like_flags(
    home: Path, env: dict[str, str], named: str
) -> None:
    r = run_here(["teach", "-", "--llm", "none", "--no-audio"], home, stdin="n", env=env)
    assert r.code == 2 and r.out == ""
    assert r.err.count("\n") == 1 and named in r.err
    assert "caf\u00e9" not in r.err


def test_a_negative_length_in_the_config_file_is_named(home: Path) -> None:
    config = home / ".config" / "profai" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("minutes = -5\n")
    r = run_here(["teach", "-", "--llm", "none", "--no-audio"], home, stdin="n")
    assert r.code == 2 and "minutes (from file)" in r.err
    r = run_here(["cache", "info"], home, PROFAI_CACHE_MAX_MB="inf")
    assert r.code == 2 and r.err.count("\n") == 1 and "PROFAI_CACHE_MAX_MB" in r.err


def test_a_closed_stdout_ends_quietly_with_141(fake: FakeOpenAI, home: Path) -> None:
    """`| head -1`: the reader goes while the lecture is still being written."""
    import subprocess

    from tests.conftest import PROFAI, clean_env

    # Slow enough that head has gone long before the lecture ends: the next write meets
    # a closed pipe (a fast lecture can fit in the pipe's buffer and end first, exit 0).
    fake.knobs.lecture = LECTURE * 3
    fake.knobs.tokens_per_second = 60
    command = f"'{PROFAI}' teach - --base-url {fake.base_url} --no-audio | head -1"
    proc = subprocess.run(
        f'set -o pipefail; echo notes | {command}; echo "status=$?" >&2',
        shell=True,
        capture_output=True,
        env=clean_env(home),
        executable="/bin/bash",
        timeout=60,
    )
    assert proc.stdout.decode() == "# Tides\n"
    err = proc.stderr.decode()
    assert "Traceback" not in err and "error" not in err.lower(), err
    assert err.rstrip().endswith("status=141"), err


@pytest.mark.parametrize("sig", ["SIGTERM", "SIGHUP"])
def test_sigterm_and_sighup_during_export_leave_nothing(
    fake: FakeOpenAI, home: Path, sig: str
) -> None:
    import signal
    import subprocess
    import time

    from tests.conftest import PROFAI, clean_env

    fake.knobs.lecture = LECTURE * 4
    fake.knobs.tokens_per_second = 40
    fake.knobs.tts_real_time_factor = 0.5
    out = home / "tides.wav"
    tts = ["--tts", "openai", "--tts-base-url", fake.base_url]
    proc = subprocess.Popen(
        [PROFAI, "export", str(out), "-", "--base-url", fake.base_url, *tts],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=clean_env(home),
    )
    assert proc.stdin is not None
    proc.stdin.write(b"notes")
    proc.stdin.close()
    deadline = time.monotonic() + 20
    while not fake.requests("/audio/speech") and time.monotonic() < deadline:
        time.sleep(0.05)
    number = getattr(signal, sig)
    proc.send_signal(number)
    proc.wait(timeout=20)
    assert proc.stderr is not None
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.returncode == 128 + number, err.decode()
    assert b"Traceback" not in err
    assert [p.name for p in home.iterdir() if p.suffix in (".wav", ".part")] == []


def test_stale_parts_are_removed_and_inputs_never_overwritten(fake: FakeOpenAI, home: Path) -> None:
    import os

    stale = home / ".old.wav.abcd1234.part"
    fresh = home / ".new.wav.efgh5678.part"
    for p in (stale, fresh):
        p.write_bytes(b"x")
    os.utime(stale, (1, 1))
    notes = home / "notes.md"
    notes.write_text("# Tides\n\nThe moon pulls the sea.\n")
    args = ["--llm", "none", "--tts-base-url", fake.base_url, "--tts", "openai"]
    r = run_here(["export", str(home / "a.wav"), str(notes), *args], home)
    assert r.code == 0, r.err
    assert not stale.exists() and fresh.exists()
    for extra in ([], ["--transcript", str(notes)]):
        out = [str(home / "b.wav")] if extra else [str(notes)]
        r = run_here(["export", *out, str(notes), *args, "--force", *extra], home)
        assert r.code == 2 and "one of the inputs" in r.err
    assert notes.read_text() == "# Tides\n\nThe moon pulls the sea.\n"


def test_utf16_notes_with_a_bom_are_read(home: Path) -> None:
    notes = home / "notes.md"
    notes.write_bytes(b"\xff\xfe" + "# Tides\n\nThe moon pulls the sea.\n".encode("utf-16-le"))
    r = run_here(["teach", str(notes), "--llm", "none", "--no-audio"], home)
    assert r.code == 0, r.err
    assert "The moon pulls the sea." in r.out


@pytest.mark.piper
def test_a_sentence_the_voice_fails_is_said_by_the_offline_voice(
    fake: FakeOpenAI, home: Path
) -> None:
    import numpy as np
    import soundfile as sf

    pytest.importorskip("piper")
    fake.knobs.lecture = LECTURE
    fake.knobs.tts_fault = "500"
    fake.knobs.fault_times = 6  # the first sentence: the SDK's 3 tries, twice
    out, srt = home / "t.wav", home / "t.srt"
    r = run_here(
        export_args(fake, out, "--lookahead", "1", "--subtitles", str(srt)),
        home,
        stdin="n",
    )
    assert r.code == 0, r.err
    assert r.err.count("the offline voice said that sentence") == 1
    speech = fake.requests("/audio/speech")
    assert [q.status for q in speech[:7]] == [500] * 6 + [200]
    assert len({q.body["input"] for q in speech[:6]}) == 1
    assert speech[6].body["input"] != speech[0].body["input"]
    # Every sentence is in the file: the first in the offline voice, as loud as the rest.
    cues = [line for line in srt.read_text().splitlines() if " --> " in line]
    assert len(cues) == len(speech) - 5
    audio, rate = sf.read(out, dtype="int16")

    def at(stamp: str) -> int:
        h, m, s = stamp.replace(",", ".").split(":")
        return int((int(h) * 3600 + int(m) * 60 + float(s)) * rate)

    def rms(cue: str) -> float:
        start, end = (at(t.strip()) for t in cue.split("-->"))
        part = audio[start:end].astype(np.float64)
        return float(np.sqrt(np.mean(part[np.abs(part) > 50] ** 2)))

    assert 0.5 < rms(cues[0]) / rms(cues[1]) < 2.0


@pytest.mark.audio
def test_a_wrong_key_for_the_voice_is_one_error_and_exit_3(
    fake: FakeOpenAI, home: Path, pulse: str
) -> None:
    fake.knobs.lecture = LECTURE * 20
    fake.knobs.tokens_per_second = 100
    fake.knobs.tts_fault = "401"
    r = run_profai(["teach", "-", "--base-url", fake.base_url, "--tts", "openai"], home, stdin="n")
    assert r.code == 3
    # (a word of its own: the fake's random port may hold the digits 401)
    errors = [line for line in r.err.splitlines() if re.search(r"\b401\b", line)]
    assert len(errors) == 1 and errors[0].startswith("error:"), r.err
    assert "goes on as text" not in r.err and "Continuing" not in r.err
    # It stops at once: the whole lecture (about 20 s of text at this speed) is not written.
    assert len(r.out) < len(fake.knobs.lecture) / 2


@pytest.mark.audio
def test_a_wrong_device_is_said_before_the_lecture(home: Path, pulse: str) -> None:
    r = run_profai(["teach", "-", "--llm", "none", "--device", "999"], home, stdin="# A\n\nB.")
    assert r.code == 2 and r.out == ""
    assert r.err.splitlines()[-1] == "error: no output device with index 999; see `profai devices`"
    assert "Traceback" not in r.err and "Task exception" not in r.err


def test_a_server_that_never_answers_is_given_up_on_at_the_timeout(home: Path) -> None:
    import socket
    import threading
    import time

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:  # takes connections and never says a word
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                pass

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.getsockname()[1]}/v1"
    try:
        started = time.monotonic()
        r = run_here(
            ["teach", "-", "--base-url", url, "--no-audio", "--timeout", "1.5"], home, stdin="n"
        )
        took = time.monotonic() - started
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        server.close()
    assert r.code == 3
    assert r.err.splitlines()[-1] == (
        f"error: {url} did not start the lecture within 1.5 s (--timeout); check the "
        "server, or pass a larger --timeout for a slow model"
    )
    assert "Streaming failed" not in r.err  # no second request that would hang as long
    assert took < 10, f"{took:.1f} s: the SDK's retries must not multiply the wait"


def _file_size_limit(limit: int) -> Callable[[], None]:
    import resource

    def apply() -> None:  # what a full disk looks like to the writer: EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.mark.parametrize("ext", [".wav", ".flac", ".mp3"])
def test_a_full_disk_is_one_line_and_leaves_nothing(fake: FakeOpenAI, home: Path, ext: str) -> None:
    import subprocess

    from tests.conftest import PROFAI, clean_env

    fake.knobs.lecture = LECTURE * 10  # an mp3 of it is well over the limit too
    out = home / f"l{ext}"
    proc = subprocess.run(
        [PROFAI, *export_args(fake, out)],
        input=b"n",
        capture_output=True,
        env=clean_env(home),
        preexec_fn=_file_size_limit(30_000),
        timeout=120,
    )
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert err.splitlines()[-1].startswith(f"error: cannot write {out}: ")
    assert "Traceback" not in err
    assert [p.name for p in home.iterdir() if p.suffix in (ext, ".part")] == []


def test_a_sidecar_that_cannot_be_written_leaves_no_audio(fake: FakeOpenAI, home: Path) -> None:
    transcript = Path("/proc/profai-transcript.md")  # a folder where nobody, root too, writes
    fake.knobs.lecture = LECTURE
    out = home / "l.wav"
    r = run_here(
        export_args(fake, out, "--transcript", str(transcript)),
        home,
        stdin="n",
    )
    assert r.code == 2 and "Traceback" not in r.err
    assert r.err.splitlines()[-1].startswith(f"error: cannot write {transcript}: ")
    assert len(fake.requests("/audio/speech")) > 0  # it failed at the end, after the audio
    assert not out.exists() and not list(home.glob(".*.part"))


def test_keep_partial_keeps_what_was_made_under_a_name_that_says_so(
    fake: FakeOpenAI, home: Path
) -> None:
    import soundfile as sf

    fake.knobs.lecture = LECTURE
    fake.knobs.chat_fault = "cut"
    fake.knobs.drop_after_tokens = 20
    out = home / "tides.wav"
    args = export_args(fake, out)
    r = run_here([*args, "--keep-partial", "--transcript", str(home / "t.md")], home, stdin="n")
    partial = home / "tides.partial.wav"
    assert r.code == 3
    assert r.err.splitlines()[-1].endswith(f"is in {partial}")
    assert not out.exists() and partial.exists() and not (home / "t.md").exists()
    spoken = {q.body["input"] for q in fake.requests("/audio/speech")}
    assert spoken and sf.info(str(partial)).duration > 0.5
    assert not any("Coasts" in s for s in spoken)  # the end never came


@pytest.mark.piper
def test_a_voice_failing_on_every_sentence_is_replaced_not_skipped(
    fake: FakeOpenAI, home: Path
) -> None:
    """Chosen by --tts auto, a voice that fails for every sentence leaves the whole
    lecture to the offline voice, said in one line; asked for by name, it is exit 3."""
    pytest.importorskip("piper")
    fake.knobs.lecture = LECTURE
    fake.knobs.tts_fault = "500"
    out, srt = home / "t.wav", home / "t.srt"
    named = run_here(export_args(fake, out, "--subtitles", str(srt)), home, stdin="n")
    assert named.code == 3 and "failed for every sentence" in named.err, named.err
    assert not out.exists() and not srt.exists()
    args = ["export", str(out), "-", "--base-url", fake.base_url, "--subtitles", str(srt)]
    args += ["--tts-base-url", fake.base_url]  # --tts auto: the service's voice, then Piper's
    r = run_here(args, home, stdin="n")
    assert r.code == 0, r.err
    assert r.err.count("the whole lecture is in the offline voice") == 1, r.err
    assert "the offline voice said that sentence" not in r.err  # one notice, not one each
    from profai_cli.speech import segment

    cues = [line for line in srt.read_text().splitlines() if " --> " in line]
    assert len(cues) == len(segment(LECTURE))  # every sentence is in the file
