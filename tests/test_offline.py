"""Offline by default: the embedded lecturer, read-aloud, backend choice, config, doctor."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from profai_cli.core.config import resolve
from profai_cli.lecture.lecturers import select_llm
from profai_cli.speech import segment
from tests.conftest import EXAMPLES, run_here
from tests.fakes.openai_server import FakeOpenAI


def _llm_for(env: dict[str, str], **flags: object) -> tuple[Any, str]:
    settings, _ = resolve(flags, env=env, file_values={})
    chosen = select_llm(settings)
    return chosen.llm, chosen.why


def test_auto_picks_openai_with_a_key_or_a_url() -> None:
    llm, why = _llm_for({"OPENAI_API_KEY": "sk-x"})
    assert "api.openai.com" in why
    llm, why = _llm_for({}, base_url="http://127.0.0.1:11434/v1")
    assert why == "Using gpt-4o-mini at http://127.0.0.1:11434/v1."


def test_auto_picks_the_local_model_when_its_extra_is_installed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import profai_cli.llm.local as local

    monkeypatch.setattr(local, "local_available", lambda: True)
    llm, why = _llm_for({})
    assert type(llm).__name__ == "GroundedLecture"
    assert why == "Using the local model Qwen2.5-Coder-1.5B-Instruct, held to your notes."


def test_auto_narrates_the_notes_without_any_model(monkeypatch: pytest.MonkeyPatch) -> None:
    import profai_cli.llm.local as local

    monkeypatch.setattr(local, "local_available", lambda: False)
    llm, why = _llm_for({})
    assert type(llm).__name__ == "NarratedLecture" and llm.explainer is None
    assert "Narrating your notes" in why and "[model]" in why


def test_local_model_flag_takes_any_gguf(home: Path) -> None:
    pytest.importorskip("llama_cpp")
    path = home / "tiny.gguf"
    path.write_bytes(b"GGUF")  # chosen, not yet loaded: loading is the model thread's
    _, why = _llm_for({}, local_model=str(path))
    assert why == "Using local model tiny, held to your notes."
    r = run_here(
        ["teach", "-", "--local-model", str(home / "x.gguf"), "--no-audio"], home, stdin="notes"
    )
    assert r.code == 2 and "not a .gguf model file" in r.err


def test_no_llm_shows_and_speaks_the_narrated_notes(fake: FakeOpenAI, home: Path) -> None:
    r = run_here(
        ["teach", str(EXAMPLES / "photosynthesis.md"), "--llm", "none", "--no-audio"], home
    )
    assert r.code == 0 and "Welcome. This lecture is about photosynthesis." in r.out
    assert "with no LLM (--llm none)" in r.err
    lecture = r.out
    out = home / "notes.wav"
    r = run_here(
        [
            "export",
            str(out),
            str(EXAMPLES / "photosynthesis.md"),
            "--llm",
            "none",
            "--tts",
            "openai",
            "--tts-base-url",
            fake.base_url,
        ],
        home,
    )
    assert r.code == 0, r.err
    from profai_cli.speech.voice_text import words

    spoken = sorted(q.body["input"] for q in fake.requests("/audio/speech"))
    assert spoken == sorted(words(c.text) for c in segment(lecture))  # what the voice is given
    assert not any("**" in s or s.startswith("#") or "->" in s.split()[0] for s in spoken)
    assert fake.requests("/chat/completions") == []


def test_config_file_env_and_flags_in_that_order(fake: FakeOpenAI, home: Path) -> None:
    config = home / ".config" / "profai" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f'model = "file-model"\nlevel = "beginner"\nbase-url = "{fake.base_url}"\n')
    args = ["teach", "-", "--no-audio"]
    assert run_here(args, home, stdin="n").code == 0
    assert run_here(args, home, stdin="n", PROFAI_MODEL="env-model").code == 0
    assert (
        run_here(args + ["--model", "flag-model"], home, stdin="n", PROFAI_MODEL="env-model").code
        == 0
    )
    bodies = [r.body for r in fake.requests("/chat/completions")]
    assert [b["model"] for b in bodies] == ["file-model", "env-model", "flag-model"]
    assert all("beginner" in b["messages"][-1]["content"] for b in bodies)
    shown = run_here(["config", "show"], home, PROFAI_MODEL="env-model")
    assert shown.code == 0
    row = next(line for line in shown.out.splitlines() if "env-model" in line)
    assert "env PROFAI_MODEL" in row
    assert any("beginner" in line and "file" in line for line in shown.out.splitlines())
    assert run_here(["config", "path"], home).out.strip() == str(config)


def test_a_broken_config_file_is_one_line(home: Path) -> None:
    config = home / ".config" / "profai" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('colour = "blue"\n')
    r = run_here(["teach", "-", "--no-audio"], home, stdin="n")
    assert r.code == 2 and r.err.count("\n") == 1 and "unknown key 'colour'" in r.err
    config.write_text("level = \n")
    r = run_here(["teach", "-", "--no-audio"], home, stdin="n")
    assert r.code == 2 and "not valid TOML" in r.err
    config.write_text('level = "wizard"\n')
    r = run_here(["teach", "-", "--no-audio"], home, stdin="n")
    assert r.code == 2 and "(from file)" in r.err


def test_the_key_is_never_shown_by_config_show(home: Path) -> None:
    r = run_here(["config", "show"], home, OPENAI_API_KEY="sk-secret-123")
    assert "sk-secret-123" not in r.out and "(set)" in r.out


def test_doctor_on_this_machine(home: Path, fake: FakeOpenAI) -> None:
    r = run_here(["doctor"], home)
    assert r.code == 0, r.out + r.err
    for row in (
        "PortAudio",
        "sound output",
        "API key",
        "offline lecturer",
        "offline voice",
        "ffmpeg",
        "audio cache",
    ):
        assert row in r.out
    assert "profai teach can run here." in r.out
    r = run_here(["doctor", "--base-url", fake.base_url, "--api-key", "sk-hidden-999"], home)
    assert r.code == 0 and "answers (1 models)" in r.out and "sk-hidden-999" not in r.out
    r = run_here(["doctor", "--base-url", "http://127.0.0.1:9/v1"], home)
    assert r.code == 1 and "cannot reach" in r.out
