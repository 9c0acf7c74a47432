"""Nothing taken as whole that is not: no parser limit cuts the notes, and no chat answer
that is not the JSON or SSE asked for is used (one line naming what came, exit 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_here
from tests.fakes.openai_server import FakeOpenAI

DEEP = (
    "# Tides\n\nThe list below is deep.\n\n"
    + "".join("  " * i + f"- level {i} of the list about tides\n" for i in range(12))
    + "\n# Moon\n\nThe moon is the natural satellite of the Earth.\n\n"
    "| body | pull |\n|---|---|\n| moon | strong |\n| sun | weaker |\n"
)
QUOTED = (
    "# Quotes\n\n"
    + "".join(">" * i + f" quote {i}\n\n" for i in range(1, 30))
    + "# Moon\n\nThe moon pulls.\n"
)


@pytest.mark.parametrize("notes", [DEEP, QUOTED], ids=["list", "quotes"])
def test_nesting_past_the_parsers_limit_keeps_the_rest_of_the_notes(home: Path, notes: str) -> None:
    from profai_cli.notes.ingest import read_notes
    from profai_cli.notes.outline import parse_outline

    path = home / "deep.md"
    path.write_text(notes)
    outline = parse_outline(read_notes(str(path)).text)
    assert outline.sections[-1].title == "Moon", [s.title for s in outline.sections]
    taught = run_here(["teach", str(path), "--no-audio", "--llm", "none"], home)
    assert taught.code == 0, taught.err
    assert "The moon" in taught.out.split("Moon", 1)[-1], taught.out  # the last heading is taught
    deepest = "level 11 of the list" if notes is DEEP else "quote 29"
    assert deepest in taught.out.lower()  # the deepest items too, flattened
    if notes is DEEP:
        quiz = run_here(["quiz", str(path), "--llm", "none"], home, stdin="x\n" * 8)
        assert "For the body moon" in quiz.out, quiz.out + quiz.err


@pytest.mark.parametrize("fault", ["html", "headers_only", "redirect", "long_line"])
@pytest.mark.parametrize("how", ["stream", "no-stream", "ask"])
def test_a_chat_answer_that_is_not_one_is_one_line_and_exit_3(
    fake: FakeOpenAI, home: Path, fault: str, how: str
) -> None:
    fake.knobs.chat_fault, fake.knobs.fault_answers = fault, True
    notes = home / "notes.md"
    notes.write_text("# Tides\n\nThe moon pulls the sea.\n")
    args = {
        "stream": ["teach", str(notes), "--no-audio"],
        "no-stream": ["teach", str(notes), "--no-audio", "--no-stream"],
        "ask": ["ask", str(notes), "What pulls the sea?", "--tts", "none"],
    }[how]
    r = run_here([*args, "--base-url", fake.base_url], home, timeout=90, PROFAI_TIMEOUT="10")
    assert r.code == 3, r.err
    errors = [line for line in r.err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "unexpected" not in r.err and "Traceback" not in r.err, r.err
    assert fake.base_url in errors[0]
    said = {
        "html": "text/html",
        "headers_only": "closed the connection",
        "redirect": "redirects to http://192.0.2.1/login",
        "long_line": "not a chat",
    }
    assert said[fault] in errors[0] or "no answer" in errors[0], errors[0]
