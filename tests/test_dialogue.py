"""--style dialogue (issue 40): a host who asks and links, a lecturer who says every
point, two voices that are clearly apart and equally loud, the speaker in the
subtitles, the transcript and the --json events; held to the notes as the lecture is."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from profai_cli.speech import ChunkKind, segment
from profai_cli.speech.speakers import Speakers
from profai_cli.teaching.dialogue import REACTIONS
from tests.conftest import EXAMPLES, require_or_skip, run_here
from tests.fakes.openai_server import FakeOpenAI

SUBJECTS = Path(__file__).parent / "notes" / "subjects"


def _events(home: Path, notes: Path, *extra: str) -> list[dict[str, object]]:
    r = run_here(["teach", str(notes), "--llm", "none", "--no-audio", "--json", *extra], home)
    assert r.code == 0, r.err
    events = [json.loads(line) for line in r.out.splitlines()]
    return [e for e in events if e["event"] == "sentence"]


def _asks(text: str) -> bool:
    """A lecture's question to the listener ("A question first: why...?")."""
    from profai_cli.teaching.asking import QUESTION_LEADS

    return text.startswith(QUESTION_LEADS)


@pytest.mark.parametrize("name", ["dc-circuits", "krebs-cycle", "black-death", "bayes"])
def test_the_host_adds_only_questions_and_reactions_and_the_lecturer_says_every_point(
    home: Path, name: str
) -> None:
    notes = SUBJECTS / f"{name}.md"
    lecture = _events(home, notes)
    dialogue = _events(home, notes, "--style", "dialogue")
    assert all(e.get("speaker") in ("Host", "Lecturer") for e in dialogue)
    assert not any("speaker" in e for e in lecture)
    said = [str(e["text"]) for e in dialogue]
    assert not any(re.fullmatch(r"\W*(Host|Lecturer)\W*", s) for s in said)  # names unsaid
    # Every sentence of the lecture but its questions is in the dialogue, in order:
    # nothing of the notes is lost (the host asks its own questions).
    wanted = [str(e["text"]) for e in lecture if not _asks(str(e["text"]))]
    at = 0
    for sentence in wanted:
        assert sentence in said[at:], f"lost: {sentence!r}"
        at = said.index(sentence, at) + 1
    # What the dialogue adds is the host's: questions and reactions, never a claim.
    added = [e for e in dialogue if str(e["text"]) not in wanted]
    assert added, "the host asks nothing"
    for e in added:
        assert e["speaker"] == "Host", e
        assert str(e["text"]).endswith("?") or e["text"] in REACTIONS, e
    # Every point of the notes is the lecturer's; every heading and signpost the host's.
    by_text = {str(e["text"]): e for e in dialogue}
    for e in lecture:
        if e["kind"] == ChunkKind.HEADING.value:
            assert by_text[str(e["text"])]["speaker"] == "Host"
    questions = [e for e in added if str(e["text"]).endswith("?")]
    answers = [dialogue[dialogue.index(q) + 1] for q in questions]
    assert all(a["speaker"] == "Lecturer" for a in answers)  # a question is answered


def test_names_are_dropped_from_what_is_said_and_the_rest_numbered_again() -> None:
    text = "# T\n\nHost:\n\nWelcome.\n\nLecturer:\n\nOhm's law: V = IR.\n\n## B\n\nOn.\n"
    chunks = Speakers().assign(segment(text), 0, text)
    assert [(c.index, c.speaker, c.text) for c in chunks] == [
        (0, "Host", "T."),
        (1, "Host", "Welcome."),
        (2, "Lecturer", "Ohm's law: V = IR."),
        (3, "Host", "B."),
        (4, "Lecturer", "On."),  # no name after a heading: the lecturer's
    ]
    assert text[chunks[2].start : chunks[2].end] == "Ohm's law: V = IR."  # spans kept
    # A model writing freely may put the name before the words: it is not said either.
    free_text = "**Host:** Welcome. Today: sums.\n\nLecturer: 2 + 2 = 4.\n"
    free = Speakers(leading=True).assign(segment(free_text), 0, free_text)
    notes_own = "Lecturer:\n\n- **Host:** any device with an address.\n- Host\n"
    kept = Speakers().assign(segment(notes_own), 0, notes_own)  # the notes' words, said
    assert [(c.speaker, c.text) for c in kept] == [
        ("Lecturer", "Host: any device with an address."),
        ("Lecturer", "Host."),
    ]
    assert [(c.speaker, c.text) for c in free] == [
        ("Host", "Welcome."),
        ("Host", "Today: sums."),
        ("Lecturer", "2 + 2 = 4."),
    ]
    assert free_text[free[0].start : free[0].end] == "Welcome."  # shown without the name


