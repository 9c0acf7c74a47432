"""Closed streams, bad values and planted files: one line or quiet, never a traceback,
never a hang, never a user's file touched, and every memory use bounded by the inputs."""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import PROFAI, clean_env, run_here
from tests.fakes.openai_server import FakeOpenAI

NOTES = "# Tides\n\nThe moon pulls the sea. Tides rise twice a day.\n"
DECK = "# Moon\n\n| body | pull |\n|---|---|\n| moon | strong |\n| sun | weak |\n"


def _closed(fd: int) -> Callable[[], None]:
    return lambda: os.close(fd)


def _run(args: list[str], home: Path, *, close: int, stdin: bytes | None = None) -> tuple[int, str]:
    """profai with one of its standard streams closed, as a shell's >&- or <&- leaves it."""
    proc = subprocess.run(
        [PROFAI, *args],
        input=stdin,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=clean_env(home),
        timeout=60,
        preexec_fn=_closed(close),
    )
    return proc.returncode, proc.stderr.decode()


@pytest.mark.parametrize(
    "args",
    [
        ["teach", "{notes}", "--no-audio", "--llm", "none"],
        ["notes", "{notes}"],
        ["config", "show"],
        ["export", "-", "{notes}", "--llm", "none", "--tts", "openai", "--tts-base-url", "{url}"],
    ],
    ids=["teach", "notes", "config-show", "export-stdout"],
)
def test_a_closed_stdout_is_a_broken_pipe_not_a_traceback(
    fake: FakeOpenAI, home: Path, args: list[str]
) -> None:
    notes = home / "notes.md"
    notes.write_text(NOTES)
    given = [a.format(notes=notes, url=fake.base_url) for a in args]
    code, err = _run(given, home, close=1)
    assert code == 141, err
    assert "Traceback" not in err and "unexpected" not in err and "error:" not in err, err


def test_a_closed_stdin_is_the_end_of_the_input(home: Path) -> None:
    notes = home / "deck.md"
    notes.write_text(DECK)
    code, err = _run(["teach", "-", "--no-audio", "--llm", "none"], home, close=0)
    assert code == 2 and "empty" in err and "Traceback" not in err, err
    code, err = _run(["quiz", str(notes), "--llm", "none", "--tts", "none"], home, close=0)
    assert code == 2 and "no answers on stdin" in err, err  # one line, before a question
    assert "Traceback" not in err and "unexpected" not in err, err


def _deck(home: Path) -> Path:
    notes = home / "deck.md"
    notes.write_text(DECK)
    r = run_here(["quiz", str(notes), "--llm", "none", "--tts", "none"], home, stdin="strong\n")
    assert r.code == 0, r.err
    found = list((home / ".local/share/profai/review").glob("*.json"))
    assert len(found) == 1
    return found[0]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("due", "2026-01-01T09:00:00"),  # no time zone
        ("due", "tomorrow"),
        ("schedule", None),
        ("state", 99),
        ("reviews", "x"),
    ],
)
def test_an_invalid_deck_is_moved_aside_once_with_one_line(
    home: Path, field: str, value: object
) -> None:
    path = _deck(home)
    data = json.loads(path.read_text())
    card = data["cards"][0]
    if field in ("due", "state"):
        card["schedule"][field] = value
    else:
        card[field] = value
    path.write_text(json.dumps(data))
    notes = str(home / "deck.md")
    for i, command in enumerate(("review", "quiz", "review")):
        r = run_here([command, notes, "--llm", "none", "--tts", "none"], home, stdin="strong\n")
        assert r.code == 0 and "Traceback" not in r.err and "unexpected" not in r.err, r.err
        assert r.err.count("could not be read") == (i == 0), r.err  # moved aside once
    assert len(list(path.parent.glob("*.broken-*.json"))) == 1


def test_the_review_lock_never_truncates_a_file_it_points_to(home: Path) -> None:
    victim = home / "precious.txt"
    victim.write_text("my thesis\n")
    path = _deck(home)
    lock = path.with_suffix(".lock")
    lock.unlink(missing_ok=True)
    lock.symlink_to(victim)
    r = run_here(["quiz", str(home / "deck.md"), "--llm", "none", "--tts", "none"], home,
                 stdin="strong\n")  # fmt: skip
    assert victim.read_text() == "my thesis\n"
    assert r.code == 2 and "lock" in r.err and "Traceback" not in r.err, r.err


