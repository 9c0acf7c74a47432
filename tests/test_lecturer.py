"""The built-in lecturer: planned from the notes' outline, explained by the model, guarded."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import pytest

from profai_cli.llm.guard import Guard
from profai_cli.outline import PointKind, parse_outline
from tests.conftest import EXAMPLES, PROFAI, clean_env, run_profai
from tests.lecture_judge import judge, spoken_words

NOTES = Path(__file__).parent / "notes"
OTHER_SUBJECTS = sorted(NOTES.glob("*.md"))


def test_the_outline_follows_the_notes_structure() -> None:
    outline = parse_outline((EXAMPLES / "photosynthesis.md").read_text())
    assert outline.title == "Photosynthesis"
    titled = [s.title for s in outline.sections if s.title]
    assert titled == [
        "What it is",
        "Two stages",
        "Limiting factors",
        "C4 and CAM plants",
        "Why it matters",
    ]
    stages = next(s for s in outline.sections if s.title == "Two stages")
    assert [p.kind for p in stages.points] == [PointKind.ITEM, PointKind.ITEM]
    assert stages.points[0].ordinal == 1 and len(stages.points[0].children) == 3
    cpu = parse_outline((EXAMPLES / "cpu-scheduling.md").read_text())
    states = next(s for s in cpu.sections if s.title == "2.1 Process states")
    rows = [p for p in states.points if p.kind is PointKind.ROW]
    assert [r.cells[0] for r in rows] == [
        "New",
        "Ready",
        "Running",
        "Waiting (blocked)",
        "Terminated",
    ]
    assert rows[0].header == ["State", "Meaning", "Typical way out"]
    assert any(p.kind is PointKind.CODE and p.language == "c" for p in cpu.points)


def test_notes_without_headings_still_give_points() -> None:
    text = "Plain notes. " * 80 + "\n\nA second paragraph about tides.\n"
    outline = parse_outline(text)
    assert outline.title is None
    assert len(outline.points) >= 3  # the long paragraph is taught in parts
    assert outline.points[-1].text == "A second paragraph about tides."


def test_the_guard_drops_what_the_notes_do_not_back() -> None:
    point = "The Third Estate declared itself the National Assembly in 1789 at Versailles."
    notes = point + " The clergy and the nobility paid almost no tax."
    guard = Guard(notes)
    guard.remember(notes)
    section = "Causes"
    assert guard.accept("The National Assembly met in 1793 at Versailles.", point, section) == ""
    assert guard.accept("King Louis declared the National Assembly at Versailles.", point, "") == ""
    assert guard.accept("Students, any questions about the National Assembly?", point, "") == ""
    assert guard.accept(point, point, section) == ""  # said already
    assert guard.accept("Bananas grow in warm and humid tropical countries.", point, "") == ""
    kept = guard.accept(
        "The National Assembly spoke for the Third Estate, not for the clergy or the nobility. "
        "The Third Estate met in 1850 too.",
        point,
        section,
    )
    assert kept == (
        "The National Assembly spoke for the Third Estate, not for the clergy or the nobility."
    )
    assert (guard.kept, guard.dropped) == (1, 5)


def test_a_clause_the_notes_end_with_a_colon_is_not_said_again() -> None:
    step = "The choice of quantum matters a great deal:"
    guard = Guard(step + "\n\n- If the quantum is very large, round robin becomes FCFS.\n")
    guard.remember(step)
    again = "The choice of quantum matters a great deal."
    assert guard.accept(again, step, "Round robin") == ""


def _teach(notes: Path, home: Path, *extra: str) -> tuple[str, str]:
    r = run_profai(["teach", str(notes), "--no-audio", *extra], home, timeout=600)
    assert r.code == 0, r.err[-2000:]
    return r.out, r.err


@pytest.mark.local_llm
@pytest.mark.parametrize(
    "notes", [EXAMPLES / "photosynthesis.md", *OTHER_SUBJECTS], ids=lambda p: p.stem
)
def test_the_built_in_model_teaches_notes_of_any_subject(notes: Path, home: Path) -> None:
    pytest.importorskip("llama_cpp")
    out, err = _teach(notes, home, "--minutes", "3", "--stats")
    assert "built-in offline model SmolLM2-135M" in err
    assert judge(notes.read_text(), out, 3) == []
    kept = next(line for line in err.splitlines() if "explanations kept" in line)
    assert int(kept.split()[-2]) >= 1, err  # the model's layer is there, not just the notes


@pytest.mark.local_llm
def test_the_long_example_is_covered_whole_and_never_crashes(home: Path) -> None:
    pytest.importorskip("llama_cpp")
    notes = EXAMPLES / "cpu-scheduling.md"
    # 30 minutes: room for explanations everywhere, so the model runs point after point.
    out, err = _teach(notes, home, "--minutes", "30")
    assert judge(notes.read_text(), out, 30) == []


@pytest.mark.local_llm
def test_thirty_short_sections_one_generation_at_a_time(home: Path) -> None:
    pytest.importorskip("llama_cpp")
    notes = home / "many.md"
    notes.write_text(
        "\n".join(
            f"## Mineral {i}\n\nThe mineral number {i} forms in cooling magma and is "
            f"harder than the mineral before it.\n"
            for i in range(30)
        )
    )
    out, _ = _teach(notes, home, "--minutes", "6")
    assert all(f"Mineral {i}" in out for i in range(30))


@pytest.mark.local_llm
def test_ctrl_c_stops_the_model_at_once(home: Path) -> None:
    pytest.importorskip("llama_cpp")
    notes = EXAMPLES / "cpu-scheduling.md"
    proc = subprocess.Popen(
        [PROFAI, "teach", str(notes), "--no-audio", "--minutes", "60"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=clean_env(home),
    )
    assert proc.stdout is not None
    proc.stdout.readline()  # the lecture has started, the model is loading or explaining
    time.sleep(2.0)
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=10)
    took = time.monotonic() - sent
    assert proc.returncode == 130, err.decode()[-500:]
    assert took < 1.5, f"{took:.2f} s from Ctrl-C to exit"


@pytest.mark.parametrize(
    "notes",
    [EXAMPLES / "photosynthesis.md", EXAMPLES / "cpu-scheduling.md", *OTHER_SUBJECTS],
    ids=lambda p: p.stem,
)
def test_no_llm_narrates_the_notes_faithfully(notes: Path, home: Path) -> None:
    text = notes.read_text()
    out, err = _teach(notes, home, "--llm", "none", "--minutes", "1")
    assert "no LLM" in err
    assert judge(text, out, 1) == []
    assert spoken_words(out) >= 0.9 * spoken_words(text)


def test_a_server_running_here_is_used_before_the_built_in_model(home: Path) -> None:
    from profai_cli.llm.discover import KNOWN_SERVERS
    from tests.fakes.openai_server import FakeOpenAI, Knobs

    kind, port = KNOWN_SERVERS[0]
    try:
        fake = FakeOpenAI(Knobs(known_models=("nomic-embed-text", "llama3.2")), port=port)
    except OSError:
        pytest.skip(f"port {port} is taken on this machine")
    with fake:
        fake.knobs.lecture = "# Tides\n\nThe moon pulls the sea.\n"
        r = run_profai(["teach", "--no-audio"], home, stdin="Notes about tides.")
        assert r.code == 0, r.err
        assert (
            f"Using llama3.2 from {kind} at http://localhost:{port}/v1; "
            "--llm local for the built-in model." in r.err
        )
        assert r.out == fake.knobs.lecture
        assert [q.body["model"] for q in fake.requests("/chat/completions")] == ["llama3.2"]
        doctor = run_profai(["doctor"], home)
        assert f"{kind} at http://localhost:{port}/v1 serves llama3.2" in doctor.out


def test_looking_for_a_local_server_is_quick_when_none_runs() -> None:
    from profai_cli.llm.discover import find_local_server

    started = time.monotonic()
    assert find_local_server((("nothing", 9),), budget=0.1) is None
    assert time.monotonic() - started < 0.5