def test_an_untitled_dialogue_is_not_called_host() -> None:
    from profai_cli.lecture.voice_side import section_title

    assert section_title("Host:\n\nWelcome. This lecture is about sums.\n", 10).startswith(
        "Welcome."
    )


def test_voices_that_are_not_two_is_one_line(home: Path) -> None:
    r = run_here(
        ["teach", str(EXAMPLES / "photosynthesis.md"), "--no-audio", "--voices", "nova"], home
    )
    assert r.code == 2 and r.err.count("\n") == 1 and "HOST,LECTURER" in r.err


def _cues(vtt: str) -> list[tuple[float, float, str, str]]:
    """(start, end, speaker, text) of each cue of a WebVTT with voice spans."""
    out = []
    for block in vtt.split("\n\n")[1:]:
        lines = block.strip().splitlines()
        if len(lines) < 2 or "-->" not in lines[0]:
            continue
        a, b = (_seconds(t) for t in lines[0].split(" --> "))
        m = re.match(r"<v ([^>]+)>(.*)", lines[1])
        assert m, lines[1]
        out.append((a, b, m.group(1), m.group(2)))
    return out


def _seconds(stamp: str) -> float:
    h, m, s = stamp.strip().split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def test_an_offline_dialogue_is_two_voices_apart_and_as_loud(home: Path) -> None:
    pytest.importorskip("piper", reason="the offline extra is not installed")
    import soundfile as sf

    from profai_cli.audio.meter import integrated_loudness
    from profai_cli.tts.flite_tts import flite_available
    from tests.voice_measures import median_pitch

    require_or_skip(flite_available(), "Flite is not installed (apt-get install libflite1)")
    wav, vtt = home / "d.wav", home / "d.vtt"
    r = run_here(
        [
            "export",
            str(wav),
            str(SUBJECTS / "dc-circuits.md"),
            "--llm",
            "none",
            "--tts",
            "piper",
            "--style",
            "dialogue",
            "--subtitles",
            str(vtt),
            "--transcript",
            str(home / "d.md"),
        ],
        home,
        timeout=600,
    )
    assert r.code == 0, r.err
    cues = _cues(vtt.read_text())
    assert {c[2] for c in cues} == {"Host", "Lecturer"}
    audio, rate = sf.read(wav, dtype="int16")
    said: dict[str, list[np.ndarray]] = {"Host": [], "Lecturer": []}
    for a, b, who, _ in cues:
        said[who].append(audio[int(a * rate) : int(b * rate)])
    host, lecturer = (np.concatenate(said[w]) for w in ("Host", "Lecturer"))
    pitch_host, pitch_lecturer = median_pitch(host, rate), median_pitch(lecturer, rate)
    assert pitch_host > 1.3 * pitch_lecturer, (pitch_host, pitch_lecturer)  # slt vs joe
    loud_host, loud_lecturer = integrated_loudness(host, rate), integrated_loudness(lecturer, rate)
    assert loud_host is not None and loud_lecturer is not None
    assert abs(loud_host - loud_lecturer) < 1.0, (loud_host, loud_lecturer)
    transcript = (home / "d.md").read_text()
    assert "\nHost:\n" in transcript and "\nLecturer:\n" in transcript