def test_stale_review_parts_are_cleaned(home: Path) -> None:
    path = _deck(home)
    stale = path.parent / f".{path.name}.abcd1234.part"
    stale.write_text("left by a killed review")
    os.utime(stale, (time.time() - 7200, time.time() - 7200))
    r = run_here(["quiz", str(home / "deck.md"), "--llm", "none", "--tts", "none"], home,
                 stdin="strong\n")  # fmt: skip
    assert r.code == 0, r.err
    assert not stale.exists()


def test_a_fifo_planted_as_a_cache_entry_is_passed_over(fake: FakeOpenAI, home: Path) -> None:
    from profai_cli.core.config import resolve
    from profai_cli.lecture.engines import build_tts, plan_voice
    from profai_cli.speech.voice_text import words
    from profai_cli.tts.cache import AudioCache

    notes = home / "notes.md"
    notes.write_text("# Tides\n\nThe moon pulls the sea.\n")
    settings, _ = resolve({"tts": "openai", "tts_base_url": fake.base_url}, env={}, file_values={})
    tts = build_tts(settings, plan_voice(settings))
    root = home / ".cache/profai/tts"
    cache = AudioCache(root)
    for text in ("Tides.", "Tides", words("The moon pulls the sea.")):
        key = cache.key(tts.identity(), text)
        path = cache._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(path)
    args = ["export", str(home / "t.wav"), str(notes), "--llm", "none", "--tts", "openai",
            "--tts-base-url", fake.base_url]  # fmt: skip
    started = time.monotonic()
    proc = subprocess.run([PROFAI, *args], capture_output=True, env=clean_env(home), timeout=60)
    assert proc.returncode == 0, proc.stderr.decode()
    assert time.monotonic() - started < 30


def test_a_stored_lecture_planted_as_a_link_to_dev_zero_is_no_lecture(home: Path) -> None:
    from profai_cli.core.config import resolve
    from profai_cli.lecture import store

    notes = home / "notes.md"
    notes.write_text(NOTES)
    settings, _ = resolve({"llm": "none"}, env={}, file_values={})
    key = store.lecture_key(NOTES, settings, "your notes, narrated (no LLM)")
    folder = home / ".local/share/profai/lectures"
    folder.mkdir(parents=True)
    (folder / f"{key}.json").symlink_to("/dev/zero")
    proc = subprocess.run(
        ["/usr/bin/time", "-f", "%M", PROFAI, "teach", str(notes), "--no-audio", "--llm", "none"],
        capture_output=True,
        env=clean_env(home),
        timeout=60,
    )
    err = proc.stderr.decode()
    assert proc.returncode == 0, err
    assert int(err.strip().splitlines()[-1]) < 400_000  # KB: no read of /dev/zero


def test_an_endless_input_is_refused_cheaply(home: Path) -> None:
    for extra in ([], ["--max-chars", "10000000000"]):
        proc = subprocess.run(
            ["/usr/bin/time", "-f", "%M", PROFAI, "notes", "/dev/zero", *extra],
            capture_output=True,
            env=clean_env(home),
            timeout=60,
        )
        err = proc.stderr.decode()
        assert proc.returncode == 2 and "binary" in err and "Traceback" not in err, err
        assert int(err.strip().splitlines()[-1]) < 150_000  # KB


def test_a_data_folder_that_is_a_file_is_one_line(home: Path) -> None:
    notes = home / "deck.md"
    notes.write_text(DECK)
    blocker = home / "not-a-folder"
    blocker.write_text("")
    r = run_here(["quiz", str(notes), "--llm", "none", "--tts", "none"], home,
                 stdin="strong\n", XDG_DATA_HOME=str(blocker))  # fmt: skip
    assert r.code == 2 and "XDG_DATA_HOME" in r.err and "unexpected" not in r.err, r.err
    taught = run_here(["teach", str(notes), "--no-audio", "--llm", "none"], home,
                      XDG_DATA_HOME=str(blocker), XDG_CACHE_HOME=str(blocker))  # fmt: skip
    assert taught.code == 0 and "unexpected" not in taught.err, taught.err
