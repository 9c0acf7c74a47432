"""Options are options: one that takes a value never swallows the next option, and an
export honours every output option it is given or refuses it in one line (issue 39)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_here
from tests.fakes.openai_server import FakeOpenAI


def _course(home: Path) -> Path:
    course = home / "course"
    course.mkdir()
    (course / "week1.md").write_text("# Week one\n\nRocks form slowly.\n")
    (course / "week2.md").write_text("# Week two\n\nRivers carry sand.\n")
    return course


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["export", "{out}/", "{course}", "--subtitles", "--transcript"], "--subtitles"),
        (
            ["export", "{out}.mp3", "{notes}", "--transcript", "--subtitles", "x.srt"],
            "--transcript",
        ),
        (["teach", "{notes}", "--focus", "--level", "beginner"], "--focus"),
        (["quiz", "{notes}", "--anki", "--with-audio"], "--anki"),
    ],
)
def test_an_option_never_takes_the_next_option_as_its_value(
    home: Path, args: list[str], said: str
) -> None:
    course = _course(home)
    out = home / "out"
    given = [a.format(out=out, course=course, notes=course / "week1.md") for a in args]
    r = run_here(given, home)
    assert r.code == 2
    assert r.err.count("\n") == 1 and f"{said} needs a value, not the option" in r.err
    assert not out.exists() and not any(home.glob("out*"))


def test_a_course_export_writes_every_output_it_is_asked_for(fake: FakeOpenAI, home: Path) -> None:
    course = _course(home)
    out = home / "out"
    r = run_here(
        [
            "export",
            f"{out}/",
            str(course),
            "--base-url",
            fake.base_url,
            "--tts",
            "openai",
            "--format",
            "wav",
            "--transcript",
            "t.md",
            "--subtitles",
            "s.vtt",
            "--words",
        ],
        home,
    )
    assert r.code == 0, r.err
    for week in ("week1", "week2"):
        assert (out / f"{week}.wav").stat().st_size > 1000
        assert (out / f"{week}.md").read_text().strip()
        assert (out / f"{week}.vtt").read_text().startswith("WEBVTT")
    assert "week1.wav" in (out / "out.m3u").read_text()


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["export", "{out}/", "{course}", "--title", "Rocks"], "--title tags one file"),
        (["export", "{out}.mp3", "{notes}", "--format", "wav"], "--format wav and the file"),
        (["export", "{out}.mp3", "{notes}", "-j", "2"], "--jobs makes a course's"),
    ],
)
def test_an_output_option_an_export_cannot_honour_is_refused(
    home: Path, args: list[str], said: str
) -> None:
    course = _course(home)
    out = home / "out"
    given = [a.format(out=out, course=course, notes=course / "week1.md") for a in args]
    r = run_here([*given, "--llm", "none"], home)
    assert r.code == 2 and said in r.err and r.err.count("\n") == 1, r.err
    assert not any(home.glob("out*"))