def test_a_service_dialogue_is_two_of_its_voices_and_its_words_held(
    home: Path, fake: FakeOpenAI
) -> None:
    vtt = home / "s.vtt"
    r = run_here(
        [
            "export",
            str(home / "s.wav"),
            str(SUBJECTS / "dc-circuits.md"),
            "--base-url",
            fake.base_url,
            "--tts",
            "openai",
            "--style",
            "dialogue",
            "--subtitles",
            str(vtt),
        ],
        home,
        timeout=300,
        PROFAI_FREE="0",
    )
    assert r.code == 0, r.err
    voices: dict[str, set[str]] = {}
    for request in fake.requests("/audio/speech"):
        voices.setdefault(str(request.body["voice"]), set()).add(str(request.body["input"]))
    assert set(voices) == {"alloy", "nova"}, voices  # the lecturer's and the host's
    before = len(fake.requests("/audio/speech"))
    cues = _cues(vtt.read_text())
    assert fake.requests("/chat/completions"), "the model was not asked to explain"
    # The host's lines are the plan's, with a model as without: the model's words are
    # the lecturer's alone, held to the notes.
    host = [t for _, _, who, t in cues if who == "Host"]
    by_rule = [
        str(e["text"])
        for e in _events(home, SUBJECTS / "dc-circuits.md", "--style", "dialogue")
        if e["speaker"] == "Host"
    ]
    assert host == by_rule
    again = run_here(
        [
            "export",
            str(home / "t.wav"),
            str(SUBJECTS / "dc-circuits.md"),
            "--base-url",
            fake.base_url,
            "--tts",
            "openai",
            "--style",
            "dialogue",
            "--voices",
            "shimmer,onyx",
            "--fresh",
        ],
        home,
        timeout=300,
        PROFAI_FREE="0",
    )
    assert again.code == 0, again.err
    later = {str(q.body["voice"]) for q in fake.requests("/audio/speech")[before:]}
    assert later == {"shimmer", "onyx"}


def test_the_host_asks_the_checkpoints_and_the_lecturer_gives_the_answers(
    home: Path, fake: FakeOpenAI
) -> None:
    r = run_here(
        [
            "export",
            str(home / "c.wav"),
            str(SUBJECTS / "dc-circuits.md"),
            "--llm",
            "none",
            "--tts",
            "openai",
            "--tts-base-url",
            fake.base_url,
            "--style",
            "dialogue",
            "--checkpoints",
        ],
        home,
        timeout=300,
    )
    assert r.code == 0, r.err
    said = [(str(q.body["voice"]), str(q.body["input"])) for q in fake.requests("/audio/speech")]
    asked = [v for v, text in said if text.startswith("Checkpoint.")]
    answers = [v for v, text in said if text.startswith("The answer:")]
    assert asked and set(asked) == {"nova"}, said
    assert answers and set(answers) == {"alloy"}, said


def test_a_dialogues_transcript_is_spoken_again_as_a_dialogue(home: Path, fake: FakeOpenAI) -> None:
    voice = ["--tts", "openai", "--tts-base-url", fake.base_url]
    notes = str(SUBJECTS / "neurons.md")
    first = run_here(
        ["export", str(home / "a.wav"), notes, "--llm", "none", "--style", "dialogue", *voice,
         "--transcript", str(home / "a.md")],
        home,
    )  # fmt: skip
    assert first.code == 0, first.err
    before = len(fake.requests("/audio/speech"))
    again = run_here(
        ["export", str(home / "b.wav"), "--from-transcript", str(home / "a.md"), *voice,
         "--no-cache"],
        home,
    )  # fmt: skip
    assert again.code == 0, again.err
    said = [(str(q.body["voice"]), str(q.body["input"])) for q in fake.requests("/audio/speech")]
    said = said[before:]
    assert {v for v, _ in said} == {"alloy", "nova"}
    assert not any(re.fullmatch(r"\W*(Host|Lecturer)\W*", text) for _, text in said)


