"""Choosing a voice, listing voices and devices, and the cache commands."""

from __future__ import annotations

from pathlib import Path

import pytest

from profai_cli.core.config import Settings, resolve
from profai_cli.core.errors import InputError
from profai_cli.lecture.engines import plan_voice
from tests.conftest import run_here
from tests.fakes.openai_server import FakeOpenAI


def _settings(**flags: object) -> Settings:
    settings, _ = resolve(flags, env={}, file_values={})
    return settings


def test_auto_voice_is_openai_with_a_key_for_openai_itself() -> None:
    assert plan_voice(_settings(api_key="sk-x")).engine == "openai"
    assert plan_voice(_settings(api_key="sk-x")).sample_rate == 24_000


def test_auto_voice_is_piper_for_a_local_llm_server() -> None:
    pytest.importorskip("piper")
    plan = plan_voice(_settings(base_url="http://127.0.0.1:11434/v1"))
    assert (plan.engine, plan.sample_rate) == ("piper", 22_050)


def test_auto_voice_follows_an_explicit_speech_server() -> None:
    plan = plan_voice(
        _settings(
            base_url="http://127.0.0.1:1/v1",
            tts_base_url="http://127.0.0.1:2/v1",
        )
    )
    assert plan.engine == "openai"


def test_auto_voice_without_any_engine_says_how_to_get_one(monkeypatch: pytest.MonkeyPatch) -> None:
    import profai_cli.tts.piper_tts as piper_tts

    monkeypatch.setattr(piper_tts, "piper_available", lambda: False)
    plan = plan_voice(_settings())
    assert plan.engine is None
    assert "OPENAI_API_KEY" in plan.message and "[offline]" in plan.message


def test_openai_voice_without_a_key_is_an_input_error() -> None:
    with pytest.raises(InputError, match="OPENAI_API_KEY"):
        plan_voice(_settings(tts="openai"))


def test_missing_piper_voice_file_is_one_line(home: Path, fake: FakeOpenAI) -> None:
    pytest.importorskip("piper")
    r = run_here(
        [
            "teach",
            "-",
            "--base-url",
            fake.base_url,
            "--tts",
            "piper",
            "--voice",
            str(home / "nope.onnx"),
        ],
        home,
        stdin="n",
    )
    assert r.code == 2 and r.err.strip().splitlines() == [
        f"error: Piper voice not found: {home / 'nope.onnx'}; pass the path of a .onnx voice "
        "file (or leave --voice out for the bundled one)"
    ]
    assert fake.log == []


def test_voices_lists_engines_voices_and_rates(home: Path) -> None:
    r = run_here(["voices"], home)
    assert r.code == 0
    assert "alloy" in r.out and "24000 Hz" in r.out
    from profai_cli.tts.piper_tts import piper_available

    if piper_available():  # without the offline extra the OpenAI rows are still checked
        assert "en_US-joe-medium" in r.out and "22050 Hz" in r.out
    else:
        assert "pip install 'profai-cli[offline]'" in r.out


def test_cache_info_and_clear(home: Path) -> None:
    import numpy as np

    from profai_cli.tts.cache import AudioCache

    cache = AudioCache(home / ".cache" / "profai" / "tts", 10**9)
    cache.put("a" * 64, 24_000, np.ones(24_000, dtype=np.int16))
    r = run_here(["cache", "info"], home)
    assert r.code == 0 and "entries: 1" in r.out and str(cache.root) in r.out
    assert "500 MB" in r.out
    r = run_here(["cache", "info"], home, PROFAI_CACHE_MAX_MB="20")
    assert "of 20 MB" in r.out
    r = run_here(["cache", "clear"], home)
    assert r.code == 0 and "Removed 1" in r.out
    assert "entries: 0" in run_here(["cache", "info"], home).out


def test_teaching_again_reuses_the_cached_voice(fake: FakeOpenAI, home: Path) -> None:
    from tests.fakes.device import on_a_virtual_card

    def teach(*extra: str) -> int:
        args = ["teach", "-", "--base-url", fake.base_url, "--tts", "openai", "-q", *extra]
        return run_here(args, home, stdin="n", engines=on_a_virtual_card()).code

    assert teach() == 0
    first = len(fake.requests("/audio/speech"))
    assert first >= 2
    assert teach() == 0
    assert len(fake.requests("/audio/speech")) == first  # every chunk came from the cache
    assert teach("--no-cache") == 0
    assert len(fake.requests("/audio/speech")) == 2 * first


def test_no_sound_devices_is_said_with_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    from profai_cli.audio import device
    from profai_cli.cli.wiring import devices_table

    monkeypatch.setattr(device, "output_devices", list)
    said = devices_table()
    assert isinstance(said, str) and said.startswith("No sound output devices found")
    assert "--no-audio" in said and "profai export" in said


def test_ask_without_an_llm_says_what_an_answer_will_be(home: Path) -> None:
    from tests.conftest import EXAMPLES

    r = run_here(
        ["ask", str(EXAMPLES / "photosynthesis.md"), "--llm", "none", "--no-audio"],
        home,
        stdin="What limits the rate?\n",
    )
    assert r.code == 0, r.err
    assert "Narrating" not in r.err
    assert r.err.startswith("No LLM: each answer is the passage of your notes")
