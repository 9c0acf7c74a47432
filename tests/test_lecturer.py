"""The built-in lecturer: planned from the notes' outline, explained by the model, guarded."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from profai_cli.notes.outline import PointKind, parse_outline
from tests.conftest import EXAMPLES, run_here, run_profai
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


HEADINGS = [
    # (heading, how the transition from "Plate boundaries" says it)
    ("Plate boundaries", "Having covered plate boundaries, we now turn to plate boundaries."),
    ("Why it matters", "Having covered plate boundaries, we now turn to why it matters."),
    (
        "The lithosphere is broken into plates",
        "the next part: the lithosphere is broken into plates.",
    ),
    ("Why do plates move?", "a question: why do plates move?"),
    ("2.1 Process states", "we now turn to process states."),
    ("Part 2: Convergent boundaries", "we now turn to convergent boundaries."),
    ("Chapter 3 - The Meiji era", "we now turn to the Meiji era."),
    ("1789: the year everything changed", "the next part: 1789, the year everything changed."),
    ("Before 1868", "the next part: before 1868."),
    ("Plates move", "the next part: plates move."),
    ("RuBisCO and its limits", "we now turn to RuBisCO and its limits."),
    ("6. Worked example", "we now turn to the worked example."),
    ("Summary", "we now turn to the summary."),
    ("The summary", "we now turn to the summary."),
]


@pytest.mark.parametrize(("title", "said"), HEADINGS, ids=[h for h, _ in HEADINGS])
def test_a_transition_is_grammatical_for_every_kind_of_heading(title: str, said: str) -> None:
    from profai_cli.notes.outline import Section
    from profai_cli.teaching.narration import Narrator

    notes = "# Geology\n\nThe Meiji era and RuBisCO are names here.\n"
    narrator = Narrator(parse_outline(notes), notes)
    before = Section("Plate boundaries", 2)
    line = narrator.transition(Section(title, 2), before, 0, last=False)
    assert line.endswith(said), line
    first = narrator.transition(Section(title, 2), None, 0, last=False)
    assert first.startswith("Let us begin with") and "begin with the lithosphere is" not in first


def test_code_is_described_as_what_it_defines_and_calls() -> None:
    from profai_cli.notes.outline import Point
    from profai_cli.speech.code import describe_code

    code = Point(
        PointKind.CODE,
        "def binary_search(items, target):\n    lo, hi = 0, len(items) - 1\n"
        "    while lo <= hi:\n        mid = (lo + hi) // 2\n    return -1\n",
        language="python",
    )
    said = describe_code(code.text, code.language, 0)
    assert said.startswith("The notes show an example in Python.")
    assert "defines `binary_search`" in said and "calls `len`" in said
    assert "calls `binary_search`" not in said  # its definition is not a call


def test_length_is_what_the_notes_allow_and_the_first_lines_say_so(home: Path) -> None:
    r = run_here(
        ["teach", str(EXAMPLES / "photosynthesis.md"), "--no-audio", "--llm", "none"], home
    )
    assert r.code == 0, r.err
    assert "These notes make about 3 minutes of lecture, not 5" in r.err
    long = run_here(
        ["teach", str(EXAMPLES / "cpu-scheduling.md"), "--no-audio", "--llm", "none"], home
    )
    assert "These notes make about" not in long.err  # longer: said whole, and said so
    assert "These notes take about 23 minutes to teach whole, not 5" in long.err


def test_the_level_changes_what_comes_first_and_what_is_asked_never_what_is_said() -> None:
    import asyncio

    from profai_cli.core.prompts import LectureRequest
    from profai_cli.llm.notes_lecturer import Kind, NarratedLecture

    notes = (NOTES / "plate-tectonics.md").read_text()
    said: dict[str, str] = {}
    asked: dict[str, int] = {}
    for level in ("beginner", "intermediate", "expert"):
        lecture = NarratedLecture(None, "none")
        said[level] = asyncio.run(lecture.complete(LectureRequest(notes=notes, level=level)))
        assert judge(notes, said[level], 5) == []
        asked[level] = lecture.counts.sentences[Kind.QUESTION]
    assert "Listen for these terms: lithosphere, asthenosphere" in said["beginner"]
    assert "Listen for these terms" not in said["intermediate"]
    assert asked["beginner"] >= asked["intermediate"] > 0
    assert asked["expert"] == 0


def _teach(notes: Path, home: Path, *extra: str) -> tuple[str, str]:
    r = run_profai(["teach", str(notes), "--no-audio", *extra], home, timeout=600)
    assert r.code == 0, r.err[-2000:]
    return r.out, r.err


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
    from profai_cli.service.discover import KNOWN_SERVERS
    from tests.fakes.openai_server import FakeOpenAI, Knobs

    kind, port = KNOWN_SERVERS[0]
    try:
        fake = FakeOpenAI(Knobs(known_models=("nomic-embed-text", "llama3.2")), port=port)
    except OSError:
        pytest.skip(f"port {port} is taken on this machine")
    with fake:
        fake.knobs.lecture = "# Tides\n\nThe moon pulls the sea.\n"
        r = run_here(["teach", "--no-audio"], home, stdin="Notes about tides.")
        assert r.code == 0, r.err
        assert (
            f"Using llama3.2 from {kind} at http://localhost:{port}/v1; "
            "--llm local for the built-in model." in r.err
        )
        assert r.out == fake.knobs.lecture
        assert [q.body["model"] for q in fake.requests("/chat/completions")] == ["llama3.2"]
        doctor = run_here(["doctor"], home)
        assert f"{kind} at http://localhost:{port}/v1 serves llama3.2" in doctor.out


def test_a_local_server_is_found_whatever_proxy_is_set_for_the_web(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from profai_cli.service.discover import find_local_server
    from tests.fakes.openai_server import FakeOpenAI, Knobs

    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")  # no proxy there: refused
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    with FakeOpenAI(Knobs(known_models=("llama3.2",))) as fake:
        port = int(fake.base_url.rsplit(":", 1)[1].split("/")[0])
        found = find_local_server((("a server", port),), budget=5.0)
    assert found is not None and found.model == "llama3.2"


def test_looking_for_a_local_server_is_quick_when_none_runs() -> None:
    from profai_cli.service.discover import find_local_server

    started = time.monotonic()
    assert find_local_server((("nothing", 9),), budget=0.1) is None
    assert time.monotonic() - started < 2  # its budget, not a connection's time-out


def test_a_service_teaches_the_notes_in_its_words_held_to_them(home: Path) -> None:
    """Through the wire, as a user runs it: the service is asked one note at a time, its
    true paraphrase is said, its swapped terms never, and --stats counts both."""
    from tests.fakes.openai_server import FakeOpenAI

    notes = NOTES / "plate-tectonics.md"
    with FakeOpenAI() as fake:
        fake.knobs.explanations = {
            "lithosphere is the rigid": "The lithosphere, the Earth's rigid outer layer, is "
            "made up of the crust together with the upper mantle. The Andes are a classic "
            "example of divergent boundaries.",
            "At a convergent boundary": "Where plates meet at a convergent boundary, the "
            "denser plate sinks under the other one.",
        }
        args = ["teach", str(notes), "--no-audio", "--base-url", fake.base_url, "--stats"]
        free = run_here(args, home, PROFAI_FREE="1")
        held = run_here(args, home, PROFAI_FREE="0")
        asked = [r.body["messages"][-1]["content"] for r in fake.requests("/chat/completions")]
        transcript = home / "t.md"
        export = ["export", str(home / "t.wav"), str(notes), "--base-url", fake.base_url]
        export += ["--tts", "openai", "--transcript", str(transcript)]
        again = run_here(export, home, PROFAI_FREE="0")
    assert free.code == 0 and held.code == 0, held.err
    assert free.out == fake.knobs.lecture  # --free: the service's own lecture, as it is
    assert "made up of the crust together with the upper mantle" in held.out
    assert "denser plate sinks under the other one" in held.out
    assert "classic example of divergent" not in held.out
    assert sum("Explain note" in a for a in asked) >= 10  # one request a note
    assert "the model's, held back by the check" in held.err
    assert "notes sentences said in the model's words" in held.err
    # The transcript of what was taught lists what was held back, and why, unspoken.
    assert again.code == 0 and "Reusing" in again.err, again.err
    said = transcript.read_text()
    comment = said[said.index("Held back by the check") :]
    assert "The Andes are a classic example of divergent boundaries." in comment
    assert "held to: The lithosphere is the rigid outer layer" in comment
    assert said.count("classic example") == 1  # only in the comment


def test_a_model_that_crashes_this_cpu_is_left_out_and_the_lecture_goes_on(home: Path) -> None:
    # A llama.cpp built for instructions this machine does not allow (AMX tiles, seen
    # here) dies of SIGILL at its first token: in-process that would take profai with it.
    fake = home / "fake_llama"
    (fake / "llama_cpp").mkdir(parents=True)
    (fake / "llama_cpp" / "__init__.py").write_text(
        "import os, signal\n"
        "class Llama:\n"
        "    def __init__(self, *a, **k):\n"
        "        os.kill(os.getpid(), signal.SIGILL)\n"
    )
    gguf = home / "model.gguf"
    gguf.write_bytes(b"GGUF")
    r = run_profai(  # a new process, so the fake llama_cpp is the one imported
        ["teach", str(EXAMPLES / "photosynthesis.md"), "--no-audio", "--llm", "local"]
        + ["--local-model", str(gguf)],
        home,
        env={"PYTHONPATH": str(fake)},
    )
    assert r.code == 0, r.err
    assert "the local model crashes on this CPU" in r.err
    assert judge((EXAMPLES / "photosynthesis.md").read_text(), r.out, 5) == []


def test_a_lecturer_registered_by_name_is_a_choice_and_is_what_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A new backend is its module and one register call: --llm's choices (the flag, the
    environment, the config file) are the names registered, and the name chosen runs."""
    from profai_cli.core import config
    from profai_cli.core.errors import InputError
    from profai_cli.lecture import lecturers
    from profai_cli.llm.notes_lecturer import NarratedLecture

    monkeypatch.setattr(config, "CHOICES", dict(config.CHOICES))
    monkeypatch.setattr(lecturers, "BACKENDS", dict(lecturers.BACKENDS))
    with pytest.raises(InputError, match="must be one of auto, openai, local, none"):
        config.resolve({}, {"PROFAI_LLM": "echo"}, {})
    echo = lecturers.Chosen(NarratedLecture(None, "an echo"), "Echoing.", explains=False)
    lecturers.register(lecturers.Backend("echo", lambda settings, auto: echo), auto=False)
    settings, origin = config.resolve({}, {"PROFAI_LLM": "echo"}, {})
    assert origin["llm"] == "env PROFAI_LLM"
    assert lecturers.select_llm(settings) is echo
    assert lecturers.AUTO_ORDER[-1] == "none"  # not tried by auto: it was not asked to be