def test_a_host_voice_that_fails_leaves_its_lines_to_the_lecturers_voice(
    home: Path, fake: FakeOpenAI
) -> None:
    fake.knobs.tts_fault, fake.knobs.tts_fault_for = "404", "Welcome"  # the host's line
    fake.knobs.fault_times = 1  # once: the lecturer's voice then says it
    r = run_here(
        ["export", str(home / "f.wav"), str(SUBJECTS / "neurons.md"), "--llm", "none",
         "--style", "dialogue", "--tts", "openai", "--tts-base-url", fake.base_url],
        home,
    )  # fmt: skip
    assert r.code == 0, r.err
    assert sum("The host's voice failed" in line for line in r.err.splitlines()) == 1, r.err
    requests = fake.requests("/audio/speech")
    said = [(str(q.body["voice"]), str(q.body["input"])) for q in requests]
    welcome = [q for q in requests if str(q.body["input"]).startswith("Welcome.")]
    assert [q.body["voice"] for q in welcome] == ["nova", "alloy"]  # the host's failed on it
    # Not asked again once it failed (what was already asked of it, ahead, is said): the
    # host's last line, long after, is in the lecturer's voice.
    recap = [v for v, text in said if text.startswith("To recap")]
    assert recap == ["alloy"], said


def test_each_voice_is_given_the_words_it_reads(home: Path) -> None:
    """Piper reads [[ phonemes ]] and Flite does not: the host's words have none, so "Part
    A" is not "Part" (Flite drops what it cannot read), and one Assembly makes one host."""
    import asyncio

    from profai_cli.core.config import Settings
    from profai_cli.lecture.assembly import Assembly
    from profai_cli.lecture.engines import Engines
    from profai_cli.lecture.environment import Environment
    from profai_cli.notes.ingest import Notes
    from tests.fakes.engines import FakeTTS, constant

    lecturer, host = FakeTTS(constant(1)), FakeTTS(constant(2), name="host")
    lecturer.phonemes = True  # as Piper
    made: list[str] = []

    def make_host(settings: Settings, voice: object) -> tuple[FakeTTS, str]:
        made.append("host")
        return host, ""

    env = Environment.in_memory(engines=Engines(host=make_host))  # type: ignore[arg-type]
    text = "# Vitamins\n\nHost:\n\nWhat is vitamin A?\n\nLecturer:\n\nVitamin A helps sight.\n"

    async def run() -> None:
        async with Assembly(env, Settings(style="dialogue", cache=False)) as parts:
            lecture = parts.lecture(lecturer, Notes(text, "v.md"), dialogue=True)  # type: ignore[arg-type]
            parts.lecture(lecturer, Notes(text, "v.md"), dialogue=True)  # type: ignore[arg-type]
            lecture.add_text(text)
            lecture.end_text()
            for k in range(len(lecture.chunks)):
                [f async for f in lecture.audio(lecture.chunks[k]).frames()]

    asyncio.run(run())
    assert made == ["host"]
    assert host.requests and not any("[[" in said for said in host.requests)
    assert any("A" in said.split() or "A?" in said for said in host.requests), host.requests
    assert any("[[" in said for said in lecturer.requests), lecturer.requests


def test_the_host_reacts_after_the_whole_answer_never_inside_a_list() -> None:
    from profai_cli.notes.outline import Point, PointKind
    from profai_cli.teaching.dialogue import Turns
    from profai_cli.teaching.lecture_plan import Kind, Step

    def note(kind: PointKind, text: str) -> Step:
        return Step(text, Kind.NOTES, Point(kind, text))

    steps = [
        Step("A question first: what does a process hold?", Kind.QUESTION),
        note(PointKind.PARAGRAPH, "A process holds:"),
        note(PointKind.ITEM, "Its registers."),
        note(PointKind.ITEM, "Its open files."),
        Step("## Threads", Kind.SIGNPOST),
    ]
    turns = Turns()
    said = "\n\n".join(turns.say(s, s.text) for s in steps).split("\n\n")
    assert said == [
        "Host:",
        "What does a process hold?",
        "Lecturer:",
        "A process holds:",
        "Its registers.",
        "Its open files.",
        "Host:",
        REACTIONS[0],
        "## Threads",
    ]
