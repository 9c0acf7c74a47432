"""`profai teach` as a user runs it: the installed command against the loopback server."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, Run, clean_env, python, run_here, start_profai
from tests.fakes.openai_server import FakeOpenAI

ESC = "\x1b"


def test_help_imports_nothing_heavy(home: Path) -> None:
    code = (
        "import sys, runpy\n"
        "sys.argv = ['profai', '--help']\n"
        "try:\n    runpy.run_module('profai_cli', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "heavy = [m for m in ('openai', 'numpy', 'sounddevice', 'piper', 'llama_cpp', 'soxr')"
        " if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run(
        [python(), "-c", code], capture_output=True, text=True, env=clean_env(home), timeout=30
    )
    assert "Usage" in out.stdout
    assert "HEAVY []" in out.stdout, out.stdout[-300:]


def test_teach_streams_plain_text_when_not_a_terminal(fake: FakeOpenAI, home: Path) -> None:
    fake.knobs.lecture = "# Waves\n\nA wave carries energy. It does not carry matter.\n"
    r = run_here(
        ["teach", "--base-url", fake.base_url, "--no-audio"], home, stdin="Notes about waves."
    )
    assert r.code == 0, r.err
    assert r.out == fake.knobs.lecture
    assert ESC not in r.out and ESC not in r.err
    lines = r.err.splitlines()
    assert "Preparing lecture..." in lines
    assert "Generating lecture in real time..." in lines
    assert lines[-1].startswith("Lecture done: 10 words in ")
    assert "first token after" in lines[-1]
    chat = fake.requests("/chat/completions")
    assert len(chat) == 1 and chat[0].body["stream"] is True
    prompt = chat[0].body["messages"][-1]["content"]
    assert "Notes about waves." in prompt


def test_notes_file_and_lecture_options_reach_the_prompt(fake: FakeOpenAI, home: Path) -> None:
    r = run_here(
        [
            "teach",
            str(EXAMPLES / "photosynthesis.md"),
            "--base-url",
            fake.base_url,
            "--no-audio",
            "--level",
            "beginner",
            "--minutes",
            "3",
            "--language",
            "French",
            "--focus",
            "the Calvin cycle",
            "--model",
            "my-model",
        ],
        home,
    )
    assert r.code == 0, r.err
    body = fake.requests("/chat/completions")[0].body
    assert body["model"] == "my-model"
    system, user = body["messages"][0]["content"], body["messages"][1]["content"]
    assert "lecturer" in system
    assert "French" in user and "about 3 minutes" in user and "the Calvin cycle" in user
    assert "beginner" in user
    assert "chlorophyll" in user.lower()


def test_env_configures_model_url_and_key(fake: FakeOpenAI, home: Path) -> None:
    r = run_here(
        ["teach", "-", "--no-audio"],
        home,
        stdin="notes",
        OPENAI_BASE_URL=fake.base_url,
        OPENAI_API_KEY="sk-env-key",
        PROFAI_MODEL="env-model",
    )
    assert r.code == 0, r.err
    req = fake.requests("/chat/completions")[0]
    assert req.body["model"] == "env-model"
    assert req.authorization == "Bearer sk-env-key"


def test_no_color_and_dumb_pipes_get_no_escape_codes(fake: FakeOpenAI, home: Path) -> None:
    r = run_here(
        ["teach", "--base-url", fake.base_url, "--no-audio"],
        home,
        stdin="x",
        NO_COLOR="1",
        TERM="xterm-256color",
    )
    assert r.code == 0
    assert ESC not in r.out + r.err


# -- bad input: one line, exit 2 -------------------------------------------------------------


def _one_line_error(r: Run, *needles: str) -> None:
    assert r.code == 2, (r.code, r.err)
    lines = r.err.strip().splitlines()
    assert len(lines) == 1, r.err
    assert lines[0].startswith("error: ")
    for needle in needles:
        assert needle in lines[0], lines[0]
    assert "Traceback" not in r.err and r.out == ""


def test_missing_notes_file(home: Path, fake: FakeOpenAI) -> None:
    r = run_here(["teach", str(home / "nope.md"), "--base-url", fake.base_url], home)
    _one_line_error(r, "not found", "nope.md")
    assert fake.log == []


def test_a_folder_with_no_notes_in_it(home: Path, fake: FakeOpenAI) -> None:
    (home / "photo.jpg").write_bytes(b"\xff\xd8 not notes")
    _one_line_error(
        run_here(["teach", str(home), "--base-url", fake.base_url], home), "holds no notes files"
    )
    assert fake.requests("/chat/completions") == []


def test_unreadable_notes(home: Path, fake: FakeOpenAI) -> None:
    # /proc/self/mem opens but cannot be read at offset 0: a real I/O error, even as root.
    _one_line_error(
        run_here(["teach", "/proc/self/mem", "--base-url", fake.base_url], home), "cannot read"
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_permission_denied_notes(home: Path, fake: FakeOpenAI) -> None:  # pragma: no cover
    p = home / "secret.md"
    p.write_text("notes")
    p.chmod(0)
    _one_line_error(
        run_here(["teach", str(p), "--base-url", fake.base_url], home), "permission denied"
    )


@pytest.mark.parametrize("content", [b"", b"   \n\t\n  "])
def test_empty_or_blank_notes(home: Path, fake: FakeOpenAI, content: bytes) -> None:
    p = home / "empty.md"
    p.write_bytes(content)
    _one_line_error(run_here(["teach", str(p), "--base-url", fake.base_url], home), "is empty")


def test_binary_notes(home: Path, fake: FakeOpenAI) -> None:
    p = home / "photo.md"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    _one_line_error(run_here(["teach", str(p), "--base-url", fake.base_url], home), "binary")


def test_undecodable_notes_name_the_offset(home: Path, fake: FakeOpenAI) -> None:
    p = home / "latin1.md"
    p.write_bytes("Caf\u00e9 notes".encode("latin-1"))
    _one_line_error(
        run_here(["teach", str(p), "--base-url", fake.base_url], home),
        "not valid UTF-8",
        "byte offset 3",
        "0xe9",
    )


def test_bom_and_crlf_are_accepted(home: Path, fake: FakeOpenAI) -> None:
    p = home / "bom.md"
    p.write_bytes(b"\xef\xbb\xbf# Title\r\nCaf\xc3\xa9 notes\r\n")
    r = run_here(["teach", str(p), "--base-url", fake.base_url, "--no-audio"], home)
    assert r.code == 0, r.err
    prompt = fake.requests("/chat/completions")[0].body["messages"][-1]["content"]
    assert "# Title\nCaf\u00e9 notes" in prompt and "\ufeff" not in prompt


def test_notes_over_the_limit_and_max_chars(home: Path, fake: FakeOpenAI) -> None:
    p = home / "long.md"
    p.write_text("word " * 500)
    _one_line_error(
        run_here(["teach", str(p), "--base-url", fake.base_url, "--max-chars", "1000"], home),
        "longer than 1,000",
        "--max-chars",
    )
    r = run_here(
        ["teach", str(p), "--base-url", fake.base_url, "--max-chars", "5000", "--no-audio"], home
    )
    assert r.code == 0, r.err


def test_default_limit_is_two_megabytes(home: Path, fake: FakeOpenAI) -> None:
    r = run_here(["teach", "-", "--base-url", fake.base_url], home, stdin=b"a" * 2_000_001)
    _one_line_error(r, "longer than 2,000,000")


def test_bad_option_value_is_one_line(home: Path, fake: FakeOpenAI) -> None:
    r = run_here(
        ["teach", "-", "--base-url", fake.base_url, "--level", "wizard"], home, stdin="notes"
    )
    _one_line_error(r, "level", "beginner")


def test_no_backend_configured_says_what_to_do(home: Path) -> None:
    r = run_here(["teach", "-", "--llm", "openai"], home, stdin="notes")
    _one_line_error(r, "OPENAI_API_KEY")


# -- the service fails: one line naming the URL, exit 3, no key ------------------------------


def _service_error(r: Run, base_url: str, *needles: str) -> str:
    assert r.code == 3, (r.code, r.err)
    err = r.err
    assert "Traceback" not in err
    last = err.strip().splitlines()[-1]
    assert last.startswith("error: ") and base_url in last, err
    for needle in needles:
        assert needle in last, last
    return str(err)


def test_bad_key_is_401_and_the_key_is_never_printed(home: Path, fake: FakeOpenAI) -> None:
    fake.knobs.chat_fault = "401"
    secret = "sk-proj-SECRETSECRET1234567890"
    r = run_here(
        ["teach", "-", "--base-url", fake.base_url, "--api-key", secret, "--no-audio"],
        home,
        stdin="notes",
    )
    err = _service_error(r, fake.base_url, "401", "OPENAI_API_KEY")
    assert secret not in err + r.out and "SECRET" not in err
    assert len(fake.requests("/chat/completions")) == 1  # no pointless fallback request


def test_unknown_model_is_404(home: Path, fake: FakeOpenAI) -> None:
    fake.knobs.known_models = ("real-model",)
    r = run_here(
        ["teach", "-", "--base-url", fake.base_url, "--model", "nope", "--no-audio"],
        home,
        stdin="notes",
    )
    _service_error(r, fake.base_url, "nope", "--model")


def test_connection_refused(home: Path) -> None:
    url = "http://127.0.0.1:9/v1"
    r = run_here(["teach", "-", "--base-url", url, "--no-audio"], home, stdin="notes")
    _service_error(r, url, "cannot connect")
    assert "Streaming failed" not in r.err  # a second kind of request cannot help


def test_stalled_stream_times_out(home: Path, fake: FakeOpenAI) -> None:
    fake.knobs.chat_fault = "stall"
    fake.knobs.drop_after_tokens = 3
    r = run_here(
        ["teach", "-", "--base-url", fake.base_url, "--no-audio"],
        home,
        stdin="n",
        PROFAI_IDLE_TIMEOUT="1",
    )
    _service_error(r, fake.base_url, "stopped sending")
    assert r.out.strip(), "the text that did arrive is kept on screen"


def test_stream_dropped_mid_lecture_keeps_the_text(home: Path, fake: FakeOpenAI) -> None:
    fake.knobs.lecture = "One two three four five six seven eight nine ten eleven twelve."
    fake.knobs.chat_fault = "drop"
    fake.knobs.drop_after_tokens = 4
    r = run_here(["teach", "-", "--base-url", fake.base_url, "--no-audio"], home, stdin="n")
    _service_error(r, fake.base_url)
    assert r.out.startswith("One two")


def test_rate_limit_is_retried_after_retry_after(home: Path, fake: FakeOpenAI) -> None:
    fake.knobs.chat_fault = "429"
    fake.knobs.fault_times = 1
    fake.knobs.retry_after = 0.2
    r = run_here(["teach", "-", "--base-url", fake.base_url, "--no-audio"], home, stdin="n")
    assert r.code == 0, r.err
    chat = fake.requests("/chat/completions")
    assert [c.status for c in chat] == [429, 200]
    assert chat[1].received - chat[0].received >= 0.2


def test_refused_stream_falls_back_to_one_request(home: Path, fake: FakeOpenAI) -> None:
    fake.knobs.chat_fault = "refuse_stream"
    r = run_here(["teach", "-", "--base-url", fake.base_url, "--no-audio"], home, stdin="n")
    assert r.code == 0, r.err
    assert r.out == fake.knobs.lecture
    notices = [line for line in r.err.splitlines() if "Streaming failed" in line]
    assert len(notices) == 1
    assert [c.body.get("stream", False) for c in fake.requests("/chat/completions")] == [
        True,
        False,
    ]


def test_no_stream_makes_one_plain_request(home: Path, fake: FakeOpenAI) -> None:
    r = run_here(
        ["teach", "-", "--base-url", fake.base_url, "--no-audio", "--no-stream"], home, stdin="n"
    )
    assert r.code == 0, r.err
    assert r.out == fake.knobs.lecture
    assert [c.body.get("stream", False) for c in fake.requests("/chat/completions")] == [False]


def test_ctrl_c_exits_130(home: Path, fake: FakeOpenAI) -> None:
    fake.knobs.lecture = "word " * 2000
    fake.knobs.tokens_per_second = 50
    args = ["teach", "-", "--base-url", fake.base_url, "--no-audio"]
    with start_profai(args, home, stdout=subprocess.PIPE) as proc:
        assert proc.stdout and proc.stderr
        assert proc.stdout.read(5) == b"word "  # the lecture is streaming
        proc.send_signal(signal.SIGINT)
        t = time.monotonic()
        assert proc.wait(timeout=10) == 130
        # At once, not when the 40 s lecture is written (the figure: benchmarks/playback.py).
        assert time.monotonic() - t < 8
        assert b"Traceback" not in proc.stderr.read()


def test_a_server_that_is_not_openai_is_asked_for_its_first_chat_model(
    home: Path, fake: FakeOpenAI
) -> None:
    fake.knobs.known_models = ("nomic-embed-text", "llama3.2:3b", "qwen2.5:7b")
    args = ["teach", "-", "--base-url", fake.base_url, "--no-audio"]
    first = run_here(args, home, stdin="notes")
    assert first.code == 0, first.err
    assert "Using llama3.2:3b at" in first.err
    chats = fake.requests("/chat/completions")
    assert chats[-1].body["model"] == "llama3.2:3b"
    # Asked once: the next run (the same day) takes it from the cache.
    asked = len(fake.requests("/models"))
    again = run_here(args, home, stdin="other notes")
    assert again.code == 0, again.err
    assert len(fake.requests("/models")) == asked == 1


def test_a_missing_model_names_the_ones_the_server_has(home: Path, fake: FakeOpenAI) -> None:
    fake.knobs.known_models = ("llama3.2:3b", "qwen2.5:7b")
    r = run_here(
        ["teach", "-", "--base-url", fake.base_url, "--model", "gpt-5", "--no-audio"],
        home,
        stdin="notes",
    )
    assert r.code == 3
    errors = [line for line in r.err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and errors[0].endswith(
        "has no model 'gpt-5' (404); pass --model with one it serves: llama3.2:3b, qwen2.5:7b"
    )
