"""Nothing lost, nothing silent, nothing leaked: faults injected through the loopback server."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_profai
from tests.fakes.openai_server import FakeOpenAI

LECTURE = (
    "# Tides\n\nThe moon pulls the sea toward it. The sun pulls too, but less. "
    "Twice a day the water rises and falls. Spring tides come when the sun and the moon "
    "line up. Neap tides come when they pull at right angles. Coasts feel all of this.\n"
)


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
    r = run_profai(["teach", "-", "--base-url", fake.base_url, "--no-audio"], home, stdin="n")
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
    r = run_profai(["teach", "-", *args, "--no-audio"], home, stdin="n")
    assert r.code == 3
    assert r.err.count("continuing the lecture") == 3
    assert "incomplete" in r.err.splitlines()[-1]
    assert LECTURE.startswith(r.out.rstrip("\n"))  # what came is shown, nothing repeated
    out = home / "tides.wav"
    r = run_profai(
        ["export", str(out), "-", *args, "--tts-base-url", fake.base_url], home, stdin="n"
    )
    assert r.code == 3 and not out.exists()
    assert [p.name for p in home.iterdir() if p.suffix in (".wav", ".part")] == []
    # The cut lecture was not stored: once the server is well, a new one is asked for.
    fake.knobs.chat_fault = None
    before = len(fake.requests("/chat/completions"))
    r = run_profai(
        ["export", str(out), "-", *args, "--tts-base-url", fake.base_url], home, stdin="n"
    )
    assert r.code == 0, r.err
    assert len(fake.requests("/chat/completions")) == before + 1
